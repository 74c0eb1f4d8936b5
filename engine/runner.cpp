#include "cohortsim/runner.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/combinable.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cmath>

#include "cohortsim/error.hpp"
#include "cohortsim/version.hpp"
#include "comparisons.hpp"
#include "metrics.hpp"
#include "replication.hpp"
#include "statistics.hpp"

namespace cohortsim {

namespace {

void require_shared_settings(const std::vector<Scenario>& scenarios) {
    const Scenario& first = scenarios.front();
    for (const Scenario& other : scenarios) {
        const auto mismatch = [&](const char* key, auto a, auto b) {
            if (a == b) return;
            throw InputError(other.source + ": key 'simulation." + key +
                             "' = " + std::to_string(b) + " differs from " + std::to_string(a) +
                             " in scenario '" + first.name +
                             "'; scenarios compared in one run must share it (set it with the "
                             "command-line flag or --set)");
        };
        mismatch("horizon_months", first.simulation.horizon_months,
                 other.simulation.horizon_months);
        mismatch("replications", first.simulation.replications, other.simulation.replications);
        mismatch("seed", first.simulation.seed, other.simulation.seed);
    }
    for (std::size_t a = 0; a < scenarios.size(); ++a) {
        for (std::size_t b = a + 1; b < scenarios.size(); ++b) {
            if (scenarios[a].name == scenarios[b].name) {
                throw InputError(scenarios[b].source + ": scenario name '" + scenarios[b].name +
                                 "' is also the name of " + scenarios[a].source +
                                 "; names must be unique in a run (set `name`)");
            }
        }
    }
}

// Money summed over replications as integers of a millionth of a currency unit: integer sums
// are exact, so the order in which threads add them is moot, and a millionth is far below any
// amount a result shows.
__extension__ using Micros = __int128;
Micros to_micros(double amount) {
    return static_cast<Micros>(std::llround(amount * 1e6));
}
double from_micros(Micros amount) {
    return static_cast<double>(amount) * 1e-6;
}

// Totals over replications, exact whatever the order in which threads add them.
struct CountTotals {
    explicit CountTotals(std::size_t months)
        : cohort_active(months * months, 0),
          cohort_mrr(months * months, 0),
          churned_by_reason(churn_reason_count * months, 0) {}
    std::vector<std::int64_t> cohort_active;      // (cohort, month)
    std::vector<Micros> cohort_mrr;               // (cohort, month)
    std::vector<std::int64_t> churned_by_reason;  // (reason, month)
    std::int64_t customer_months = 0;

