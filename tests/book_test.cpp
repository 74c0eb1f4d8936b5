// Today's book (README "Starting from today's customers"): survival conditioned on the tenure
// reached, renewal dates from the contract state, and the CSV reader.

#include <doctest/doctest.h>

#include <memory>

#include "book.hpp"
#include "book_posterior.hpp"
#include "cohortsim/book.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// A pure BdW model whose only customers are `customers` of tenure `tenure` from the book.
Scenario book_of_one_tenure(double alpha, double beta, double c, int tenure, std::int64_t customers,
                            int horizon, std::int64_t replications) {
    Scenario scenario = pure_cohort(alpha, beta, 0, horizon, replications, c);
    BookEntry entry;
    entry.tenure_months = tenure;
    entry.customers = customers;
    scenario.book.entries = std::make_shared<const std::vector<BookEntry>>(1, entry);
    return scenario;
}

// Fraction of the month-0 stock still active at month t, pooled over replications.
double stock_survival(const ScenarioResults& results, int month) {
    return results.logo_retention.values[static_cast<std::size_t>(month)];
}

struct Case {
    double alpha, beta, c;
    int tenure;
    std::int64_t customers, replications;
};

// S(a + t) / S(a) with S(t) = B(alpha, beta + t^c) / B(alpha, beta), t = 1..24, within 4 SE;
// and many SE away from a new cohort's S(t), which is what ignoring the tenure would give
// (above it for sBG and c < 1; with c > 1 ageing raises the hazard, so it starts below).
void check_conditioned_survival(const Case& k) {
    const int horizon = 24;
    const ScenarioResults book = run_one(
        book_of_one_tenure(k.alpha, k.beta, k.c, k.tenure, k.customers, horizon, k.replications));
    const ScenarioResults fresh =
        run_one(pure_cohort(k.alpha, k.beta, k.customers, horizon, k.replications, k.c));
    const double n = static_cast<double>(k.customers * k.replications);
    const std::string label = "alpha=" + std::to_string(k.alpha) +
                              " beta=" + std::to_string(k.beta) + " c=" + std::to_string(k.c) +
                              " a=" + std::to_string(k.tenure);
    const double lived = std::pow(k.tenure, k.c);
    double largest_separation = 0.0;
    for (int t = 1; t <= horizon; ++t) {
        const double expected = beta_ratio(k.alpha, k.beta, std::pow(k.tenure + t, k.c)) /
                                beta_ratio(k.alpha, k.beta, lived);
        const double se = survival_se(expected, n);
        check_within("book " + label + " t=" + std::to_string(t), stock_survival(book, t), expected,
                     se);
        if (t == 1 || t == 12 || t == 24)
            MESSAGE(label << " t=" << t << ": calculated " << stock_survival(book, t)
                          << ", expected " << expected << ", standard error " << se
                          << "; a new cohort " << stock_survival(fresh, t));
        // The unconditioned forecast, simulated: the difference is what the posterior buys.
        const double fresh_se = survival_se(stock_survival(fresh, t), n);
        const double separation = (stock_survival(book, t) - stock_survival(fresh, t)) /
                                  std::sqrt(se * se + fresh_se * fresh_se);
        largest_separation = std::max(largest_separation, std::abs(separation));
    }
    MESSAGE(label << ": book and a new cohort differ by up to " << largest_separation
                  << " standard errors over t = 1..24");
    CHECK(largest_separation > 20.0);
}

}  // namespace

