// `cohortsim summary OUT.h5 [--csv]`: the KPI table of a results file, as `run` prints it.

#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/summary.hpp"
#include "results_reader.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

int summary_command(const Arguments& arguments) {
    std::string path;
    bool csv = false;
    po::options_description options("cohortsim summary OUT.h5 [options]");
    options.add_options()("help,h", "show this help")(
        "csv", po::bool_switch(&csv),
        "CSV, one row per (scenario, KPI), numbers exactly as in the file");
    po::options_description hidden;
    hidden.add_options()("results", po::value(&path));
    if (!parse_options(arguments, options, hidden, "results", 1)) return 0;
    if (path.empty())
        throw InputError("summary: name a results file, e.g. cohortsim summary out.h5");
    const RunResults results = read_results(path);
    std::cout << (csv ? format_summary_csv(results) : format_summary(results));
    return 0;
}

}  // namespace cohortsim::cli
