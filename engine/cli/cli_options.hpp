#pragma once
// Option parsing that every command shares: its options, positional arguments and --help.

#include <boost/program_options.hpp>
#include <optional>

#include "cli.hpp"

namespace cohortsim::cli {

// Parses `arguments` against the visible options plus `hidden` ones; the positional arguments
// go to the hidden option `positional` (at most `max_positional`, -1 = any; nullptr = none).
// Prints the visible options and returns nothing when --help was given.
std::optional<boost::program_options::variables_map> parse_options(
    const Arguments& arguments, const boost::program_options::options_description& visible,
    const boost::program_options::options_description& hidden, const char* positional = nullptr,
    int max_positional = -1);

}  // namespace cohortsim::cli
