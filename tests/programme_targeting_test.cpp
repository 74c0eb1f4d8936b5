// Retention programmes with a capacity (docs/model.md 11.6): aimed at the accounts most at risk,
// each extra account covered is less at risk at the same cost, so the programme's NPV peaks at an
// interior capacity; and at equal capacity, aiming at risk keeps more customers than a random
// choice.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// Very unequal customers (Beta(0.5, 3) propensities: a few leave fast, most stay for years),
// monthly terms, 100 a month each; a programme that halves every avoidable hazard of the
// accounts it covers, at 20 per covered account-month.
std::string with_capacity(const std::string& targeting, long capacity) {
    return R"(
[simulation]
horizon_months = 24
replications = 24
seed = 5
[acquisition]
initial_customers = 4000
[retention]
alpha = 0.5
beta = 3.0
[interventions.care]
targeting = ")" +
           targeting +
           R"("
capacity_accounts = )" +
           std::to_string(capacity) +
           R"(
signal_noise = 0.3
cost_per_account_month = 20.0
reasons.no_roi = 0.5
reasons.sponsor_change = 0.5
reasons.low_adoption = 0.5
reasons.product_gap = 0.5
reasons.performance = 0.5
reasons.human_factors = 0.5
)";
}

Scenario variant(const std::string& targeting, long capacity) {
    Scenario scenario = scenario_from_text(with_capacity(targeting, capacity), "care");
    scenario.name = targeting + "_" + std::to_string(capacity);
    return scenario;
}

// Per-replication values of a metric at the horizon.
std::vector<double> at_horizon(const ScenarioResults& results, const std::string& metric) {
    const KeptPaths at{results};
    std::vector<double> values;
    for (std::size_t r = 0; r < at.replications(); ++r)
        values.push_back(at(metric, r, at.months() - 1));
    return values;
}

// b - a paired over replications (same customers and draws): mean and its standard error.
struct Paired {
    double mean;
    double se;
};
Paired paired(const std::vector<double>& a, const std::vector<double>& b) {
    const auto n = static_cast<double>(a.size());
    double sum = 0.0, squares = 0.0;
    for (std::size_t r = 0; r < a.size(); ++r)
        sum += b[r] - a[r];
    const double mean = sum / n;
    for (std::size_t r = 0; r < a.size(); ++r)
        squares += (b[r] - a[r] - mean) * (b[r] - a[r] - mean);
    return {mean, std::sqrt(squares / (n - 1.0) / n)};
}

}  // namespace

TEST_SUITE("programme targeting") {
    TEST_CASE("at-risk coverage at a cost per account: NPV peaks at an interior capacity") {
        const std::vector<long> capacities = {0, 400, 4000};
        std::vector<Scenario> sweep;
        for (const long capacity : capacities)
            sweep.push_back(variant("at_risk", capacity));
        RunOptions options;
        options.keep_paths = true;
        const RunResults run = run_scenarios(sweep, options);

        // Never more than the capacity, and all of it while enough accounts are active.
        for (std::size_t v = 0; v < capacities.size(); ++v) {
            const KeptPaths at{run.scenarios[v]};
            for (std::size_t r = 0; r < at.replications(); ++r)
                for (std::size_t m = 1; m < at.months(); ++m) {
                    INFO("capacity " << capacities[v] << ", replication " << r << ", month " << m);
                    const double expected = std::min(static_cast<double>(capacities[v]),
                                                     at("active_customers", r, m - 1));
                    CHECK(at("covered_care", r, m) == expected);
                    CHECK(at("cost_care", r, m) == 20.0 * expected);
                }
        }

        // Covering the 400 riskiest beats covering none and covering all, by 4 SE.
        const std::vector<double> none = at_horizon(run.scenarios[0], "npv");
        const std::vector<double> some = at_horizon(run.scenarios[1], "npv");
        const std::vector<double> all = at_horizon(run.scenarios[2], "npv");
        const Paired over_none = paired(none, some);
        const Paired over_all = paired(all, some);
        INFO("NPV(400) - NPV(0) = " << over_none.mean << " +- " << over_none.se
                                    << "; NPV(400) - NPV(4000) = " << over_all.mean << " +- "
                                    << over_all.se << "; expected both > 4 SE");
        CHECK(over_none.mean > 4.0 * over_none.se);
        CHECK(over_all.mean > 4.0 * over_all.se);
    }

    TEST_CASE("at equal capacity, aiming at risk keeps more customers than a random choice") {
        RunOptions options;
        options.keep_paths = true;
        const RunResults run =
            run_scenarios({variant("random", 400), variant("at_risk", 400)}, options);
        const Paired kept = paired(at_horizon(run.scenarios[0], "active_customers"),
                                   at_horizon(run.scenarios[1], "active_customers"));
        INFO("customers kept by aiming at risk: " << kept.mean << " +- " << kept.se
                                                  << "; expected > 4 SE");
        CHECK(kept.mean > 4.0 * kept.se);
    }

    TEST_CASE("an aimed programme needs a capacity, and a capacity needs aiming") {
        const auto message = [](const std::string& text) {
            return input_error([&] { scenario_from_text(text, "care"); });
        };
        CHECK(message("[interventions.a]\ntargeting = \"at_risk\"\n")
                  .find("needs capacity_accounts") != std::string::npos);
        CHECK(message("[interventions.a]\ncapacity_accounts = 10\n")
                  .find("applies only with targeting") != std::string::npos);
        CHECK(message("[interventions.a]\ntargeting = \"worst\"\ncapacity_accounts = 10\n")
                  .find("share, largest, random, at_risk") != std::string::npos);
    }
}
