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

#include "cohortsim/error.hpp"
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

// What the summary shows: which KPIs, at which month.
struct Selection {
    std::vector<HeadlineKpi> kpis;
    int month = 0;                 // where metrics are read
    bool at_horizon = true;        // paired KPI statistics (with P(better)) exist only there
    bool comparison_money = true;  // ROI and break-even rows
};

bool has_metric(const ScenarioResults& scenario, std::string_view name) {
    return std::any_of(scenario.metrics.begin(), scenario.metrics.end(),
                       [&](const MetricSummary& metric) { return metric.info.name == name; });
}

bool has_kpi(const ScenarioResults& scenario, std::string_view name) {
    return std::any_of(scenario.kpis.begin(), scenario.kpis.end(),
                       [&](const KpiSummary& kpi) { return kpi.info.name == name; });
}

Selection select(const RunResults& results, const SummaryOptions& options) {
    const ScenarioResults& first = results.scenarios.front();
    Selection selection;
    selection.month = options.month < 0 ? first.horizon_months : options.month;
    if (selection.month > first.horizon_months)
        throw InputError("--month " + std::to_string(options.month) + ": allowed: 0 to " +
                         std::to_string(first.horizon_months) + " (the horizon)");
    selection.at_horizon = selection.month == first.horizon_months;
    // ROI and break-even are figures of the whole horizon.
    selection.comparison_money = selection.at_horizon;
    if (options.kpis.empty()) {
        selection.kpis = headline_kpis();
        return selection;
    }
    selection.comparison_money = false;  // only with the default KPIs
    for (const std::string& name : options.kpis) {
        const auto headline = std::find_if(headline_kpis().begin(), headline_kpis().end(),
                                           [&](const HeadlineKpi& k) { return k.name == name; });
        if (headline != headline_kpis().end()) {
            selection.kpis.push_back(*headline);
        } else if (std::any_of(results.scenarios.begin(), results.scenarios.end(),
                               [&](const ScenarioResults& s) { return has_metric(s, name); })) {
            // A retention programme's series is in the scenarios that have it ("-" elsewhere).
            selection.kpis.push_back({name, true, Better::higher, name, 1.0});
        } else if (has_kpi(first, name)) {
            // A KPI in months is reached earlier or never (first_nrr_above_one_month).
            const bool month = std::any_of(
                first.kpis.begin(), first.kpis.end(),
                [&](const auto& k) { return k.info.name == name && k.info.units == "month"; });
            selection.kpis.push_back(
                {name, false, month ? Better::earlier : Better::higher, name, 1.0});
        } else {
            std::string known;
            for (const HeadlineKpi& k : headline_kpis())
                known += (known.empty() ? "" : ", ") + std::string(k.name);
            throw InputError("--kpi " + name +
                             ": the results have no such metric or KPI; allowed: a headline KPI (" +
                             known +
                             "), a metric of the results (a dataset of scenarios/<name>/mean/) or "
                             "a per-replication KPI (of scenarios/<name>/kpis/)");
        }
    }
    return selection;
}

bool shows(const Selection& selection, std::string_view name) {
    return std::any_of(selection.kpis.begin(), selection.kpis.end(),
                       [&](const HeadlineKpi& kpi) { return kpi.name == name; });
}

