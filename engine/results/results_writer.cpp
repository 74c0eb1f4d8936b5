// RunResults -> HDF5 results file, format_version 1 (README "Results file"). Knows nothing of
// the model: it lays out whatever metrics, reasons and matrices it is given.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "cohortsim/error.hpp"
#include "cohortsim/results.hpp"
#include "hdf5_handles.hpp"

namespace cohortsim {

namespace {

namespace fs = std::filesystem;

// A dimension: the name of its scale dataset, and that dataset's units and description.
struct Axis {
    std::string_view name;
    std::string_view units;
    std::string_view description;
};

constexpr Axis month_axis{"month", "month",
                          "months since the start of the simulation (0 = the starting state)"};
constexpr Axis quantile_axis{"quantile", "1",
                             "probability level of the quantile across replications"};
constexpr Axis replication_axis{"replication", "1", "replication index"};
constexpr Axis cohort_axis{"cohort", "month of acquisition",
                           "month in which the cohort's customers were acquired"};
constexpr Axis age_axis{"age", "months", "months since the cohort was acquired"};

void describe(const h5::Object& object, std::string_view units, std::string_view description) {
    h5::write_attribute(object, "units", units);
    h5::write_attribute(object, "description", description);
}

// Where a dataset may hold NaN, `undefined_when` says when (docs/model.md 8: undefined is not 0).
void describe(const h5::Object& object, std::string_view units, std::string_view description,
              std::string_view undefined_when) {
    describe(object, units, description);
    if (!undefined_when.empty()) h5::write_attribute(object, "undefined_when", undefined_when);
}

// A statistic across replications is taken over those where the value is defined.
std::string undefined_across(const MetricInfo& info) {
    if (info.undefined_when.empty()) return {};
    return info.undefined_when +
           " in every replication (each statistic is over the "
           "replications where the value is defined)";
}

const char* const undefined_in_pairs =
    "NaN where no replication has the value defined in both scenarios (std, ci_low and ci_high: "
    "fewer than 2 such replications); each is over the replications where both are defined";

template <h5::Numeric T>
std::vector<T> index_values(std::size_t count) {
    std::vector<T> values(count);
    std::iota(values.begin(), values.end(), T{0});
    return values;
}

template <h5::Numeric T>
h5::Dataset write_scale(const h5::Group& group, const Axis& axis, const std::vector<T>& values) {
    h5::Dataset scale = h5::write_dataset(group, axis.name, values, {values.size()});
    scale.make_scale(axis.name);
    describe(scale, axis.units, axis.description);
    return scale;
}

// The scales of one scenario. Every group of datasets gets its own copy of the scales its
// datasets use, attached to that copy: h5netcdf (hence xarray) only turns dimension scales of
// the opened group into coordinates and ignores scales in a parent group (checked with
// h5netcdf 1.1 / xarray 2023.01), yet open_dataset(group="scenarios/<name>/mean") must give
// labelled arrays. The scenario-level month and quantile scales remain, as the layout says.
struct Scales {
    std::vector<std::int32_t> months;
    std::vector<double> quantiles;
};

h5::Dataset write_month(const h5::Group& group, const Scales& scales) {
    return write_scale(group, month_axis, scales.months);
}

using Series = std::vector<double> MetricSummary::*;

// mean/, std/ or stderr/: one (month) dataset per metric.
void write_statistic(const h5::Group& scenario, const ScenarioResults& results,
                     const Scales& scales, std::string_view name, std::string_view statistic,
                     Series series) {
    const h5::Group group = scenario.create_group(name);
    const h5::Dataset month = write_month(group, scales);
    for (const MetricSummary& metric : results.metrics) {
        h5::Dataset dataset =
            h5::write_dataset(group, metric.info.name, metric.*series, {scales.months.size()});
        dataset.attach_scale(month, 0);
        describe(dataset, metric.info.units,
                 std::string(statistic) + " across replications: " + metric.info.description,
                 undefined_across(metric.info));
    }
}

void write_quantiles(const h5::Group& scenario, const ScenarioResults& results,
                     const Scales& scales) {
    const h5::Group group = scenario.create_group("quantiles");
    const h5::Dataset quantile = write_scale(group, quantile_axis, scales.quantiles);
    const h5::Dataset month = write_month(group, scales);
    for (const MetricSummary& metric : results.metrics) {
        h5::Dataset dataset = h5::write_dataset(group, metric.info.name, metric.quantiles,
                                                {scales.quantiles.size(), scales.months.size()});
        dataset.attach_scale(quantile, 0);
        dataset.attach_scale(month, 1);
        describe(dataset, metric.info.units,
                 "quantiles across replications: " + metric.info.description,
                 undefined_across(metric.info));
    }
}

// paths/ exists only when some metric kept its per-replication paths (--keep-paths).
void write_paths(const h5::Group& scenario, const ScenarioResults& results, const Scales& scales) {
    const auto kept = std::find_if(results.metrics.begin(), results.metrics.end(),
                                   [](const MetricSummary& m) { return !m.paths.empty(); });
    if (kept == results.metrics.end()) return;
    // The replication count is what the paths hold; write_dataset rejects a metric whose
    // paths do not fill (replications, month).
    const std::size_t replications = kept->paths.size() / scales.months.size();
    const h5::Group group = scenario.create_group("paths");
    const h5::Dataset replication =
        write_scale(group, replication_axis, index_values<std::int64_t>(replications));
    const h5::Dataset month = write_month(group, scales);
    for (const MetricSummary& metric : results.metrics) {
        if (metric.paths.empty()) continue;
        h5::Dataset dataset =
            h5::write_dataset(group, metric.info.name, metric.paths,
                              {replications, scales.months.size()}, {.compress = true});
        dataset.attach_scale(replication, 0);
        dataset.attach_scale(month, 1);
        describe(dataset, metric.info.units,
                 "value in each replication: " + metric.info.description,
                 metric.info.undefined_when);
    }
}

void write_cohorts(const h5::Group& scenario, const ScenarioResults& results) {
    const h5::Group group = scenario.create_group("cohorts");
    const CohortMatrix& shape = results.logo_retention;
    const h5::Dataset cohort =
        write_scale(group, cohort_axis, index_values<std::int32_t>(shape.cohorts));
    const h5::Dataset age = write_scale(group, age_axis, index_values<std::int32_t>(shape.ages));
    for (const CohortMatrix* matrix : {&results.logo_retention, &results.revenue_retention}) {
        if (matrix->values.empty()) continue;
        h5::Dataset dataset =
            h5::write_dataset(group, matrix->info.name, matrix->values,
                              {matrix->cohorts, matrix->ages}, {.fill = undefined_number});
        dataset.attach_scale(cohort, 0);
        dataset.attach_scale(age, 1);
        describe(dataset, matrix->info.units, matrix->info.description,
                 "NaN where the cell cannot exist (cohort + age beyond the horizon) or the cohort "
                 "never had a customer");
    }
}

// kpis/<name>: the value in each replication, its distribution as attributes.
void write_kpis(const h5::Group& scenario, const ScenarioResults& results) {
    if (results.kpis.empty()) return;
    const h5::Group group = scenario.create_group("kpis");
    const h5::Dataset replication = write_scale(
        group, replication_axis, index_values<std::int64_t>(results.kpis.front().values.size()));
    for (const KpiSummary& kpi : results.kpis) {
        h5::Dataset dataset = h5::write_dataset(group, kpi.info.name, kpi.values,
                                                {kpi.values.size()}, {.fill = undefined_number});
        dataset.attach_scale(replication, 0);
        describe(dataset, kpi.info.units, kpi.info.description,
                 kpi.info.undefined_when +
                     "; attributes mean, std and quantile_*: over the replications where it is "
                     "defined, NaN when it is defined in none");
        h5::write_attribute(dataset, "share_defined", kpi.share_defined);
        h5::write_attribute(dataset, "mean", kpi.mean);
        h5::write_attribute(dataset, "std", kpi.std);
        for (std::size_t q = 0; q < kpi.quantiles.size(); ++q) {
            const int percent = static_cast<int>(std::lround(results.quantile_levels[q] * 100.0));
            h5::write_attribute(dataset, "quantile_" + std::to_string(percent), kpi.quantiles[q]);
        }
    }
}

// inputs/<key>: the uncertain input's value in each replication.
void write_inputs(const h5::Group& scenario, const ScenarioResults& results) {
    if (results.inputs.empty()) return;
    const h5::Group group = scenario.create_group("inputs");
    const h5::Dataset replication = write_scale(
        group, replication_axis, index_values<std::int64_t>(results.inputs.front().values.size()));
    for (const InputSample& input : results.inputs) {
        h5::Dataset dataset =
            h5::write_dataset(group, input.info.name, input.values, {input.values.size()});
        dataset.attach_scale(replication, 0);
        describe(dataset, input.info.units, input.info.description);
    }
}

void write_churn_reasons(const h5::Group& scenario, const ScenarioResults& results,
                         const Scales& scales) {
    const h5::Group group = scenario.create_group("churn_reasons");
    const h5::Dataset month = write_month(group, scales);
    for (const ReasonSeries& reason : results.churn_reasons) {
        h5::Dataset dataset =
            h5::write_dataset(group, reason.info.name, reason.mean, {scales.months.size()});
        dataset.attach_scale(month, 0);
        describe(dataset, reason.info.units, reason.info.description);
    }
}

// A sweep variant: the swept keys, and each one's value as swept_<key> (a number as double).
void write_swept(const h5::Group& group, const ScenarioResults& results) {
    if (results.swept.empty()) return;
    std::string keys;
    for (const SweptValue& value : results.swept) {
        keys += (keys.empty() ? "" : ",") + value.key;
        const std::string name = "swept_" + value.key;
        if (value.number) {
            h5::write_attribute(group, name, *value.number);
        } else {
            h5::write_attribute(group, name, value.text);
        }
    }
    h5::write_attribute(group, "sweep", keys);
}

void write_scenario(const h5::Group& scenarios, const ScenarioResults& results) {
    if (results.horizon_months < 0) {
        throw std::invalid_argument("scenario '" + results.name + "': horizon_months is " +
                                    std::to_string(results.horizon_months));
    }
    const h5::Group group = scenarios.create_group(results.name);
    h5::write_attribute(group, "scenario", results.resolved_toml);
    h5::write_attribute(group, "description", results.description);
    h5::write_attribute(group, "horizon_months", std::int32_t{results.horizon_months});
    h5::write_attribute(group, "replications", results.replications);
    write_swept(group, results);

    const Scales scales{
        index_values<std::int32_t>(static_cast<std::size_t>(results.horizon_months) + 1),
        results.quantile_levels};
    write_month(group, scales);
    write_scale(group, quantile_axis, scales.quantiles);
    write_statistic(group, results, scales, "mean", "mean", &MetricSummary::mean);
    write_statistic(group, results, scales, "std", "standard deviation", &MetricSummary::std);
    write_statistic(group, results, scales, "stderr", "standard error of the mean",
                    &MetricSummary::stderr_);
    write_quantiles(group, results, scales);
    write_paths(group, results, scales);
    write_cohorts(group, results);
    write_churn_reasons(group, results, scales);
    write_kpis(group, results);
    write_inputs(group, results);
}

using ComparisonSeries = std::vector<double> MetricComparison::*;

// comparisons/<b>_vs_<a>/{mean,std,ci_low,ci_high}/<metric>: one (month) dataset per metric.
void write_comparison_statistic(const h5::Group& parent, const ScenarioComparison& comparison,
                                const Scales& scales, std::string_view name,
                                std::string_view statistic, ComparisonSeries series) {
    const h5::Group group = parent.create_group(name);
    const h5::Dataset month = write_month(group, scales);
    for (const MetricComparison& metric : comparison.metrics) {
        h5::Dataset dataset =
            h5::write_dataset(group, metric.info.name, metric.*series, {scales.months.size()});
        dataset.attach_scale(month, 0);
        describe(dataset, metric.info.units,
                 std::string(statistic) + " of the " + metric.info.description, undefined_in_pairs);
    }
}

const char* better_name(Better better) {
    switch (better) {
        case Better::higher:
            return "higher";
        case Better::lower:
            return "lower";
        case Better::earlier:
            return "earlier";
    }
    return "";
}

// kpis/<name>: the paired difference in each replication, its summary as attributes.
void write_comparison_kpis(const h5::Group& parent, const ScenarioComparison& comparison) {
    if (comparison.kpis.empty()) return;
    const h5::Group group = parent.create_group("kpis");
    const h5::Dataset replication =
        write_scale(group, replication_axis,
                    index_values<std::int64_t>(comparison.kpis.front().differences.size()));
    for (const KpiComparison& kpi : comparison.kpis) {
        h5::Dataset dataset =
            h5::write_dataset(group, kpi.info.name, kpi.differences, {kpi.differences.size()},
                              {.fill = undefined_number});
        dataset.attach_scale(replication, 0);
        describe(dataset, kpi.info.units, kpi.info.description,
                 "NaN in a replication where either scenario's value is undefined; attributes: "
                 "NaN without such pairs (std_difference, ci_low, ci_high: fewer than 2), "
                 "p_b_better NaN where neither scenario has a value in any replication");
        h5::write_attribute(dataset, "mean_difference", kpi.mean_difference);
        h5::write_attribute(dataset, "std_difference", kpi.std_difference);
        h5::write_attribute(dataset, "ci_low", kpi.ci_low);
        h5::write_attribute(dataset, "ci_high", kpi.ci_high);
        h5::write_attribute(dataset, "confidence", comparison.confidence);
        h5::write_attribute(dataset, "pairs", kpi.pairs);
        h5::write_attribute(dataset, "p_b_better", kpi.p_b_better);
        h5::write_attribute(dataset, "better", better_name(kpi.better));
    }
}

void write_comparison(const h5::Group& comparisons, const ScenarioComparison& comparison) {
    const h5::Group group = comparisons.create_group(comparison.name);
    h5::write_attribute(group, "scenario", comparison.scenario);
    h5::write_attribute(group, "baseline", comparison.baseline);
    h5::write_attribute(group, "confidence", comparison.confidence);
    h5::write_attribute(group, "horizon_months", std::int32_t{comparison.horizon_months});
    h5::write_attribute(group, "replications", comparison.replications);
    h5::write_attribute(group, "description",
                        "paired differences '" + comparison.scenario + "' - '" +
                            comparison.baseline +
                            "', replication by replication, under common random numbers");
    const Scales scales{
        index_values<std::int32_t>(static_cast<std::size_t>(comparison.horizon_months) + 1), {}};
    write_month(group, scales);
    write_comparison_statistic(group, comparison, scales, "mean", "mean", &MetricComparison::mean);
    write_comparison_statistic(group, comparison, scales, "std", "standard deviation",
                               &MetricComparison::std);
    const std::string level =
        std::to_string(static_cast<int>(std::lround(comparison.confidence * 100.0))) + "%";
    write_comparison_statistic(group, comparison, scales, "ci_low",
                               "lower end of the " + level + " Student t interval of the mean",
                               &MetricComparison::ci_low);
    write_comparison_statistic(group, comparison, scales, "ci_high",
                               "upper end of the " + level + " Student t interval of the mean",
                               &MetricComparison::ci_high);
    write_comparison_kpis(group, comparison);
    // The money (docs/model.md 11.4): one number each.
    const h5::Dataset roi =
        h5::write_dataset(group, "roi", std::vector<double>{comparison.roi}, {});
    describe(
        roi, "1",
        "return on the levers' cost: mean paired difference of NPV / mean paired difference of "
        "cumulative lever cost (sales + retention), both at the horizon",
        "NaN when both scenarios' levers cost the same");
    const h5::Dataset break_even = h5::write_dataset(
        group, "break_even_month", std::vector<double>{comparison.break_even_month}, {});
    describe(break_even, "month",
             "first month from which the mean paired difference of cumulative cash stays above 0 "
             "through the horizon",
             "NaN when it is not above 0 at the horizon");
}

void write_file(const fs::path& path, const RunResults& results) {
    h5::File file = h5::File::create(path);
    {
        const h5::Group root = file.root();
        h5::write_attribute(root, "format", "cohortsim-results");
        h5::write_attribute(root, "format_version", std::int32_t{results_format_version});
        h5::write_attribute(root, "engine_version", results.engine_version);
        h5::write_attribute(root, "git_sha", results.git_sha);
        h5::write_attribute(root, "created_utc", results.created_utc);
        h5::write_attribute(root, "seed", results.seed);
        h5::write_attribute(root, "replications", results.replications);
        h5::write_attribute(root, "command_line", results.command_line);
        const h5::Group scenarios = root.create_group("scenarios");
        for (const ScenarioResults& scenario : results.scenarios) {
            write_scenario(scenarios, scenario);
        }
        if (!results.comparisons.empty()) {
            const h5::Group comparisons = root.create_group("comparisons");
            h5::write_attribute(comparisons, "baseline", results.comparisons.front().baseline);
            h5::write_attribute(comparisons, "description",
                                "every scenario against the first one, paired replication by "
                                "replication (common random numbers): <scenario>_vs_<baseline>");
            for (const ScenarioComparison& comparison : results.comparisons) {
                write_comparison(comparisons, comparison);
            }
        }
    }  // every group closed before the file, which refuses to close with objects open
    file.close();
}

// A name that becomes one HDF5 link: '/' would nest groups, "." and ".." are path steps.
bool is_link_name(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == name.npos;
}

void check_names(const RunResults& results) {
    std::set<std::string_view> seen;
    for (const ScenarioResults& scenario : results.scenarios) {
        if (!is_link_name(scenario.name)) {
            throw InputError("scenario name '" + scenario.name +
                             "' cannot name a group in the results file: it must be non-empty, "
                             "not '.' or '..', and contain no '/'");
        }
        if (!seen.insert(scenario.name).second) {
            throw InputError("two scenarios are named '" + scenario.name +
                             "'; scenario names must be unique in one run");
        }
        for (const MetricSummary& metric : scenario.metrics) {
            if (!is_link_name(metric.info.name)) {
                throw std::invalid_argument("invalid metric name '" + metric.info.name + "'");
            }
        }
        for (const ReasonSeries& reason : scenario.churn_reasons) {
            if (!is_link_name(reason.info.name)) {
                throw std::invalid_argument("invalid churn reason name '" + reason.info.name + "'");
            }
        }
    }
}

std::string exists_message(const fs::path& target) {
    return "output file '" + target.string() + "' exists; use --force to overwrite";
}

// Removes the temporary file unless released: on any exception the target is untouched and
// nothing is left beside it.
class TemporaryFile {
  public:
    explicit TemporaryFile(fs::path path) : path_(std::move(path)) {}
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        if (path_.empty()) return;
        std::error_code ignored;
        fs::remove(path_, ignored);
    }
    const fs::path& path() const { return path_; }
    void release() { path_.clear(); }

