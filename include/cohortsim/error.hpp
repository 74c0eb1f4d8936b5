#pragma once
// Errors are exceptions, caught once in main and turned into the documented exit codes.

#include <stdexcept>
#include <string>

namespace cohortsim {

// Invalid input from the user (command line, scenario file, data file): exit code 2.
// The message names the file, line, key, the bad value and what is allowed.
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The run was interrupted by SIGINT or SIGTERM: exit code 130, no output file.
class Interrupted : public std::runtime_error {
  public:
    Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace cohortsim
