#pragma once
// Paired comparison of two scenarios run with common random numbers (docs/model.md section 9):
// replication r of both saw the same customers and draws, so the difference b_r - a_r carries
// only the effect of the strategy, not the luck of the replication. Knows nothing of customers:
// it works on per-replication values.

#include <span>
#include <string_view>
#include <vector>

#include "cohortsim/results.hpp"

namespace cohortsim {

// The figures a strategy team reads first: compared replication by replication (KPIs of a
// comparison) and shown by `cohortsim summary`. A metric's value at the horizon, or a KPI.
struct HeadlineKpi {
    std::string_view name;  // kpis/<name> of a comparison; the metric or KPI it reads
    bool from_metric;       // metric at the horizon, else a KPI of kpi_definitions()
    Better better;
    std::string_view label;  // heading in the summary table
    double scale;            // for the summary table, e.g. 100 for percentages
};

const std::vector<HeadlineKpi>& headline_kpis();

// Mean, sample standard deviation and the two-sided Student-t confidence interval of the mean
// of paired differences, summed in index order (so the same bits for any thread count).
struct PairedStatistics {
    std::int64_t count = 0;
    double mean = undefined_number;     // NaN when count is 0
    double std = undefined_number;      // NaN when count < 2
    double ci_low = undefined_number;   // NaN when count < 2
    double ci_high = undefined_number;  // NaN when count < 2
};
PairedStatistics paired_statistics(std::span<const double> differences, double confidence);

// Share of replications where b beats a, ties counting half, over those where both are defined.
// For Better::earlier the values are months, NaN meaning "never", which is worse than any month:
// over the replications where either reaches it. NaN when no replication counts.
double probability_better(std::span<const double> a, std::span<const double> b, Better better);

// One KPI compared replication by replication: `a` and `b` its values in each replication
// (NaN: undefined), `source` its name and units.
KpiComparison compare_kpi(const HeadlineKpi& headline, const MetricInfo& source,
                          std::span<const double> a, std::span<const double> b, int horizon,
                          double confidence);

// Scenario b against a. `a_values` and `b_values` hold, for every metric of each scenario's results
// (in its order), its per-replication values as (replication, month) row-major; the KPIs'
// per-replication values come from the results themselves. The metrics both have are compared
// (a retention programme's own are only in the scenarios that have it), in a's order.
ScenarioComparison compare_scenarios(const ScenarioResults& a,
                                     std::span<const std::vector<double>> a_values,
                                     const ScenarioResults& b,
                                     std::span<const std::vector<double>> b_values,
                                     double confidence = 0.95);

}  // namespace cohortsim
