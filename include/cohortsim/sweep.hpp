#pragma once
// Parameter sweeps (`run --sweep KEY=v1,v2,...` or `--sweep KEY=start:stop:step`, repeatable for
// a grid): each variant is a set of --set overrides, applied to every scenario of the run, or to
// the scenarios the flag names (`--sweep NAME[,NAME...]:KEY=...`), and named after its values.
// Knows nothing of the simulation.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cohortsim/results.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace cohortsim {

inline constexpr std::size_t max_sweep_variants = 1000;

// One --sweep flag: a scenario key and the values it takes, as TOML value text.
struct SweepAxis {
    std::string flag;  // "--sweep KEY=...", as given, for messages
    std::string key;
    std::vector<std::string> values;
    std::vector<std::string> scenarios;  // the scenarios it varies by name; empty = all

    bool varies(std::string_view scenario) const;
};

// Parses "[NAME,...:]KEY=v1,v2,..." (any TOML values, at least one) or
// "[NAME,...:]KEY=start:stop:step" (numbers; stop included when within |step| / 1e6 of a step; step
// nonzero and towards stop). Throws InputError naming the flag: malformed, an empty or repeated
// value, more than max_sweep_variants values, or a key every scenario of a run must share
// (simulation.horizon_months, replications, seed) or the scenario's name.
SweepAxis parse_sweep(std::string_view text);

// One point of the grid.
struct SweepVariant {
    std::string suffix;  // "__KEY=VALUE[__KEY2=VALUE2...]", appended to the scenario name
    std::vector<Override> overrides;
    std::vector<SweptValue> values;
};

// The cartesian product of the axes in the order given (the first varies slowest); one empty
// variant for no axis. sweep_variants_of: of the axes that vary `scenario`. Throws InputError when
// two axes share a key or there would be more than max_sweep_variants variants.
std::vector<SweepVariant> sweep_variants(const std::vector<SweepAxis>& axes);
std::vector<SweepVariant> sweep_variants_of(const std::vector<SweepAxis>& axes,
                                            std::string_view scenario);

// Throws InputError naming the flag when an axis names a scenario that is not in `names`.
void check_swept_scenarios(const std::vector<SweepAxis>& axes,
                           const std::vector<std::string>& names);

}  // namespace cohortsim
