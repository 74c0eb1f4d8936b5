#include "cli_scenarios.hpp"

#include <algorithm>
#include <system_error>

#include "cohortsim/error.hpp"

namespace cohortsim::cli {

namespace {

// Installed layout first (<prefix>/bin/cohortsim -> <prefix>/share/cohortsim/scenarios), then
// the source tree the binary was built from.
std::filesystem::path bundled_directory() {
    std::error_code error;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const auto installed =
            executable.parent_path().parent_path() / "share" / "cohortsim" / "scenarios";
        if (std::filesystem::is_directory(installed, error)) return installed;
    }
    for (const char* candidate : {COHORTSIM_BUNDLED_SCENARIOS, COHORTSIM_SOURCE_SCENARIOS}) {
        if (std::filesystem::is_directory(candidate, error)) return candidate;
    }
    throw InputError(std::string("no scenario given and the bundled scenarios were not found in ") +
                     COHORTSIM_BUNDLED_SCENARIOS + " or " + COHORTSIM_SOURCE_SCENARIOS +
                     "; name a scenario file");
}

}  // namespace

std::vector<std::filesystem::path> bundled_scenarios() {
    const auto directory = bundled_directory();
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml") {
            paths.push_back(entry.path());
        }
    }
    // Comparisons are against the first scenario: the baseline.
    std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) {
        const bool a_base = a.stem() == "baseline";
        const bool b_base = b.stem() == "baseline";
        return a_base != b_base ? a_base : a.filename() < b.filename();
    });
    if (paths.empty()) throw InputError("no *.toml scenario in " + directory.string());
    return paths;
}

std::vector<Override> parse_overrides(const std::vector<std::string>& assignments) {
    std::vector<Override> overrides;
    for (const std::string& assignment : assignments)
        overrides.push_back(parse_override(assignment));
    return overrides;
}

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths,
                                     const std::vector<Override>& overrides) {
    std::vector<Scenario> scenarios;
    for (const auto& path : paths)
        scenarios.push_back(load_scenario_file(path, overrides));
    return scenarios;
}

}  // namespace cohortsim::cli
