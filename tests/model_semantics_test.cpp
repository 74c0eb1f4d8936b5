// The semantics pinned in docs/model.md sections 3.1, 5 and 8, each against a closed form or an
// exact value: stalled-onboarding intents are cured only by activation, a customer away does not
// activate and resumes its onboarding, a returner starts a new term, a downgrade cuts the plan
// only, stalled onboarding is avoidable for add-ons too, logo churn never nets win-backs, and
// initial customers take the offers of new ones only when told to.

#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "cohortsim/runner.hpp"
#include "contracts.hpp"
#include "onboarding.hpp"
#include "population.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// New customers only (Poisson, `per_month` a month), on one contract term, with onboarding and
// no [retention]: the stalled hazard is the only risk.
Scenario stalled_only(double per_month, int term_months, OnboardingParams onboarding, int horizon,
                      std::int64_t replications) {
    Scenario scenario;
    scenario.name = "stalled";
    scenario.source = "test";
    scenario.simulation = {horizon, replications, 777};
    scenario.acquisition.new_per_month = per_month;
    scenario.onboarding = onboarding;
    SegmentParams segment;
    segment.contract_terms = {ContractTerm{"term", term_months, 1.0, 0.0, 0.0}};
    scenario.segments.push_back(segment);
    return scenario;
}

// Sum of a metric's means over months first..last, and the standard error of that sum for
// counts that are Poisson across replications (variance = mean).
struct PooledCount {
    double total = 0.0;
    double standard_error = 0.0;
};
PooledCount pooled_poisson(const ScenarioResults& results, const std::string& metric, int first,
                           int last) {
    PooledCount pooled;
    for (int m = first; m <= last; ++m)
        pooled.total += metric_of(results, metric).mean[static_cast<std::size_t>(m)];
    pooled.standard_error = std::sqrt(pooled.total / static_cast<double>(results.replications));
    return pooled;
}

}  // namespace

