// `cohortsim summary OUT.h5 [--csv | --wide] [--kpi NAME,...] [--month M]`: the KPI table of a
// results file, as `run` prints it.

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

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
    std::vector<std::string> kpis;
    int month = -1;
    po::options_description options("cohortsim summary OUT.h5 [options]");
    options.add_options()("help,h", "show this help")(
        "csv", po::bool_switch(&csv),
        "CSV, one row per (scenario, KPI), numbers exactly as in the file; an empty cell where "
        "a value is undefined")("wide", po::bool_switch(&wide),
                                "one KPI table however wide (default: blocks of columns that fit "
                                "in 100 columns; no effect on --csv)")(
        "kpi", po::value(&kpis)->composing()->value_name("NAME[,NAME...]"),
        "the KPIs to show, in this order: headline KPIs (npv, arr, nrr, ...), any metric of the "
        "results (cost_save_desk, cash_collected, ...) or a per-replication KPI; default: the "
        "headline KPIs, ROI and break-even month")(
        "month", po::value(&month)->value_name("M"),
        "read the metrics at month M instead of the horizon (paired differences then have no "
        "P(better))");
    po::options_description hidden;
    hidden.add_options()("results", po::value(&path));
    if (!parse_options(arguments, options, hidden, "results", 1)) return 0;
    if (path.empty())
        throw InputError("summary: name a results file, e.g. cohortsim summary out.h5");
    const RunResults results = read_results(path);
    SummaryOptions text_options;
    if (wide) text_options.width = 0;
    for (const std::string& list : kpis)
        for (std::size_t start = 0; start <= list.size();) {
            const std::size_t comma = std::min(list.find(',', start), list.size());
            if (comma > start) text_options.kpis.push_back(list.substr(start, comma - start));
            start = comma + 1;
        }
    if (month < -1)
        throw InputError("--month " + std::to_string(month) + ": allowed: a month from 0");
    text_options.month = month;
    std::cout << (csv ? format_summary_csv(results, text_options)
                      : format_summary(results, text_options));
    return 0;
}

}  // namespace cohortsim::cli