    void add(const ReplicationRecord& record) {
        for (std::size_t k = 0; k < cohort_active.size(); ++k) {
            cohort_active[k] += record.cohort_active[k];
            cohort_mrr[k] += to_micros(record.cohort_mrr[k]);
        }
        const std::size_t months = record.months();
        for (std::size_t r = 0; r < churn_reason_count; ++r) {
            for (std::size_t m = 0; m < months; ++m) {
                churned_by_reason[r * months + m] += record.churned_by_reason[r][m];
            }
        }
        customer_months += record.customer_months;
    }
    void add(const CountTotals& other) {
        for (std::size_t k = 0; k < cohort_active.size(); ++k) {
            cohort_active[k] += other.cohort_active[k];
            cohort_mrr[k] += other.cohort_mrr[k];
        }
        for (std::size_t k = 0; k < churned_by_reason.size(); ++k) {
            churned_by_reason[k] += other.churned_by_reason[k];
        }
        customer_months += other.customer_months;
    }
};

// Pooled over replications: a cohort's total at each age / its total in its first month
// (customers, or MRR). -1 where the cell cannot exist.
template <typename T, typename ToDouble>
CohortMatrix cohort_matrix(MetricInfo info, const std::vector<T>& totals, std::size_t months,
                           ToDouble to_double) {
    CohortMatrix matrix;
    matrix.info = std::move(info);
    matrix.cohorts = months;
    matrix.ages = months;
    matrix.values.assign(months * months, matrix.fill);
    for (std::size_t c = 0; c < months; ++c) {
        const double start = to_double(totals[c * months + c]);
        if (start <= 0.0) continue;
        for (std::size_t age = 0; c + age < months; ++age) {
            matrix.values[c * months + age] = to_double(totals[c * months + c + age]) / start;
        }
    }
    return matrix;
}

KpiSummary summarise_kpi(const KpiDefinition& definition, std::vector<double> values,
                         const std::vector<double>& levels) {
    KpiSummary summary;
    summary.info = definition.info;
    summary.fill = undefined_kpi;
    std::vector<double> defined;
    for (double value : values) {
        if (value != undefined_kpi) defined.push_back(value);
    }
    summary.share_defined =
        values.empty() ? 0.0
                       : static_cast<double>(defined.size()) / static_cast<double>(values.size());
    summary.quantiles.assign(levels.size(), undefined_kpi);
    if (!defined.empty()) {
        const AcrossReplications stats = summarise_columns(defined, defined.size(), 1, levels);
        summary.mean = stats.mean[0];
        summary.std = stats.std[0];
        summary.quantiles = stats.quantiles;
    } else {
        summary.mean = undefined_kpi;
    }
    summary.values = std::move(values);
    return summary;
}

// A scenario's results and, per metric, its per-replication values (replication, month), which
// comparisons need and --keep-paths writes.
struct ScenarioRun {
    ScenarioResults results;
    std::vector<std::vector<double>> values;
};

ScenarioRun run_one(const Scenario& scenario, const RunOptions& options, RunCounters& counters) {
    const ReplicationSimulator simulator(scenario);
    const auto& definitions = metric_definitions();
    const auto replications = static_cast<std::size_t>(scenario.simulation.replications);
    const auto months = static_cast<std::size_t>(scenario.simulation.horizon_months) + 1;
    // values[metric] is (replication, month): each replication writes only its own row.
    std::vector<std::vector<double>> values(definitions.size(),
                                            std::vector<double>(replications * months));
    const auto& kpis = kpi_definitions();
    std::vector<std::vector<double>> kpi_values(kpis.size(), std::vector<double>(replications));
    tbb::combinable<CountTotals> totals([months] { return CountTotals(months); });
    tbb::enumerable_thread_specific<Workspace> workspaces;

    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, replications, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t r = range.begin(); r != range.end(); ++r) {
                const ReplicationRecord record =
                    simulator.run(scenario.simulation.seed, r, workspaces.local(), options.cancel);
                for (std::size_t k = 0; k < definitions.size(); ++k) {
                    definitions[k].compute(
                        record, std::span<double>(values[k]).subspan(r * months, months));
                }
                for (std::size_t k = 0; k < kpis.size(); ++k) {
                    kpi_values[k][r] = kpis[k].compute(record);
                }
                totals.local().add(record);
                if (options.replications_done != nullptr) ++*options.replications_done;
            }
        },
        tbb::simple_partitioner());

    CountTotals total(months);
    totals.combine_each([&](const CountTotals& part) { total.add(part); });
    counters.replications += static_cast<std::int64_t>(replications);
    counters.customer_months += total.customer_months;

    ScenarioResults results;
    results.name = scenario.name;
    results.description = scenario.description;
    results.resolved_toml = scenario.resolved_toml;
    results.horizon_months = scenario.simulation.horizon_months;
    results.replications = scenario.simulation.replications;
    results.quantile_levels = options.quantile_levels;
    for (std::size_t k = 0; k < definitions.size(); ++k) {
        AcrossReplications stats =
            summarise_columns(values[k], replications, months, options.quantile_levels);
        results.metrics.push_back({definitions[k].info,
                                   std::move(stats.mean),
                                   std::move(stats.std),
                                   std::move(stats.stderr_),
                                   std::move(stats.quantiles),
                                   {}});
    }
    for (std::size_t r = 0; r < churn_reason_count; ++r) {
        ReasonSeries series;
        const char* name = churn_reason_name(static_cast<ChurnReason>(r));
        series.info = {name, "customers/month",
                       std::string("mean logos lost during the month for reason '") + name + "'"};
        series.mean.resize(months);
        for (std::size_t m = 0; m < months; ++m) {
            series.mean[m] = static_cast<double>(total.churned_by_reason[r * months + m]) /
                             static_cast<double>(replications);
        }
        results.churn_reasons.push_back(std::move(series));
    }
    results.logo_retention = cohort_matrix(
        {"logo_retention", "1",
         "customers of the cohort still active at each age / customers acquired, pooled over "
         "replications (customers won back count again); -1 where the cell cannot exist"},
        total.cohort_active, months, [](std::int64_t n) { return static_cast<double>(n); });
    results.revenue_retention = cohort_matrix(
        {"revenue_retention", "1",
         "MRR of the cohort's active customers at each age / its MRR when acquired, pooled over "
         "replications; -1 where the cell cannot exist"},
        total.cohort_mrr, months, from_micros);
    for (std::size_t k = 0; k < kpis.size(); ++k) {
        results.kpis.push_back(
            summarise_kpi(kpis[k], std::move(kpi_values[k]), options.quantile_levels));
    }
    return {std::move(results), std::move(values)};
}

// --keep-paths: the per-replication values become the results' paths.
void keep_paths(ScenarioResults& results, std::vector<std::vector<double>>& values) {
    for (std::size_t k = 0; k < values.size(); ++k)
        results.metrics[k].paths = std::move(values[k]);
    values.clear();
}

}  // namespace

RunResults run_scenarios(const std::vector<Scenario>& scenarios, const RunOptions& options,
                         RunCounters* counters) {
    if (scenarios.empty()) throw InputError("no scenario to run");
    require_shared_settings(scenarios);
    RunCounters local_counters;
    RunResults results;
    results.engine_version = engine_version();
    results.git_sha = engine_git_sha();
    results.seed = scenarios.front().simulation.seed;
    results.replications = scenarios.front().simulation.replications;
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    // Without a global limit TBB caps workers at the core count; asking for more threads than
    // cores is legitimate (the determinism test does) and must really use them.
    const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                          static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    arena.execute([&] {
        // The first scenario's per-replication values stay until every other scenario has been
        // compared with it; another's go as soon as its comparison is done (unless kept as
        // paths). Comparisons are computed after all replications, in replication order.
        std::vector<std::vector<double>> base_values;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            ScenarioRun run = run_one(scenarios[i], options, local_counters);
            if (i == 0) {
                base_values = std::move(run.values);
            } else {
                results.comparisons.push_back(
                    compare_scenarios(results.scenarios.front(), base_values, run.results,
                                      run.values, options.comparison_confidence));
                if (options.keep_paths) keep_paths(run.results, run.values);
            }
            results.scenarios.push_back(std::move(run.results));
        }
        if (options.keep_paths) keep_paths(results.scenarios.front(), base_values);
    });
    if (counters != nullptr) *counters = local_counters;
    return results;
}

}  // namespace cohortsim
