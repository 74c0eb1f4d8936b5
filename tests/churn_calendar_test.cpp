// The churn calendar (event times) and the monthly accrual are two ways to run the same model:
// with the same random numbers they must give the same churn months, up to the rounding of a
// running sum against one division, which moves a churn by a month only at a budget that is a
// whole number of hazards to the last bit.

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// A steady model with every event that redraws a budget: sBG with unavoidable churn, half the
// prospects on annual terms (intents wait for the renewal), a save desk and win-back.
Scenario with_every_budget_event() {
    Scenario scenario = pure_cohort(0.8, 9.0, 3000, 30, 16);
    scenario.acquisition.new_per_month = 60;
    scenario.segments[0].retention.unavoidable_monthly = 0.004;
    scenario.segments[0].contract_terms = {ContractTerm{"monthly", 1, 0.5, 0.0, 0.0},
                                           ContractTerm{"annual", 12, 0.5, 0.1, 0.0}};
    scenario.save_desk = {true, 0.3};
    scenario.win_back = {true, 5, 0.06, 1.0};
    return scenario;
}

// Runs `steady` on the event calendar and again with the monthly accrual forced (the same
// seed: the same customers and draws), and requires every path of the churn and revenue metrics
// to agree.
void check_calendar_matches_monthly_path(const Scenario& steady) {
    RunOptions options;
    options.keep_paths = true;
    const ScenarioResults calendar = run_scenarios({steady}, options).scenarios.front();
    options.churn_scheduling = ChurnScheduling::monthly_accrual;
    const ScenarioResults monthly = run_scenarios({steady}, options).scenarios.front();
    for (const std::string name :
         {"active_customers", "churned_customers", "saved_customers", "reactivated_customers",
          "cured_intents", "mrr", "bad_debt", "cross_sell_mrr"}) {
        const auto& a = metric_of(calendar, name).paths;
        const auto& b = metric_of(monthly, name).paths;
        REQUIRE(a.size() == b.size());
        double total = 0.0;
        double difference = 0.0;
        for (std::size_t k = 0; k < a.size(); ++k) {
            total += std::abs(a[k]);
            difference += std::abs(a[k] - b[k]);
        }
        INFO(name << ": sum of |event - monthly| " << difference << " over a sum of " << total);
        CHECK(difference <= 1e-6 * total);
    }
    // Churn happened, and by more than one path.
    CHECK(metric_of(calendar, "churned_customers").mean.back() > 0.0);
}

}  // namespace

TEST_SUITE("churn calendar") {
    TEST_CASE("event times give the monthly accrual's results, with every event that reschedules") {
        check_calendar_matches_monthly_path(with_every_budget_event());
    }

    TEST_CASE("piecewise-constant hazards: onboarding and cross-sell adoptions") {
        // The hazard changes at a month set when the customer joins (it activates, or
        // onboarding ends and a never-activated customer turns low-adoption) and at an event
        // (an adoption makes it stickier from the next month): each is a point where the
        // calendar takes off the budget used so far and files the customer again.
        Scenario scenario = with_every_budget_event();
        scenario.onboarding = {true, 3, 0.45, 0.06, 1.8};
        scenario.cross_sell = {CrossSellProduct{"analytics", 40.0, 0.04, 0.6},
                               CrossSellProduct{"integrations", 25.0, 0.02, 0.8}};
        check_calendar_matches_monthly_path(scenario);
    }
}
