#include "comparisons.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cohortsim {

namespace {

// The t quantile for a two-sided interval at `confidence` with `count` - 1 degrees of freedom.
double t_quantile(std::int64_t count, double confidence) {
    const boost::math::students_t distribution(static_cast<double>(count - 1));
    return boost::math::quantile(distribution, 0.5 + confidence / 2.0);
}

const char* better_text(Better better) {
    switch (better) {
        case Better::higher:
            return "higher is better";
        case Better::lower:
            return "lower is better";
        case Better::earlier:
            return "earlier is better; never reaching it is worse than any month";
    }
    return "";
}

const MetricSummary& metric_named(const ScenarioResults& results, std::string_view name) {
    for (const MetricSummary& metric : results.metrics) {
        if (metric.info.name == name) return metric;
    }
    throw std::invalid_argument("scenario '" + results.name + "' has no metric '" +
                                std::string(name) + "'");
}

std::size_t metric_index(const ScenarioResults& results, std::string_view name) {
    return static_cast<std::size_t>(&metric_named(results, name) - results.metrics.data());
}

const KpiSummary& kpi_named(const ScenarioResults& results, std::string_view name) {
    for (const KpiSummary& kpi : results.kpis) {
        if (kpi.info.name == name) return kpi;
    }
    throw std::invalid_argument("scenario '" + results.name + "' has no KPI '" + std::string(name) +
                                "'");
}

// The mean paired difference of a metric of the comparison, by month; nullptr when the run has no
// such metric (results read from an older file).
const std::vector<double>* mean_difference_of(const ScenarioComparison& comparison,
                                              std::string_view name) {
    for (const MetricComparison& metric : comparison.metrics)
        if (metric.info.name == name) return &metric.mean;
    return nullptr;
}

// ROI and break-even month (docs/model.md 11.4), from the mean paired differences.
void money_of(ScenarioComparison& comparison) {
    const std::vector<double>* npv = mean_difference_of(comparison, "npv");
    const std::vector<double>* cost = mean_difference_of(comparison, "cumulative_lever_cost");
    const std::vector<double>* cash = mean_difference_of(comparison, "cumulative_cash");
    if (npv == nullptr || cost == nullptr || cash == nullptr || cash->empty()) return;
    comparison.roi = cost->back() != 0.0 && std::isfinite(cost->back()) ? npv->back() / cost->back()
                                                                        : undefined_number;
    // Positive for good: from the month after the last one at or below 0.
    std::size_t first_positive = cash->size();
    while (first_positive > 1 && (*cash)[first_positive - 1] > 0.0)
        --first_positive;
    comparison.break_even_month =
        first_positive < cash->size() ? static_cast<double>(first_positive) : undefined_number;
}

// Column `month` of a (replication, month) array.
std::vector<double> column(const std::vector<double>& values, std::size_t months,
                           std::size_t month) {
    std::vector<double> out(values.size() / months);
    for (std::size_t r = 0; r < out.size(); ++r)
        out[r] = values[r * months + month];
    return out;
}

}  // namespace

KpiComparison compare_kpi(const HeadlineKpi& headline, const MetricInfo& source,
                          std::span<const double> a, std::span<const double> b, int horizon,
                          double confidence) {
    KpiComparison kpi;
    kpi.better = headline.better;
    kpi.differences.resize(a.size());
    std::vector<double> defined;
    for (std::size_t r = 0; r < a.size(); ++r) {
        // NaN where either is undefined.
        kpi.differences[r] = b[r] - a[r];
        if (!std::isnan(kpi.differences[r])) defined.push_back(kpi.differences[r]);
    }
    const PairedStatistics stats = paired_statistics(defined, confidence);
    kpi.pairs = stats.count;
    kpi.mean_difference = stats.mean;
    kpi.std_difference = stats.std;
    kpi.ci_low = stats.ci_low;
    kpi.ci_high = stats.ci_high;
    kpi.p_b_better = probability_better(a, b, headline.better);
    const std::string when =
        headline.from_metric ? " at month " + std::to_string(horizon) : std::string();
    const std::string over =
        "in each replication where both are defined (NaN elsewhere; mean_difference and its "
        "interval are over those `pairs`)";
    kpi.info = {std::string(headline.name), source.units,
                "paired difference b - a of " + std::string(headline.name) + when + ", " + over +
                    "; attributes: mean_difference, std_difference, " +
                    "ci_low/ci_high (Student t interval of the mean at `confidence`), p_b_better "
                    "(share of the replications where b is better, ties half, over those where "
                    "both are defined, or for a month either reaches; " +
                    better_text(headline.better) + "). " + source.description};
    return kpi;
}

const std::vector<HeadlineKpi>& headline_kpis() {
    static const std::vector<HeadlineKpi> kpis = {
        {"active_customers", true, Better::higher, "customers", 1.0},
        {"mrr", true, Better::higher, "MRR", 1.0},
        {"arr", true, Better::higher, "ARR", 1.0},
        {"npv", true, Better::higher, "NPV", 1.0},
        {"cumulative_operating_profit", true, Better::higher, "operating profit", 1.0},
        {"cumulative_cash", true, Better::higher, "cumulative cash", 1.0},
        {"nrr", true, Better::higher, "NRR %", 100.0},
        {"grr", true, Better::higher, "GRR %", 100.0},
        {"logo_churn_rate_12m", true, Better::lower, "12-month logo churn %", 100.0},
        {"first_net_negative_churn_month", false, Better::earlier, "net negative churn month", 1.0},
    };
    return kpis;
}

