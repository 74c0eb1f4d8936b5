// The results writer: layout and metadata of format_version 1, read back through the HDF5 C API
// (via engine/hdf5_handles, since HDF5's headers are private to the engine library), and the
// atomic, never-clobbering write.

#include <doctest/doctest.h>
#include <unistd.h>
#include <cmath>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/results.hpp"
#include "hdf5_handles.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cohortsim;

constexpr int horizon = 4;
constexpr std::size_t months = horizon + 1;
constexpr std::int64_t replications = 3;
const std::vector<double> quantile_levels{0.05, 0.5, 0.95};
constexpr std::uint64_t big_seed = 18446744073709551557ull;  // above 2^63: must stay unsigned
constexpr double fill = undefined_number;

// Equal element by element, NaN equal to NaN (the cells that cannot exist).
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](double x, double y) {
        return x == y || (std::isnan(x) && std::isnan(y));
    });
}

// A fresh directory under the system's temporary directory, removed with its contents.
class TemporaryDirectory {
  public:
    TemporaryDirectory() {
        static std::atomic<int> counter{0};
        path_ =
            fs::temp_directory_path() / ("cohortsim-results-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
        fs::create_directories(path_);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    ~TemporaryDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// Values that encode (metric offset, statistic, index), so a misplaced element shows.
MetricSummary make_metric(const std::string& name, const std::string& units, double offset,
                          bool keep_paths) {
    MetricSummary metric;
    metric.info = {name, units, name + " at the end of the month"};
    for (std::size_t t = 0; t < months; ++t) {
        metric.mean.push_back(offset + static_cast<double>(t));
        metric.std.push_back(offset / 10.0 + static_cast<double>(t));
        metric.stderr_.push_back(offset / 100.0 + static_cast<double>(t));
    }
    for (double level : quantile_levels) {
        for (std::size_t t = 0; t < months; ++t) {
            metric.quantiles.push_back(offset + level * 100.0 + static_cast<double>(t));
        }
    }
    if (keep_paths) {
        for (std::int64_t r = 0; r < replications; ++r) {
            for (std::size_t t = 0; t < months; ++t) {
                metric.paths.push_back(offset + 1000.0 * static_cast<double>(r) +
                                       static_cast<double>(t));
            }
        }
    }
    return metric;
}

// Cohort c acquired in month c can only be observed up to age horizon - c; the rest is fill.
CohortMatrix make_cohorts(double scale) {
    CohortMatrix matrix;
    matrix.info = {"logo_retention", "1", "mean fraction of the cohort still active"};
    matrix.cohorts = months;
    matrix.ages = months;
    for (std::size_t c = 0; c < months; ++c) {
        for (std::size_t a = 0; a < months; ++a) {
            matrix.values.push_back(c + a <= horizon ? scale / static_cast<double>(1 + a) : fill);
        }
    }
    return matrix;
}

ScenarioResults make_scenario(const std::string& name, double offset, bool keep_paths) {
    ScenarioResults scenario;
    scenario.name = name;
    scenario.description = "the " + name + " strategy";
    scenario.resolved_toml = "name = \"" + name + "\"\n[simulation]\nhorizon_months = 4\n";
    scenario.horizon_months = horizon;
    scenario.replications = replications;
    scenario.quantile_levels = quantile_levels;
    scenario.metrics.push_back(make_metric("active_customers", "customers", offset, false));
    scenario.metrics.push_back(make_metric("mrr", "USD/month", offset + 50.0, keep_paths));
    for (const char* reason : {"price", "competitor"}) {
        ReasonSeries series;
        series.info = {reason, "customers/month", std::string("churned because of ") + reason};
        for (std::size_t t = 0; t < months; ++t) {
            series.mean.push_back(offset + static_cast<double>(t) / 2.0);
        }
        scenario.churn_reasons.push_back(std::move(series));
    }
    scenario.logo_retention = make_cohorts(offset + 1.0);
    return scenario;
}

RunResults make_results(const std::string& created_utc = "2024-05-01T12:00:00Z") {
    RunResults results;
    results.engine_version = "0.1.0";
    results.git_sha = "0123456789ab";
    results.created_utc = created_utc;
    results.command_line = "cohortsim run base.toml annual_plans.toml -o out.h5 --keep-paths";
    results.seed = big_seed;
    results.replications = replications;
    results.scenarios.push_back(make_scenario("base", 0.0, true));
    results.scenarios.push_back(make_scenario("annual_plans", 10.0, false));
    return results;
}

std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> temporary_files(const fs::path& directory) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
        const std::string name = entry.path().filename().string();
        if (name.find(".tmp-") != std::string::npos) names.push_back(name);
    }
    return names;
}

// Paths of every dataset below `group`.
void collect_datasets(const h5::Group& group, std::vector<std::string>& paths) {
    for (const std::string& name : group.children()) {
        if (group.child_kind(name) == h5::Group::ChildKind::group) {
            collect_datasets(group.open_group(name), paths);
        } else {
            paths.push_back(group.child_path(name));
        }
    }
}

using Shape = std::vector<std::uint64_t>;
using Strings = std::vector<std::string>;

}  // namespace