Figure figure(const ScenarioResults& scenario, const HeadlineKpi& headline, int month) {
    Figure out;
    const auto low = level_index(scenario, 0.05);
    const auto high = level_index(scenario, 0.95);
    if (headline.from_metric) {
        for (const MetricSummary& metric : scenario.metrics) {
            if (metric.info.name != headline.name || metric.mean.empty()) continue;
            const std::size_t months = metric.mean.size();
            const std::size_t last = std::min(static_cast<std::size_t>(month), months - 1);
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

std::string ratio_cell(double value) {
    if (!std::isfinite(value)) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%+.3g", value);
    return text;
}

std::string month_cell(double month) {
    return std::isnan(month) ? "never" : std::to_string(static_cast<long long>(month));
}

std::string value_cell(const Figure& f, const HeadlineKpi& headline) {
    const double s = headline.scale;
    if (!headline.from_metric) {
        if (std::isnan(f.share_defined)) return "-";  // a file without the KPI
        if (!(f.share_defined > 0.0)) return "never";
    }
    if (std::isnan(f.mean)) return "-";
    std::string cell =
        compact(f.mean * s) + " [" + compact(f.low * s) + ", " + compact(f.high * s) + "]";
    if (!headline.from_metric) cell += " " + percent(f.share_defined);
    return cell;
}

// Whether a per-replication KPI value means "undefined in this replication": NaN, or the fill
// value of results written before undefined values were NaN.
bool undefined_value(double value, double fill) {
    return std::isnan(value) || value == fill;
}

bool never_defined(const KpiSummary& kpi) {
    if (kpi.values.empty()) return !(kpi.share_defined > 0.0);
    return std::all_of(kpi.values.begin(), kpi.values.end(),
                       [&](double value) { return undefined_value(value, kpi.fill); });
}

const ScenarioResults* scenario_named(const RunResults& results, const std::string& name) {
    for (const ScenarioResults& scenario : results.scenarios) {
        if (scenario.name == name) return &scenario;
    }
    return nullptr;
}

// True when neither scenario of a comparison has the KPI defined anywhere (a KPI neither ever
// reaches, a metric undefined at the horizon in both): P(better) then means nothing.
bool undefined_in_both(const RunResults& results, const ScenarioComparison& comparison,
                       const HeadlineKpi& headline, int month) {
    for (const std::string& name : {comparison.scenario, comparison.baseline}) {
        const ScenarioResults* scenario = scenario_named(results, name);
        if (scenario == nullptr) return false;
        if (headline.from_metric) {
            if (!std::isnan(figure(*scenario, headline, month).mean)) return false;
            continue;
        }
        bool found = false;
        for (const KpiSummary& kpi : scenario->kpis) {
            if (kpi.info.name != headline.name) continue;
            found = true;
            if (!never_defined(kpi)) return false;
        }
        if (!found) return false;
    }
    return true;
}

// The paired difference of a KPI, or nothing when it is undefined: no replication where both
// scenarios have it (or, in an older file, a 0 written in place of "none").
bool difference_defined(const KpiComparison& kpi) {
    return kpi.pairs > 0 && std::isfinite(kpi.mean_difference);
}

// The paired statistics of a metric at a month, from the comparison's per-month arrays (no
// P(better): that needs each replication's values); nullptr when it has no such metric.
const MetricComparison* metric_difference(const ScenarioComparison& comparison,
                                          std::string_view name) {
    for (const MetricComparison& metric : comparison.metrics)
        if (metric.info.name == name && !metric.mean.empty()) return &metric;
    return nullptr;
}

// The KPI statistics of a shown KPI (with P(better)): a headline KPI's at the horizon, as the
// comparison holds them; another per-replication KPI's, paired here from both scenarios' values.
std::optional<KpiComparison> kpi_difference(const RunResults& results,
                                            const ScenarioComparison& comparison,
                                            const HeadlineKpi& headline,
                                            const Selection& selection) {
    if (headline.from_metric && !selection.at_horizon) return std::nullopt;
    if (const KpiComparison* kpi = kpi_of(&comparison, headline.name)) return *kpi;
    if (headline.from_metric) return std::nullopt;
    const ScenarioResults* a = scenario_named(results, comparison.baseline);
    const ScenarioResults* b = scenario_named(results, comparison.scenario);
    if (a == nullptr || b == nullptr) return std::nullopt;
    const KpiSummary* at_a = nullptr;
    const KpiSummary* at_b = nullptr;
    for (const KpiSummary& kpi : a->kpis)
        if (kpi.info.name == headline.name) at_a = &kpi;
    for (const KpiSummary& kpi : b->kpis)
        if (kpi.info.name == headline.name) at_b = &kpi;
    if (at_a == nullptr || at_b == nullptr || at_a->values.size() != at_b->values.size())
        return std::nullopt;
    return compare_kpi(headline, at_a->info, at_a->values, at_b->values, a->horizon_months,
                       comparison.confidence);
}

// The difference columns of one KPI: mean, confidence interval, P(better).
std::vector<std::string> difference_cells(const KpiComparison* kpi, const HeadlineKpi& headline,
                                          bool undefined_in_both) {
    if (kpi == nullptr) return {"-", "-", "-"};
    const double s = headline.scale;
    const std::string better = undefined_in_both ? "-" : percent(kpi->p_b_better);
    if (!difference_defined(*kpi)) return {"-", "-", better};
    return {compact(kpi->mean_difference * s, true),
            "[" + compact(kpi->ci_low * s, true) + ", " + compact(kpi->ci_high * s, true) + "]",
            better};
}

std::vector<std::string> difference_cells(const RunResults& results,
                                          const ScenarioComparison& comparison,
                                          const HeadlineKpi& headline, const Selection& selection,
                                          bool undefined_in_both) {
    if (const auto kpi = kpi_difference(results, comparison, headline, selection))
        return difference_cells(&*kpi, headline, undefined_in_both);
    const MetricComparison* metric = metric_difference(comparison, headline.name);
    if (metric == nullptr || !headline.from_metric) return {"-", "-", "-"};
    const auto m = std::min(static_cast<std::size_t>(selection.month), metric->mean.size() - 1);
    const double s = headline.scale;
    if (!std::isfinite(metric->mean[m])) return {"-", "-", "-"};
    return {compact(metric->mean[m] * s, true),
            "[" + compact(metric->ci_low[m] * s, true) + ", " +
                compact(metric->ci_high[m] * s, true) + "]",
            "-"};
}

// A rate's difference is in percentage points: "NRR %" becomes "NRR pp".
std::string difference_label(const HeadlineKpi& headline) {
    std::string label(headline.label);
    if (label.ends_with(" %")) label.replace(label.size() - 1, 1, "pp");
    return label;
}

std::vector<std::size_t> column_widths(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t k = 0; k < row.size(); ++k)
            widths[k] = std::max(widths[k], row[k].size());
    }
    return widths;
}

// The columns `columns` of `rows`, aligned, two spaces apart.
void append_columns(std::string& text, const std::vector<std::vector<std::string>>& rows,
                    const std::vector<std::size_t>& widths,
                    const std::vector<std::size_t>& columns) {
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::size_t k = columns[c];
            const std::string& cell = k < row.size() ? row[k] : std::string();
            line += cell;
            if (c + 1 < columns.size()) line += std::string(widths[k] - cell.size() + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        text += line + '\n';
    }
}

void append_table(std::string& text, const std::vector<std::vector<std::string>>& rows) {
    const std::vector<std::size_t> widths = column_widths(rows);
    std::vector<std::size_t> all(widths.size());
    for (std::size_t k = 0; k < all.size(); ++k)
        all[k] = k;
    append_columns(text, rows, widths, all);
}

// A table wider than `width` (0: no limit) as blocks of its columns, one below the other, each
// led by the first column (the scenario's name) and at least one other column.
void append_wrapped_table(std::string& text, const std::vector<std::vector<std::string>>& rows,
                          std::size_t width) {
    const std::vector<std::size_t> widths = column_widths(rows);
    if (widths.size() <= 1) return append_table(text, rows);
    std::size_t next = 1;
    while (next < widths.size()) {
        std::vector<std::size_t> columns{0};
        std::size_t used = widths[0];
        while (next < widths.size() &&
               (columns.size() == 1 || width == 0 || used + 2 + widths[next] <= width)) {
            used += 2 + widths[next];
            columns.push_back(next++);
        }
        if (columns[1] > 1) text += '\n';
        append_columns(text, rows, widths, columns);
    }
}

// The paired differences, one row per (scenario, KPI). When scenario names make that wider than
// `width`, each scenario's name heads its own rows instead of filling a column.
void append_comparison_table(std::string& text, const std::vector<std::vector<std::string>>& rows,
                             std::size_t width) {
    std::vector<std::size_t> widths = column_widths(rows);
    std::size_t total = 0;
    for (const std::size_t w : widths)
        total += w + 2;
    if (width == 0 || total <= width + 2 || rows.size() < 2) return append_table(text, rows);
    std::vector<std::vector<std::string>> shown;
    for (const auto& row : rows)
        shown.emplace_back(row.begin() + 1, row.end());
    widths = column_widths(shown);
    std::vector<std::size_t> columns(widths.size());
    for (std::size_t k = 0; k < columns.size(); ++k)
        columns[k] = k;
    std::string body;
    append_columns(body, {shown.front()}, widths, columns);
    text += "  " + body;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].front() != rows[i - 1].front()) text += rows[i].front() + ":\n";
        body.clear();
        append_columns(body, {shown[i]}, widths, columns);
        text += "  " + body;
    }
}

