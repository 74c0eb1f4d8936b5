#pragma once
// What a run produces, as plain data: the results writer turns it into HDF5 (format_version 1,
// see README "Results file") and knows nothing of the model that filled it.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cohortsim {

inline constexpr int results_format_version = 1;

// Undefined values (a rate over an empty base, a month never reached) are NaN by design, never
// a silent 0 (docs/model.md 8); `undefined_when` says when, and is written beside the values.
inline constexpr double undefined_number = std::numeric_limits<double>::quiet_NaN();

struct MetricInfo {
    MetricInfo() = default;
    MetricInfo(std::string name_, std::string units_, std::string description_,
               std::string undefined_when_ = {})
        : name(std::move(name_)),
          units(std::move(units_)),
          description(std::move(description_)),
          undefined_when(std::move(undefined_when_)) {}

    std::string name;
    std::string units;
    std::string description;
    std::string undefined_when;  // when the value is NaN; empty: never
};

// One metric across replications, per month (index 0..H). The statistics are over the
// replications in which the value is defined; NaN where it is defined in none.
struct MetricSummary {
    MetricInfo info;
    std::vector<double> mean;       // (H+1)
    std::vector<double> std;        // (H+1) sample standard deviation across replications
    std::vector<double> stderr_;    // (H+1) std / sqrt(replications where defined)
    std::vector<double> quantiles;  // (Q, H+1) row-major, levels in ScenarioResults
    std::vector<double> paths;      // (R, H+1) row-major; empty unless --keep-paths
};

// Mean churned logos per month for one reason.
struct ReasonSeries {
    MetricInfo info;
    std::vector<double> mean;  // (H+1)
};

// A (cohort, age) matrix; cells that cannot exist (age beyond the horizon, or a cohort that
// never had a customer) are NaN.
struct CohortMatrix {
    MetricInfo info;
    std::size_t cohorts = 0;
    std::size_t ages = 0;
    std::vector<double> values;  // (cohorts, ages) row-major
};

// A number per replication (e.g. the month net MRR churn first turns negative) and its
// distribution over the replications where it is defined.
struct KpiSummary {
    MetricInfo info;
    std::vector<double> values;  // (R); NaN where undefined in that replication
    // What else marks an undefined value: files of earlier versions wrote -1 and a _FillValue.
    double fill = undefined_number;
    double share_defined = 0.0;      // of the replications
    double mean = undefined_number;  // over the replications where it is defined
    double std = undefined_number;
    std::vector<double> quantiles;  // at ScenarioResults::quantile_levels
};

// One swept key's value in a sweep variant (`run --sweep KEY=...`): a number, or the TOML text
// it was given as when it is not one.
struct SweptValue {
    std::string key;   // dotted scenario key
    std::string text;  // as applied, e.g. "0.7"
    std::optional<double> number;
};

// An uncertain input's value in each replication (docs/model.md 12.1): info.name is its key,
// info.units the key's unit, info.description its law.
struct InputSample {
    MetricInfo info;
    std::vector<double> values;  // (R)
};

struct ScenarioResults {
    std::string name;
    std::string description;
    std::string resolved_toml;
    int horizon_months = 0;
    std::int64_t replications = 0;
    std::vector<double> quantile_levels;
    std::vector<MetricSummary> metrics;
    std::vector<ReasonSeries> churn_reasons;
    CohortMatrix logo_retention;
    CohortMatrix revenue_retention;
    std::vector<KpiSummary> kpis;
    std::vector<SweptValue> swept;  // empty unless the scenario is a sweep variant
    // The uncertain inputs drawn; empty when the replications differ by luck only (no
    // [uncertainty], or run with --no-uncertainty).
    std::vector<InputSample> inputs;
};

// Paired difference b - a of one metric per month, over replications run with common random
// numbers: mean, sample standard deviation and a confidence interval for the mean (Student t).
struct MetricComparison {
    MetricInfo info;  // the metric's name and units; a description of the difference
    // Over the replications where both values are defined; NaN with no such pair.
    std::vector<double> mean;     // (H+1)
    std::vector<double> std;      // (H+1); NaN with fewer than 2 pairs
    std::vector<double> ci_low;   // (H+1); NaN with fewer than 2 pairs
    std::vector<double> ci_high;  // (H+1)
};

// Which way a KPI is better, for P(b better than a).
enum class Better { higher, lower, earlier };  // earlier: a month; never (undefined) is worst

// A headline KPI compared replication by replication.
struct KpiComparison {
    MetricInfo info;
    Better better = Better::higher;
    std::vector<double> differences;            // (R) b - a; NaN where either is undefined
    std::int64_t pairs = 0;                     // replications where both are defined
    double mean_difference = undefined_number;  // over those pairs
    double std_difference = undefined_number;   // with 2 pairs or more
    double ci_low = undefined_number;           // with 2 pairs or more
    double ci_high = undefined_number;
    // Share of the replications where b beats a (ties count half), over those where the KPI is
    // defined for both (a month KPI: reached by either, never being worse than any month); NaN
    // when there is no such replication.
    double p_b_better = undefined_number;
};

// Scenario b against the run's first scenario a (the comparison base).
struct ScenarioComparison {
    std::string name;      // "<b>_vs_<a>"
    std::string scenario;  // b
    std::string baseline;  // a
    double confidence = 0.95;
    std::int64_t replications = 0;
    int horizon_months = 0;
    std::vector<MetricComparison> metrics;
    std::vector<KpiComparison> kpis;
    // The money (docs/model.md 11.4): mean paired difference of NPV / of the cumulative lever
    // cost at the horizon (NaN when the levers cost the same); and the first month from which the
    // mean paired difference of cumulative cash stays above 0 through the horizon (NaN: never).
    double roi = undefined_number;
    double break_even_month = undefined_number;
};

struct RunResults {
    std::string engine_version;
    std::string git_sha;
    std::string created_utc;  // ISO 8601
    std::string command_line;
    std::uint64_t seed = 0;
    std::int64_t replications = 0;
    std::vector<ScenarioResults> scenarios;
    std::vector<ScenarioComparison> comparisons;  // every scenario after the first, against it
};

// Writes to a temporary file beside `target` and renames it into place only when complete.
// Refuses (InputError) an existing target unless `overwrite`. On any failure nothing is left
// at `target` (an existing file there is untouched) and the temporary file is removed; so too
// when *cancel is set before the rename (throws Interrupted).
void write_results(const RunResults& results, const std::filesystem::path& target, bool overwrite,
                   const std::atomic<bool>* cancel = nullptr);

}  // namespace cohortsim
