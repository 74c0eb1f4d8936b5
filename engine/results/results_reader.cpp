#include "cohortsim/results_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

#include "cohortsim/error.hpp"
#include "hdf5_handles.hpp"

namespace cohortsim {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Link names in creation order (the order the writer ran the scenarios: the first is the
// comparison base), falling back to name order for a group that does not track it.
// h5::Group::children() lists by name, hence this one call to the C API.
std::vector<std::string> children_in_order(const h5::Group& group) {
    H5E_auto2_t report = nullptr;
    void* report_data = nullptr;
    H5Eget_auto2(H5E_DEFAULT, &report, &report_data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    std::vector<std::string> names;
    H5G_info_t info;
    bool ordered = H5Gget_info(group.id(), &info) >= 0;
    for (hsize_t i = 0; ordered && i < info.nlinks; ++i) {
        const ssize_t size = H5Lget_name_by_idx(group.id(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i,
                                                nullptr, 0, H5P_DEFAULT);
        if (size < 0) {
            ordered = false;
            break;
        }
        std::string name(static_cast<std::size_t>(size) + 1, '\0');
        H5Lget_name_by_idx(group.id(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name.data(),
                           name.size(), H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(size));
        names.push_back(std::move(name));
    }
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, report, report_data);
    return ordered ? names : group.children();
}

bool has_child(const h5::Group& group, std::string_view name) {
    const auto names = group.children();
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The datasets of a group that are not dimension scales, in creation order.
std::vector<std::string> data_variables(const h5::Group& group) {
    std::vector<std::string> names;
    for (std::string& name : children_in_order(group)) {
        if (group.child_kind(name) != h5::Group::ChildKind::dataset) continue;
        if (group.open_dataset(name).is_scale()) continue;
        names.push_back(std::move(name));
    }
    return names;
}

std::string string_attribute(const h5::Object& object, std::string_view name) {
    return object.has_attribute(name) ? h5::read_string_attribute(object, name) : std::string();
}

double double_attribute(const h5::Object& object, std::string_view name) {
    return object.has_attribute(name) ? h5::read_attribute<double>(object, name) : not_a_number;
}

// The writer prefixes a statistic's description ("mean across replications: "); the metric's
// own description follows the first ": ".
MetricInfo info_of(const h5::Dataset& dataset, std::string name, std::string_view prefix = {}) {
    std::string description = string_attribute(dataset, "description");
    if (!prefix.empty() && description.starts_with(prefix)) {
        description.erase(0, prefix.size());
    }
    return {std::move(name), string_attribute(dataset, "units"), std::move(description)};
}

std::vector<double> read_series(const h5::Group& parent, std::string_view group,
                                const std::string& name) {
    if (!has_child(parent, group)) return {};
    const h5::Group statistic = parent.open_group(group);
    if (!has_child(statistic, name)) return {};
    return statistic.open_dataset(name).read<double>();
}

std::string shortest_text(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::vector<SweptValue> read_swept(const h5::Group& group) {
    std::vector<SweptValue> swept;
    const std::string keys = string_attribute(group, "sweep");
    std::size_t start = 0;
    while (start < keys.size()) {
        const auto end = std::min(keys.find(',', start), keys.size());
        SweptValue value;
        value.key = keys.substr(start, end - start);
        const std::string name = "swept_" + value.key;
        try {
            value.number = h5::read_attribute<double>(group, name);
            value.text = shortest_text(*value.number);
        } catch (const h5::Error&) {
            value.text = h5::read_string_attribute(group, name);
        }
        swept.push_back(std::move(value));
        start = end + 1;
    }
    return swept;
}

// paths/<metric>, (replication, month), where --keep-paths kept them.
void read_paths(const h5::Group& group, ScenarioResults& scenario) {
    if (!has_child(group, "paths")) return;
    const h5::Group paths = group.open_group("paths");
    for (MetricSummary& metric : scenario.metrics)
        if (has_child(paths, metric.info.name))
            metric.paths = paths.open_dataset(metric.info.name).read<double>();
}

// cohorts/logo_retention and cohorts/revenue_retention, (cohort, age).
void read_cohorts(const h5::Group& group, ScenarioResults& scenario) {
    if (!has_child(group, "cohorts")) return;
    const h5::Group cohorts = group.open_group("cohorts");
    for (const std::string& name : data_variables(cohorts)) {
        const h5::Dataset dataset = cohorts.open_dataset(name);
        CohortMatrix* matrix = name == "logo_retention"      ? &scenario.logo_retention
                               : name == "revenue_retention" ? &scenario.revenue_retention
                                                             : nullptr;
        const std::vector<std::uint64_t> shape = dataset.shape();
        if (matrix == nullptr || shape.size() != 2) continue;
        matrix->info = info_of(dataset, name);
        matrix->cohorts = static_cast<std::size_t>(shape[0]);
        matrix->ages = static_cast<std::size_t>(shape[1]);
        matrix->values = dataset.read<double>();
    }
}

// churn_reasons/<reason>: mean churned logos per month.
void read_churn_reasons(const h5::Group& group, ScenarioResults& scenario) {
    if (!has_child(group, "churn_reasons")) return;
    const h5::Group reasons = group.open_group("churn_reasons");
    for (const std::string& name : data_variables(reasons)) {
        const h5::Dataset dataset = reasons.open_dataset(name);
        scenario.churn_reasons.push_back({info_of(dataset, name), dataset.read<double>()});
    }
}

ScenarioResults read_scenario(const h5::Group& scenarios, const std::string& name) {
    const h5::Group group = scenarios.open_group(name);
    ScenarioResults scenario;
    scenario.name = name;
    scenario.resolved_toml = string_attribute(group, "scenario");
    scenario.description = string_attribute(group, "description");
    scenario.horizon_months = h5::read_attribute<std::int32_t>(group, "horizon_months");
    scenario.replications = h5::read_attribute<std::int64_t>(group, "replications");
    scenario.quantile_levels = group.open_dataset("quantile").read<double>();
    scenario.swept = read_swept(group);

    const h5::Group mean = group.open_group("mean");
    for (const std::string& metric : data_variables(mean)) {
        MetricSummary summary;
        summary.info = info_of(mean.open_dataset(metric), metric, "mean across replications: ");
        summary.mean = mean.open_dataset(metric).read<double>();
        summary.std = read_series(group, "std", metric);
        summary.stderr_ = read_series(group, "stderr", metric);
        summary.quantiles = read_series(group, "quantiles", metric);
        scenario.metrics.push_back(std::move(summary));
    }
    read_paths(group, scenario);
    read_cohorts(group, scenario);
    read_churn_reasons(group, scenario);
    if (has_child(group, "inputs")) {
        const h5::Group inputs = group.open_group("inputs");
        for (const std::string& key : data_variables(inputs))
            scenario.inputs.push_back(
                {info_of(inputs.open_dataset(key), key), inputs.open_dataset(key).read<double>()});
    }
    if (!has_child(group, "kpis")) return scenario;
    const h5::Group kpis = group.open_group("kpis");
    for (const std::string& name_of_kpi : data_variables(kpis)) {
        const h5::Dataset dataset = kpis.open_dataset(name_of_kpi);
        KpiSummary kpi;
        kpi.info = info_of(dataset, name_of_kpi);
        kpi.values = dataset.read<double>();
        if (dataset.has_attribute("_FillValue")) {
            kpi.fill = h5::read_attribute<double>(dataset, "_FillValue");
        }
        kpi.share_defined = double_attribute(dataset, "share_defined");
        kpi.mean = double_attribute(dataset, "mean");
        kpi.std = double_attribute(dataset, "std");
        for (double level : scenario.quantile_levels) {
            const int percent = static_cast<int>(std::lround(level * 100.0));
            kpi.quantiles.push_back(
                double_attribute(dataset, "quantile_" + std::to_string(percent)));
        }
        scenario.kpis.push_back(std::move(kpi));
    }
    return scenario;
}

Better better_of(const std::string& text) {
    if (text == "lower") return Better::lower;
    if (text == "earlier") return Better::earlier;
    return Better::higher;
}

ScenarioComparison read_comparison(const h5::Group& comparisons, const std::string& name) {
    const h5::Group group = comparisons.open_group(name);
    ScenarioComparison comparison;
    comparison.name = name;
    comparison.scenario = string_attribute(group, "scenario");
    comparison.baseline = string_attribute(group, "baseline");
    comparison.confidence = double_attribute(group, "confidence");
    comparison.horizon_months = h5::read_attribute<std::int32_t>(group, "horizon_months");
    comparison.replications = h5::read_attribute<std::int64_t>(group, "replications");
    const h5::Group mean = group.open_group("mean");
    for (const std::string& metric : data_variables(mean)) {
        MetricComparison difference;
        difference.info = info_of(mean.open_dataset(metric), metric, "mean of the ");
        difference.mean = mean.open_dataset(metric).read<double>();
        difference.std = read_series(group, "std", metric);
        difference.ci_low = read_series(group, "ci_low", metric);
        difference.ci_high = read_series(group, "ci_high", metric);
        comparison.metrics.push_back(std::move(difference));
    }
    // Files written before the money side have neither.
    for (const auto& [name_of_value, value] :
         {std::pair<const char*, double*>{"roi", &comparison.roi},
          std::pair<const char*, double*>{"break_even_month", &comparison.break_even_month}})
        if (has_child(group, name_of_value))
            *value = group.open_dataset(name_of_value).read<double>().at(0);
    if (!has_child(group, "kpis")) return comparison;
    const h5::Group kpis = group.open_group("kpis");
    for (const std::string& name_of_kpi : data_variables(kpis)) {
        const h5::Dataset dataset = kpis.open_dataset(name_of_kpi);
        KpiComparison kpi;
        kpi.info = info_of(dataset, name_of_kpi);
        kpi.better = better_of(string_attribute(dataset, "better"));
        kpi.differences = dataset.read<double>();
        kpi.pairs = dataset.has_attribute("pairs")
                        ? h5::read_attribute<std::int64_t>(dataset, "pairs")
                        : static_cast<std::int64_t>(kpi.differences.size());
        kpi.mean_difference = double_attribute(dataset, "mean_difference");
        kpi.std_difference = double_attribute(dataset, "std_difference");
        kpi.ci_low = double_attribute(dataset, "ci_low");
        kpi.ci_high = double_attribute(dataset, "ci_high");
        kpi.p_b_better = double_attribute(dataset, "p_b_better");
        comparison.kpis.push_back(std::move(kpi));
    }
    return comparison;
}

RunResults read_file(const h5::File& file, const std::string& path) {
    const h5::Group root = file.root();
    const std::string format = string_attribute(root, "format");
    if (format != "cohortsim-results") {
        throw InputError(path + ": not a cohortsim results file (format attribute is '" + format +
                         "', expected 'cohortsim-results')");
    }
    std::int32_t version = -1;
    try {
        version = h5::read_attribute<std::int32_t>(root, "format_version");
    } catch (const h5::Error&) {
        // A "major.minor" text version: only its major part matters.
        const std::string text = string_attribute(root, "format_version");
        std::from_chars(text.data(), text.data() + text.size(), version);
    }
    if (version != results_format_version) {
        throw InputError(path + ": results format_version " + std::to_string(version) +
                         " is not supported; this cohortsim reads format_version " +
                         std::to_string(results_format_version));
    }
    RunResults results;
    results.engine_version = string_attribute(root, "engine_version");
    results.git_sha = string_attribute(root, "git_sha");
    results.created_utc = string_attribute(root, "created_utc");
    results.command_line = string_attribute(root, "command_line");
    results.seed = h5::read_attribute<std::uint64_t>(root, "seed");
    results.replications = h5::read_attribute<std::int64_t>(root, "replications");
    if (has_child(root, "scenarios")) {
        const h5::Group scenarios = root.open_group("scenarios");
        for (const std::string& name : children_in_order(scenarios)) {
            results.scenarios.push_back(read_scenario(scenarios, name));
        }
    }
    if (has_child(root, "comparisons")) {
        const h5::Group comparisons = root.open_group("comparisons");
        for (const std::string& name : children_in_order(comparisons)) {
            results.comparisons.push_back(read_comparison(comparisons, name));
        }
    }
    return results;
}

}  // namespace

RunResults read_results(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw InputError("results file '" + path.string() + "' does not exist or is not a file");
    }
    try {
        h5::File file = h5::File::open_read_only(path);
        RunResults results = read_file(file, path.string());
        file.close();
        return results;
    } catch (const h5::Error& failure) {
        throw InputError(path.string() +
                         ": cannot read it as a cohortsim results file: " + failure.what());
    }
}

}  // namespace cohortsim
