// Survival against closed forms (docs/model.md section 4): sBG, BdW, onboarding, unavoidable churn.

#include <doctest/doctest.h>

#include <map>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// Fraction of the initial cohort active at age t, pooled over replications.
double simulated_survival(const ScenarioResults& results, int age) {
    return results.logo_retention.values[static_cast<std::size_t>(age)];
}

}  // namespace

TEST_SUITE("retention closed forms") {
    TEST_CASE("pure sBG cohort follows B(alpha, beta + t) / B(alpha, beta)") {
        const std::int64_t customers = 20000;
        const std::int64_t replications = 20;
        for (auto [alpha, beta] : {std::pair{0.704, 1.182}, std::pair{3.8, 15.2}}) {
            const ScenarioResults results =
                run_one(pure_cohort(alpha, beta, customers, 24, replications));
            for (int t = 1; t <= 24; ++t) {
                const double expected = beta_ratio(alpha, beta, t);
                check_within("sBG alpha=" + std::to_string(alpha) + " t=" + std::to_string(t),
                             simulated_survival(results, t), expected,
                             survival_se(expected, double(customers * replications)));
            }
        }
    }

    TEST_CASE("BdW cohort follows B(alpha, beta + t^c) / B(alpha, beta)") {
        const std::int64_t customers = 20000;
        const std::int64_t replications = 20;
        for (double c : {0.6, 1.4}) {
            const double alpha = 1.1;
            const double beta = 4.0;
            const ScenarioResults results =
                run_one(pure_cohort(alpha, beta, customers, 24, replications, c));
            for (int t = 1; t <= 24; ++t) {
                const double expected = beta_ratio(alpha, beta, std::pow(t, c));
                check_within("BdW c=" + std::to_string(c) + " t=" + std::to_string(t),
                             simulated_survival(results, t), expected,
                             survival_se(expected, double(customers * replications)));
            }
        }
    }

    TEST_CASE("unavoidable churn multiplies survival by (1 - u)^t") {
        Scenario scenario = pure_cohort(2.0, 8.0, 20000, 18, 20);
        scenario.segments[0].retention.unavoidable_monthly = 0.02;
        const ScenarioResults results = run_one(scenario);
        for (int t = 1; t <= 18; ++t) {
            const double expected = beta_ratio(2.0, 8.0, t) * std::pow(0.98, t);
            check_within("unavoidable t=" + std::to_string(t), simulated_survival(results, t),
                         expected, survival_se(expected, 20000.0 * 20));
        }
    }

    TEST_CASE("onboarding: stalled hazard until activation, low adoption for life after") {
        // A customer activates in its K-th month, K ~ Geometric(p) on {1, 2, ...}. It carries the
        // stalled hazard s in each month before K within the first M months; never activated
        // (K > M) it carries the multiplier m on its baseline cumulative hazard from month M+1.
        const double alpha = 1.5, beta = 6.0, p = 0.4, s = 0.08, m = 2.5;
        const int months = 3;
        Scenario scenario = pure_cohort(alpha, beta, 20000, 15, 20);
        scenario.onboarding = {true, months, p, s, m};
        const ScenarioResults results = run_one(scenario);
        for (int t = 1; t <= 15; ++t) {
            double expected = 0.0;
            for (int k = 1; k <= months; ++k) {
                const double weight = std::pow(1 - p, k - 1) * p;
                expected +=
                    weight * std::pow(1 - s, std::min(k - 1, t)) * beta_ratio(alpha, beta, t);
            }
            const double never = std::pow(1 - p, months);
            const double exponent = t <= months ? t : months + m * (t - months);
            expected +=
                never * std::pow(1 - s, std::min(t, months)) * beta_ratio(alpha, beta, exponent);
            check_within("onboarding t=" + std::to_string(t), simulated_survival(results, t),
                         expected, survival_se(expected, 20000.0 * 20));
        }
    }

    TEST_CASE("baseline churn is split across reasons by the configured shares") {
        Scenario scenario = pure_cohort(1.0, 4.0, 20000, 12, 10);
        scenario.segments[0].retention.reason_shares = {0.5, 0.0, 0.1, 0.25, 0.15, 0.0};
        const ScenarioResults results = run_one(scenario);
        double total = 0.0;
        std::map<std::string, double> by_reason;
        for (const auto& reason : results.churn_reasons) {
            for (double churned : reason.mean)
                by_reason[reason.info.name] += churned;
            for (double churned : reason.mean)
                total += churned;
        }
        const double n = total * 10;  // churns over all replications
        for (std::size_t r = 0; r < baseline_reasons.size(); ++r) {
            const std::string name = churn_reason_name(baseline_reasons[r]);
            const double share = scenario.segments[0].retention.reason_shares[r];
            check_within("share of " + name, by_reason[name] / total, share,
                         std::sqrt(std::max(share * (1 - share), 1e-9) / n));
        }
        CHECK(by_reason["unavoidable"] == 0.0);
        CHECK(by_reason["stalled_onboarding"] == 0.0);
    }

    TEST_CASE("without [retention] nobody churns; churn reasons add up to churned logos") {
        Scenario scenario = pure_cohort(1.0, 1.0, 1000, 12, 4);
        scenario.segments[0].retention.enabled = false;
        const ScenarioResults quiet = run_one(scenario);
        CHECK(simulated_survival(quiet, 12) == 1.0);

        Scenario busy = pure_cohort(1.2, 5.0, 5000, 12, 4);
        busy.segments[0].retention.unavoidable_monthly = 0.01;
        busy.onboarding = {true, 2, 0.5, 0.05, 2.0};
        const ScenarioResults results = run_one(busy);
        const auto& churned = results.metrics[2];
        REQUIRE(churned.info.name == "churned_customers");
        for (std::size_t month = 0; month <= 12; ++month) {
            double by_reason = 0.0;
            for (const auto& reason : results.churn_reasons)
                by_reason += reason.mean[month];
            CHECK(by_reason == doctest::Approx(churned.mean[month]).epsilon(1e-12));
        }
    }
}
