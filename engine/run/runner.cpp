#include "cohortsim/runner.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/combinable.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>

#include "block_values.hpp"
#include "block_wire.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "cohortsim/version.hpp"
#include "comparisons.hpp"
#include "input_draws.hpp"
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

// Pooled over replications: a cohort's total at each age / its total in its first month
// (customers, or MRR). NaN where the cell cannot exist.
template <typename T, typename ToDouble>
CohortMatrix cohort_matrix(MetricInfo info, const std::vector<T>& totals, std::size_t months,
                           ToDouble to_double) {
    CohortMatrix matrix;
    matrix.info = std::move(info);
    matrix.cohorts = months;
    matrix.ages = months;
    matrix.values.assign(months * months, undefined_number);
    for (std::size_t c = 0; c < months; ++c) {
        const double start = to_double(totals[c * months + c]);
        if (start <= 0.0) continue;
        for (std::size_t age = 0; c + age < months; ++age) {
            matrix.values[c * months + age] = to_double(totals[c * months + c + age]) / start;
        }
    }
    return matrix;
}

// Money units say the scenario's currency ("currency/month" becomes "EUR/month").
std::string with_currency(std::string units, std::string_view currency) {
    constexpr std::string_view token = "currency";
    if (units.starts_with(token) && (units.size() == token.size() || units[token.size()] == '/'))
        units.replace(0, token.size(), currency);
    return units;
}

void name_currency(ScenarioResults& results, std::string_view currency) {
    for (MetricSummary& metric : results.metrics)
        metric.info.units = with_currency(metric.info.units, currency);
    for (KpiSummary& kpi : results.kpis)
        kpi.info.units = with_currency(kpi.info.units, currency);
    for (InputSample& input : results.inputs)
        input.info.units = with_currency(input.info.units, currency);
}

KpiSummary summarise_kpi(const KpiDefinition& definition, std::vector<double> values,
                         const std::vector<double>& levels) {
    KpiSummary summary;
    summary.info = definition.info;
    const auto defined = std::count_if(values.begin(), values.end(),
                                       [](double value) { return !std::isnan(value); });
    summary.share_defined =
        values.empty() ? 0.0 : static_cast<double>(defined) / static_cast<double>(values.size());
    const AcrossReplications stats = summarise_columns(values, values.size(), 1, levels);
    summary.mean = stats.mean[0];
    summary.std = stats.std[0];
    summary.quantiles = stats.quantiles;
    summary.values = std::move(values);
    return summary;
}

// A scenario's results and, per metric, its per-replication values (replication, month), which
// comparisons need and --keep-paths writes. Empty on a process that does not gather results.
struct ScenarioRun {
    ScenarioResults results;
    std::vector<std::vector<double>> values;
};

// The replications' inputs, when they are uncertain and drawn (docs/model.md 12.1).
std::optional<InputDraws> uncertain_inputs(const Scenario& scenario, const RunOptions& options) {
    if (scenario.uncertainty.empty() || !options.input_uncertainty) return std::nullopt;
    return InputDraws(scenario);
}

BlockValues simulate_block(const Scenario& scenario, ReplicationBlock block, std::size_t months,
                           const RunOptions& options) {
    const std::optional<InputDraws> inputs = uncertain_inputs(scenario, options);
    // Without uncertain inputs, one simulator for every replication; with them, each
    // replication's own, for the scenario at its drawn values.
    const std::optional<ReplicationSimulator> simulator =
        inputs ? std::nullopt
               : std::optional<ReplicationSimulator>(std::in_place, scenario,
                                                     options.churn_scheduling);
    const std::vector<MetricDefinition> definitions = metric_definitions(scenario);
    const auto& kpis = kpi_definitions();
    BlockValues values(block.size(), months, definitions.size());
    tbb::combinable<CountTotals> totals([months] { return CountTotals(months); });
    tbb::enumerable_thread_specific<Workspace> workspaces;

    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(block.first, block.last, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t r = range.begin(); r != range.end(); ++r) {
                const std::uint64_t seed = scenario.simulation.seed;
                const ReplicationRecord record =
                    inputs ? ReplicationSimulator(
                                 inputs->scenario_of(scenario, inputs->values(seed, r)),
                                 options.churn_scheduling)
                                 .run(seed, r, workspaces.local(), options.cancel)
                           : simulator->run(seed, r, workspaces.local(), options.cancel);
                // Each replication writes only its own row.
                const std::size_t row = r - block.first;
                for (std::size_t k = 0; k < definitions.size(); ++k) {
                    definitions[k].compute(
                        record, std::span<double>(values.metrics[k]).subspan(row * months, months));
                }
                for (std::size_t k = 0; k < kpis.size(); ++k) {
                    values.kpis[k][row] = kpis[k].compute(record);
                }
                totals.local().add(record);
                if (options.replications_done != nullptr) ++*options.replications_done;
            }
        },
        tbb::simple_partitioner());
    totals.combine_each([&](const CountTotals& part) { values.totals.add(part); });
    return values;
}

// On process 0: every process's block, in replication order, as if it had simulated them all.
// Elsewhere: nothing, once this process's block has been sent.
std::optional<BlockValues> gather_blocks(const ReplicationPartition& partition,
                                         const Scenario& scenario, BlockValues&& mine,
                                         std::size_t replications, std::size_t months) {
    std::vector<std::byte> bytes;
    {
        const BlockValues sent = std::move(mine);  // freed once packed
        bytes = pack_block(sent, scenario);
    }
    std::vector<std::vector<std::byte>> pieces = partition.gather(std::move(bytes));
    if (partition.process() != 0) return std::nullopt;

    BlockValues all(replications, months, metric_definitions(scenario).size());
    for (int p = 0; p < partition.processes(); ++p) {
        const ReplicationBlock block = replication_block(replications, p, partition.processes());
        unpack_block(pieces.at(static_cast<std::size_t>(p)), p, block, scenario, all);
        pieces[static_cast<std::size_t>(p)] = {};
    }
    return all;
}

