// Inputs the fuzzers in tests/fuzz found to break the scenario loader, kept as ordinary tests so
// that every build checks them, not only the clang fuzzing build (whose replay test runs the raw
// inputs in tests/fuzz/regressions/).

#include <doctest/doctest.h>

#include <string>

#include "cohortsim/error.hpp"
#include "cohortsim/scenario_loader.hpp"

using namespace cohortsim;

namespace {

constexpr const char* valid = R"(
[retention]
alpha = 1.0
beta = 5.0
)";

}  // namespace

TEST_SUITE("fuzz regressions") {
    TEST_CASE("--set text that is not UTF-8 is refused, not stored (resolved TOML must load)") {
        // Found by fuzz_scenario_loader: a value that does not parse as TOML is stored as text,
        // and invalid UTF-8 then went into Scenario::resolved_toml, which no longer loaded.
        for (const std::string flag : {"description=caf\xe9", "description=\"ab\xa8\x96\"",
                                       "name=\xff", "description=\xed\xa0\x80"}) {
            INFO("--set " << flag);
            CHECK_THROWS_AS(load_scenario_text(valid, "fuzz.toml", "fuzz", {parse_override(flag)}),
                            InputError);
        }
    }

    TEST_CASE("--set text that is UTF-8 round-trips through the resolved TOML") {
        for (const std::string flag :
             {"description=caf\xc3\xa9", "description=tab\there", "description=\"quoted\" word"}) {
            INFO("--set " << flag);
            const Scenario scenario =
                load_scenario_text(valid, "fuzz.toml", "fuzz", {parse_override(flag)});
            const Scenario again = load_scenario_text(scenario.resolved_toml, "resolved.toml", "x");
            CHECK(again.description == scenario.description);
            CHECK(again.resolved_toml == scenario.resolved_toml);
        }
    }
}
