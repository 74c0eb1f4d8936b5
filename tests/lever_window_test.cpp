// Levers on a calendar (docs/model.md 11.5): a lever acts from its start_month through its
// end_month only, and from its start exactly as if it had always been there for the customers it
// meets then.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

Scenario from_text(const std::string& text) {
    return scenario_from_text(text, "window");
}

constexpr const char* base = R"(
[simulation]
horizon_months = 24
replications = 40
seed = 11
[acquisition]
initial_customers = 1500
new_per_month = 60
[retention]
alpha = 1.0
beta = 6.0
[segments.all]
mrr_median = 100.0
)";

}  // namespace

TEST_SUITE("lever windows") {
    TEST_CASE("a save desk from month 6 to 15 saves, and costs, in those months only") {
        const Scenario scenario = from_text(std::string(base) + R"(
[save_desk]
save_rate = 0.3
cost_per_attempt = 10.0
start_month = 6
end_month = 15
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            const bool open = m >= 6 && m <= 15;
            if (open) {
                CHECK(at.total("saved_customers", m) > 0.0);
                CHECK(at.total("cost_save_desk", m) > 0.0);
            } else {
                CHECK(at.total("saved_customers", m) == 0.0);
                CHECK(at.total("cost_save_desk", m) == 0.0);
            }
        }
    }

    TEST_CASE("upsell from month 8: none before, then each entry-tier customer's chance p") {
        // From its start every customer still on the entry tier upgrades with p in that month,
        // as if the lever had always been there (the monthly chance has no memory).
        constexpr double p = 0.05;
        const Scenario scenario = from_text(std::string(base) + R"(
[upsell]
monthly_probability = 0.05
start_month = 8
end_month = 20
[upsell.tiers.pro]
multiplier = 2.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            if (m < 8 || m > 20) CHECK(at.total("upsell_mrr", m) == 0.0);
        }
        // Month 8: the customers who stayed through it, new logos (joined at its end) aside.
        const double upgrades = at.total("upsell_mrr", 8) / 100.0;
        const double eligible = at.total("active_customers", 8) - at.total("new_customers", 8);
        check_within("upgrades in the first month of upsell", upgrades, p * eligible,
                     std::sqrt(eligible * p * (1.0 - p)));
    }

    TEST_CASE("win-back from month 5 to 12: returns and contacts in those months only") {
        const Scenario contacts = from_text(std::string(base) + R"(
[win_back]
months = 4
monthly_probability = 0.0
cost_per_lost_customer_month = 1.0
start_month = 5
end_month = 12
)");
        const ScenarioResults results = run_one(contacts, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            for (std::size_t m = 1; m < at.months(); ++m) {
                double on_file = 0.0;
                if (m >= 5 && m <= 12)
                    for (std::size_t k = m > 4 ? m - 4 : 1; k < m; ++k)
                        on_file += at("churned_customers", r, k);
                INFO("replication " << r << ", month " << m << ", on file " << on_file);
                CHECK(at("cost_win_back", r, m) == on_file);
            }
        }
        const Scenario returns = from_text(std::string(base) + R"(
[win_back]
months = 4
monthly_probability = 0.2
start_month = 5
end_month = 12
)");
        const ScenarioResults back = run_one(returns, true);
        const KeptPaths again{back};
        for (std::size_t m = 1; m < again.months(); ++m) {
            INFO("month " << m);
            const double returned = again.total("reactivated_customers", m);
            if (m >= 5 && m <= 12)
                CHECK(returned > 0.0);
            else
                CHECK(returned == 0.0);
        }
    }

    TEST_CASE(
        "a lever that starts after the horizon does nothing (and writes nothing out of "
        "bounds)") {
        const Scenario scenario = from_text(std::string(base) + R"(
[win_back]
months = 36
monthly_probability = 0.5
cost_per_lost_customer_month = 1.0
start_month = 30
[upsell]
monthly_probability = 0.5
start_month = 40
[upsell.tiers.pro]
multiplier = 2.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            CHECK(at.total("cost_win_back", m) == 0.0);
            CHECK(at.total("reactivated_customers", m) == 0.0);
            CHECK(at.total("upsell_mrr", m) == 0.0);
        }
    }

    TEST_CASE("usage pricing offered from month 10: no usage step before month 11") {
        const Scenario scenario = from_text(std::string(base) + R"(
[usage_pricing]
share = 1.0
drift_per_month = 0.02
volatility = 0.1
start_month = 10
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            if (m <= 10)
                CHECK(at.total("expansion_mrr", m) == 0.0);
            else
                CHECK(at.total("expansion_mrr", m) > 0.0);
        }
    }

    TEST_CASE("acquisition seasonality: each month's new logos follow its factor") {
        const Scenario scenario = from_text(R"(
[simulation]
horizon_months = 24
replications = 60
seed = 5
[acquisition]
new_per_month = 200
seasonality = [0.5, 0.5, 0.8, 1.0, 1.2, 1.5, 1.5, 1.2, 1.0, 0.8, 1.0, 1.0]
)");
        const std::vector<double> factors = {0.5, 0.5, 0.8, 1.0, 1.2, 1.5,
                                             1.5, 1.2, 1.0, 0.8, 1.0, 1.0};
        // The resolved scenario reads back the same (what the results file stores).
        CHECK(from_text(scenario.resolved_toml).acquisition.seasonality == factors);
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            const double expected = 200.0 * factors[(m - 1) % 12] * 60.0;  // Poisson, summed
            check_within("new logos of month " + std::to_string(m), at.total("new_customers", m),
                         expected, std::sqrt(expected));
        }
        try {
            from_text("[acquisition]\nseasonality = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
            FAIL("accepted");
        } catch (const InputError& error) {
            CHECK(std::string(error.what()).find("mean 1.0833") != std::string::npos);
        }
    }

    TEST_CASE("a product launched in month 6 and retired after month 12") {
        // From its launch each customer without it adopts it with q in that month.
        constexpr double q = 0.04;
        const ScenarioResults results = run_one(from_text(std::string(base) + R"(
[cross_sell.products.reports]
mrr = 20.0
monthly_adoption = 0.04
hazard_multiplier = 1.0
start_month = 6
end_month = 12
)"),
                                                true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            if (m < 6 || m > 12) CHECK(at.total("cross_sell_mrr", m) == 0.0);
        }
        const double adoptions = at.total("cross_sell_mrr", 6) / 20.0;
        const double eligible = at.total("active_customers", 6) - at.total("new_customers", 6);
        check_within("adoptions in the launch month", adoptions, q * eligible,
                     std::sqrt(eligible * q * (1.0 - q)));
        CHECK(input_error([] {
                  from_text("[cross_sell.products.a]\nstart_month = 5\nend_month = 2\n");
              }).find("cross_sell.products.a.end_month") != std::string::npos);
    }

    TEST_CASE("champion referrals from the sponsors lost in months 4 to 9 only") {
        const ScenarioResults results = run_one(from_text(std::string(base) + R"(
[champion_moves]
referral_probability = 0.5
delay_months = 2
start_month = 4
end_month = 9
)"),
                                                true);
        const KeptPaths at{results};
        double referred = 0.0;
        for (std::size_t m = 1; m < at.months(); ++m) {
            INFO("month " << m);
            // A loss in month k brings its referral in k + 2.
            if (m < 6 || m > 11) CHECK(at.total("referred_customers", m) == 0.0);
            referred += at.total("referred_customers", m);
        }
        CHECK(referred > 0.0);
    }

    TEST_CASE("contracts on a calendar: monthly plans to month 5, then annual terms only") {
        // Months 1-5: every prospect signs the monthly plan. From month 6 only the annual term,
        // billed upfront, is offered: 20% of the prospects refuse, the others pay 12 x 100 at
        // once. No renewal falls within the horizon.
        const ScenarioResults results = run_one(from_text(R"(
[simulation]
horizon_months = 14
replications = 40
seed = 3
[acquisition]
initial_customers = 0
new_per_month = 300
[retention]
alpha = 1.0
beta = 6.0
[contract.terms.monthly]
months = 1
share = 0.5
end_month = 5
[contract.terms.annual]
months = 12
share = 0.5
acquisition_penalty = 0.2
billing = "upfront"
start_month = 6
)"),
                                                true);
        const KeptPaths at{results};
        for (std::size_t m = 1; m < at.months(); ++m) {
            const double expected = (m < 6 ? 1.0 : 0.8) * 300.0 * 40.0;  // Poisson, summed
            check_within("new logos of month " + std::to_string(m), at.total("new_customers", m),
                         expected, std::sqrt(expected));
            for (std::size_t r = 0; r < at.replications(); ++r) {
                INFO("replication " << r << ", month " << m);
                CHECK(at("upfront_billings", r, m) ==
                      (m < 6 ? 0.0 : 1200.0 * at("new_customers", r, m)));
            }
        }
        CHECK(input_error([] {
                  from_text(
                      "[simulation]\nhorizon_months = 12\n[contract.terms.monthly]\n"
                      "end_month = 5\n");
              }).find("no term of 'contract.terms' with a share above 0 is offered in month 6") !=
              std::string::npos);
        CHECK(input_error([] {
                  from_text(
                      "[contract.terms.monthly]\nshare = 1.0\nend_month = 5\n"
                      "[contract.terms.annual]\nmonths = 12\nshare = 0.0\nstart_month = 6\n");
              }).find("offered in month 6") != std::string::npos);
    }

    TEST_CASE("an end_month before the start_month is refused, naming both") {
        try {
            from_text(
                "[upsell]\nstart_month = 9\nend_month = 4\n[upsell.tiers.pro]\n"
                "multiplier = 2.0\n");
            FAIL("accepted");
        } catch (const InputError& error) {
            CHECK(std::string(error.what()) ==
                  "window.toml:3: key 'upsell.end_month' = 4: before start_month 9; allowed: 0 "
                  "(to the horizon) or a month from start_month on");
        }
    }
}
