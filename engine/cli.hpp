#pragma once
// The command-line front end: one function per command. Each returns the process exit code
// or throws (InputError -> 2, Interrupted -> 130/143, anything else -> 1; see main.cpp).

#include <string>
#include <vector>

namespace cohortsim::cli {

using Arguments = std::vector<std::string>;  // after the command word

int run_command(const Arguments& arguments, const std::string& command_line);
int check_command(const Arguments& arguments);
int params_command(const Arguments& arguments);
int fit_command(const Arguments& arguments);
int summary_command(const Arguments& arguments);

}  // namespace cohortsim::cli
