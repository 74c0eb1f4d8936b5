#pragma once
// The command-line front end: one function per command. Each returns the process exit code
// or throws (InputError -> 2, Interrupted -> 130/143, anything else -> 1; see main.cpp).

#include <functional>
#include <string>
#include <vector>

namespace cohortsim {
class ReplicationPartition;  // cohortsim/runner.hpp
}

namespace cohortsim::cli {

using Arguments = std::vector<std::string>;  // after the command word

// Runs `command` and turns what it throws into the documented exit code, printing the message
// on stderr (see main.cpp): the one place where errors become exit codes.
int exit_code_of(const std::function<int()>& command);

// Thrown to leave with an exit code whose message another process has already printed.
struct Exit {
    int code;
};

// The processes one `run` is spread over: this process alone, or (the MPI build,
// engine/cli/mpi_job.hpp) the ranks of an MPI job, which split every scenario's replications.
class Job {
  public:
    virtual ~Job() = default;
    // Runs the checks that come before any simulation. When they throw on any process, every
    // process leaves with the first failing one's exit code, and only that one prints its error.
    virtual void prepare(const std::function<void()>& checks) const { checks(); }
    // The replication partition for RunOptions; nullptr: this process simulates everything.
    virtual const ReplicationPartition* partition() const { return nullptr; }
    // The process that prints the results and writes the file.
    virtual bool leads() const { return true; }
    // The exit code, once `run` is over; a failure on one process of a job ends the whole job.
    virtual int finish(int exit_code) const { return exit_code; }
};

int run_command(const Arguments& arguments, const std::string& command_line, const Job& job);
int check_command(const Arguments& arguments);
int params_command(const Arguments& arguments);
int fit_command(const Arguments& arguments);
int summary_command(const Arguments& arguments);

}  // namespace cohortsim::cli
