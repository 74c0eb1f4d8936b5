// `cohortsim summary OUT.h5 [--csv | --wide]`: the KPI table of a results file, as `run` prints it.

#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/results_reader.hpp"
#include "cohortsim/summary.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

int summary_command(const Arguments& arguments) {
    std::string path;
    bool csv = false;
    bool wide = false;
    po::options_description options("cohortsim summary OUT.h5 [options]");
    options.add_options()("help,h", "show this help")(
        "csv", po::bool_switch(&csv),
        "CSV, one row per (scenario, KPI), numbers exactly as in the file; an empty cell where "
        "a value is undefined")("wide", po::bool_switch(&wide),
                                "one KPI table however wide (default: blocks of columns that fit "
                                "in 100 columns; no effect on --csv)");
    po::options_description hidden;
    hidden.add_options()("results", po::value(&path));
    if (!parse_options(arguments, options, hidden, "results", 1)) return 0;
    if (path.empty())
        throw InputError("summary: name a results file, e.g. cohortsim summary out.h5");
    const RunResults results = read_results(path);
    SummaryOptions text_options;
    if (wide) text_options.width = 0;
    std::cout << (csv ? format_summary_csv(results) : format_summary(results, text_options));
    return 0;
}

}  // namespace cohortsim::cli
