// Contracts, saves, win-backs and revenue movements (docs/model.md sections 5, 6 and 8).

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

const std::vector<double>& churn_reason(const ScenarioResults& results, const std::string& name) {
    for (const ReasonSeries& r : results.churn_reasons) {
        if (r.info.name == name) return r.mean;
    }
    FAIL("no churn reason " << name);
    throw std::logic_error("unreachable");
}

ContractTerm annual(double share = 1.0, double discount = 0.0, double penalty = 0.0) {
    return ContractTerm{"annual", 12, share, discount, penalty};
}

// Every lever at once, two segments, so that the identity is checked with everything moving.
Scenario everything() {
    Scenario scenario = pure_cohort(0.9, 8.0, 1500, 30, 12);
    scenario.acquisition.new_per_month = 80;
    scenario.segments[0].retention.unavoidable_monthly = 0.01;
    scenario.segments[0].mrr_sigma = 0.7;
    scenario.segments[0].contract_terms = {ContractTerm{"monthly", 1, 0.5, 0.0, 0.0},
                                           annual(0.5, 0.15, 0.1)};
    scenario.onboarding = {true, 3, 0.5, 0.05, 2.0};
    scenario.save_desk = {true, 0.3};
    scenario.win_back = {true, 4, 0.05, 0.9};
    scenario.usage_pricing = {true, 0.5, 0.02, 0.1};
    scenario.upsell = {true, 0.03, {{"pro", 1.5}, {"enterprise", 2.5}}};
    scenario.cross_sell = {{"analytics", 30.0, 0.02, 0.8}, {"api", 15.0, 0.01, 0.9}};
    scenario.contraction = {true, 0.01, 0.25};
    return scenario;
}

}  // namespace

