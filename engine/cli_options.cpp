#include "cli_options.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace cohortsim::cli {

std::optional<po::variables_map> parse_options(const Arguments& arguments,
                                               const po::options_description& visible,
                                               const po::options_description& hidden,
                                               const char* positional, int max_positional) {
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positions;
    if (positional != nullptr) positions.add(positional, max_positional);
    po::variables_map given;
    po::store(po::command_line_parser(arguments).options(all).positional(positions).run(), given);
    po::notify(given);
    if (given.count("help") != 0U) {
        std::cout << visible << '\n';
        return std::nullopt;
    }
    return given;
}

}  // namespace cohortsim::cli