TEST_SUITE("model semantics") {
    TEST_CASE("a stalled intent is never cured without activation") {
        // Activation 0, 3 months of onboarding, 6-month terms: intents formed in months 1..3 of
        // life wait for month 6 and all leave; none is cured (the old engine cured every one
        // whose renewal fell after onboarding).
        const double per_month = 10000.0, s = 0.05;
        const Scenario scenario =
            stalled_only(per_month, 6, OnboardingParams{true, 3, 0.0, s, 1.0}, 14, 10);
        const ScenarioResults results = run_one(scenario);
        for (double cured : metric_of(results, "cured_intents").mean)
            CHECK(cured == 0.0);
        // Cohort m - 6 leaves in month m: per_month * (1 - (1 - s)^3) a month from month 7.
        const PooledCount churned = pooled_poisson(results, "churned_customers", 7, 14);
        check_within("stalled churn at renewal", churned.total,
                     8.0 * per_month * (1.0 - std::pow(1.0 - s, 3)), churned.standard_error);
        // Nobody leaves between renewals.
        for (int m = 1; m <= 6; ++m)
            CHECK(metric_of(results, "churned_customers").mean[static_cast<std::size_t>(m)] == 0.0);
    }

    TEST_CASE("a stalled intent is cured at renewal only if it activated by then") {
        // 2 months of onboarding, activation p, quarterly terms. A new customer forms a stalled
        // intent in month 1 with (1-p)s and is cured at month 3 if it activates in month 2 (p);
        // an intent of month 2, (1-p)^2 (1-s) s, cannot be cured (onboarding is over).
        const double per_month = 10000.0, p = 0.5, s = 0.04;
        const Scenario scenario =
            stalled_only(per_month, 3, OnboardingParams{true, 2, p, s, 1.0}, 15, 20);
        const ScenarioResults results = run_one(scenario);
        const double cured_each = (1 - p) * s * p;
        const double churned_each = (1 - p) * s * (1 - p) + (1 - p) * (1 - p) * (1 - s) * s;
        // Cohorts 1..12 reach month 3 of life in months 4..15.
        const PooledCount cured = pooled_poisson(results, "cured_intents", 4, 15);
        const PooledCount churned = pooled_poisson(results, "churned_customers", 4, 6);
        check_within("cured at renewal", cured.total, 12.0 * per_month * cured_each,
                     cured.standard_error);
        // Months 4..6: only first renewals (second renewals start in month 7).
        check_within("churned at renewal", churned.total, 3.0 * per_month * churned_each,
                     churned.standard_error);
    }

    TEST_CASE("stalled onboarding is avoidable: an add-on's hazard multiplier acts on it") {
        // Initial customers, activation 0, stalled s for 3 months, an add-on adopted in month 1
        // with multiplier k: sticky from month 2, S(3) = (1-s)^(1 + 2k).
        const double s = 0.1, k = 0.5;
        Scenario scenario = stalled_only(0.0, 1, OnboardingParams{true, 3, 0.0, s, 1.0}, 5, 10);
        scenario.acquisition.initial_customers = 20000;
        scenario.cross_sell = {{"addon", 10.0, 1.0, k}};
        const ScenarioResults results = run_one(scenario);
        const double expected = std::pow(1 - s, 1 + 2 * k);
        const double survival = results.logo_retention.values[3];
        check_within("S(3) with a sticky add-on", survival, expected,
                     survival_se(expected, 20000.0 * 10));
    }

    TEST_CASE("logo churn never nets win-backs") {
        // A pure sBG cohort whose leavers all come back within months: the monthly rate is
        // churned / active the month before, replication by replication, never negative; the
        // 12-month rate at month 12 is 1 - S(12), as if nobody came back.
        const double alpha = 0.8, beta = 3.0;
        const std::int64_t customers = 20000, replications = 10;
        Scenario scenario = pure_cohort(alpha, beta, customers, 12, replications);
        scenario.win_back = {true, 6, 0.6, 1.0};
        const ScenarioResults results = run_one(scenario, true);
        const MetricSummary& rate = metric_of(results, "logo_churn_rate");
        const MetricSummary& churned = metric_of(results, "churned_customers");
        const MetricSummary& active = metric_of(results, "active_customers");
        const MetricSummary& reactivated = metric_of(results, "reactivated_customers");
        CHECK(reactivated.mean[6] > 100.0);  // the win-backs are there
        const std::size_t months = 13;
        for (std::size_t r = 0; r < static_cast<std::size_t>(replications); ++r) {
            for (std::size_t m = 1; m < months; ++m) {
                const std::size_t at = r * months + m;
                INFO("replication " << r << ", month " << m);
                CHECK(rate.paths[at] == churned.paths[at] / active.paths[at - 1]);
            }
        }
        const double expected = 1.0 - beta_ratio(alpha, beta, 12.0);
        check_within("12-month logo churn with win-backs",
                     metric_of(results, "logo_churn_rate_12m").mean[12], expected,
                     survival_se(expected, static_cast<double>(customers * replications)));
    }

    TEST_CASE("undefined is not zero: no initial customers, no NRR for a year") {
        Scenario scenario = pure_cohort(1.0, 5.0, 0, 18, 4);
        scenario.acquisition.new_per_month = 200.0;
        const ScenarioResults results = run_one(scenario);
        for (const char* name : {"nrr", "grr", "logo_churn_rate_12m"}) {
            const MetricSummary& metric = metric_of(results, name);
            for (std::size_t m = 0; m <= 12; ++m) {
                INFO(name << " month " << m);
                CHECK(std::isnan(metric.mean[m]));
                CHECK(std::isnan(metric.quantiles[m]));
            }
            for (std::size_t m = 13; m <= 18; ++m) {
                INFO(name << " month " << m);
                CHECK(std::isfinite(metric.mean[m]));
            }
        }
        // NRR at month 0 is 1 whatever the levers, when there is MRR to keep.
        Scenario with_customers = pure_cohort(1.0, 5.0, 100, 3, 2);
        CHECK(metric_of(run_one(with_customers), "nrr").mean[0] == 1.0);
        with_customers.upsell = {true, 0.1, {{"pro", 2.0}}};
        CHECK(metric_of(run_one(with_customers), "nrr").mean[0] == 1.0);
    }

    TEST_CASE("initial customers take the term mix only with initial_plans = like_new") {
        // Annual terms only. On "like_new" the initial customers' first renewals spread evenly
        // over months 1..12, and those renewing in month m leave with 1 - S(m): churned[m] =
        // n/12 (1 - S(m)). On "monthly" they all face month 1: churned[1] = n (1 - S(1)).
        const double alpha = 1.2, beta = 4.0;
        const std::int64_t n = 24000, replications = 10;
        Scenario scenario = pure_cohort(alpha, beta, n, 12, replications);
        scenario.segments[0].contract_terms = {ContractTerm{"annual", 12, 1.0, 0.1, 0.0}};
        const ScenarioResults monthly = run_one(scenario);
        const double first = 1.0 - beta_ratio(alpha, beta, 1.0);
        check_within("monthly: churned in month 1", metric_of(monthly, "churned_customers").mean[1],
                     static_cast<double>(n) * first,
                     std::sqrt(static_cast<double>(n) * first * (1 - first) / replications));
        scenario.acquisition.initial_plans = InitialPlans::like_new;
        const ScenarioResults like_new = run_one(scenario);
        for (int m = 1; m <= 12; ++m) {
            const double p = (1.0 - beta_ratio(alpha, beta, m)) / 12.0;
            check_within("like_new: churned in month " + std::to_string(m),
                         metric_of(like_new, "churned_customers").mean[static_cast<std::size_t>(m)],
                         static_cast<double>(n) * p,
                         std::sqrt(static_cast<double>(n) * p * (1 - p) / replications));
        }
        // The annual discount applies to them too.
        CHECK(metric_of(like_new, "mrr").mean[0] ==
              doctest::Approx(0.9 * metric_of(monthly, "mrr").mean[0]).epsilon(1e-12));
    }

    TEST_CASE("today's book: only accounts marked usage_priced follow usage") {
        // 100 usage-priced and 100 fixed accounts at 100 a month, usage growing 10% a month
        // with no volatility, nobody churning: expansion is exactly 100 x 100 x 0.1 in month 1.
        Scenario scenario = pure_cohort(1.0, 1.0, 0, 2, 1);
        scenario.segments[0].retention.enabled = false;
        scenario.usage_pricing = {true, 1.0, 0.1, 0.0};
        BookEntry usage;
        usage.customers = 100;
        usage.tenure_months = 5;
        usage.mrr = 100.0;
        usage.usage_priced = true;
        BookEntry fixed = usage;
        fixed.usage_priced = false;
        scenario.book.entries =
            std::make_shared<const std::vector<BookEntry>>(std::vector<BookEntry>{usage, fixed});
        const ScenarioResults results = run_one(scenario);
        CHECK(metric_of(results, "expansion_mrr").mean[1] == doctest::Approx(1000.0));
    }

    TEST_CASE("a customer away does not activate, and resumes its onboarding on return") {
        // Onboarding of 6 months, activation 0.3. Customers who left unactivated in month 2 of
        // life and return in month 4 activate in month 4 + j with 0.3 * 0.7^(j-1), j <= 2, and
        // never with 0.7^2; returning in month 7, never.
        Scenario scenario;
        scenario.onboarding = {true, 6, 0.3, 0.1, 2.0};
        const Onboarding onboarding(scenario);
        const std::size_t n = 200000;
        Population population;
        population.append(n);
        std::array<double, 3> counts{};  // activates in month 5, in month 6, never
        for (std::size_t i = 0; i < n; ++i) {
            population.key[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
            population.activation_month[i] = 3;  // would have activated while away
            onboarding.on_leave(population, i, 2);
            CHECK_FALSE(onboarding.has_activated(population, i, 3));
            onboarding.on_return(population, i, 4, 10);
            const int month = population.activation_month[i];
            REQUIRE(month >= 5);
            counts[month <= 6 ? static_cast<std::size_t>(month - 5) : 2] += 1.0;
        }
        const double expected[] = {0.3, 0.7 * 0.3, 0.49};
        for (std::size_t k = 0; k < 3; ++k)
            check_within("activation after return, outcome " + std::to_string(k),
                         counts[k] / static_cast<double>(n), expected[k],
                         survival_se(expected[k], static_cast<double>(n)));
        // Back after its onboarding ended: never activated, low adoption for life.
        population.activation_month[0] = 9;
        onboarding.on_leave(population, 0, 2);
        onboarding.on_return(population, 0, 7, 10);
        CHECK_FALSE(onboarding.has_activated(population, 0, 20));
        // Activated before it left: still activated.
        population.activation_month[1] = 2;
        onboarding.on_leave(population, 1, 3);
        onboarding.on_return(population, 1, 4, 10);
        CHECK(onboarding.has_activated(population, 1, 4));
    }

    TEST_CASE("a returning customer starts a new term at its return") {
        Population population;
        population.append(1);
        population.joined[0] = 0;
        population.term_months[0] = 12;
        // Back in month 5: renewals in 17, 29, ..., not in 12 or 24.
        Contracts::start_term(population, 0, 5);
        const auto renews = [&](int month) {
            return Contracts::is_renewal(12, population.contract_month(0, month));
        };
        CHECK(renews(5));
        CHECK(renews(17));
        CHECK(renews(29));
        CHECK_FALSE(renews(12));
        CHECK_FALSE(renews(24));
        // A book customer (joined before month 0) back in month 3.
        population.joined[0] = -7;
        Contracts::start_term(population, 0, 3);
        CHECK(renews(15));
        CHECK_FALSE(renews(5));
    }

    TEST_CASE("a downgrade cuts the plan's price only, not the add-ons") {
        // Every customer adopts the add-on (20) in month 1 and downgrades by half every month
        // from month 2: the plan halves, the add-on stays. No churn.
        Scenario scenario = pure_cohort(1.0, 1.0, 1000, 4, 2);
        scenario.segments[0].retention.enabled = false;
        scenario.segments[0].mrr_median = 100.0;
        scenario.cross_sell = {{"addon", 20.0, 1.0, 1.0}};
        scenario.contraction = {true, 1.0, 0.5};
        const ScenarioResults results = run_one(scenario);
        const auto& mrr = metric_of(results, "mrr").mean;
        // Month 1: the adoption and a first downgrade of the plan (100 -> 50) in the same
        // month; then 25, 12.5, 6.25; the add-on's 20 every month.
        CHECK(mrr[1] == doctest::Approx(1000.0 * (50.0 + 20.0)));
        CHECK(mrr[4] == doctest::Approx(1000.0 * (6.25 + 20.0)));
    }

    TEST_CASE("a win-back offer discounts the plan; the add-ons come back at their price") {
        // Plan 100, an add-on of 20 adopted by everyone active in month 1, every leaver back the
        // month after at half the plan price. Those who left in month 1 had no add-on: back at
        // 50; those who left in month 2 had it: back at 50 + 20 = 70 (not half of 120), so the
        // plan never goes below 0 and a later downgrade never raises MRR.
        Scenario scenario = pure_cohort(1.0, 4.0, 2000, 4, 4);
        scenario.win_back = {true, 1, 1.0, 0.5};
        scenario.cross_sell = {{"addon", 20.0, 1.0, 1.0}};
        const ScenarioResults results = run_one(scenario, true);
        const MetricSummary& churned = metric_of(results, "churned_customers");
        const MetricSummary& back = metric_of(results, "reactivation_mrr");
        for (std::size_t r = 0; r < 4; ++r) {
            INFO("replication " << r);
            const std::size_t row = r * 5;
            CHECK(churned.paths[row + 1] > 0.0);
            CHECK(back.paths[row + 2] == 50.0 * churned.paths[row + 1]);
            CHECK(back.paths[row + 3] == 70.0 * churned.paths[row + 2]);
        }
    }

    TEST_CASE("stalled onboarding is avoidable: farmer coverage has a factor for it too") {
        // Every account covered (10 farmers x 1000 accounts for 5000), no saves, activation 0,
        // stalled s for 3 months, the farmers' factor k on it: S(3) = (1-s)^(3k).
        const double s = 0.1, k = 0.5;
        Scenario scenario = stalled_only(0.0, 1, OnboardingParams{true, 3, 0.0, s, 1.0}, 4, 10);
        scenario.acquisition.initial_customers = 5000;
        scenario.team.enabled = true;
        scenario.team.reps = 10.0;
        scenario.team.hunter_share = 0.0;
        scenario.team.accounts_per_farmer = 1000;
        scenario.team.covered_save_rate = 0.0;
        scenario.team.covered_stalled_hazard = k;
        const ScenarioResults results = run_one(scenario);
        const double expected = std::pow(1 - s, 3 * k);
        check_within("S(3) of covered accounts", results.logo_retention.values[3], expected,
                     survival_se(expected, 5000.0 * 10));
    }
}
