#pragma once
// The per-month metrics of docs/model.md section 8, computed from one replication's record. Each
// metric's formula is written once, here, with its name, units and description.

#include <algorithm>
#include <functional>
#include <span>
#include <vector>

#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"
#include "replication_record.hpp"

namespace cohortsim {

struct MetricDefinition {
    MetricInfo info;
    // Fills `out` (H+1 values) from the record. NaN exactly where info.undefined_when says (a
    // rate over an empty base, for instance), never inf.
    std::function<void(const ReplicationRecord& record, std::span<double> out)> compute;
};

// The metrics every scenario has.
const std::vector<MetricDefinition>& metric_definitions();

// What a run of `scenario` writes: the above, then each retention programme's cost_<name> and
// covered_<name>.
std::vector<MetricDefinition> metric_definitions(const Scenario& scenario);
std::vector<MetricDefinition> programme_metrics(const Scenario& scenario);

// The sales team's metrics and unit economics (docs/model.md sections 7 and 8), part of the above.
std::vector<MetricDefinition> sales_team_metrics();

// Profit, cash and NPV (docs/model.md 11.3), after the declared mechanisms' costs they sum.
std::vector<MetricDefinition> finance_metrics();

// Subscription revenue of month m: customers pay the MRR they had at its start.
inline double revenue_of_month(const ReplicationRecord& r, std::size_t m) {
    return m == 0 ? 0.0 : r.mrr[m - 1];
}

// Undefined (NaN) over an empty base: never a silent 0, never inf.
inline double ratio_or_undefined(double numerator, double denominator) {
    return denominator > 0.0 ? numerator / denominator : undefined_number;
}

// A metric that is a series the record keeps as it is.
template <typename T>
MetricDefinition series(MetricInfo info, std::vector<T> ReplicationRecord::*member) {
    return {std::move(info), [member](const ReplicationRecord& r, std::span<double> out) {
                std::transform((r.*member).begin(), (r.*member).end(), out.begin(),
                               [](T value) { return static_cast<double>(value); });
            }};
}

// A metric computed month by month from the record.
inline MetricDefinition per_month(MetricInfo info,
                                  double (*value)(const ReplicationRecord&, std::size_t)) {
    return {std::move(info), [value](const ReplicationRecord& r, std::span<double> out) {
                for (std::size_t m = 0; m < out.size(); ++m)
                    out[m] = value(r, m);
            }};
}

// A number per replication (docs/model.md section 8, per-scenario KPIs); NaN when the
// replication never reaches it.
struct KpiDefinition {
    MetricInfo info;
    std::function<double(const ReplicationRecord& record)> compute;
};

const std::vector<KpiDefinition>& kpi_definitions();

// Trailing-12-month logo churn at month m (seed 001): of the customers active at the end of the
// window's start, the share that churned at least once inside it (won back since or not);
// customers acquired inside the window are excluded from both. NaN when nobody was active at
// the start.
double logo_churn_rate_12m(const ReplicationRecord& record, std::size_t m);

}  // namespace cohortsim
