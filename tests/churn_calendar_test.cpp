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

TEST_SUITE("churn calendar") {
    TEST_CASE("event times give the monthly accrual's results, with every event that reschedules") {
        // Steady: sBG with unavoidable churn, half the prospects on annual terms (intents wait
        // for the renewal), a save desk and win-back, all of which redraw budgets.
        Scenario steady = pure_cohort(0.8, 9.0, 3000, 30, 16);
        steady.acquisition.new_per_month = 60;
        steady.segments[0].retention.unavoidable_monthly = 0.004;
        steady.segments[0].contract_terms = {ContractTerm{"monthly", 1, 0.5, 0.0, 0.0},
                                             ContractTerm{"annual", 12, 0.5, 0.1, 0.0}};
        steady.save_desk = {true, 0.3};
        steady.win_back = {true, 5, 0.06, 1.0};
        // The same model through the monthly path: an onboarding that everyone completes in
        // its first month changes no hazard, but the month loop then accrues every month.
        Scenario monthly = steady;
        monthly.name = "monthly";
        monthly.onboarding = {true, 1, 1.0, 0.0, 1.0};
        RunOptions options;
        options.keep_paths = true;
        const RunResults results = run_scenarios({steady, monthly}, options);
        for (const std::string name : {"active_customers", "churned_customers", "saved_customers",
                                       "reactivated_customers", "mrr", "bad_debt"}) {
            const auto& a = metric_of(results.scenarios[0], name).paths;
            const auto& b = metric_of(results.scenarios[1], name).paths;
            REQUIRE(a.size() == b.size());
            double total = 0.0;
            double difference = 0.0;
            for (std::size_t k = 0; k < a.size(); ++k) {
                total += std::abs(a[k]);
                difference += std::abs(a[k] - b[k]);
            }
            INFO(name << ": sum of |event - monthly| " << difference << " over a sum of " << total);
            CHECK(total > 0.0);
            CHECK(difference <= 1e-6 * total);
        }
    }
}
