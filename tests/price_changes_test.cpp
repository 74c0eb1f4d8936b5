// Price changes (docs/model.md 11.5): [pricing.changes.<name>] raises every list price from a
// month; a monthly plan pays it at once, a contract from its renewal, a new customer from the
// start; the customers who paid the old price churn more for a while.

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

Scenario priced(const std::string& text) {
    return scenario_from_text(text, "priced");
}

// A pure sBG cohort on monthly plans at 100 a month each (Beta(1, 5) propensities).
constexpr const char* cohort = R"(
[simulation]
horizon_months = 20
replications = 30
seed = 8
[acquisition]
initial_customers = 5000
[retention]
alpha = 1.0
beta = 5.0
)";

// The cohort with `line` added to its [acquisition] table.
std::string cohort_with(const std::string& line) {
    std::string text = cohort;
    text.replace(text.find("initial_customers"), 0, line + "\n");
    return text;
}

// The kept paths of a scenario run alone.
ScenarioResults run_priced(const std::string& text) {
    return run_one(priced(text), true);
}

}  // namespace

TEST_SUITE("price changes") {
    TEST_CASE("a monthly plan pays the new price from the change's month; new logos too") {
        const ScenarioResults results = run_priced(cohort_with("new_per_month = 40") + R"(
[pricing.changes.list_2027]
month = 7
increase = 0.1
)");
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r)
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const double price = m >= 7 ? 110.0 : 100.0;
                // Everyone pays the month's price at its end; the rise is booked as expansion
                // on those who stayed through the month's renewal (the leavers left at 100).
                CHECK(at("mrr", r, m) == doctest::Approx(price * at("active_customers", r, m)));
                CHECK(at("new_mrr", r, m) == doctest::Approx(price * at("new_customers", r, m)));
                const double stayed = at("active_customers", r, m) - at("new_customers", r, m);
                CHECK(at("expansion_mrr", r, m) == doctest::Approx(m == 7 ? 10.0 * stayed : 0.0));
                CHECK(at("churned_mrr", r, m) ==
                      doctest::Approx((m > 7 ? 110.0 : 100.0) * at("churned_customers", r, m)));
            }
    }

    TEST_CASE("a contract pays the new price from its renewal") {
        // Annual terms at list price, renewal dates spread over the year: by month 6 + 11 every
        // customer has renewed once since the change, and pays 110.
        const ScenarioResults results = run_priced(cohort_with("initial_plans = \"like_new\"") + R"(
[contract.terms.annual]
months = 12
[pricing.changes.list_2027]
month = 6
increase = 0.1
)");
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r)
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const double active = at("active_customers", r, m);
                if (m < 6) CHECK(at("mrr", r, m) == doctest::Approx(100.0 * active));
                if (m >= 17) CHECK(at("mrr", r, m) == doctest::Approx(110.0 * active));
                if (m >= 6 && m < 17) {
                    // Some renewed, some wait for their renewal: in between.
                    CHECK(at("mrr", r, m) > 100.0 * active);
                    CHECK(at("mrr", r, m) < 110.0 * active);
                    CHECK(at("expansion_mrr", r, m) > 0.0);
                }
                if (m < 6 || m >= 18) CHECK(at("expansion_mrr", r, m) == 0.0);
            }
    }

    TEST_CASE("the shock: survival B(a, b + (k-1) + c(t-k+1)) / B(a, b) while it lasts") {
        // Every avoidable hazard of those who paid the old price times c = 1.8 in months k..k+S-1.
        constexpr int k = 6;
        constexpr int shock = 4;
        constexpr double c = 1.8;
        const ScenarioResults results = run_priced(std::string(cohort) + R"(
[pricing.changes.list_2027]
month = 6
increase = 0.1
churn_multiplier = 1.8
shock_months = 4
)");
        const KeptPaths at{results};
        const double customers = 5000.0 * 30.0;
        for (std::size_t t = 1; t < at.months(); ++t) {
            const double exponent =
                t < k           ? static_cast<double>(t)
                : t < k + shock ? (k - 1) + c * static_cast<double>(t - k + 1)
                                : (k - 1) + c * shock + static_cast<double>(t - k - shock + 1);
            const double expected = beta_ratio(1.0, 5.0, exponent);
            check_within("survival at month " + std::to_string(t),
                         at.total("active_customers", t) / customers, expected,
                         survival_se(expected, customers));
        }
    }

    TEST_CASE("customers who joined at the new price do not react") {
        // New logos only, the first joining at the end of month 1: a shock from month 1 reaches
        // none.
        std::string growing = cohort_with("new_per_month = 200");
        growing.replace(growing.find("initial_customers = 5000"), 24, "initial_customers = 0");
        const ScenarioResults a = run_priced(growing);
        const ScenarioResults b = run_priced(growing + R"(
[pricing.changes.list_2027]
month = 1
increase = 0.0
churn_multiplier = 3.0
shock_months = 12
)");
        const KeptPaths before{a};
        const KeptPaths after{b};
        for (std::size_t r = 0; r < before.replications(); ++r)
            for (std::size_t m = 1; m < before.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                CHECK(after("active_customers", r, m) == before("active_customers", r, m));
            }
    }

    TEST_CASE("a customer lost in the shock and won back after it churns as before") {
        // A tenfold shock in month 3 only, and half the lost coming back within 6 months. Once
        // the shock is over, the customers back from it must not carry it: the churn of months
        // 13..20 stays near the run without the shock (a bit lower even: the shock took the
        // riskiest first); carried, it would be far above.
        const std::string base = cohort_with("new_per_month = 100") + R"(
[win_back]
months = 6
monthly_probability = 0.5
)";
        const ScenarioResults calm = run_priced(base);
        const ScenarioResults shocked = run_priced(base + R"(
[pricing.changes.rise]
month = 3
increase = 0.0
churn_multiplier = 10.0
shock_months = 1
)");
        double before = 0.0;
        double after = 0.0;
        for (std::size_t m = 13; m <= 20; ++m) {
            before += metric_of(calm, "churned_customers").mean[m];
            after += metric_of(shocked, "churned_customers").mean[m];
        }
        INFO("churned in months 13-20: " << after << " with the shock, " << before
                                         << " without; expected a ratio below 1.1");
        CHECK(after < 1.1 * before);
    }

    TEST_CASE("bad price changes are refused with the key and what is allowed") {
        const auto message = [](const std::string& text) {
            return input_error([&] { priced(text); });
        };
        CHECK(message("[pricing.changes.a]\nincrease = 0.1\n").find("pricing.changes.a.month") !=
              std::string::npos);
        CHECK(message("[pricing.changes.a]\nmonth = 3\n").find("pricing.changes.a.increase") !=
              std::string::npos);
        CHECK(message("[pricing.changes.a]\nmonth = 3\nincrease = -1\n").find("out of range") !=
              std::string::npos);
        CHECK(message("[pricing]\n").find("pricing.changes") != std::string::npos);
        std::string crowded;
        for (char name = 'a'; name < 'h'; ++name)
            crowded += std::string("[interventions.") + name + "]\nsave_rate = 0.1\n";
        crowded += "[pricing.changes.rise]\nmonth = 3\nincrease = 0.1\nchurn_multiplier = 2\n";
        CHECK(message(crowded).find("at most 7 of them together") != std::string::npos);
    }
}
