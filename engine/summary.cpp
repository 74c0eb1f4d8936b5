#include "cohortsim/summary.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "comparisons.hpp"

namespace cohortsim {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// One KPI of one scenario: mean and 90% interval across replications (over the replications
// where it is defined, for a KPI such as the first month of net negative churn).
struct Figure {
    std::string units;
    double mean = not_a_number;
    double low = not_a_number;            // 5% quantile
    double high = not_a_number;           // 95% quantile
    double share_defined = not_a_number;  // KPIs only
};

// The index of a quantile level, or nothing when the results do not have it.
std::optional<std::size_t> level_index(const ScenarioResults& scenario, double level) {
    const auto& levels = scenario.quantile_levels;
    for (std::size_t q = 0; q < levels.size(); ++q) {
        if (std::abs(levels[q] - level) < 1e-9) return q;
    }
    return std::nullopt;
}

Figure figure(const ScenarioResults& scenario, const HeadlineKpi& headline) {
    Figure out;
    const auto low = level_index(scenario, 0.05);
    const auto high = level_index(scenario, 0.95);
    if (headline.from_metric) {
        for (const MetricSummary& metric : scenario.metrics) {
            if (metric.info.name != headline.name || metric.mean.empty()) continue;
            const std::size_t months = metric.mean.size();
            const std::size_t last = months - 1;
            out.units = metric.info.units;
            out.mean = metric.mean[last];
            if (low && high &&
                metric.quantiles.size() >= scenario.quantile_levels.size() * months) {
                out.low = metric.quantiles[*low * months + last];
                out.high = metric.quantiles[*high * months + last];
            }
        }
        return out;
    }
    for (const KpiSummary& kpi : scenario.kpis) {
        if (kpi.info.name != headline.name) continue;
        out.units = kpi.info.units;
        out.share_defined = kpi.share_defined;
        if (kpi.share_defined > 0.0) {
            out.mean = kpi.mean;
            if (low && high && kpi.quantiles.size() == scenario.quantile_levels.size()) {
                out.low = kpi.quantiles[*low];
                out.high = kpi.quantiles[*high];
            }
        }
    }
    return out;
}

const ScenarioComparison* comparison_of(const RunResults& results, const std::string& scenario) {
    for (const ScenarioComparison& comparison : results.comparisons) {
        if (comparison.scenario == scenario) return &comparison;
    }
    return nullptr;
}

const KpiComparison* kpi_of(const ScenarioComparison* comparison, std::string_view name) {
    if (comparison == nullptr) return nullptr;
    for (const KpiComparison& kpi : comparison->kpis) {
        if (kpi.info.name == name) return &kpi;
    }
    return nullptr;
}

// Four significant digits, with k / M / B for large amounts: 5274, 27.39M, -0.0123.
std::string compact(double value, bool sign = false) {
    if (!std::isfinite(value)) return "-";
    const double size = std::abs(value);
    const char* suffix = "";
    double shown = value;
    if (size >= 1e9) {
        shown = value / 1e9;
        suffix = "B";
    } else if (size >= 1e6) {
        shown = value / 1e6;
        suffix = "M";
    } else if (size >= 1e4) {
        shown = value / 1e3;
        suffix = "k";
    }
    char text[48];
    std::snprintf(text, sizeof text, sign ? "%+.4g%s" : "%.4g%s", shown, suffix);
    return text;
}

std::string percent(double share) {
    if (!std::isfinite(share)) return "-";
    char text[16];
    std::snprintf(text, sizeof text, "%.0f%%", share * 100.0);
    return text;
}

std::string value_cell(const Figure& f, const HeadlineKpi& headline) {
    const double s = headline.scale;
    if (headline.from_metric) {
        if (!std::isfinite(f.mean)) return "-";
        return compact(f.mean * s) + " [" + compact(f.low * s) + ", " + compact(f.high * s) + "]";
    }
    if (std::isnan(f.share_defined)) return "-";  // a file without the KPI
    if (!(f.share_defined > 0.0)) return "never";
    return compact(f.mean * s) + " [" + compact(f.low * s) + ", " + compact(f.high * s) + "] " +
           percent(f.share_defined);
}

// The difference columns of one KPI: mean, confidence interval, P(better).
std::vector<std::string> difference_cells(const KpiComparison* kpi, const HeadlineKpi& headline) {
    if (kpi == nullptr) return {"-", "", ""};
    const double s = headline.scale;
    // No replication where both reach it (or a file written without the value).
    if (kpi->pairs == 0 || !std::isfinite(kpi->mean_difference)) {
        return {"-", "", percent(kpi->p_b_better)};
    }
    return {compact(kpi->mean_difference * s, true),
            "[" + compact(kpi->ci_low * s, true) + ", " + compact(kpi->ci_high * s, true) + "]",
            percent(kpi->p_b_better)};
}

void append_table(std::string& text, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t k = 0; k < row.size(); ++k)
            widths[k] = std::max(widths[k], row[k].size());
    }
    for (const auto& row : rows) {
        for (std::size_t k = 0; k < row.size(); ++k) {
            text += row[k];
            if (k + 1 < row.size()) text += std::string(widths[k] - row[k].size() + 2, ' ');
        }
        text += '\n';
    }
}

