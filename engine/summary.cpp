#include "cohortsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

namespace cohortsim {

namespace {

struct Column {
    std::string_view metric;
    std::string_view heading;
    double scale;  // e.g. 100 for percentages
};

// The figures a strategy team reads first.
constexpr Column columns[] = {
    {"active_customers", "customers", 1.0},
    {"arr", "ARR", 1.0},
    {"logo_churn_rate_12m", "12-month logo churn %", 100.0},
    {"churned_customers", "churned in last month", 1.0},
};

const MetricSummary* find_metric(const ScenarioResults& scenario, std::string_view name) {
    for (const MetricSummary& metric : scenario.metrics) {
        if (metric.info.name == name) return &metric;
    }
    return nullptr;
}

std::size_t level_index(const ScenarioResults& scenario, double level) {
    const auto& levels = scenario.quantile_levels;
    const auto nearest = std::min_element(levels.begin(), levels.end(), [&](double a, double b) {
        return std::abs(a - level) < std::abs(b - level);
    });
    return static_cast<std::size_t>(nearest - levels.begin());
}

std::string format_cell(const ScenarioResults& scenario, const MetricSummary& metric,
                        double scale) {
    const std::size_t months = metric.mean.size();
    const std::size_t last = months - 1;
    const double low = metric.quantiles[level_index(scenario, 0.05) * months + last] * scale;
    const double high = metric.quantiles[level_index(scenario, 0.95) * months + last] * scale;
    char cell[96];
    std::snprintf(cell, sizeof cell, "%.4g [%.4g, %.4g]", metric.mean[last] * scale, low, high);
    return cell;
}

}  // namespace

std::string format_summary(const RunResults& results) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"scenario"};
    for (const Column& column : columns)
        header.emplace_back(column.heading);
    rows.push_back(header);
    for (const ScenarioResults& scenario : results.scenarios) {
        std::vector<std::string> row{scenario.name};
        for (const Column& column : columns) {
            const MetricSummary* metric = find_metric(scenario, column.metric);
            row.push_back(metric != nullptr && !metric->quantiles.empty()
                              ? format_cell(scenario, *metric, column.scale)
                              : "-");
        }
        rows.push_back(row);
    }
    std::vector<std::size_t> widths(header.size(), 0);
    for (const auto& row : rows) {
        for (std::size_t k = 0; k < row.size(); ++k)
            widths[k] = std::max(widths[k], row[k].size());
    }
    std::string text;
    if (!results.scenarios.empty()) {
        text += "At month " + std::to_string(results.scenarios.front().horizon_months) +
                ", mean [5%, 95%] over " + std::to_string(results.replications) +
                " replications:\n";
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t k = 0; k < rows[r].size(); ++k) {
            text += rows[r][k];
            if (k + 1 < rows[r].size()) text += std::string(widths[k] - rows[r][k].size() + 2, ' ');
        }
        text += '\n';
    }
    return text;
}

}  // namespace cohortsim
