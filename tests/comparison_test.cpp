// Strategy comparison (docs/model.md section 9): paired differences under common random numbers,
// the variance they save, sweeps, and the summary read back from a results file.

#include <doctest/doctest.h>

#include <unistd.h>
#include <charconv>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/results_reader.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "cohortsim/summary.hpp"
#include "cohortsim/sweep.hpp"
#include "comparisons.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

namespace fs = std::filesystem;

// Two segments, growth, onboarding, contraction: enough mechanisms that a difference could hide.
Scenario busy_scenario(std::int64_t replications = 16) {
    Scenario scenario = two_segment_scenario(1500, 18, replications, 80.0);
    scenario.name = "base";
    scenario.contraction = {true, 0.02, 0.2};
    return scenario;
}

const MetricComparison& metric_of(const ScenarioComparison& comparison, const std::string& name) {
    for (const MetricComparison& metric : comparison.metrics) {
        if (metric.info.name == name) return metric;
    }
    FAIL("no metric " << name);
    throw std::logic_error("unreachable");
}

const MetricSummary& summary_of(const ScenarioResults& results, const std::string& name) {
    for (const MetricSummary& metric : results.metrics) {
        if (metric.info.name == name) return metric;
    }
    FAIL("no metric " << name);
    throw std::logic_error("unreachable");
}

double sample_std(const std::vector<double>& values) {
    double mean = 0.0;
    for (double v : values)
        mean += v;
    mean /= static_cast<double>(values.size());
    double squares = 0.0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

// Values of a metric at the last month, one per replication, from kept paths.
std::vector<double> at_horizon(const MetricSummary& metric) {
    const std::size_t months = metric.mean.size();
    std::vector<double> values;
    for (std::size_t i = months - 1; i < metric.paths.size(); i += months)
        values.push_back(metric.paths[i]);
    return values;
}

fs::path bundled(const char* name) {
    return fs::path(COHORTSIM_TEST_DATA).parent_path().parent_path() / "scenarios" / name;
}

}  // namespace

