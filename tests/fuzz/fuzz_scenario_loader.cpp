// libFuzzer target: any text, with any --set overrides, given to the scenario loader either loads
// or is refused with cohortsim::InputError (exit code 2 in the CLI). Any other exception, a crash
// or a sanitizer report is a bug.
//
// Input layout: the scenario text, then optionally NUL-separated `--set` arguments. The seed
// corpus (plain TOML files) has no NUL, so overrides come from mutation; scenario.dict supplies
// the schema's keys.
//
// A loaded scenario must also round-trip: Scenario::resolved_toml is documented to load back to the
// same scenario (it is stored in every results file), so it must load and resolve to itself.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace {

[[noreturn]] void bug(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_scenario_loader: %s: %s\n", what, detail.c_str());
    std::abort();  // libFuzzer saves the input as crash-<sha1>
}

std::vector<cohortsim::Override> overrides_from(std::string_view rest) {
    std::vector<cohortsim::Override> overrides;
    while (!rest.empty()) {
        const auto end = rest.find('\0');
        const std::string_view flag = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        try {
            overrides.push_back(cohortsim::parse_override(flag));
        } catch (const cohortsim::InputError&) {
            // The CLI stops at a malformed --set; here the remaining flags still get exercised.
        }
    }
    return overrides;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string_view text = input.substr(0, nul);
    std::vector<cohortsim::Override> overrides;
    try {
        if (nul != std::string_view::npos) overrides = overrides_from(input.substr(nul + 1));
    } catch (const std::exception& error) {
        bug("parse_override threw something other than InputError",
            std::string(typeid(error).name()) + ": " + error.what());
    }

    cohortsim::Scenario scenario;
    try {
        scenario = cohortsim::load_scenario_text(text, "fuzz.toml", "fuzz", overrides);
    } catch (const cohortsim::InputError&) {
        return 0;  // refused with a message: the documented outcome
    } catch (const std::exception& error) {
        bug("load_scenario_text threw something other than InputError",
            std::string(typeid(error).name()) + ": " + error.what());
    }

    try {
        const cohortsim::Scenario again =
            cohortsim::load_scenario_text(scenario.resolved_toml, "resolved.toml", "resolved");
        if (again.resolved_toml != scenario.resolved_toml)
            bug("resolved TOML does not round-trip",
                "first:\n" + scenario.resolved_toml + "\nsecond:\n" + again.resolved_toml);
    } catch (const std::exception& error) {
        bug("resolved TOML of a loaded scenario does not load",
            std::string(typeid(error).name()) + ": " + error.what() + "\nresolved:\n" +
                scenario.resolved_toml);
    }
    return 0;
}
