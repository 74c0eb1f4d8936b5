// The bundled scenarios load and tell the story they claim (README "Bundled scenarios").

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

const std::filesystem::path scenarios_dir =
    std::filesystem::path(COHORTSIM_TEST_DATA).parent_path().parent_path() / "scenarios";

// A bundled team scenario with fewer replications and, optionally, another hunter share.
Scenario team_scenario(const std::string& file, const std::string& hunter_share = "") {
    std::vector<Override> overrides{{"simulation.replications", "40"}};
    if (!hunter_share.empty()) overrides.push_back({"team.hunter_share", hunter_share});
    Scenario scenario = load_scenario_file(scenarios_dir / "teams" / file, overrides);
    // Names must differ within a run.
    std::string suffix = hunter_share;
    std::replace(suffix.begin(), suffix.end(), '.', '_');
    if (!suffix.empty()) scenario.name += "_" + suffix;
    return scenario;
}

double at_horizon(const ScenarioResults& results, const std::string& name) {
    return metric_of(results, name).mean.back();
}

}  // namespace

TEST_SUITE("bundled scenarios") {
    TEST_CASE("every bundled scenario loads and validates") {
        int count = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(scenarios_dir)) {
            if (entry.path().extension() != ".toml") continue;
            INFO(entry.path().string());
            CHECK_NOTHROW(load_scenario_file(entry.path()));
            ++count;
        }
        CHECK(count >= 11);
    }

    TEST_CASE("the price rise: fewer customers, more revenue and NPV") {
        const std::vector<Override> fewer{{"simulation.replications", "40"}};
        const RunResults results = run_scenarios(
            {load_scenario_file(scenarios_dir / "baseline.toml", fewer),
             load_scenario_file(scenarios_dir / "pricing" / "price_rise.toml", fewer)},
            RunOptions{});
        const ScenarioComparison& rise = results.comparisons.front();
        const auto difference = [&](const std::string& name) {
            for (const KpiComparison& kpi : rise.kpis)
                if (kpi.info.name == name) return kpi;
            FAIL("no KPI " << name);
            return KpiComparison{};
        };
        MESSAGE("price rise: customers " << difference("active_customers").mean_difference
                                         << ", ARR " << difference("arr").mean_difference
                                         << ", NPV " << difference("npv").mean_difference);
        CHECK(difference("active_customers").ci_high < 0.0);
        CHECK(difference("arr").ci_low > 0.0);
        CHECK(difference("npv").ci_low > 0.0);
        CHECK(std::isnan(rise.roi));  // no lever cost
    }

    TEST_CASE("the combined strategy reaches net negative churn; the baseline does not") {
        const std::vector<Override> fewer{{"simulation.replications", "40"}};
        const Scenario baseline = load_scenario_file(scenarios_dir / "baseline.toml", fewer);
        const Scenario combined =
            load_scenario_file(scenarios_dir / "net_negative_churn.toml", fewer);
        const RunResults results = run_scenarios({baseline, combined}, RunOptions{});
        const ScenarioResults& base = results.scenarios[0];
        const ScenarioResults& all = results.scenarios[1];
        REQUIRE(all.kpis.front().info.name == "first_net_negative_churn_month");
        const KpiSummary& first_month = all.kpis.front();
        const std::size_t median = 2;  // quantile levels 0.05 0.25 0.5 0.75 0.95
        MESSAGE("net MRR churn first turns negative in month "
                << first_month.quantiles[median] << " (median; 90% interval "
                << first_month.quantiles[0] << " to " << first_month.quantiles[4] << "), in "
                << 100 * first_month.share_defined << "% of replications");
        CHECK(first_month.share_defined >= 0.9);
        CHECK(first_month.quantiles[median] >= 1.0);
        CHECK(first_month.quantiles[median] <= all.horizon_months);
        const KpiSummary& nrr_month = all.kpis[1];
        REQUIRE(nrr_month.info.name == "first_nrr_above_one_month");
        MESSAGE("trailing-12-month NRR first exceeds 100% in month "
                << nrr_month.quantiles[median] << " (median), in " << 100 * nrr_month.share_defined
                << "% of replications");
        CHECK(nrr_month.share_defined >= 0.9);
        CHECK(nrr_month.quantiles[median] > first_month.quantiles[median]);
        CHECK(base.kpis[1].share_defined == 0.0);
        const auto& net = metric_of(all, "net_mrr_churn_rate").mean;
        CHECK(net.back() < 0.0);
        CHECK(metric_of(base, "net_mrr_churn_rate").mean.back() > 0.0);
        CHECK(metric_of(all, "nrr").mean.back() > 1.0);
        CHECK(metric_of(base, "nrr").mean.back() < 1.0);
    }

    TEST_CASE("priced levers: the onboarding programme adds ARR but loses NPV; the desk pays") {
        // README's sample output: the money tells what the customer counts do not.
        const std::vector<Override> fewer{{"simulation.replications", "40"}};
        const RunResults results =
            run_scenarios({load_scenario_file(scenarios_dir / "baseline.toml", fewer),
                           load_scenario_file(scenarios_dir / "onboarding_programme.toml", fewer),
                           load_scenario_file(scenarios_dir / "save_desk.toml", fewer)},
                          RunOptions{});
        REQUIRE(results.comparisons.size() == 2);
        const auto difference = [&](std::size_t c, const std::string& kpi) {
            for (const KpiComparison& k : results.comparisons[c].kpis)
                if (k.info.name == kpi) return k;
            FAIL("no KPI " << kpi);
            return KpiComparison{};
        };
        for (std::size_t c = 0; c < 2; ++c)
            MESSAGE(results.comparisons[c].name << ": ARR " << difference(c, "arr").mean_difference
                                                << ", NPV " << difference(c, "npv").mean_difference
                                                << ", ROI " << results.comparisons[c].roi
                                                << ", break-even month "
                                                << results.comparisons[c].break_even_month);
        // Both ends of each interval on the claimed side.
        CHECK(difference(0, "arr").ci_low > 0.0);
        CHECK(difference(0, "npv").ci_high < 0.0);
        CHECK(results.comparisons[0].roi < 0.0);
        CHECK(std::isnan(results.comparisons[0].break_even_month));
        CHECK(difference(1, "arr").ci_low > 0.0);
        CHECK(difference(1, "npv").ci_low > 0.0);
        CHECK(results.comparisons[1].roi > 1.0);
        CHECK(results.comparisons[1].break_even_month <= 12.0);
    }

    TEST_CASE("split versus generalist team: seed 002's trade-off in numbers") {
        const RunResults results =
            run_scenarios({team_scenario("company.toml"), team_scenario("generalist_team.toml"),
                           team_scenario("split_team.toml")},
                          RunOptions{});
        const ScenarioResults& none = results.scenarios[0];
        const ScenarioResults& generalist = results.scenarios[1];
        const ScenarioResults& split = results.scenarios[2];
        for (const ScenarioResults* run : {&none, &generalist, &split})
            MESSAGE(run->name << " at month 36: hunted logos/month "
                              << at_horizon(*run, "hunted_customers") << ", coverage "
                              << at_horizon(*run, "farmer_coverage") << ", NRR "
                              << at_horizon(*run, "nrr") << ", ARR " << at_horizon(*run, "arr")
                              << ", cumulative operating profit "
                              << at_horizon(*run, "cumulative_operating_profit"));
        // Generalists drift to farming: fewer new logos, more (weaker) coverage...
        CHECK(at_horizon(generalist, "hunted_customers") <
              0.6 * at_horizon(split, "hunted_customers"));
        CHECK(at_horizon(generalist, "farmer_coverage") > at_horizon(split, "farmer_coverage"));
        // ...and the same reps, split, end with more ARR, more profit and a higher NPV.
        CHECK(at_horizon(split, "arr") > at_horizon(generalist, "arr"));
        CHECK(at_horizon(split, "cumulative_operating_profit") >
              at_horizon(generalist, "cumulative_operating_profit"));
        CHECK(at_horizon(split, "npv") > at_horizon(generalist, "npv"));
        CHECK(at_horizon(generalist, "arr") > at_horizon(none, "arr"));
    }

    TEST_CASE("the early-stage company should hunt, the scale-up should farm more") {
        const RunResults early = run_scenarios(
            {team_scenario("early_stage.toml", "0.25"), team_scenario("early_stage.toml", "0.75")},
            RunOptions{});
        const RunResults scale_up = run_scenarios(
            {team_scenario("scale_up.toml", "0.5"), team_scenario("scale_up.toml", "1.0")},
            RunOptions{});
        MESSAGE("early stage, ARR at month 36: hunter share 0.25 "
                << at_horizon(early.scenarios[0], "arr") << ", 0.75 "
                << at_horizon(early.scenarios[1], "arr"));
        MESSAGE("scale-up, ARR at month 36: hunter share 0.5 "
                << at_horizon(scale_up.scenarios[0], "arr") << ", 1.0 "
                << at_horizon(scale_up.scenarios[1], "arr"));
        CHECK(at_horizon(early.scenarios[1], "arr") > at_horizon(early.scenarios[0], "arr"));
        CHECK(at_horizon(scale_up.scenarios[0], "arr") > at_horizon(scale_up.scenarios[1], "arr"));
    }
}