TEST_SUITE("comparison") {
    TEST_CASE("a scenario compared with itself differs by exactly zero") {
        const Scenario base = busy_scenario();
        Scenario twin = base;
        twin.name = "twin";
        const RunResults results = run_scenarios({base, twin}, RunOptions{});
        REQUIRE(results.comparisons.size() == 1);
        const ScenarioComparison& comparison = results.comparisons.front();
        CHECK(comparison.name == "twin_vs_base");
        CHECK(comparison.baseline == "base");
        REQUIRE(comparison.metrics.size() == results.scenarios[0].metrics.size());
        for (std::size_t k = 0; k < comparison.metrics.size(); ++k) {
            const MetricComparison& metric = comparison.metrics[k];
            INFO("metric " << metric.info.name);
            for (std::size_t m = 0; m < metric.mean.size(); ++m) {
                // Undefined in every replication (a rate at month 0): no pair to compare.
                const bool undefined = std::isnan(results.scenarios[0].metrics[k].mean[m]);
                CHECK(std::isnan(metric.mean[m]) == undefined);
                if (undefined) continue;
                CHECK(metric.mean[m] == 0.0);
                CHECK(metric.std[m] == 0.0);
                CHECK(metric.ci_low[m] == 0.0);
                CHECK(metric.ci_high[m] == 0.0);
            }
        }
        REQUIRE(comparison.kpis.size() == headline_kpis().size());
        for (const KpiComparison& kpi : comparison.kpis) {
            INFO("KPI " << kpi.info.name);
            // Every replication a tie; NaN when no replication reaches the KPI.
            CHECK((kpi.p_b_better == 0.5 || (std::isnan(kpi.p_b_better) && kpi.pairs == 0)));
            for (double d : kpi.differences)
                CHECK((d == 0.0 || std::isnan(d)));
            if (kpi.pairs > 0) {
                CHECK(kpi.mean_difference == 0.0);
                CHECK(kpi.std_difference == 0.0);
            }
        }
    }

    // Common random numbers per customer and purpose: a strategy that only adds draws of its
    // own (upsell moves MRR, never churn) leaves every customer's churn draws as they were, so
    // the logo metrics of the two strategies agree in every replication, bit for bit.
    TEST_CASE("a lever with draws of its own does not shift the other mechanisms' draws") {
        const Scenario base = busy_scenario(8);
        Scenario upsell = base;
        upsell.name = "upsell";
        upsell.upsell = {true, 0.05, {{"pro", 1.5}, {"business", 2.2}}};
        RunOptions options;
        options.keep_paths = true;
        const RunResults results = run_scenarios({base, upsell}, options);
        for (const char* name : {"active_customers", "new_customers", "churned_customers",
                                 "logo_churn_rate", "logo_churn_rate_12m"}) {
            INFO("metric " << name);
            CHECK(bitwise_equal(summary_of(results.scenarios[0], name).paths,
                                summary_of(results.scenarios[1], name).paths));
            const MetricComparison& d = metric_of(results.comparisons.front(), name);
            // 0 where defined; the rates at month 0 are undefined in both.
            CHECK(std::all_of(d.mean.begin(), d.mean.end(),
                              [](double x) { return x == 0.0 || std::isnan(x); }));
            CHECK(std::count_if(d.mean.begin(), d.mean.end(),
                                [](double x) { return std::isnan(x); }) <= 1);
        }
        const MetricComparison& mrr = metric_of(results.comparisons.front(), "mrr");
        CHECK(mrr.mean.back() > 0.0);
        CHECK(mrr.ci_low.back() > 0.0);  // the upsell's effect, clear of the noise
    }

    TEST_CASE("paired differences are the statistics of b - a, replication by replication") {
        const Scenario base = busy_scenario(12);
        Scenario variant = base;
        variant.name = "variant";
        variant.onboarding.activation_per_month = 0.7;
        RunOptions options;
        options.keep_paths = true;
        const RunResults results = run_scenarios({base, variant}, options);
        const ScenarioComparison& comparison = results.comparisons.front();
        const double t_11 = 2.2009851600916384;  // Student t, 0.975 quantile, 11 df
        for (const char* name : {"arr", "active_customers", "nrr", "logo_churn_rate"}) {
            INFO("metric " << name);
            const MetricSummary& a = summary_of(results.scenarios[0], name);
            const MetricSummary& b = summary_of(results.scenarios[1], name);
            const MetricComparison& d = metric_of(comparison, name);
            const std::size_t months = a.mean.size();
            for (std::size_t m = 0; m < months; ++m) {
                std::vector<double> differences;
                for (std::size_t r = 0; r < 12; ++r)
                    differences.push_back(b.paths[r * months + m] - a.paths[r * months + m]);
                // A rate at month 0 is undefined in every replication: no pairs, NaN.
                if (std::isnan(differences.front())) {
                    CHECK(std::all_of(differences.begin(), differences.end(),
                                      [](double x) { return std::isnan(x); }));
                    CHECK(std::isnan(d.mean[m]));
                    continue;
                }
                double mean = 0.0;
                for (double x : differences)
                    mean += x;
                mean /= 12.0;
                const double sd = sample_std(differences);
                const double tolerance = 1e-9 * (std::abs(mean) + sd + 1.0);
                CHECK(std::abs(d.mean[m] - mean) <= tolerance);
                CHECK(std::abs(d.std[m] - sd) <= tolerance);
                CHECK(std::abs(d.ci_low[m] - (mean - t_11 * sd / std::sqrt(12.0))) <= tolerance);
                CHECK(std::abs(d.ci_high[m] - (mean + t_11 * sd / std::sqrt(12.0))) <= tolerance);
            }
        }
        // KPI at the horizon: P(b better) is the share of replications with a higher ARR.
        const KpiComparison& arr = comparison.kpis[2];
        REQUIRE(arr.info.name == "arr");
        const auto a = at_horizon(summary_of(results.scenarios[0], "arr"));
        const auto b = at_horizon(summary_of(results.scenarios[1], "arr"));
        double wins = 0.0;
        for (std::size_t r = 0; r < a.size(); ++r)
            wins += b[r] > a[r] ? 1.0 : b[r] == a[r] ? 0.5 : 0.0;
        CHECK(arr.p_b_better == doctest::Approx(wins / 12.0));
        CHECK(arr.pairs == 12);
        CHECK(arr.mean_difference == doctest::Approx(metric_of(comparison, "arr").mean.back()));
    }

    TEST_CASE("comparisons are bit-identical for any thread count") {
        const Scenario base = busy_scenario(10);
        Scenario variant = base;
        variant.name = "variant";
        variant.contraction.monthly_probability = 0.01;
        RunOptions one;
        one.threads = 1;
        RunOptions three;
        three.threads = 3;
        const RunResults x = run_scenarios({base, variant}, one);
        const RunResults y = run_scenarios({base, variant}, three);
        const auto& cx = x.comparisons.front();
        const auto& cy = y.comparisons.front();
        for (std::size_t k = 0; k < cx.metrics.size(); ++k) {
            INFO("metric " << cx.metrics[k].info.name);
            CHECK(bitwise_equal(cx.metrics[k].mean, cy.metrics[k].mean));
            CHECK(bitwise_equal(cx.metrics[k].ci_low, cy.metrics[k].ci_low));
            CHECK(bitwise_equal(cx.metrics[k].ci_high, cy.metrics[k].ci_high));
        }
        for (std::size_t k = 0; k < cx.kpis.size(); ++k) {
            CHECK(bitwise_equal(cx.kpis[k].differences, cy.kpis[k].differences));
            CHECK(bitwise_equal(std::vector<double>{cx.kpis[k].p_b_better},
                                std::vector<double>{cy.kpis[k].p_b_better}));
        }
    }

    // The point of common random numbers, measured: baseline against the onboarding programme
    // (both bundled), ARR at the horizon. With CRN, replication r of both strategies sees the same
    // customers, so the noise that both share cancels in b - a; with independent seeds it adds.
    TEST_CASE("common random numbers shrink the noise of a paired difference at least 5x") {
        const std::vector<Override> settings{{"simulation.replications", "100"}};
        const Scenario baseline = load_scenario_file(bundled("baseline.toml"), settings);
        const Scenario programme =
            load_scenario_file(bundled("onboarding_programme.toml"), settings);
        RunOptions options;
        options.keep_paths = true;
        const RunResults together = run_scenarios({baseline, programme}, options);
        Scenario independent = programme;
        independent.simulation.seed += 7919;
        const RunResults apart = run_scenarios({independent}, options);

        const auto a = at_horizon(summary_of(together.scenarios[0], "arr"));
        const auto b = at_horizon(summary_of(together.scenarios[1], "arr"));
        const auto b_apart = at_horizon(summary_of(apart.scenarios[0], "arr"));
        std::vector<double> paired;
        std::vector<double> unpaired;
        for (std::size_t r = 0; r < a.size(); ++r) {
            paired.push_back(b[r] - a[r]);
            unpaired.push_back(b_apart[r] - a[r]);
        }
        const double sd_crn = sample_std(paired);
        const double sd_independent = sample_std(unpaired);
        MESSAGE("ARR at month " << baseline.simulation.horizon_months
                                << ", onboarding_programme - baseline, 100 replications: sd "
                                << sd_crn << " with common random numbers, " << sd_independent
                                << " with independent seeds (" << sd_independent / sd_crn << "x)");
        CHECK(sd_crn * 5.0 <= sd_independent);
        // The file's std/arr of the comparison is that same paired standard deviation.
        CHECK(metric_of(together.comparisons.front(), "arr").std.back() ==
              doctest::Approx(sd_crn).epsilon(1e-12));
    }

    TEST_CASE("paired statistics and P(better) by hand") {
        const std::vector<double> d{1.0, 2.0, 3.0, 4.0, 5.0};
        const PairedStatistics stats = paired_statistics(d, 0.95);
        CHECK(stats.count == 5);
        CHECK(stats.mean == 3.0);
        CHECK(stats.std == doctest::Approx(std::sqrt(2.5)));
        const double half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);  // t 0.975, 4 df
        CHECK(stats.ci_low == doctest::Approx(3.0 - half));
        CHECK(stats.ci_high == doctest::Approx(3.0 + half));
        // Undefined is NaN: no pairs, nothing is known; one pair, a mean without a spread.
        const PairedStatistics none = paired_statistics(std::vector<double>{}, 0.95);
        CHECK(none.count == 0);
        CHECK(std::isnan(none.mean));
        const PairedStatistics one = paired_statistics(std::vector<double>{2.0}, 0.95);
        CHECK(one.mean == 2.0);
        CHECK(std::isnan(one.std));
        CHECK(std::isnan(one.ci_low));
        CHECK(std::isnan(one.ci_high));

        const std::vector<double> a{1.0, 2.0, 3.0, 4.0};
        const std::vector<double> b{2.0, 2.0, 1.0, 5.0};
        CHECK(probability_better(a, b, Better::higher) == 0.625);  // 2 wins, 1 tie
        CHECK(probability_better(a, b, Better::lower) == 0.375);
        // Undefined values compare with nothing.
        const std::vector<double> b_undefined{2.0, undefined_number, 1.0, 5.0};
        CHECK(probability_better(a, b_undefined, Better::higher) == doctest::Approx(2.0 / 3.0));
        // Months: NaN = never, worse than any month; never against never does not count.
        const double never = undefined_number;
        const std::vector<double> month_a{5.0, never, 7.0, never};
        const std::vector<double> month_b{never, 30.0, 6.0, never};
        CHECK(probability_better(month_a, month_b, Better::earlier) == doctest::Approx(2.0 / 3.0));
        const std::vector<double> nevers{never, never};
        CHECK(std::isnan(probability_better(nevers, nevers, Better::earlier)));
    }

    TEST_CASE("the summary read back from the file is the summary of the run") {
        const Scenario base = busy_scenario(8);
        Scenario variant = base;
        variant.name = "variant";
        variant.onboarding.activation_per_month = 0.8;
        RunResults results = run_scenarios({base, variant}, RunOptions{});
        results.scenarios[1].swept = {{"onboarding.activation_per_month", "0.8", 0.8},
                                      {"segments.smb.name", "\"x\"", std::nullopt}};
        const fs::path path = fs::temp_directory_path() /
                              ("cohortsim-comparison-test-" + std::to_string(::getpid()) + ".h5");
        write_results(results, path, true);
        const RunResults back = read_results(path);
        fs::remove(path);
        CHECK(format_summary(back) == format_summary(results));
        CHECK(format_summary_csv(back) == format_summary_csv(results));
        REQUIRE(back.scenarios.size() == 2);
        CHECK(back.scenarios[0].name == "base");  // run order, not name order
        REQUIRE(back.scenarios[1].swept.size() == 2);
        CHECK(back.scenarios[1].swept[0].key == "onboarding.activation_per_month");
        CHECK(back.scenarios[1].swept[0].number == 0.8);
        CHECK(back.scenarios[1].swept[1].text == "\"x\"");
        REQUIRE(back.comparisons.size() == 1);
        const ScenarioComparison& c = back.comparisons.front();
        CHECK(c.name == "variant_vs_base");
        for (std::size_t k = 0; k < c.metrics.size(); ++k) {
            const MetricComparison& written = results.comparisons.front().metrics[k];
            CHECK(c.metrics[k].info.description == written.info.description);
            CHECK(bitwise_equal(c.metrics[k].mean, written.mean));
            CHECK(bitwise_equal(c.metrics[k].ci_high, written.ci_high));
        }
        const std::string text = format_summary(results);
        CHECK(text.find("Paired differences against base") != std::string::npos);
        CHECK(text.find("variant") != std::string::npos);
    }

    TEST_CASE("summary --kpi and --month: chosen metrics at a chosen month, as in the results") {
        const Scenario base = busy_scenario(8);
        Scenario variant = base;
        variant.name = "variant";
        variant.onboarding.activation_per_month = 0.8;
        variant.onboarding.cost_per_new_customer = 30.0;
        const RunResults results = run_scenarios({base, variant}, RunOptions{});
        SummaryOptions options;
        options.kpis = {"cost_onboarding", "npv"};
        options.month = 5;
        const std::string csv = format_summary_csv(results, options);
        // Header, then two KPIs for each of the two scenarios; no ROI rows when KPIs are chosen.
        CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
        const auto number = [](double value) {
            char text[40];
            const auto end = std::to_chars(text, text + sizeof text, value).ptr;
            return std::string(text, end);
        };
        const double cost = metric_of(results.scenarios[1], "cost_onboarding").mean[5];
        CHECK(cost > 0.0);
        CAPTURE(csv);
        CHECK(csv.find("variant,cost_onboarding,currency/month,5," + number(cost) + ",") !=
              std::string::npos);
        const MetricComparison* npv = nullptr;
        for (const MetricComparison& metric : results.comparisons.front().metrics)
            if (metric.info.name == "npv") npv = &metric;
        REQUIRE(npv != nullptr);
        // Away from the horizon: the month's paired mean and interval, no pairs, no P(better).
        CHECK(csv.find(",base," + number(npv->mean[5]) + "," + number(npv->ci_low[5]) + "," +
                       number(npv->ci_high[5]) + ",0.95,,\n") != std::string::npos);
        CHECK(format_summary(results, options).find("At month 5,") != std::string::npos);
        // A per-replication KPI that is not a headline one is paired from both scenarios' values.
        options.kpis = {"first_nrr_above_one_month"};
        options.month = -1;
        const std::string months = format_summary_csv(results, options);
        CAPTURE(months);
        CHECK(months.find("variant,first_nrr_above_one_month,month,,") != std::string::npos);
        CHECK(months.find(",base,") != std::string::npos);
        options.kpis = {"no_such_metric"};
        CHECK_THROWS_AS(format_summary(results, options), InputError);
        options.kpis = {};
        options.month = 19;  // the horizon is 18
        CHECK_THROWS_AS(format_summary_csv(results, options), InputError);
    }

    TEST_CASE("the reader gives back the paths, cohort matrices and churn reasons written") {
        RunOptions options;
        options.keep_paths = true;
        const RunResults results = run_scenarios({busy_scenario(5)}, options);
        const fs::path path = fs::temp_directory_path() /
                              ("cohortsim-reader-test-" + std::to_string(::getpid()) + ".h5");
        write_results(results, path, true);
        const RunResults back = read_results(path);
        fs::remove(path);
        const ScenarioResults& written = results.scenarios.front();
        const ScenarioResults& read = back.scenarios.front();
        REQUIRE(read.metrics.size() == written.metrics.size());
        for (std::size_t k = 0; k < written.metrics.size(); ++k) {
            INFO(written.metrics[k].info.name);
            REQUIRE_FALSE(written.metrics[k].paths.empty());
            CHECK(bitwise_equal(read.metrics[k].paths, written.metrics[k].paths));
        }
        const std::pair<const CohortMatrix*, const CohortMatrix*> matrices[] = {
            {&read.logo_retention, &written.logo_retention},
            {&read.revenue_retention, &written.revenue_retention}};
        for (const auto& pair : matrices) {
            const CohortMatrix* a = pair.first;
            const CohortMatrix* b = pair.second;
            INFO(b->info.name);
            CHECK(a->info.name == b->info.name);
            CHECK(a->cohorts == b->cohorts);
            CHECK(a->ages == b->ages);
            CHECK(bitwise_equal(a->values, b->values));
        }
        REQUIRE(read.churn_reasons.size() == written.churn_reasons.size());
        for (std::size_t r = 0; r < written.churn_reasons.size(); ++r) {
            CHECK(read.churn_reasons[r].info.name == written.churn_reasons[r].info.name);
            CHECK(bitwise_equal(read.churn_reasons[r].mean, written.churn_reasons[r].mean));
        }
    }

    TEST_CASE("one scenario: no comparison, and the summary has no differences") {
        const RunResults results = run_scenarios({busy_scenario(4)}, RunOptions{});
        CHECK(results.comparisons.empty());
        CHECK(format_summary(results).find("Paired") == std::string::npos);
    }
}