ScenarioRun run_one(const Scenario& scenario, const RunOptions& options, RunCounters& counters) {
    const std::vector<MetricDefinition> definitions = metric_definitions(scenario);
    const auto replications = static_cast<std::size_t>(scenario.simulation.replications);
    const auto months = static_cast<std::size_t>(scenario.simulation.horizon_months) + 1;
    const ReplicationPartition* partition = options.partition;
    const ReplicationBlock block =
        partition == nullptr
            ? ReplicationBlock{0, replications}
            : replication_block(replications, partition->process(), partition->processes());
    BlockValues simulated = simulate_block(scenario, block, months, options);
    if (partition != nullptr) {
        const std::int64_t customer_months = simulated.totals.customer_months;
        std::optional<BlockValues> all =
            gather_blocks(*partition, scenario, std::move(simulated), replications, months);
        if (!all) {
            counters.replications += static_cast<std::int64_t>(block.size());
            counters.customer_months += customer_months;
            return {};
        }
        simulated = std::move(*all);
    }
    std::vector<std::vector<double>>& values = simulated.metrics;
    std::vector<std::vector<double>>& kpi_values = simulated.kpis;
    const CountTotals& total = simulated.totals;
    const auto& kpis = kpi_definitions();
    counters.replications += static_cast<std::int64_t>(replications);
    counters.customer_months += total.customer_months;

    ScenarioResults results;
    results.name = scenario.name;
    results.description = scenario.description;
    results.resolved_toml = scenario.resolved_toml;
    if (const std::optional<InputDraws> inputs = uncertain_inputs(scenario, options))
        results.inputs =
            inputs->samples(scenario.simulation.seed, scenario.simulation.replications);
    results.horizon_months = scenario.simulation.horizon_months;
    results.replications = scenario.simulation.replications;
    results.quantile_levels = options.quantile_levels;
    // Metric by metric in parallel (each is reduced in its own fixed order): otherwise the
    // statistics are a serial tail that two threads wait on.
    std::vector<AcrossReplications> summaries(definitions.size());
    tbb::parallel_for(std::size_t{0}, definitions.size(), [&](std::size_t k) {
        summaries[k] = summarise_columns(values[k], replications, months, options.quantile_levels);
    });
    for (std::size_t k = 0; k < definitions.size(); ++k) {
        AcrossReplications& stats = summaries[k];
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
    name_currency(results, scenario.finance.currency);
    return {std::move(results), std::move(values)};
}

// --keep-paths: the per-replication values become the results' paths.
void keep_paths(ScenarioResults& results, std::vector<std::vector<double>>& values) {
    for (std::size_t k = 0; k < values.size(); ++k)
        results.metrics[k].paths = std::move(values[k]);
    values.clear();
}

}  // namespace

ReplicationBlock replication_block(std::size_t replications, int process, int processes) {
    if (processes < 1 || process < 0 || process >= processes) {
        throw std::invalid_argument("replication_block: process " + std::to_string(process) +
                                    " of " + std::to_string(processes));
    }
    const auto p = static_cast<std::size_t>(process);
    const auto n = static_cast<std::size_t>(processes);
    const std::size_t base = replications / n;
    const std::size_t extra = replications % n;
    const std::size_t first = p * base + std::min(p, extra);
    return {first, first + base + (p < extra ? 1 : 0)};
}

RunResults run_scenarios(const std::vector<Scenario>& scenarios, const RunOptions& options,
                         RunCounters* counters) {
    if (scenarios.empty()) throw InputError("no scenario to run");
    // Scenarios built in code meet the loader's rules too (a tenth add-on would index past the
    // tables the simulator sizes for eight).
    for (const Scenario& scenario : scenarios)
        validate(scenario);
    require_shared_settings(scenarios);
    RunCounters local_counters;
    RunResults results;
    results.engine_version = engine_version();
    results.git_sha = engine_git_sha();
    results.seed = scenarios.front().simulation.seed;
    results.replications = scenarios.front().simulation.replications;
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    // TBB caps its workers at the core count; asking for more threads than cores is legitimate
    // (the determinism test does) and must really use them. Only then does the run raise the
    // process-wide cap, for its own duration: an embedding program that asks for at most its
    // cores sees no change to TBB's global state.
    std::optional<tbb::global_control> oversubscribe;
    if (static_cast<std::size_t>(threads) >
        tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism))
        oversubscribe.emplace(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    arena.execute([&] {
        // Every replication's drawn inputs make a valid scenario, before any work.
        for (const Scenario& scenario : scenarios)
            if (const std::optional<InputDraws> inputs = uncertain_inputs(scenario, options))
                inputs->check_every_replication(scenario);
        // The first scenario's per-replication values stay until every other scenario has been
        // compared with it; another's go as soon as its comparison is done (unless kept as
        // paths). Comparisons are computed after all replications, in replication order.
        std::vector<std::vector<double>> base_values;
        const bool gathers = options.partition == nullptr || options.partition->process() == 0;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            ScenarioRun run = run_one(scenarios[i], options, local_counters);
            if (!gathers) continue;  // process 0 compares and returns every scenario
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
        if (options.keep_paths && gathers) keep_paths(results.scenarios.front(), base_values);
    });
    if (counters != nullptr) *counters = local_counters;
    return results;
}

}  // namespace cohortsim
