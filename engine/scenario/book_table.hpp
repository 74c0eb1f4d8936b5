#pragma once
// The [book] table of a scenario: which CSV file holds today's customers, read and validated
// when the scenario loads, so that `cohortsim check` finds a bad row before any run. Internal
// to the engine.

#include <toml++/toml.h>
#include <functional>
#include <string>

#include "cohortsim/scenario.hpp"
#include "scenario_document.hpp"

namespace cohortsim {

// "file:line" (or the --set flag) of a node, for messages; the loader's.
using NodeLocation = std::function<std::string(const toml::node*, const std::string& path)>;

// Exactly one of `accounts` and `cohorts` ("" = not given), a path relative to the folder of the
// file that names it. Reads the file against the scenario's segments and cross-sell products,
// which must be read already. Throws InputError.
BookParams read_book_table(const toml::table& book, const ScenarioSources& sources,
                           const Scenario& scenario, const NodeLocation& location);

}  // namespace cohortsim
