#pragma once
// How much memory a run will take, computed before any work so that absurd requests (10^12
// customers, horizons of 10^6 months) are refused with a clear message instead of failing
// halfway. README "Memory" documents the same terms.

#include <cstdint>
#include <string>
#include <vector>

#include "cohortsim/runner.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct MemoryEstimate {
    std::uint64_t results_bytes = 0;    // per-replication values kept for statistics
    std::uint64_t workspace_bytes = 0;  // populations and records of the replications in flight
    std::uint64_t total() const { return results_bytes + workspace_bytes; }
    std::string describe() const;  // "1.2 GiB (0.9 GiB results, 0.3 GiB workspaces)"
};

// `threads` as resolved (not 0).
MemoryEstimate estimate_memory(const std::vector<Scenario>& scenarios, const RunOptions& options,
                               int threads);

}  // namespace cohortsim