TEST_SUITE("sweep") {
    TEST_CASE("a list, a range with its stop included, and a grid in the order given") {
        const SweepAxis list = parse_sweep("retention.alpha=0.7, 0.9,1.1");
        CHECK(list.key == "retention.alpha");
        CHECK(list.values == std::vector<std::string>{"0.7", "0.9", "1.1"});
        const SweepAxis range = parse_sweep("onboarding.activation_per_month=0.1:0.3:0.1");
        CHECK(range.values == std::vector<std::string>{"0.1", "0.2", "0.3"});
        CHECK(parse_sweep("k=1:2:0.25").values.size() == 5);
        CHECK(parse_sweep("k=3:1:-1").values == std::vector<std::string>{"3", "2", "1"});
        CHECK(parse_sweep("k=-0.1:0.1:0.1").values == std::vector<std::string>{"-0.1", "0", "0.1"});
        CHECK(parse_sweep("k=0:1:0.3").values.size() == 4);  // 0, 0.3, 0.6, 0.9: stop not hit

        const auto variants = sweep_variants({parse_sweep("a.x=1,2"), parse_sweep("b=p,q,r")});
        REQUIRE(variants.size() == 6);
        CHECK(variants[0].suffix == "__a.x=1__b=p");
        CHECK(variants[1].suffix == "__a.x=1__b=q");
        CHECK(variants[3].suffix == "__a.x=2__b=p");
        CHECK(variants[3].overrides[0].key == "a.x");
        CHECK(variants[3].overrides[1].value == "p");
        CHECK(variants[3].values[0].number == 2.0);
        CHECK_FALSE(variants[3].values[1].number.has_value());
        CHECK(sweep_variants({}).size() == 1);
    }

    TEST_CASE("a sweep that names its scenarios varies only those") {
        const SweepAxis named = parse_sweep("save_desk, win_back:save_desk.save_rate=0.1,0.2");
        CHECK(named.key == "save_desk.save_rate");
        CHECK(named.scenarios == std::vector<std::string>{"save_desk", "win_back"});
        CHECK(named.values == std::vector<std::string>{"0.1", "0.2"});
        const SweepAxis all = parse_sweep("retention.alpha=0.7:0.9:0.1");
        CHECK(all.scenarios.empty());
        // A range's colons come after the '=': they name no scenario.
        CHECK(all.values.size() == 3);
        const std::vector<SweepAxis> axes = {named, all};
        CHECK(sweep_variants_of(axes, "save_desk").size() == 6);
        CHECK(sweep_variants_of(axes, "baseline").size() == 3);
        CHECK(sweep_variants_of({named}, "baseline").size() == 1);
        CHECK(sweep_variants_of({named}, "baseline").front().overrides.empty());
        CHECK_NOTHROW(check_swept_scenarios(axes, {"baseline", "save_desk", "win_back"}));
        try {
            check_swept_scenarios(axes, {"baseline", "save_desk"});
            FAIL("a sweep naming a scenario not in the run was accepted");
        } catch (const InputError& error) {
            CHECK(std::string(error.what()) ==
                  "--sweep save_desk, win_back:save_desk.save_rate=0.1,0.2: no scenario named "
                  "'win_back' in this run; its scenarios: baseline, save_desk");
        }
        try {
            parse_sweep(":save_desk.save_rate=0.1");
            FAIL("an empty scenario name was accepted");
        } catch (const InputError& error) {
            CHECK(std::string(error.what()).find("empty scenario name") != std::string::npos);
        }
    }

    TEST_CASE("bad sweeps are input errors that name the flag") {
        const auto message = [](const std::string& text) {
            try {
                sweep_variants({parse_sweep(text)});
            } catch (const InputError& error) {
                return std::string(error.what());
            }
            return std::string("no error");
        };
        for (const char* text :
             {"retention.alpha", "retention.alpha=1:2:0", "retention.alpha=2:1:0.5",
              "retention.alpha=1:2", "retention.alpha=a:2:1", "retention.alpha=1,,2",
              "retention.alpha=1,1", "retention.alpha=0:2000:1", "simulation.seed=1,2",
              "simulation.horizon_months=12,24", "name=a,b", "bad key=1"}) {
            INFO(text << " -> " << message(text));
            CHECK(message(text).find("--sweep") != std::string::npos);
        }
        CHECK(message("k=1:1000:1") == "no error");  // exactly the limit
        try {
            sweep_variants({parse_sweep("a=0:99:1"), parse_sweep("b=0:10:1")});
            FAIL("a grid of 1100 variants was accepted");
        } catch (const InputError& error) {
            CHECK(std::string(error.what()).find("--sweep b=0:10:1") != std::string::npos);
        }
        CHECK_THROWS_AS(sweep_variants({parse_sweep("a=1,2"), parse_sweep("a=3")}), InputError);
    }
}
