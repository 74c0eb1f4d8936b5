// Retention programmes as data (docs/model.md 11.6): [interventions.<name>] multiplies the hazards
// of the accounts it covers by reason, from its start month, at a cost per covered account.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "cohortsim/error.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

Scenario programme(const std::string& text) {
    return scenario_from_text(text, "programme");
}

// A pure sBG cohort: Beta(1, 4) propensities, monthly terms, the default reason shares
// (performance: 0.15).
constexpr const char* cohort = R"(
[simulation]
horizon_months = 18
replications = 40
seed = 21
[acquisition]
initial_customers = 5000
[retention]
alpha = 1.0
beta = 4.0
)";

}  // namespace

TEST_SUITE("interventions") {
    TEST_CASE("full coverage from month k: survival B(a, b + (k-1) + f(t-k+1)) / B(a, b)") {
        // f = 1 - share x (1 - m) on the baseline hazard, m = 0.2 on performance (share 0.15).
        constexpr int k = 7;
        constexpr double f = 1.0 - 0.15 * (1.0 - 0.2);
        const Scenario scenario = programme(std::string(cohort) + R"(
[interventions.sla]
reasons.performance = 0.2
start_month = 7
cost_per_account_month = 3.0
cost_per_month = 500.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        const double customers = 5000.0 * 40.0;
        for (std::size_t t = 1; t < at.months(); ++t) {
            const double exponent =
                t < k ? static_cast<double>(t) : (k - 1) + f * static_cast<double>(t - k + 1);
            const double expected = beta_ratio(1.0, 4.0, exponent);
            check_within("survival at month " + std::to_string(t),
                         at.total("active_customers", t) / customers, expected,
                         survival_se(expected, customers));
        }
        // Covered: every account active at the month's start, from month k; the cost follows.
        for (std::size_t r = 0; r < at.replications(); ++r) {
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const double covered = m >= k ? at("active_customers", r, m - 1) : 0.0;
                CHECK(at("covered_by_interventions", r, m) == covered);
                CHECK(at("cost_interventions", r, m) == (m >= k ? 3.0 * covered + 500.0 : 0.0));
                CHECK(at("retention_cost", r, m) == at("cost_interventions", r, m));
                CHECK(at("cost_sla", r, m) == at("cost_interventions", r, m));
                CHECK(at("covered_sla", r, m) == covered);
            }
        }
    }

    TEST_CASE("each programme has its own cost and coverage; comparisons pair what both have") {
        const Scenario two = programme(std::string(cohort) + R"(
[interventions.sla]
reasons.performance = 0.5
start_month = 3
cost_per_account_month = 2.0
[interventions.onboarding_call]
tenure_months = [1, 2]
cost_per_month = 100.0
)");
        RunOptions options;
        options.keep_paths = true;
        Scenario without = programme(cohort);
        without.name = "without";
        const RunResults run = run_scenarios({without, two}, options);
        const KeptPaths at{run.scenarios[1]};
        for (std::size_t r = 0; r < at.replications(); ++r)
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const double active = at("active_customers", r, m - 1);
                CHECK(at("covered_sla", r, m) == (m >= 3 ? active : 0.0));
                CHECK(at("cost_sla", r, m) == (m >= 3 ? 2.0 * active : 0.0));
                // Months of life 1..2 of the initial cohort are months 1..2.
                CHECK(at("covered_onboarding_call", r, m) == (m <= 2 ? active : 0.0));
                CHECK(at("cost_onboarding_call", r, m) == 100.0);
                CHECK(at("cost_interventions", r, m) ==
                      at("cost_sla", r, m) + at("cost_onboarding_call", r, m));
                CHECK(at("covered_by_interventions", r, m) ==
                      at("covered_sla", r, m) + at("covered_onboarding_call", r, m));
            }
        // The baseline has no cost_sla: the comparison pairs the metrics both have, the
        // programmes' sums among them.
        const ScenarioComparison& comparison = run.comparisons.front();
        const auto compared = [&](const std::string& name) {
            return std::any_of(comparison.metrics.begin(), comparison.metrics.end(),
                               [&](const MetricComparison& c) { return c.info.name == name; });
        };
        CHECK_FALSE(compared("cost_sla"));
        CHECK(compared("cost_interventions"));
        CHECK(compared("npv"));
        CHECK(comparison.metrics.size() == run.scenarios[0].metrics.size());
        CHECK(run.scenarios[1].metrics.size() == run.scenarios[0].metrics.size() + 4);
    }

    TEST_CASE("a share of the accounts, a tenure window, a save rate, a cost per new logo") {
        // Without an effect on hazards (covered accounts would outlive the others, and their
        // share among survivors grow), the covered share of the accounts is the coverage.
        const Scenario share = programme(std::string(cohort) + R"(
[interventions.education]
coverage = 0.4
cost_per_account_month = 1.0
)");
        const ScenarioResults shared = run_one(share, true);
        const KeptPaths at{shared};
        for (std::size_t m = 1; m < at.months(); ++m) {
            const double eligible = at.total("active_customers", m - 1);
            check_within("covered share in month " + std::to_string(m),
                         at.total("covered_by_interventions", m), 0.4 * eligible,
                         std::sqrt(eligible * 0.4 * 0.6));
        }

        // Months of life 5..8 of the initial cohort are months 5..8 of the run.
        const Scenario window = programme(std::string(cohort) + R"(
[interventions.check_in]
tenure_months = [5, 8]
)");
        const ScenarioResults windowed = run_one(window, true);
        const KeptPaths in{windowed};
        for (std::size_t r = 0; r < in.replications(); ++r)
            for (std::size_t m = 1; m < in.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                CHECK(in("covered_by_interventions", r, m) ==
                      (m >= 5 && m <= 8 ? in("active_customers", r, m - 1) : 0.0));
            }

        // Everyone covered and kept at every renewal: from its start nobody leaves.
        std::string growing = cohort;
        growing.replace(growing.find("initial_customers"), 0, "new_per_month = 30\n");
        const Scenario saved = programme(growing + R"(
[interventions.concierge]
save_rate = 1.0
start_month = 4
end_month = 9
cost_per_new_customer = 25.0
)");
        const ScenarioResults kept = run_one(saved, true);
        const KeptPaths k{kept};
        for (std::size_t r = 0; r < k.replications(); ++r)
            for (std::size_t m = 1; m < k.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const bool running = m >= 4 && m <= 9;
                if (running) CHECK(k("churned_customers", r, m) == 0.0);
                const double covered = running ? k("active_customers", r, m - 1) : 0.0;
                CHECK(k("cost_interventions", r, m) ==
                      (running ? 25.0 * k("new_customers", r, m) : 0.0));
                CHECK(k("covered_by_interventions", r, m) == covered);
            }
        CHECK(metric_of(kept, "churned_customers").mean[2] > 0.0);
        CHECK(metric_of(kept, "churned_customers").mean[12] > 0.0);
    }

    TEST_CASE("upsell and cross-sell multipliers: each covered month at k p, the others at p") {
        // Half of the accounts covered (a draw per account), upgrades at 3p for them and p for
        // the others; adoptions at 2q and q: in month 1, each stayer upgrades with 2p and
        // adopts with 1.5q, independently of the others.
        constexpr double p = 0.04;
        constexpr double q = 0.03;
        const Scenario scenario = programme(std::string(cohort) + R"(
[upsell]
monthly_probability = 0.04
[upsell.tiers.pro]
multiplier = 2.0
[cross_sell.products.reports]
mrr = 10.0
monthly_adoption = 0.03
hazard_multiplier = 1.0
[interventions.success]
coverage = 0.5
upsell_multiplier = 3.0
cross_sell_multiplier = 2.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        const double eligible = at.total("active_customers", 1) - at.total("new_customers", 1);
        const double upgrades = at.total("upsell_mrr", 1) / 100.0;
        check_within("upgrades in month 1", upgrades, 2.0 * p * eligible,
                     std::sqrt(eligible * 2.0 * p * (1.0 - 2.0 * p)));
        const double adoptions = at.total("cross_sell_mrr", 1) / 10.0;
        check_within("adoptions in month 1", adoptions, 1.5 * q * eligible,
                     std::sqrt(eligible * 1.5 * q * (1.0 - 1.5 * q)));
    }

    TEST_CASE("an onboarding programme: its cohorts activate at m p, the others at p") {
        // New logos only; the programme runs in month 1 only, so cohort 1 activates each
        // onboarding month with 2p and cohort 2 with p. A cohort's survival at age t: activated
        // in month K ~ Geometric(p) (stalled hazard s before it), or never within M months
        // (low adoption: the baseline's cumulative hazard times a from month M + 1).
        constexpr double alpha = 1.5, beta = 6.0, p = 0.3, s = 0.08, a = 2.5;
        constexpr int months = 3;
        const Scenario scenario = programme(R"(
[simulation]
horizon_months = 14
replications = 40
seed = 4
[acquisition]
initial_customers = 0
new_per_month = 2000
[retention]
alpha = 1.5
beta = 6.0
[onboarding]
months = 3
activation_per_month = 0.3
stalled_hazard = 0.08
low_adoption_multiplier = 2.5
[interventions.kickoff]
activation_multiplier = 2.0
start_month = 1
end_month = 1
cost_per_new_customer = 30.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const auto survival = [&](double activation, int t) {
            double expected = 0.0;
            for (int k = 1; k <= months; ++k)
                expected += std::pow(1 - activation, k - 1) * activation *
                            std::pow(1 - s, std::min(k - 1, t)) * beta_ratio(alpha, beta, t);
            const double exponent = t <= months ? t : months + a * (t - months);
            return expected + std::pow(1 - activation, months) *
                                  std::pow(1 - s, std::min(t, months)) *
                                  beta_ratio(alpha, beta, exponent);
        };
        const CohortMatrix& retention = results.logo_retention;
        const KeptPaths at{results};
        for (const std::size_t cohort : {std::size_t{1}, std::size_t{2}}) {
            const double activation = cohort == 1 ? 2.0 * p : p;
            const double customers = at.total("new_customers", cohort);
            for (int t = 1; t <= 12; ++t) {
                const double expected = survival(activation, t);
                check_within(
                    "cohort " + std::to_string(cohort) + " at age " + std::to_string(t),
                    retention.values[cohort * retention.ages + static_cast<std::size_t>(t)],
                    expected, survival_se(expected, customers));
            }
        }
        // The programme pays for the logos that join while it runs.
        for (std::size_t r = 0; r < at.replications(); ++r)
            CHECK(at("cost_kickoff", r, 1) == 30.0 * at("new_customers", r, 1));

        const auto message = [](const std::string& text) {
            return input_error([&] { programme(text); });
        };
        CHECK(message("[interventions.p]\nactivation_multiplier = 2.0\n")
                  .find("does not have; allowed: 1.0, or add an [onboarding] table") !=
              std::string::npos);
        CHECK(message("[onboarding]\n[interventions.p]\nactivation_multiplier = 2.0\ntargeting = "
                      "\"at_risk\"\ncapacity_accounts = 5\n")
                  .find("needs targeting share") != std::string::npos);
    }

    TEST_CASE("a programme for some segments covers only their accounts") {
        // 5000 initial customers split 0.3 / 0.7: 1500 in `big`, all active at month 1's start;
        // 100 new logos a month, 30 of them in `big` on average, the only ones it pays for.
        std::string growing = cohort;
        growing.replace(growing.find("initial_customers"), 0, "new_per_month = 100\n");
        const Scenario scenario = programme(growing + R"(
[segments.big]
share = 0.3
[segments.small]
share = 0.7
[interventions.key_accounts]
segments = ["big"]
cost_per_new_customer = 1.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r)
            CHECK(at("covered_key_accounts", r, 1) == 1500.0);
        double paid_for = 0.0;
        double logos = 0.0;
        for (std::size_t m = 1; m < at.months(); ++m) {
            paid_for += at.total("cost_key_accounts", m);
            logos += at.total("new_customers", m);
        }
        check_within("new logos paid for", paid_for, 0.3 * logos, std::sqrt(0.3 * logos));
        // Every month after, fewer than the active accounts (the small ones are not covered).
        for (std::size_t m = 2; m < at.months(); ++m)
            CHECK(at.total("covered_key_accounts", m) < 0.5 * at.total("active_customers", m - 1));
        const auto message = [](const std::string& text) {
            return input_error([&] { programme(text); });
        };
        CHECK(message("[segments.a]\n[interventions.p]\nsegments = [\"b\"]\n")
                  .find("names no segment of the scenario; allowed: a") != std::string::npos);
        CHECK(message("[interventions.p]\nsegments = [\"all\", \"all\"]\n").find("named twice") !=
              std::string::npos);
        CHECK(message("[interventions.p]\nsegments = [\"Big\"]\n").find("not a name") !=
              std::string::npos);
        CHECK(message("[interventions.p]\nsegments = \"all\"\n").find("expected a list of names") !=
              std::string::npos);
    }

    TEST_CASE("bad programmes are refused with the key and what is allowed") {
        const auto message = [](const std::string& text) {
            return input_error([&] { programme(text); });
        };
        CHECK(message("[interventions.a]\ntenure_months = [6, 2]\n")
                  .find("interventions.a.tenure_months") != std::string::npos);
        CHECK(message("[interventions.a]\ntenure_months = [1.5, 2]\n")
                  .find("not a range of months") != std::string::npos);
        CHECK(message("[interventions.a]\nstart_month = 6\nend_month = 2\n")
                  .find("before start_month 6") != std::string::npos);
        CHECK(message("[interventions.a]\nreasons.no_roi = 0\n").find("out of range") !=
              std::string::npos);
        CHECK(message("[interventions.a]\nreasons.nope = 0.5\n")
                  .find("unknown key 'interventions.a.reasons.nope'") != std::string::npos);
        // Its series would be cost_save_desk, the save desk's.
        CHECK(message("[interventions.save_desk]\nsave_rate = 0.1\n")
                  .find("'interventions.save_desk' is a table: a programme named 'save_desk' "
                        "would write cost_save_desk") != std::string::npos);
        CHECK(message("[interventions.of_revenue]\nsave_rate = 0.1\n").find("allowed: any other") !=
              std::string::npos);
        std::string eight;
        for (char name = 'a'; name < 'i'; ++name)
            eight += std::string("[interventions.") + name + "]\nsave_rate = 0.1\n";
        CHECK(message(eight).find("allowed: 1 to 7") != std::string::npos);
    }
}
