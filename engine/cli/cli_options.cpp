#include "cli_options.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <string_view>

#include "cohortsim/error.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The visible long option closest to `typed` ("--replication" -> "replications"): one it
// begins, or one within a third of its length in edits; empty when nothing is close.
std::string closest_option(std::string_view typed, const po::options_description& visible) {
    while (!typed.empty() && typed.front() == '-')
        typed.remove_prefix(1);
    typed = typed.substr(0, typed.find('='));
    if (typed.empty()) return "";
    std::string best;
    std::size_t best_distance = typed.size() / 3 + 1;
    for (const auto& option : visible.options()) {
        const std::string& name = option->long_name();
        if (name.empty() || name == typed) continue;
        const std::size_t distance = name.starts_with(typed) ? 0 : edit_distance(typed, name);
        if (distance < best_distance) {
            best = name;
            best_distance = distance;
        }
    }
    return best;
}

// "cohortsim run --help" from the caption "cohortsim run [SCENARIO.toml ...] [options]".
std::string help_hint(const po::options_description& visible) {
    std::ostringstream printed;
    printed << visible;
    const std::string caption = printed.str().substr(0, printed.str().find('\n'));
    const auto end = caption.find(' ', caption.find(' ') + 1);
    if (!caption.starts_with("cohortsim ") || end == std::string::npos) {
        return "cohortsim <command> --help";
    }
    return caption.substr(0, end) + " --help";
}

}  // namespace

std::optional<po::variables_map> parse_options(const Arguments& arguments,
                                               const po::options_description& visible,
                                               const po::options_description& hidden,
                                               const char* positional, int max_positional) {
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positions;
    if (positional != nullptr) positions.add(positional, max_positional);
    po::variables_map given;
    // No guessing: an abbreviation ("--replication") is an unknown option, not a silent match.
    const int style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    try {
        po::store(po::command_line_parser(arguments)
                      .options(all)
                      .positional(positions)
                      .style(style)
                      .run(),
                  given);
    } catch (const po::unknown_option& error) {
        const std::string typed = error.get_option_name();
        const std::string suggestion = closest_option(typed, visible);
        throw InputError("unknown option '" + typed + "'" +
                         (suggestion.empty() ? "" : "; did you mean --" + suggestion + "?") +
                         " (see " + help_hint(visible) + ")");
    } catch (const po::too_many_positional_options_error&) {
        const std::string what =
            positional == nullptr ? "none" : "at most " + std::to_string(max_positional);
        throw InputError("too many arguments without an option (" + what + " allowed; see " +
                         help_hint(visible) + ")");
    }
    po::notify(given);
    if (given.count("help") != 0U) {
        std::cout << visible << '\n';
        return std::nullopt;
    }
    return given;
}

}  // namespace cohortsim::cli
