// `cohortsim check` and `cohortsim params`: look at scenarios without simulating them.

#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cli_scenarios.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

int check_command(const Arguments& arguments) {
    std::vector<std::string> files;
    std::vector<std::string> assignments;
    po::options_description options("cohortsim check SCENARIO.toml ... [options]");
    options.add_options()("help,h", "show this help")(
        "set", po::value(&assignments)->composing()->value_name("KEY=VALUE"),
        "override a scenario key, as for run");
    po::options_description hidden;
    hidden.add_options()("scenario", po::value(&files));
    if (!parse_options(arguments, options, hidden, "scenario")) return 0;
    if (files.empty()) throw InputError("check: name at least one SCENARIO.toml");
    const std::vector<std::filesystem::path> paths(files.begin(), files.end());
    for (const Scenario& scenario : load_scenarios(paths, parse_overrides(assignments))) {
        std::cout << "# " << scenario.source << ": valid\n" << scenario.resolved_toml << '\n';
    }
    return 0;
}

int params_command(const Arguments& arguments) {
    po::options_description options("cohortsim params");
    options.add_options()("help,h", "show this help");
    if (!parse_options(arguments, options, po::options_description())) return 0;
    std::cout << format_parameter_table();
    return 0;
}

}  // namespace cohortsim::cli