std::vector<std::string> header(const Selection& selection) {
    std::vector<std::string> row{"scenario"};
    for (const HeadlineKpi& headline : selection.kpis)
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

void append_csv_row(std::string& text, const std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < cells.size(); ++k) {
        text += cells[k];
        text += k + 1 < cells.size() ? ',' : '\n';
    }
}

// What the intervals hold (docs/model.md 12.1): the simulation's randomness, and the uncertain
// inputs of the scenarios that drew them.
std::string uncertainty_note(const RunResults& results) {
    std::string drawn;
    bool some_without = false;
    for (const ScenarioResults& scenario : results.scenarios) {
        if (scenario.inputs.empty()) {
            some_without = true;
            continue;
        }
        std::string keys;
        for (const InputSample& input : scenario.inputs)
            keys += (keys.empty() ? "" : ", ") + input.info.name;
        drawn += (drawn.empty() ? "" : "; ") + scenario.name + ": " + keys;
    }
    if (drawn.empty())
        return "(intervals: the simulation's randomness only; no uncertain input was drawn)\n";
    return "(intervals: the simulation's randomness and the uncertain inputs drawn per replication "
           "(" +
           drawn + ")" + (some_without ? "; the other scenarios' randomness only" : "") + ")\n";
}

}  // namespace

