#include "cohortsim/memory_estimate.hpp"

#include <algorithm>
#include <cstdio>

#include "metrics.hpp"
#include "replication.hpp"

namespace cohortsim {

std::string MemoryEstimate::describe() const {
    const auto gib = [](std::uint64_t bytes) { return static_cast<double>(bytes) / (1ULL << 30); };
    char text[128];
    std::snprintf(text, sizeof text, "%.2f GiB (%.2f GiB of results, %.2f GiB of workspaces)",
                  gib(total()), gib(results_bytes), gib(workspace_bytes));
    return text;
}

MemoryEstimate estimate_memory(const std::vector<Scenario>& scenarios, const RunOptions& options,
                               int threads) {
    MemoryEstimate estimate;
    double all_results = 0.0;
    double largest_results = 0.0;
    double largest_workspace = 0.0;
    for (const Scenario& scenario : scenarios) {
        const double metrics = static_cast<double>(metric_definitions(scenario).size());
        const double months = scenario.simulation.horizon_months + 1.0;
        const double replications = static_cast<double>(scenario.simulation.replications);
        // Values for exact quantiles (kept as the paths with --keep-paths), and the KPIs.
        const double results = 8.0 * replications * (metrics * months + 2.0);
        all_results += results;
        largest_results = std::max(largest_results, results);
        const ReplicationSimulator simulator(scenario);
        // A workspace: the population, plus the record and the per-thread totals, each a
        // (cohort, month) matrix of counts and money.
        const double workspace = static_cast<double>(simulator.expected_customers()) *
                                     static_cast<double>(simulator.bytes_per_customer()) +
                                 months * months * (16.0 + 24.0) +
                                 months * 8.0 * (30.0 + churn_reason_count);
        largest_workspace = std::max(largest_workspace, workspace);
    }
    // Without --keep-paths the runner holds the first scenario's values and one other's at a
    // time (for the paired comparison); with it, every scenario's.
    const double results = options.keep_paths ? all_results : 2.0 * largest_results;
    estimate.results_bytes = static_cast<std::uint64_t>(std::min(results, 1.8e19));
    estimate.workspace_bytes =
        static_cast<std::uint64_t>(std::min(largest_workspace * threads, 1.8e19));
    return estimate;
}

}  // namespace cohortsim
