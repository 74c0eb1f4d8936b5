#pragma once
// The per-month metrics of MODEL.md section 8, computed from one replication's record. Each
// metric's formula is written once, here, with its name, units and description.

#include <algorithm>
#include <functional>
#include <span>
#include <vector>

#include "cohortsim/results.hpp"
#include "replication_record.hpp"

namespace cohortsim {

struct MetricDefinition {
    MetricInfo info;
    // Fills `out` (H+1 values) from the record. Never produces NaN or inf: a rate over an
    // empty base is 0.
    std::function<void(const ReplicationRecord& record, std::span<double> out)> compute;
};

const std::vector<MetricDefinition>& metric_definitions();

// The sales team's metrics and unit economics (MODEL.md sections 7 and 8), part of the above.
std::vector<MetricDefinition> sales_team_metrics();

// Trailing windows (MODEL.md section 8) end at month m and start 12 months earlier, or at month
// 0 in the first year.
inline constexpr std::size_t trailing_window_months = 12;
inline std::size_t trailing_window_start(std::size_t m) {
    return m > trailing_window_months ? m - trailing_window_months : 0;
}

// Subscription revenue of month m: customers pay the MRR they had at its start.
inline double revenue_of_month(const ReplicationRecord& r, std::size_t m) {
    return m == 0 ? 0.0 : r.mrr[m - 1];
}

// 0 for an empty base, so that no metric is ever NaN or inf.
inline double ratio_or_zero(double numerator, double denominator) {
    return denominator > 0.0 ? numerator / denominator : 0.0;
}

// A metric that is a series the record keeps as it is.
template <typename T>
MetricDefinition series(MetricInfo info, std::vector<T> ReplicationRecord::*member) {
    return {std::move(info), [member](const ReplicationRecord& r, std::span<double> out) {
                std::transform((r.*member).begin(), (r.*member).end(), out.begin(),
                               [](T value) { return static_cast<double>(value); });
            }};
}

// A number per replication (MODEL.md section 8, per-scenario KPIs); NaN-free: `undefined` (and
// the dataset's fill value) when the replication never reaches it.
struct KpiDefinition {
    MetricInfo info;
    std::function<double(const ReplicationRecord& record)> compute;
};
inline constexpr double undefined_kpi = -1.0;

const std::vector<KpiDefinition>& kpi_definitions();

// Logo churn rate over the window (start, end] of months (seed 001): customers active at the
// end of `start` who are gone by the end of `end`, over those active at `start`; customers
// acquired inside the window are excluded from both. 0 when nobody was active at the start.
double window_logo_churn_rate(const ReplicationRecord& record, std::size_t start, std::size_t end);

}  // namespace cohortsim