std::string format_summary(const RunResults& results, const SummaryOptions& options) {
    if (results.scenarios.empty()) return "no scenario in the results\n";
    const Selection selection = select(results, options);
    const auto& headlines = selection.kpis;
    std::string text = "At month " + std::to_string(selection.month) + ", mean [5%, 95%] over " +
                       std::to_string(replications_of(results)) + " replications:\n";
    std::vector<std::vector<std::string>> rows{header(selection)};
    for (const ScenarioResults& scenario : results.scenarios) {
        std::vector<std::string> row{scenario.name};
        for (const HeadlineKpi& headline : headlines)
            row.push_back(value_cell(figure(scenario, headline, selection.month), headline));
        rows.push_back(std::move(row));
    }
    append_wrapped_table(text, rows, options.width);
    if (shows(selection, "first_net_negative_churn_month"))
        text +=
            "(net negative churn month: the first month of net negative MRR churn; mean and "
            "interval\n over the replications that reach it within the horizon, then the share "
            "that does)\n";
    text += uncertainty_note(results);

    if (results.comparisons.empty()) return text;
    const ScenarioComparison& any = results.comparisons.front();
    text += "\nPaired differences against " + any.baseline +
            " (same customers and draws), scenario - " + any.baseline + ":\n";
    rows = {{"scenario", "KPI", "mean", percent(any.confidence) + " CI", "P(better)"}};
    for (const ScenarioResults& scenario : results.scenarios) {
        const ScenarioComparison* comparison = comparison_of(results, scenario.name);
        if (comparison == nullptr) continue;
        for (const HeadlineKpi& headline : headlines) {
            std::vector<std::string> row{scenario.name, difference_label(headline)};
            for (std::string& cell : difference_cells(
                     results, *comparison, headline, selection,
                     undefined_in_both(results, *comparison, headline, selection.month)))
                row.push_back(std::move(cell));
            rows.push_back(std::move(row));
        }
        if (!selection.comparison_money) continue;
        rows.push_back({scenario.name, "ROI", ratio_cell(comparison->roi), "-", "-"});
        rows.push_back({scenario.name, "break-even month", month_cell(comparison->break_even_month),
                        "-", "-"});
    }
    append_comparison_table(text, rows, options.width);
    text +=
        "(pp: percentage points. P(better): share of replications where the scenario does "
        "better,\n"
        " ties half; '-' when neither scenario ever has the KPI";
    if (!selection.at_horizon) text += " or away from the horizon";
    if (shows(selection, "first_net_negative_churn_month"))
        text +=
            ". Net negative churn month: over the\n replications where both reach it, '-' if "
            "none; earlier is better";
    if (selection.comparison_money)
        text +=
            ". ROI: mean NPV difference\n / mean difference of what the levers cost (sales and "
            "retention), '-' when they cost the same.\n Break-even month: from it on, the mean "
            "cumulative cash difference stays above 0, 'never'\n if it is not above 0 at the "
            "horizon";
    text += ". '-': undefined)\n";
    return text;
}