std::vector<std::string> header() {
    std::vector<std::string> row{"scenario"};
    for (const HeadlineKpi& headline : headline_kpis())
        row.emplace_back(headline.label);
    return row;
}

std::int64_t replications_of(const RunResults& results) {
    if (results.replications > 0 || results.scenarios.empty()) return results.replications;
    return results.scenarios.front().replications;
}

// The shortest text that parses back to the same double: the file's number, exactly.
std::string csv_number(double value) {
    if (!std::isfinite(value)) return "";
    char text[40];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::string csv_text(const std::string& value) {
    if (value.find_first_of(",\"\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char ch : value) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

}  // namespace

std::string format_summary(const RunResults& results) {
    if (results.scenarios.empty()) return "no scenario in the results\n";
    const ScenarioResults& first = results.scenarios.front();
    const auto& headlines = headline_kpis();
    std::string text = "At month " + std::to_string(first.horizon_months) +
                       ", mean [5%, 95%] over " + std::to_string(replications_of(results)) +
                       " replications:\n";
    std::vector<std::vector<std::string>> rows{header()};
    for (const ScenarioResults& scenario : results.scenarios) {
        std::vector<std::string> row{scenario.name};
        for (const HeadlineKpi& headline : headlines)
            row.push_back(value_cell(figure(scenario, headline), headline));
        rows.push_back(std::move(row));
    }
    append_table(text, rows);
    text +=
        "(net negative churn month: the first month of net negative MRR churn; mean and interval\n"
        " over the replications that reach it within the horizon, then the share that does)\n";

    if (results.comparisons.empty()) return text;
    const ScenarioComparison& any = results.comparisons.front();
    text += "\nPaired differences against " + any.baseline +
            " (same customers and draws), scenario - " + any.baseline + ":\n";
    rows = {{"scenario", "KPI", "mean", percent(any.confidence) + " CI", "P(better)"}};
    for (const ScenarioResults& scenario : results.scenarios) {
        const ScenarioComparison* comparison = comparison_of(results, scenario.name);
        if (comparison == nullptr) continue;
        for (const HeadlineKpi& headline : headlines) {
            std::vector<std::string> row{scenario.name, std::string(headline.label)};
            for (std::string& cell : difference_cells(kpi_of(comparison, headline.name), headline))
                row.push_back(std::move(cell));
            rows.push_back(std::move(row));
        }
    }
    append_table(text, rows);
    text +=
        "(P(better): share of replications where the scenario does better, ties half; net "
        "negative\n"
        " churn month: over the replications where both reach it, '-' if none; earlier is "
        "better)\n";
    return text;
}

std::string format_summary_csv(const RunResults& results) {
    std::string text =
        "scenario,kpi,units,month,mean,q05,q95,share_defined,baseline,mean_difference,ci_low,"
        "ci_high,confidence,pairs,p_better\n";
    for (const ScenarioResults& scenario : results.scenarios) {
        const ScenarioComparison* comparison = comparison_of(results, scenario.name);
        for (const HeadlineKpi& headline : headline_kpis()) {
            const Figure f = figure(scenario, headline);
            std::vector<std::string> cells{
                csv_text(scenario.name),
                std::string(headline.name),
                csv_text(f.units),
                headline.from_metric ? std::to_string(scenario.horizon_months) : "",
                csv_number(f.mean),
                csv_number(f.low),
                csv_number(f.high),
                csv_number(f.share_defined)};
            const KpiComparison* kpi = kpi_of(comparison, headline.name);
            if (kpi != nullptr) {
                cells.insert(cells.end(),
                             {csv_text(comparison->baseline), csv_number(kpi->mean_difference),
                              csv_number(kpi->ci_low), csv_number(kpi->ci_high),
                              csv_number(comparison->confidence), std::to_string(kpi->pairs),
                              csv_number(kpi->p_b_better)});
            } else {
                cells.resize(cells.size() + 7);
            }
            for (std::size_t k = 0; k < cells.size(); ++k) {
                text += cells[k];
                text += k + 1 < cells.size() ? ',' : '\n';
            }
        }
    }
    return text;
}

}  // namespace cohortsim
