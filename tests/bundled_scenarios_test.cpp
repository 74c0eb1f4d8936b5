// The bundled scenarios load and tell the story they claim (README "Bundled scenarios").

#include <doctest/doctest.h>

#include <filesystem>

#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;

namespace {

const std::filesystem::path scenarios_dir =
    std::filesystem::path(COHORTSIM_TEST_DATA).parent_path().parent_path() / "scenarios";

const MetricSummary& metric(const ScenarioResults& results, const std::string& name) {
    for (const MetricSummary& m : results.metrics) {
        if (m.info.name == name) return m;
    }
    throw std::logic_error("no metric " + name);
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
        const auto& net = metric(all, "net_mrr_churn_rate").mean;
        CHECK(net.back() < 0.0);
        CHECK(metric(base, "net_mrr_churn_rate").mean.back() > 0.0);
        CHECK(metric(all, "nrr").mean.back() > 1.0);
        CHECK(metric(base, "nrr").mean.back() < 1.0);
    }
}
