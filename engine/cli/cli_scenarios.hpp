#pragma once
// Finding and loading the scenarios a command names, with the --set overrides applied.

#include <filesystem>
#include <string>
#include <vector>

#include "cohortsim/scenario.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace cohortsim::cli {

// The bundled strategy comparison: every *.toml in the bundled scenarios folder, baseline first.
std::vector<std::filesystem::path> bundled_scenarios();

std::vector<Override> parse_overrides(const std::vector<std::string>& assignments);

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths,
                                     const std::vector<Override>& overrides);

}  // namespace cohortsim::cli
