// The money side (docs/model.md 11): what each lever costs, profit, cash and NPV, upfront billing
// and the currency's label. Costs and books are identities that hold exactly in every replication
// and month, so they are checked on the kept paths, not within standard errors.

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
    return scenario_from_text(text, "economics");
}

// A cohort that churns only at renewals (no unavoidable churn), with new logos each month, every
// customer paying the same MRR.
constexpr const char* churning_base = R"(
[simulation]
horizon_months = 24
replications = 30
seed = 7
[acquisition]
initial_customers = 400
new_per_month = 40
[retention]
alpha = 1.0
beta = 6.0
[segments.all]
mrr_median = 100.0
)";

}  // namespace

TEST_SUITE("economics") {
    TEST_CASE("each lever's cost is its rate times what it did, month by month") {
        const Scenario scenario = from_text(std::string(churning_base) + R"(
[onboarding]
cost_per_new_customer = 40.0
[save_desk]
save_rate = 0.3
cost_per_attempt = 3.0
cost_per_save = 7.0
[win_back]
months = 4
monthly_probability = 0.1
cost_per_return = 11.0
[upsell]
monthly_probability = 0.05
cost_per_upgrade = 13.0
[upsell.tiers.pro]
multiplier = 2.0
[cross_sell.products.addon]
mrr = 25.0
monthly_adoption = 0.03
cost_per_adoption = 17.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                // Without unavoidable churn every churn is an intent executed at a renewal, after
                // an attempt (onboarding intents are cured or go through the desk too).
                const double saved = at("saved_customers", r, m);
                const double attempts = saved + at("churned_customers", r, m);
                CHECK(at("cost_save_desk", r, m) == doctest::Approx(3.0 * attempts + 7.0 * saved));
                CHECK(at("cost_onboarding", r, m) == 40.0 * at("new_customers", r, m));
                CHECK(at("cost_win_back", r, m) == 11.0 * at("reactivated_customers", r, m));
                // Every entry-tier plan is 100 before add-ons, so an upgrade adds 100; a
                // product 25.
                CHECK(at("cost_upsell", r, m) ==
                      doctest::Approx(13.0 * at("upsell_mrr", r, m) / 100.0));
                CHECK(at("cost_cross_sell", r, m) ==
                      doctest::Approx(17.0 * at("cross_sell_mrr", r, m) / 25.0));
                CHECK(at("retention_cost", r, m) ==
                      doctest::Approx(at("cost_save_desk", r, m) + at("cost_onboarding", r, m) +
                                      at("cost_win_back", r, m) + at("cost_upsell", r, m) +
                                      at("cost_cross_sell", r, m)));
            }
        }
        // Something happened: the identities are not 0 = 0.
        CHECK(metric_of(results, "cost_upsell").mean.back() > 0.0);
        CHECK(metric_of(results, "cost_win_back").mean.back() > 0.0);
    }

    TEST_CASE("win-back pays for every lost customer on file, each month of its window") {
        // No returns: a customer lost in month k is on file in months k + 1 .. k + 4.
        const Scenario scenario = from_text(std::string(churning_base) + R"(
[win_back]
months = 4
monthly_probability = 0.0
cost_per_lost_customer_month = 2.5
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            for (std::size_t m = 1; m < at.months(); ++m) {
                double on_file = 0.0;
                for (std::size_t k = m > 4 ? m - 4 : 1; k < m; ++k)
                    on_file += at("churned_customers", r, k);
                INFO("replication " << r << ", month " << m << ", on file " << on_file);
                CHECK(at("cost_win_back", r, m) == 2.5 * on_file);
            }
        }
    }

    TEST_CASE("profit, cash and NPV follow their definitions in every replication and month") {
        Scenario scenario = from_text(std::string(churning_base) + R"(
[finance]
gross_margin = 0.7
cost_to_serve_per_customer_month = 4.0
discount_rate = 0.12
[save_desk]
cost_per_attempt = 5.0
[team]
mode = "split"
reps = 2.0
cost_per_rep_month = 3000.0
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            double operating = 0.0;
            double cash = 0.0;
            double npv = 0.0;
            double levers = 0.0;
            for (std::size_t m = 1; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                const double revenue = at("revenue", r, m);
                CHECK(revenue == at("mrr", r, m - 1));
                const double cost_of_revenue =
                    revenue * 0.3 + 4.0 * at("active_customers", r, m - 1);
                CHECK(at("cost_of_revenue", r, m) == doctest::Approx(cost_of_revenue));
                CHECK(at("gross_profit", r, m) == doctest::Approx(revenue - cost_of_revenue));
                const double spent = at("sales_cost", r, m) + at("retention_cost", r, m);
                const double profit = revenue - cost_of_revenue - spent;
                CHECK(at("operating_profit", r, m) == doctest::Approx(profit));
                // Monthly billing: the month's revenue is what comes in.
                CHECK(at("cash_collected", r, m) == revenue);
                CHECK(at("deferred_revenue", r, m) == 0.0);
                const double flow = revenue - cost_of_revenue - spent;
                CHECK(at("operating_cash_flow", r, m) == doctest::Approx(flow));
                operating += profit;
                cash += flow;
                npv += flow / std::pow(1.12, static_cast<double>(m) / 12.0);
                levers += spent;
                CHECK(at("cumulative_operating_profit", r, m) == doctest::Approx(operating));
                CHECK(at("cumulative_cash", r, m) == doctest::Approx(cash));
                CHECK(at("npv", r, m) == doctest::Approx(npv));
                CHECK(at("cumulative_lever_cost", r, m) == doctest::Approx(levers));
            }
        }
        CHECK(metric_of(results, "cost_save_desk").mean.back() > 0.0);
    }

    TEST_CASE("upfront annual billing without churn: cash 12 MRR per term started, exactly") {
        // Cash in month m = 12 MRR (new[m] + new[m - 12] + ...); deferred revenue = cumulative
        // cash - cumulative revenue.
        const Scenario scenario = from_text(R"(
[simulation]
horizon_months = 30
replications = 10
seed = 3
[acquisition]
new_per_month = 25
[segments.all]
mrr_median = 90.0
[contract.terms.annual]
months = 12
billing = "upfront"
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            double cumulative_cash = 0.0;
            double cumulative_revenue = 0.0;
            for (std::size_t m = 1; m < at.months(); ++m) {
                double starting = 0.0;
                for (std::size_t k = m;; k -= 12) {
                    starting += at("new_customers", r, k);
                    if (k < 12) break;
                }
                INFO("replication " << r << ", month " << m << ", terms starting " << starting);
                CHECK(at("cash_collected", r, m) == 12.0 * 90.0 * starting);
                CHECK(at("upfront_billings", r, m) == 12.0 * 90.0 * starting);
                cumulative_cash += at("cash_collected", r, m);
                cumulative_revenue += at("revenue", r, m);
                CHECK(at("deferred_revenue", r, m) == cumulative_cash - cumulative_revenue);
            }
        }
    }

    TEST_CASE("an upfront term ended by unavoidable churn stays paid: no bad debt, no refund") {
        const Scenario scenario = from_text(R"(
[simulation]
horizon_months = 24
replications = 10
seed = 5
[acquisition]
initial_customers = 300
initial_plans = "like_new"
new_per_month = 20
[retention]
alpha = 1.0
beta = 8.0
unavoidable_monthly = 0.02
[contract.terms.annual]
months = 12
billing = "upfront"
)");
        const ScenarioResults results = run_one(scenario, true);
        const KeptPaths at{results};
        for (std::size_t r = 0; r < at.replications(); ++r) {
            for (std::size_t m = 0; m < at.months(); ++m) {
                INFO("replication " << r << ", month " << m);
                CHECK(at("bad_debt", r, m) == 0.0);
                // Never more revenue earned than paid for, and no money flows back.
                CHECK(at("deferred_revenue", r, m) >= -1e-6);
                CHECK(at("cash_collected", r, m) >= 0.0);
                if (m > 0)
                    CHECK(at("prepaid_revenue", r, m) <= at("revenue", r, m) * (1 + 1e-12) + 1e-6);
            }
        }
        // The initial customers paid before the run for the months up to their first renewal.
        CHECK(metric_of(results, "deferred_revenue").mean.front() > 0.0);
    }

    TEST_CASE("money units name the scenario's currency") {
        const Scenario scenario = from_text(std::string(churning_base) + R"(
[finance]
currency = "EUR"
)");
        const ScenarioResults results = run_one(scenario);
        CHECK(metric_of(results, "mrr").info.units == "EUR/month");
        CHECK(metric_of(results, "npv").info.units == "EUR");
        CHECK(metric_of(results, "active_customers").info.units == "customers");
    }

    TEST_CASE("the gross margin moved to [finance]; a bad currency label is refused") {
        const auto message = [](const std::string& text) {
            return input_error([&] { from_text(text); });
        };
        const std::string moved = message("[team]\ngross_margin = 0.7\n");
        CAPTURE(moved);
        CHECK(moved.find("key 'team.gross_margin' has moved to 'finance.gross_margin'") !=
              std::string::npos);
        CHECK(moved.starts_with("economics.toml:2"));
        const std::string currency = message("[finance]\ncurrency = \"EUR/month\"\n");
        CAPTURE(currency);
        CHECK(currency.find("finance.currency") != std::string::npos);
        CHECK(currency.find("not a currency label") != std::string::npos);
    }
}