PairedStatistics paired_statistics(std::span<const double> differences, double confidence) {
    PairedStatistics stats;
    stats.count = static_cast<std::int64_t>(differences.size());
    // No pairs: nothing is known (NaN); one pair: a mean without a spread.
    if (differences.empty()) return stats;
    const double n = static_cast<double>(differences.size());
    double sum = 0.0;
    for (double d : differences)
        sum += d;
    stats.mean = sum / n;
    if (differences.size() < 2) return stats;
    // Two passes, as in statistics.cpp: the one-pass formula loses digits.
    double squares = 0.0;
    for (double d : differences)
        squares += (d - stats.mean) * (d - stats.mean);
    stats.std = std::sqrt(squares / (n - 1.0));
    const double half_width = t_quantile(stats.count, confidence) * stats.std / std::sqrt(n);
    stats.ci_low = stats.mean - half_width;
    stats.ci_high = stats.mean + half_width;
    return stats;
}

double probability_better(std::span<const double> a, std::span<const double> b, Better better) {
    const auto month = [](double value) {
        return std::isnan(value) ? std::numeric_limits<double>::infinity() : value;
    };
    double wins = 0.0;
    std::size_t compared = 0;
    for (std::size_t r = 0; r < a.size(); ++r) {
        // A month never reached is worse than any month; any other undefined value compares
        // with nothing.
        const bool comparable = better == Better::earlier ? !(std::isnan(a[r]) && std::isnan(b[r]))
                                                          : !(std::isnan(a[r]) || std::isnan(b[r]));
        if (!comparable) continue;
        ++compared;
        double lead = 0.0;  // > 0: b is better
        switch (better) {
            case Better::higher:
                lead = b[r] - a[r];
                break;
            case Better::lower:
                lead = a[r] - b[r];
                break;
            case Better::earlier:
                lead = month(b[r]) < month(a[r]) ? 1.0 : month(a[r]) < month(b[r]) ? -1.0 : 0.0;
                break;
        }
        wins += lead > 0.0 ? 1.0 : lead == 0.0 ? 0.5 : 0.0;
    }
    return compared > 0 ? wins / static_cast<double>(compared) : undefined_number;
}

ScenarioComparison compare_scenarios(const ScenarioResults& a,
                                     std::span<const std::vector<double>> a_values,
                                     const ScenarioResults& b,
                                     std::span<const std::vector<double>> b_values,
                                     double confidence) {
    if (a.horizon_months != b.horizon_months || a.replications != b.replications ||
        a_values.size() != a.metrics.size() || b_values.size() != b.metrics.size()) {
        throw std::invalid_argument("cannot compare scenario '" + b.name + "' with '" + a.name +
                                    "': they differ in horizon, replications or metrics");
    }
    const auto months = static_cast<std::size_t>(a.horizon_months) + 1;
    const auto replications = static_cast<std::size_t>(a.replications);
    ScenarioComparison comparison;
    comparison.name = b.name + "_vs_" + a.name;
    comparison.scenario = b.name;
    comparison.baseline = a.name;
    comparison.confidence = confidence;
    comparison.replications = a.replications;
    comparison.horizon_months = a.horizon_months;

    std::vector<double> differences;
    differences.reserve(replications);
    for (std::size_t k = 0; k < a.metrics.size(); ++k) {
        const MetricInfo& info = a.metrics[k].info;
        // A metric of one scenario only (a retention programme's) has nothing to pair with.
        const auto in_b = std::find_if(
            b.metrics.begin(), b.metrics.end(),
            [&](const MetricSummary& metric) { return metric.info.name == info.name; });
        if (in_b == b.metrics.end()) continue;
        const auto kb = static_cast<std::size_t>(in_b - b.metrics.begin());
        if (a_values[k].size() != replications * months ||
            b_values[kb].size() != replications * months) {
            throw std::invalid_argument("cannot compare metric '" + info.name + "' of '" + b.name +
                                        "' with '" + a.name + "': different names or shapes");
        }
        MetricComparison metric;
        metric.info = {info.name, info.units,
                       "paired difference b - a across replications (common random numbers): " +
                           info.description};
        metric.mean.resize(months);
        metric.std.resize(months);
        metric.ci_low.resize(months);
        metric.ci_high.resize(months);
        for (std::size_t m = 0; m < months; ++m) {
            differences.clear();
            for (std::size_t r = 0; r < replications; ++r) {
                const double d = b_values[kb][r * months + m] - a_values[k][r * months + m];
                if (!std::isnan(d)) differences.push_back(d);  // pairs where both are defined
            }
            const PairedStatistics stats = paired_statistics(differences, confidence);
            metric.mean[m] = stats.mean;
            metric.std[m] = stats.std;
            metric.ci_low[m] = stats.ci_low;
            metric.ci_high[m] = stats.ci_high;
        }
        comparison.metrics.push_back(std::move(metric));
    }

    for (const HeadlineKpi& headline : headline_kpis()) {
        if (headline.from_metric) {
            const std::size_t k = metric_index(a, headline.name);
            const std::vector<double> at_a = column(a_values[k], months, months - 1);
            const std::vector<double> at_b =
                column(b_values[metric_index(b, headline.name)], months, months - 1);
            comparison.kpis.push_back(
                compare_kpi(headline, a.metrics[k].info, at_a, at_b, a.horizon_months, confidence));
        } else {
            const KpiSummary& at_a = kpi_named(a, headline.name);
            const KpiSummary& at_b = kpi_named(b, headline.name);
            comparison.kpis.push_back(compare_kpi(headline, at_a.info, at_a.values, at_b.values,
                                                  a.horizon_months, confidence));
        }
    }
    money_of(comparison);
    return comparison;
}

}  // namespace cohortsim