TEST_SUITE("book") {
    TEST_CASE("book sBG: survival of tenure-a customers is S(a+t)/S(a), not S(t)") {
        // 20000 customers of one tenure: the tabulated posterior sampler.
        REQUIRE(20000 >= BookPosterior::tabulate_from_customers);
        check_conditioned_survival({0.704, 1.182, 1.0, 12, 20000, 20});
    }

    TEST_CASE("book BdW c != 1: survival is B(alpha, beta+(a+t)^c) / B(alpha, beta+a^c)") {
        // Few customers per tenure: the gamma route, over more replications.
        REQUIRE(1500 < BookPosterior::tabulate_from_customers);
        check_conditioned_survival({1.1, 4.0, 0.6, 6, 1500, 200});
        check_conditioned_survival({1.1, 4.0, 1.4, 3, 20000, 20});
    }

    TEST_CASE("book: a never-activated customer's posterior counts its low-adoption exposure") {
        // Onboarding of M months with multiplier m: survival so far (1-theta)^E(a), with
        // E(x) = M^c + m (x^c - M^c) beyond onboarding, so S = B(a, b + E(a+t)) / B(a, b + E(a)).
        const double alpha = 1.3, beta = 5.0, c = 0.8, m = 2.0;
        const int months = 3, tenure = 9, horizon = 18;
        const std::int64_t customers = 20000, replications = 20;
        Scenario scenario =
            book_of_one_tenure(alpha, beta, c, tenure, customers, horizon, replications);
        scenario.onboarding = {true, months, 0.5, 0.05, m};
        BookEntry entry = scenario.book.entries->front();
        entry.activated = false;
        scenario.book.entries = std::make_shared<const std::vector<BookEntry>>(1, entry);
        const auto exposure = [&](double x) {
            return std::pow(months, c) + m * (std::pow(x, c) - std::pow(months, c));
        };
        const ScenarioResults results = run_one(scenario);
        for (int t = 1; t <= horizon; ++t) {
            const double expected = beta_ratio(alpha, beta, exposure(tenure + t)) /
                                    beta_ratio(alpha, beta, exposure(tenure));
            check_within("never activated t=" + std::to_string(t), stock_survival(results, t),
                         expected, survival_se(expected, double(customers * replications)));
        }
    }

    TEST_CASE("book: 12-month terms churn only at the renewal months months_to_renewal implies") {
        // Intents form every month; only renewals execute them. Entry A renews in months 3, 15,
        // 27; entry B (tenure 5, no months_to_renewal: its join anniversary) in 7, 19.
        Scenario scenario = pure_cohort(1.0, 6.0, 0, 30, 8);
        BookEntry a;
        a.tenure_months = 20;
        a.customers = 3000;
        a.term_months = 12;
        a.months_to_renewal = 3;
        const std::vector<BookEntry> parsed =
            parse_book_csv("tenure_months,mrr,term_months\n5,100,12\n", BookFormat::accounts,
                           "b.csv", scenario.segments, {});
        REQUIRE(parsed.size() == 1);
        CHECK(parsed[0].months_to_renewal == 7);
        BookEntry b = parsed[0];
        b.customers = 3000;
        scenario.book.entries =
            std::make_shared<const std::vector<BookEntry>>(std::vector<BookEntry>{a, b});
        const ScenarioResults results = run_one(scenario);
        const std::vector<double>& churned = metric_of(results, "churned_customers").mean;
        for (int month = 1; month <= 30; ++month) {
            const bool renewal =
                month == 3 || month == 15 || month == 27 || month == 7 || month == 19;
            INFO("month " << month << ": churned " << churned[month]);
            if (renewal)
                CHECK(churned[month] > 50.0);
            else
                CHECK(churned[month] == 0.0);
        }
        CHECK(metric_of(results, "new_customers").mean[0] == 0.0);
        CHECK(metric_of(results, "active_customers").mean[0] == 6000.0);
    }

    TEST_CASE("book: the accounts reader fills defaults and reads every column") {
        Scenario scenario = two_segment_scenario(0, 12, 2, 0.0);
        scenario.cross_sell = {{"analytics", 40.0, 0.01, 0.8}, {"api", 10.0, 0.01, 0.9}};
        const std::vector<BookEntry> entries = parse_book_csv(
            "\xEF\xBB\xBFSegment,tenure_months,mrr,term_months,months_to_renewal,activated,"
            "products\n"
            "smb,0,50,1,1,1,\n"
            "\n"
            "Enterprise,30,5000,12,2,0,\"analytics; api\"\n",
            BookFormat::accounts, "book.csv", scenario.segments, scenario.cross_sell);
        REQUIRE(entries.size() == 2);
        CHECK(entries[0].segment == 0);
        CHECK(entries[0].tenure_months == 0);
        CHECK(*entries[0].mrr == 50.0);
        CHECK(entries[0].products == 0);
        CHECK(entries[1].segment == 1);
        CHECK(entries[1].term_months == 12);
        CHECK(entries[1].months_to_renewal == 2);
        CHECK(!entries[1].activated);
        CHECK(entries[1].products == 3);
        CHECK(entries[1].customers == 1);

        const std::vector<BookEntry> cohorts =
            parse_book_csv("segment,tenure_months,customers\nsmb,3,120\nenterprise,3,0\n",
                           BookFormat::cohorts, "c.csv", scenario.segments, {});
        REQUIRE(cohorts.size() == 1);  // the empty cohort is dropped
        CHECK(cohorts[0].customers == 120);
        CHECK(!cohorts[0].mrr.has_value());
        CHECK_THROWS_WITH_AS(
            parse_book_csv("segment,tenure_months,customers\nsmb,3,1\nsmb,3,2\n",
                           BookFormat::cohorts, "c.csv", scenario.segments, {}),
            doctest::Contains("c.csv:3: column 'tenure_months': value '3' of segment 'smb' is "
                              "repeated (also on line 2)"),
            InputError);
    }
}
