#pragma once
// TOML scenario files -> validated Scenario. Knows nothing of the simulation.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

// One `--set KEY=VALUE` from the command line; VALUE is parsed as a TOML value
// (a bare word that is not a number or boolean is taken as a string).
struct Override {
    std::string key;
    std::string value;
};

// Parses "KEY=VALUE"; throws InputError naming the flag when malformed.
Override parse_override(std::string_view text);

// Loads, applies the overrides, validates. Throws InputError with file, line, key, value and
// what is allowed on any problem.
Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<Override>& overrides = {});

// Same from text in memory; `source` names it in messages, `default_name` is the scenario name
// used when the text has no `name` key.
Scenario load_scenario_text(std::string_view toml_text, const std::string& source,
                            const std::string& default_name,
                            const std::vector<Override>& overrides = {});

// The scenario with some keys at other values (Override: "segments.smb.mrr_median" = "52.5"),
// its [uncertainty] left out: what one replication of a scenario with uncertain inputs simulates
// (docs/model.md 12.1). Throws InputError as load_scenario_text does.
Scenario load_scenario_variant(const Scenario& scenario, const std::vector<Override>& values);
// A drawn value as an Override's text (a whole number for an integer key).
std::string input_value_text(double value, bool integer);

// Throws InputError unless `scenario` meets every rule a loaded scenario meets (what run_scenarios
// checks first, for scenarios built in code): ranges, names, at most 8 contract terms, upsell
// tiers and cross-sell products, shares that sum to 1, allowed words, and a book whose entries
// are within the limits of its CSV reader. The message names the key, its value and what is
// allowed; lines refer to the scenario's resolved TOML.
void validate(const Scenario& scenario);

// The scenario as TOML with every key at its effective value (defaults, every segment, reason
// shares); loading it gives the same Scenario. This is what Scenario::resolved_toml holds.
std::string format_resolved_toml(const Scenario& scenario);

}  // namespace cohortsim
