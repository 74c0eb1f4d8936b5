// cohortsim: parallel Monte Carlo of subscription customer cohorts. See README.md.

#include <boost/program_options/errors.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "cli_signals.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/version.hpp"
#if COHORTSIM_MPI
#include "mpi_job.hpp"
#endif

namespace {

constexpr const char* usage = R"(usage: cohortsim <command> [options]

commands:
  run [SCENARIO.toml ...] -o OUT.h5   simulate scenarios (all bundled strategies if none given)
  check SCENARIO.toml ...            validate; print each resolved scenario and what its
                                     retention means per segment (churn, survival, lifetime)
  params [PREFIX]                    every scenario key (or those under PREFIX): default, unit,
                                     allowed range, meaning
  fit DATA.csv [--model sbg|bdw]     fit [retention] to observed cohorts (--json, --toml)
  summary OUT.h5 [--csv | --wide]    KPI table per scenario and paired comparisons

  cohortsim <command> --help         options of a command
  cohortsim --version
)";

std::string joined(int argc, char** argv) {
    std::string text;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) text += ' ';
        text += argv[i];
    }
    return text;
}

// `run` is the one command that an MPI job spreads over its processes; each process of the job
// reaches here, and MPI lives for the duration of the command.
int run(const cohortsim::cli::Arguments& arguments, const std::string& command_line) {
    using namespace cohortsim;
#if COHORTSIM_MPI
    const cli::MpiJob job;
#else
    const cli::Job job;
#endif
    return job.finish(
        cli::exit_code_of([&] { return cli::run_command(arguments, command_line, job); }));
}

int dispatch(int argc, char** argv) {
    using namespace cohortsim;
    if (argc < 2) {
        std::cerr << usage;
        return 2;
    }
    const std::string command = argv[1];
    const cli::Arguments arguments(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "cohortsim " << engine_version() << " (" << engine_git_sha() << ")\n";
        return 0;
    }
    if (command == "run") return run(arguments, joined(argc, argv));
    if (command == "check") return cli::check_command(arguments);
    if (command == "params") return cli::params_command(arguments);
    if (command == "fit") return cli::fit_command(arguments);
    if (command == "summary") return cli::summary_command(arguments);
    throw InputError("unknown command '" + command +
                     "'; allowed: run, check, params, fit, summary (see cohortsim --help)");
}

}  // namespace

namespace cohortsim::cli {

int exit_code_of(const std::function<int()>& command) {
    try {
        return command();
    } catch (const Exit& exit) {
        return exit.code;
    } catch (const cohortsim::InputError& error) {
        std::cerr << "cohortsim: error: " << error.what() << '\n';
        return 2;
    } catch (const boost::program_options::error& error) {
        std::cerr << "cohortsim: error: " << error.what() << " (see cohortsim <command> --help)\n";
        return 2;
    } catch (const cohortsim::Interrupted&) {
        std::cerr << "cohortsim: interrupted; no output written\n";
        return cohortsim::cli::interrupt_exit_code();
    } catch (const std::exception& error) {
        std::cerr << "cohortsim: failed: " << error.what() << '\n';
        return 1;
    }
}

}  // namespace cohortsim::cli

int main(int argc, char** argv) {
    cohortsim::cli::install_interrupt_handlers();
    return cohortsim::cli::exit_code_of([&] { return dispatch(argc, argv); });
}