TEST_SUITE("revenue and contracts") {
    TEST_CASE("MRR identity holds in every replication and month") {
        const ScenarioResults results = run_one(everything(), true);
        const auto path = [&](const char* name) -> const std::vector<double>& {
            return metric_of(results, name).paths;
        };
        const auto& mrr = path("mrr");
        const std::size_t months = 31;
        for (std::size_t r = 0; r < 12; ++r) {
            for (std::size_t m = 1; m < months; ++m) {
                const std::size_t k = r * months + m;
                const double expected = mrr[k - 1] + path("new_mrr")[k] + path("expansion_mrr")[k] +
                                        path("upsell_mrr")[k] + path("cross_sell_mrr")[k] +
                                        path("reactivation_mrr")[k] - path("contraction_mrr")[k] -
                                        path("churned_mrr")[k];
                INFO("replication " << r << " month " << m << ": mrr " << mrr[k]
                                    << ", from movements " << expected);
                CHECK(std::abs(mrr[k] - expected) <= 1e-9 * std::max(1.0, std::abs(mrr[k])));
            }
        }
        // Every mechanism actually moved something.
        for (const char* name : {"expansion_mrr", "upsell_mrr", "cross_sell_mrr", "contraction_mrr",
                                 "reactivation_mrr", "bad_debt"}) {
            double total = 0.0;
            for (double v : metric_of(results, name).mean)
                total += v;
            INFO(name);
            CHECK(total > 0.0);
        }
        double saved = 0.0, cured = 0.0;
        for (double v : metric_of(results, "saved_customers").mean)
            saved += v;
        for (double v : metric_of(results, "cured_intents").mean)
            cured += v;
        CHECK(saved > 0.0);
        CHECK(cured > 0.0);
    }

    TEST_CASE("annual terms: churn only at renewals, survival there follows sBG") {
        // Contracts are offered to new customers. Hazards accrue monthly; the intent they form
        // is executed at ages 12 and 24, so a cohort's share left at renewal n is
        // E[(1 - theta)^(12 n)] = B(alpha, beta + 12 n) / B, and flat in between.
        Scenario scenario = pure_cohort(1.3, 20.0, 0, 25, 20);
        scenario.acquisition.new_per_month = 5000;
        scenario.segments[0].contract_terms = {annual()};
        const ScenarioResults results = run_one(scenario);
        const CohortMatrix& cohorts = results.logo_retention;
        for (std::size_t cohort = 1; cohort <= 12; ++cohort) {
            for (std::size_t age = 1; cohort + age <= 25; ++age) {
                const double value = cohorts.values[cohort * cohorts.ages + age];
                const double at_last_renewal =
                    cohorts.values[cohort * cohorts.ages + age / 12 * 12];
                INFO("cohort " << cohort << " age " << age);
                CHECK(value == at_last_renewal);
            }
        }
        for (int year = 1; year <= 2; ++year) {
            const double expected = beta_ratio(1.3, 20.0, 12.0 * year);
            check_within("annual renewal " + std::to_string(year),
                         cohorts.values[1 * cohorts.ages + static_cast<std::size_t>(12 * year)],
                         expected, survival_se(expected, 5000.0 * 20));
        }
    }

    TEST_CASE("unavoidable churn mid-term leaves the rest of the term as bad debt") {
        // Annual terms, 2000 new customers a month at 50 a month, unavoidable churn u = 2%; the
        // avoidable kind cannot leave before age 12, beyond this 12-month horizon. A customer
        // of cohort c lost in month m (age m - c < 12) leaves 12 - (m - c) months unpaid, so
        // E[bad debt in m] = 50 x 2000 x u x sum over c of (1 - u)^(m - 1 - c) (12 - m + c).
        const double u = 0.02;
        Scenario scenario = pure_cohort(1.0, 1e4, 0, 12, 40);  // avoidable hazard ~1e-4
        scenario.acquisition.new_per_month = 2000;
        scenario.segments[0].retention.unavoidable_monthly = u;
        scenario.segments[0].mrr_median = 50.0;
        scenario.segments[0].contract_terms = {annual()};
        const ScenarioResults results = run_one(scenario);
        const MetricSummary& bad_debt = metric_of(results, "bad_debt");
        for (int m = 2; m <= 12; ++m) {
            double expected = 0.0;
            for (int c = 1; c < m; ++c) {
                expected += 50.0 * 2000.0 * u * std::pow(1 - u, m - 1 - c) * (12 - m + c);
            }
            const auto k = static_cast<std::size_t>(m);
            check_within("bad debt month " + std::to_string(m), bad_debt.mean[k], expected,
                         bad_debt.stderr_[k]);
        }
        CHECK(metric_of(results, "bad_debt").mean[1] == 0.0);  // nobody to lose in month 1
    }

    TEST_CASE("acquisition penalty and discount change new logos and starting MRR") {
        Scenario scenario = pure_cohort(1.0, 10.0, 0, 12, 40);
        scenario.acquisition.new_per_month = 500;
        scenario.segments[0].mrr_median = 100.0;
        scenario.segments[0].contract_terms = {annual(1.0, 0.2, 0.3)};
        const ScenarioResults results = run_one(scenario);
        const auto& new_customers = metric_of(results, "new_customers");
        const auto& new_mrr = metric_of(results, "new_mrr");
        for (std::size_t m : {1u, 6u, 12u}) {
            check_within("new logos, month " + std::to_string(m), new_customers.mean[m],
                         500.0 * 0.7, std::sqrt(500.0 * 0.7 / 40));
            CHECK(new_mrr.mean[m] == doctest::Approx(new_customers.mean[m] * 80.0));
        }
    }

    TEST_CASE("upsell or cross-sell alone, no churn: GRR is 1 and NRR above 1") {
        for (int lever = 0; lever < 2; ++lever) {
            Scenario scenario = pure_cohort(1.0, 1.0, 3000, 24, 4);
            scenario.segments[0].retention.enabled = false;
            if (lever == 0) scenario.upsell = {true, 0.05, {{"pro", 1.6}}};
            if (lever == 1) scenario.cross_sell = {{"addon", 25.0, 0.05, 0.8}};
            const ScenarioResults results = run_one(scenario);
            const auto& nrr = metric_of(results, "nrr").mean;
            const auto& grr = metric_of(results, "grr").mean;
            INFO((lever == 0 ? "upsell" : "cross-sell"));
            for (std::size_t m = 1; m <= 24; ++m) {
                CHECK(grr[m] == doctest::Approx(1.0).epsilon(1e-6));
                CHECK(nrr[m] > 1.0);
            }
        }
    }

    TEST_CASE("contraction alone: NRR equals GRR, below 1") {
        Scenario scenario = pure_cohort(1.0, 1.0, 3000, 24, 4);
        scenario.segments[0].retention.enabled = false;
        scenario.contraction = {true, 0.05, 0.3};
        const ScenarioResults results = run_one(scenario);
        const auto& nrr = metric_of(results, "nrr").mean;
        const auto& grr = metric_of(results, "grr").mean;
        for (std::size_t m = 1; m <= 24; ++m) {
            CHECK(nrr[m] == doctest::Approx(grr[m]).epsilon(1e-6));
            CHECK(nrr[m] < 1.0);
        }
        // Each customer keeps 0.7 of its MRR per downgrade, with monthly probability 0.05:
        // over a 12-month window the expected factor is (1 - 0.05 x 0.3)^12.
        check_within("NRR at month 12", nrr[12], std::pow(1.0 - 0.05 * 0.3, 12), 0.002);
    }

    TEST_CASE("a sticky cross-sell product lowers churn among adopters") {
        // Everyone adopts in its first month (probability 1), after that month's renewal: from
        // month 2 on its hazard is m x lambda, so S(t) = B(alpha, beta + 1 + m (t - 1)) / B.
        const double alpha = 1.2, beta = 6.0, m = 0.5;
        Scenario scenario = pure_cohort(alpha, beta, 20000, 18, 10);
        scenario.cross_sell = {{"addon", 10.0, 1.0, m}};
        const ScenarioResults adopters = run_one(scenario);
        scenario.cross_sell.clear();
        const ScenarioResults others = run_one(scenario);
        for (int t = 2; t <= 18; ++t) {
            const double expected = beta_ratio(alpha, beta, 1.0 + m * (t - 1));
            const auto age = static_cast<std::size_t>(t);
            check_within("adopters t=" + std::to_string(t), adopters.logo_retention.values[age],
                         expected, survival_se(expected, 20000.0 * 10));
            CHECK(adopters.logo_retention.values[age] > others.logo_retention.values[age]);
        }
    }

    TEST_CASE("the save desk keeps its share of leaving customers") {
        Scenario scenario = pure_cohort(1.0, 5.0, 20000, 12, 4);
        scenario.save_desk = {true, 0.4};
        const ScenarioResults results = run_one(scenario);
        double saved = 0.0, churned = 0.0;
        for (double v : metric_of(results, "saved_customers").mean)
            saved += v;
        for (double v : metric_of(results, "churned_customers").mean)
            churned += v;
        const double attempts = (saved + churned) * 4;
        check_within("saved share", saved / (saved + churned), 0.4,
                     std::sqrt(0.4 * 0.6 / attempts));
    }

    TEST_CASE("a customer won back keeps its tier and add-ons, bought once") {
        // Each month every active customer adopts the add-on (+10) and upgrades (+100) if it has
        // not yet; lost customers come back the next month, again and again. However often they
        // return, each of the 5000 customers can buy each at most once, and comes back at 100
        // (left before buying) or 210 (after).
        Scenario scenario = pure_cohort(1.0, 3.0, 5000, 12, 4);
        scenario.win_back = {true, 2, 1.0, 1.0};
        scenario.cross_sell = {{"addon", 10.0, 1.0, 1.0}};
        scenario.upsell = {true, 1.0, {{"pro", 2.0}}};
        const ScenarioResults results = run_one(scenario);
        double add_ons = 0.0, upgrades = 0.0;
        for (double v : metric_of(results, "cross_sell_mrr").mean)
            add_ons += v / 10.0;
        for (double v : metric_of(results, "upsell_mrr").mean)
            upgrades += v / 100.0;
        CHECK(add_ons <= 5000.0);
        CHECK(upgrades <= 5000.0);
        CHECK(add_ons > 4000.0);
        const auto& reactivated = metric_of(results, "reactivated_customers").mean;
        const auto& reactivation_mrr = metric_of(results, "reactivation_mrr").mean;
        for (std::size_t m = 2; m <= 12; ++m) {
            INFO("month " << m);
            CHECK(reactivated[m] > 0.0);
            CHECK(reactivation_mrr[m] >= reactivated[m] * 100.0 - 1e-6);
            CHECK(reactivation_mrr[m] <= reactivated[m] * 210.0 + 1e-6);
        }
    }

    TEST_CASE("win-back: a customer who left in month k returns in k + j with p (1-p)^(j-1)") {
        // Every churn is avoidable, so every leaver is on file for 3 months. Given each
        // replication's departures, the expected returns in month m are
        // sum over k = m-3..m-1 of churned[k] p (1-p)^(m-k-1); returns are Bernoulli draws, so
        // their variance is below that mean. Checked month by month (pooled over replications)
        // and in total.
        const double p = 0.25;
        const int window = 3;
        Scenario scenario = pure_cohort(0.9, 4.0, 20000, 18, 8);
        scenario.win_back = {true, window, p, 1.0};
        const ScenarioResults results = run_one(scenario, true);
        const auto& churned = metric_of(results, "churned_customers").paths;
        const auto& reactivated = metric_of(results, "reactivated_customers").paths;
        const std::size_t months = 19;
        REQUIRE(churned.size() == 8 * months);
        double total_expected = 0.0;
        double total_observed = 0.0;
        for (std::size_t m = 1; m < months; ++m) {
            double expected = 0.0;
            double observed = 0.0;
            for (std::size_t r = 0; r < 8; ++r) {
                for (std::size_t k = m > window ? m - window : 1; k < m; ++k) {
                    expected += churned[r * months + k] * p * std::pow(1.0 - p, double(m - k - 1));
                }
                observed += reactivated[r * months + m];
            }
            const double se = std::sqrt(expected + 1.0);
            INFO("month " << m << ": returned " << observed << ", expected " << expected << ", SE "
                          << se);
            CHECK(std::abs(observed - expected) <= 4.0 * se);
            total_expected += expected;
            total_observed += observed;
        }
        INFO("all months: returned " << total_observed << ", expected " << total_expected);
        CHECK(total_expected > 1000.0);
        CHECK(std::abs(total_observed - total_expected) <= 4.0 * std::sqrt(total_expected));
    }

    TEST_CASE("NRR counts a customer won back a year or more later only if it was there then") {
        // Everyone leaves in month 1 (theta ~ Beta(50, 0.01), about 1) and is on file for two
        // years; whoever comes back leaves again the next month. Of those active at month 12
        // (back that month), the ones active at month 24 again came back exactly 10 months
        // after leaving in month 13: NRR(24) = p (1-p)^10, each counted at its full MRR. The
        // customers back at 24 who were away at month 12 (most of them) must not count.
        const double p = 0.01;
        Scenario scenario = pure_cohort(50.0, 0.01, 100000, 24, 4);
        scenario.win_back = {true, 24, p, 1.0};
        const ScenarioResults results = run_one(scenario, true);
        const auto& nrr = metric_of(results, "nrr").paths;
        const auto& active = metric_of(results, "active_customers").paths;
        const std::size_t months = 25;
        double there_then = 0.0;
        double nrr_sum = 0.0;
        for (std::size_t r = 0; r < 4; ++r) {
            there_then += active[r * months + 12];
            nrr_sum += nrr[r * months + 24];
        }
        const double expected = p * std::pow(1.0 - p, 10);
        const double se = std::sqrt(expected * (1.0 - expected) / there_then);
        const double calculated = nrr_sum / 4.0;
        INFO("NRR(24) " << calculated << ", expected " << expected << ", SE " << se
                        << " (active at 12: " << there_then << ")");
        CHECK(there_then > 2000.0);
        CHECK(std::abs(calculated - expected) <= 4.0 * se);
    }

    TEST_CASE("win-back brings customers back only within its window") {
        Scenario scenario = pure_cohort(1.0, 3.0, 20000, 24, 4);
        scenario.win_back = {true, 3, 0.2, 1.0};
        const ScenarioResults results = run_one(scenario);
        const auto& reactivated = metric_of(results, "reactivated_customers").mean;
        const auto& churned = metric_of(results, "churned_customers").mean;
        CHECK(reactivated[1] == 0.0);  // nobody has left before month 1
        // Returns in month m come from those who left in months m-3..m-1, each with 0.2 a month
        // of still being away: the expected count is bounded by 0.2 x those departures.
        for (std::size_t m = 2; m <= 24; ++m) {
            double window = 0.0;
            for (std::size_t k = m >= 3 ? m - 3 : 1; k < m; ++k)
                window += churned[k];
            CHECK(reactivated[m] <= 0.2 * window * 1.2 + 5.0);
            CHECK(reactivated[m] > 0.0);
        }
        const auto& reactivation_mrr = metric_of(results, "reactivation_mrr").mean;
        // Everyone starts at 100 and comes back at its full MRR (fraction 1).
        CHECK(reactivation_mrr[6] == doctest::Approx(reactivated[6] * 100.0));
    }
}
