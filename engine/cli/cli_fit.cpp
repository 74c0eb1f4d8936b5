// `cohortsim fit`: calibrate [retention] from observed cohorts (CONTRACT.md, "Calibration
// input"); prints a table with a scenario snippet, the snippet alone, or one JSON object.

#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

int fit_command(const Arguments& arguments) {
    std::vector<std::string> files;
    std::string model = "sbg";
    po::options_description options(
        "cohortsim fit DATA.csv [options]\n\n"
        "DATA.csv has a header: 'period,active' for one cohort "
        "(period 0 = its size),\nor 'cohort,period,active' for "
        "several cohorts of different lengths.\n\noptions");
    options.add_options()("help,h", "show this help")(
        "model,m", po::value(&model)->value_name("sbg|bdw"),
        "sbg: shifted-beta-geometric (alpha, beta; default)\n"
        "bdw: beta-discrete-Weibull (alpha, beta, c)")(
        "json", "print one JSON object instead of the table")(
        "toml", "print only the [retention] snippet, to append to a scenario");
    po::options_description hidden;
    hidden.add_options()("data", po::value(&files));
    const auto parsed = parse_options(arguments, options, hidden, "data");
    if (!parsed) return 0;
    const po::variables_map& given = *parsed;
    if (files.size() != 1) {
        throw InputError("fit: name exactly one DATA.csv (got " + std::to_string(files.size()) +
                         "); see cohortsim fit --help");
    }
    const bool json = given.count("json") != 0U;
    const bool toml = given.count("toml") != 0U;
    if (json && toml) throw InputError("fit: --json and --toml exclude each other; choose one");

    const SurvivalModel retention_model = parse_model_name(model);
    const CohortData data = read_cohort_csv(files.front());
    const FitResult result = fit_retention(data, retention_model);
    if (json) {
        std::cout << format_fit_json(result, data);
    } else if (toml) {
        std::cout << format_fit_toml(result);
    } else {
        std::cout << format_fit_table(result, data);
    }
    for (const std::string& warning : result.warnings) {
        if (json || toml) std::cerr << "cohortsim: warning: " << warning << '\n';
    }
    return 0;
}

}  // namespace cohortsim::cli
