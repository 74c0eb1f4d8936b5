// libFuzzer target: any `--set` argument either parses or is refused with cohortsim::InputError,
// and a parsed override applied to a valid scenario either loads or is refused with InputError.
// Any other exception, a crash or a sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include "cohortsim/error.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace {

// Every table the schema knows, so that an override can land on an existing key or table as well
// as create one.
constexpr std::string_view base_scenario = R"(name = "base"
[simulation]
horizon_months = 6
replications = 4
[acquisition]
initial_customers = 100
new_per_month = 5.0
[onboarding]
months = 2
[retention]
alpha = 1.0
beta = 5.0
[retention.reasons]
no_roi = 1.0
[segments.smb]
share = 0.5
[segments.big]
share = 0.5
[segments.big.retention]
alpha = 2.0
beta = 50.0
)";

[[noreturn]] void bug(const char* what, const std::exception& error) {
    std::fprintf(stderr, "fuzz_parse_override: %s threw %s: %s\n", what, typeid(error).name(),
                 error.what());
    std::abort();  // libFuzzer saves the input as crash-<sha1>
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view flag(reinterpret_cast<const char*>(data), size);
    cohortsim::Override override;
    try {
        override = cohortsim::parse_override(flag);
    } catch (const cohortsim::InputError&) {
        return 0;
    } catch (const std::exception& error) {
        bug("parse_override", error);
    }
    try {
        cohortsim::load_scenario_text(base_scenario, "base.toml", "base", {override});
    } catch (const cohortsim::InputError&) {
        return 0;
    } catch (const std::exception& error) {
        bug("load_scenario_text with the override", error);
    }
    return 0;
}