  private:
    fs::path path_;
};

// Creating the file ourselves first gives the OS's reason for a missing or unwritable directory
// ("No such file or directory"), which HDF5's error stack reports less plainly.
TemporaryFile create_temporary(const fs::path& target) {
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    fs::path path =
        directory / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int error = errno;
        throw InputError("cannot write output file '" + target.string() + "' in directory '" +
                         directory.string() + "': " + std::strerror(error));
    }
    ::close(fd);
    return TemporaryFile(std::move(path));
}

[[noreturn]] void throw_os_error(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// HDF5 has closed the file; make its bytes durable before the rename makes them visible.
void sync_file(const fs::path& path, const fs::path& target) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        throw_os_error(error, "cannot write output file '" + target.string() + "'");
    }
    ::close(fd);
}

void move_into_place(const fs::path& from, const fs::path& target, bool overwrite) {
    const std::string what = "cannot rename '" + from.string() + "' to '" + target.string() + "'";
    if (overwrite) {
        if (std::rename(from.c_str(), target.c_str()) != 0) throw_os_error(errno, what);
        return;
    }
    // RENAME_NOREPLACE: an existing target is never replaced, even one created while we wrote.
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
        return;
    }
    int error = errno;
    if (error == EEXIST) throw InputError(exists_message(target));
    if (error != EINVAL && error != ENOSYS && error != ENOTSUP) throw_os_error(error, what);
    // Filesystems without RENAME_NOREPLACE: link() refuses an existing target just the same.
    if (::link(from.c_str(), target.c_str()) == 0) {
        ::unlink(from.c_str());
        return;
    }
    error = errno;
    if (error == EEXIST) throw InputError(exists_message(target));
    throw_os_error(error, what);
}

}  // namespace

void write_results(const RunResults& results, const std::filesystem::path& target, bool overwrite,
                   const std::atomic<bool>* cancel) {
    std::error_code ignored;  // an unreadable path fails below, with the OS's reason
    if (!target.has_filename() || fs::is_directory(target, ignored)) {
        throw InputError("output path '" + target.string() + "' is a directory, not a file");
    }
    // Checked early to fail before writing; move_into_place checks again, atomically.
    if (!overwrite && fs::exists(fs::symlink_status(target, ignored))) {
        throw InputError(exists_message(target));
    }
    check_names(results);

    TemporaryFile temporary = create_temporary(target);
    try {
        write_file(temporary.path(), results);
    } catch (const h5::Error& error) {
        throw h5::Error(std::string(error.what()) + " (writing '" + target.string() + "')");
    }
    sync_file(temporary.path(), target);
    // The last moment to honour Ctrl-C: after the rename the file is the user's.
    if (cancel != nullptr && cancel->load()) throw Interrupted();
    move_into_place(temporary.path(), target, overwrite);
    temporary.release();
}

}  // namespace cohortsim
