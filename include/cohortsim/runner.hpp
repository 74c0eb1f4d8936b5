#pragma once
// Runs scenarios: replications in parallel (oneTBB), statistics across replications, results as
// plain data for the writer. Scenarios in one run share the seed, so the k-th customer of a
// segment and month draws the same random numbers under each of them (common random numbers).

#include <atomic>
#include <cstdint>
#include <vector>

#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct RunOptions {
    int threads = 0;  // 0 = all cores; results never depend on it
    bool keep_paths = false;
    std::vector<double> quantile_levels = {0.05, 0.25, 0.5, 0.75, 0.95};
    double comparison_confidence = 0.95;        // of the paired differences' intervals
    const std::atomic<bool>* cancel = nullptr;  // set by a signal handler: throw Interrupted
    std::atomic<std::int64_t>* replications_done = nullptr;  // progress counter, if wanted
};

struct RunCounters {
    std::int64_t replications = 0;     // over all scenarios
    std::int64_t customer_months = 0;  // renewal decisions simulated, over all scenarios
};

// Every scenario after the first is compared with the first (RunResults::comparisons): paired
// differences per metric and month, and the headline KPIs with P(b better than a). Memory: the
// first scenario's per-replication values and those of the scenario in flight, 8 bytes x 2 x
// metrics x replications x (H+1) (with keep_paths, every scenario's, as they are returned).
// Throws InputError when the scenarios disagree on horizon, replications or seed (they must
// share them to be compared).
RunResults run_scenarios(const std::vector<Scenario>& scenarios, const RunOptions& options,
                         RunCounters* counters = nullptr);

}  // namespace cohortsim