std::string format_summary_csv(const RunResults& results, const SummaryOptions& options) {
    std::string text =
        "scenario,kpi,units,month,mean,q05,q95,share_defined,baseline,mean_difference,ci_low,"
        "ci_high,confidence,pairs,p_better\n";
    if (results.scenarios.empty()) return text;
    const Selection selection = select(results, options);
    for (const ScenarioResults& scenario : results.scenarios) {
        const ScenarioComparison* comparison = comparison_of(results, scenario.name);
        for (const HeadlineKpi& headline : selection.kpis) {
            const Figure f = figure(scenario, headline, selection.month);
            std::vector<std::string> cells{
                csv_text(scenario.name),
                std::string(headline.name),
                csv_text(f.units),
                headline.from_metric ? std::to_string(selection.month) : "",
                csv_number(f.mean),
                csv_number(f.low),
                csv_number(f.high),
                csv_number(f.share_defined)};
            const std::optional<KpiComparison> difference =
                comparison != nullptr ? kpi_difference(results, *comparison, headline, selection)
                                      : std::nullopt;
            const KpiComparison* kpi = difference ? &*difference : nullptr;
            const MetricComparison* metric =
                comparison != nullptr && kpi == nullptr && headline.from_metric
                    ? metric_difference(*comparison, headline.name)
                    : nullptr;
            if (metric != nullptr) {
                const auto m =
                    std::min(static_cast<std::size_t>(selection.month), metric->mean.size() - 1);
                cells.insert(cells.end(),
                             {csv_text(comparison->baseline), csv_number(metric->mean[m]),
                              csv_number(metric->ci_low[m]), csv_number(metric->ci_high[m]),
                              csv_number(comparison->confidence), "", ""});
            } else if (kpi != nullptr) {
                const bool defined = difference_defined(*kpi);
                const bool comparable =
                    !undefined_in_both(results, *comparison, headline, selection.month);
                cells.insert(
                    cells.end(),
                    {csv_text(comparison->baseline),
                     defined ? csv_number(kpi->mean_difference) : "",
                     defined ? csv_number(kpi->ci_low) : "",
                     defined ? csv_number(kpi->ci_high) : "", csv_number(comparison->confidence),
                     std::to_string(kpi->pairs), comparable ? csv_number(kpi->p_b_better) : ""});
            } else {
                cells.resize(cells.size() + 7);
            }
            append_csv_row(text, cells);
        }
        if (comparison == nullptr || !selection.comparison_money) continue;
        // The comparison's money figures: one number each, in the mean_difference column.
        const std::pair<const char*, double> money[] = {
            {"roi", comparison->roi}, {"break_even_month", comparison->break_even_month}};
        for (const auto& [name, value] : money) {
            const bool month = std::string_view(name) == "break_even_month";
            append_csv_row(text, {csv_text(scenario.name), name, month ? "month" : "1", "", "", "",
                                  "", "", csv_text(comparison->baseline), csv_number(value), "", "",
                                  csv_number(comparison->confidence),
                                  std::to_string(comparison->replications), ""});
        }
    }
    return text;
}

}  // namespace cohortsim