TEST_SUITE("results writer") {
    TEST_CASE("root and scenario attributes") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        write_results(make_results(), target, false);

        const h5::File file = h5::File::open_read_only(target);
        const h5::Group root = file.root();
        CHECK(h5::read_string_attribute(root, "format") == "cohortsim-results");
        CHECK(h5::read_attribute<std::int64_t>(root, "format_version") == 1);
        CHECK(h5::read_string_attribute(root, "engine_version") == "0.1.0");
        CHECK(h5::read_string_attribute(root, "git_sha") == "0123456789ab");
        CHECK(h5::read_string_attribute(root, "created_utc") == "2024-05-01T12:00:00Z");
        CHECK(h5::read_attribute<std::uint64_t>(root, "seed") == big_seed);
        CHECK(h5::read_attribute<std::int64_t>(root, "replications") == replications);
        CHECK(h5::read_string_attribute(root, "command_line").starts_with("cohortsim run"));

        const h5::Group scenarios = root.open_group("scenarios");
        CHECK(scenarios.children() == Strings{"annual_plans", "base"});
        const h5::Group base = scenarios.open_group("base");
        CHECK(h5::read_string_attribute(base, "scenario") ==
              "name = \"base\"\n[simulation]\nhorizon_months = 4\n");
        CHECK(h5::read_string_attribute(base, "description") == "the base strategy");
        CHECK(h5::read_attribute<std::int64_t>(base, "horizon_months") == horizon);
        CHECK(h5::read_attribute<std::int64_t>(base, "replications") == replications);
    }

    TEST_CASE("shapes and values of every group") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        const RunResults results = make_results();
        write_results(results, target, false);
        const h5::File file = h5::File::open_read_only(target);
        const h5::Group scenarios = file.root().open_group("scenarios");

        for (const ScenarioResults& expected : results.scenarios) {
            CAPTURE(expected.name);
            const h5::Group scenario = scenarios.open_group(expected.name);
            CHECK(scenario.open_dataset("month").read<std::int32_t>() ==
                  std::vector<std::int32_t>{0, 1, 2, 3, 4});
            CHECK(scenario.open_dataset("quantile").read<double>() == quantile_levels);

            for (const MetricSummary& metric : expected.metrics) {
                CAPTURE(metric.info.name);
                const h5::Dataset mean = scenario.open_group("mean").open_dataset(metric.info.name);
                CHECK(mean.shape() == Shape{months});
                CHECK(mean.read<double>() == metric.mean);
                CHECK(scenario.open_group("std").open_dataset(metric.info.name).read<double>() ==
                      metric.std);
                CHECK(scenario.open_group("stderr").open_dataset(metric.info.name).read<double>() ==
                      metric.stderr_);
                const h5::Dataset quantiles =
                    scenario.open_group("quantiles").open_dataset(metric.info.name);
                CHECK(quantiles.shape() == Shape{quantile_levels.size(), months});
                CHECK(quantiles.read<double>() == metric.quantiles);
                CHECK(h5::read_string_attribute(mean, "description") ==
                      "mean across replications: " + metric.info.description);
                CHECK(h5::read_string_attribute(quantiles, "units") == metric.info.units);
            }

            const h5::Group cohorts = scenario.open_group("cohorts");
            const h5::Dataset retention = cohorts.open_dataset("logo_retention");
            CHECK(retention.shape() == Shape{months, months});
            CHECK(same_values(retention.read<double>(), expected.logo_retention.values));
            CHECK(std::isnan(h5::read_attribute<double>(retention, "_FillValue")));
            CHECK_FALSE(h5::read_string_attribute(retention, "undefined_when").empty());
            CHECK(cohorts.open_dataset("cohort").read<std::int32_t>() ==
                  std::vector<std::int32_t>{0, 1, 2, 3, 4});
            CHECK(h5::read_string_attribute(cohorts.open_dataset("cohort"), "units") ==
                  "month of acquisition");
            CHECK(h5::read_string_attribute(cohorts.open_dataset("age"), "units") == "months");

            const h5::Group reasons = scenario.open_group("churn_reasons");
            CHECK(reasons.children() == Strings{"competitor", "month", "price"});
            for (const ReasonSeries& reason : expected.churn_reasons) {
                CHECK(reasons.open_dataset(reason.info.name).read<double>() == reason.mean);
            }
        }

        // Paths only where a metric kept them: mrr of "base", 3 replications.
        const h5::Group paths = scenarios.open_group("base").open_group("paths");
        CHECK(paths.children() == Strings{"month", "mrr", "replication"});
        CHECK(paths.open_dataset("mrr").shape() == Shape{replications, months});
        CHECK(paths.open_dataset("mrr").read<double>() == results.scenarios[0].metrics[1].paths);
        CHECK(paths.open_dataset("replication").read<std::int64_t>() ==
              std::vector<std::int64_t>{0, 1, 2});
        const Strings annual = scenarios.open_group("annual_plans").children();
        CHECK(std::find(annual.begin(), annual.end(), "paths") == annual.end());
    }

    TEST_CASE("every dataset has units, description and attached dimension scales") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        write_results(make_results(), target, false);
        const h5::File file = h5::File::open_read_only(target);
        const h5::Group root = file.root();

        std::vector<std::string> datasets;
        collect_datasets(root, datasets);
        CHECK(datasets.size() > 40);
        for (const std::string& path : datasets) {
            CAPTURE(path);
            const h5::Dataset dataset = root.open_dataset(path);
            REQUIRE(dataset.has_attribute("units"));
            REQUIRE(dataset.has_attribute("description"));
            CHECK_FALSE(h5::read_string_attribute(dataset, "units").empty());
            CHECK_FALSE(h5::read_string_attribute(dataset, "description").empty());
            if (dataset.is_scale()) {
                // A scale's dimension name is its dataset name, which xarray uses as the dim.
                CHECK(path.ends_with("/" + h5::read_string_attribute(dataset, "NAME")));
                continue;
            }
            // Each dimension labelled by the scale of that name in the dataset's own group.
            const std::string group = path.substr(0, path.rfind('/'));
            const std::string kind = group.substr(group.rfind('/') + 1);
            const Strings dims = kind == "quantiles" ? Strings{"quantile", "month"}
                                 : kind == "paths"   ? Strings{"replication", "month"}
                                 : kind == "cohorts" ? Strings{"cohort", "age"}
                                                     : Strings{"month"};
            REQUIRE(dataset.shape().size() == dims.size());
            for (unsigned d = 0; d < dims.size(); ++d) {
                CHECK(dataset.attached_scales(d) == Strings{group + "/" + dims[d]});
            }
        }
    }

    TEST_CASE("an existing file is replaced only with overwrite, and atomically") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        write_results(make_results("first"), target, false);
        const std::string before = file_bytes(target);
        CHECK_FALSE(before.empty());
        CHECK(temporary_files(directory.path()).empty());

        CHECK_THROWS_WITH_AS(
            write_results(make_results("second"), target, false),
            ("output file '" + target.string() + "' exists; use --force to overwrite").c_str(),
            InputError);
        CHECK(file_bytes(target) == before);
        CHECK(temporary_files(directory.path()).empty());

        write_results(make_results("second"), target, true);
        CHECK(temporary_files(directory.path()).empty());
        const h5::File file = h5::File::open_read_only(target);
        CHECK(h5::read_string_attribute(file.root(), "created_utc") == "second");
    }

    TEST_CASE("a missing directory is an InputError naming the path and the reason") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "missing" / "out.h5";
        try {
            write_results(make_results(), target, false);
            FAIL("no exception");
        } catch (const InputError& error) {
            const std::string message = error.what();
            CHECK(message.find(target.string()) != std::string::npos);
            CHECK(message.find("No such file or directory") != std::string::npos);
        }
        CHECK_FALSE(fs::exists(target.parent_path()));
        CHECK(temporary_files(directory.path()).empty());

        // A directory given as the output path.
        CHECK_THROWS_AS(write_results(make_results(), directory.path(), true), InputError);
    }

    TEST_CASE("a failure while writing removes the temporary file and keeps the old target") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        write_results(make_results(), target, false);
        const std::string before = file_bytes(target);

        // The second scenario's mrr is one month short: detected mid-file, after "base" is
        // written.
        RunResults broken = make_results("broken");
        broken.scenarios[1].metrics[1].mean.pop_back();
        CHECK_THROWS_WITH_AS(write_results(broken, target, true),
                             doctest::Contains("/scenarios/annual_plans/mean/mrr"),
                             std::invalid_argument);
        CHECK(file_bytes(target) == before);
        CHECK(temporary_files(directory.path()).empty());
    }

    TEST_CASE("scenario names must be usable as group names") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        RunResults results = make_results();
        results.scenarios[1].name = "a/b";
        CHECK_THROWS_AS(write_results(results, target, false), InputError);
        results.scenarios[1].name = "base";
        CHECK_THROWS_WITH_AS(write_results(results, target, false),
                             doctest::Contains("two scenarios are named 'base'"), InputError);
        CHECK_FALSE(fs::exists(target));
        CHECK(temporary_files(directory.path()).empty());
    }

    TEST_CASE("HDF5 failures name the object path") {
        TemporaryDirectory directory;
        const fs::path target = directory.path() / "out.h5";
        RunResults results = make_results();
        // A metric named like the scale its group already holds.
        results.scenarios[0].metrics[0].info.name = "month";
        CHECK_THROWS_WITH_AS(write_results(results, target, false),
                             doctest::Contains("'/scenarios/base/mean/month'"), h5::Error);
        CHECK_FALSE(fs::exists(target));
        CHECK(temporary_files(directory.path()).empty());
    }
}
