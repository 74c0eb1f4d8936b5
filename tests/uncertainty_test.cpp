// Uncertain inputs (docs/model.md 12.1): [uncertainty] draws a key's value once per replication,
// from a stream keyed by the seed, the replication and the key, so the replications carry the
// input's uncertainty besides the simulation's randomness, and scenarios that share an input stay
// paired.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cohortsim/runner.hpp"
#include "input_law.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

Scenario uncertain(const std::string& text, const std::string& name = "uncertain") {
    return scenario_from_text(text, name);
}

// A pure sBG cohort whose alpha is uniform on [0.6, 1.4].
constexpr const char* cohort = R"(
[simulation]
horizon_months = 12
replications = 200
seed = 17
[acquisition]
initial_customers = 2000
[retention]
alpha = 1.0
beta = 4.0
[uncertainty]
"retention.alpha" = { distribution = "uniform", low = 0.6, high = 1.4 }
)";

// E over alpha uniform on [low, high] of B(alpha, beta + t) / B(alpha, beta): Simpson's rule.
double mean_survival(double low, double high, double beta, double t) {
    constexpr int intervals = 400;
    const double h = (high - low) / intervals;
    double sum = beta_ratio(low, beta, t) + beta_ratio(high, beta, t);
    for (int k = 1; k < intervals; ++k)
        sum += (k % 2 == 1 ? 4.0 : 2.0) * beta_ratio(low + k * h, beta, t);
    return sum * h / 3.0 / (high - low);
}

const InputSample& input_of(const ScenarioResults& results, const std::string& key) {
    for (const InputSample& input : results.inputs)
        if (input.info.name == key) return input;
    FAIL("no input " << key);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("uncertainty") {
    TEST_CASE("alpha uniform on an interval: mean survival E[B(a, b + t) / B(a, b)]") {
        const ScenarioResults results = run_one(uncertain(cohort), true);
        const KeptPaths at{results};
        for (std::size_t t = 1; t < at.months(); ++t) {
            // Across replications: each has its own alpha, so its own survival curve.
            std::vector<double> survival;
            for (std::size_t r = 0; r < at.replications(); ++r)
                survival.push_back(at("active_customers", r, t) / 2000.0);
            double mean = 0.0, squares = 0.0;
            for (const double s : survival)
                mean += s / static_cast<double>(survival.size());
            for (const double s : survival)
                squares += (s - mean) * (s - mean);
            const double n = static_cast<double>(survival.size());
            check_within("mean survival at month " + std::to_string(t), mean,
                         mean_survival(0.6, 1.4, 4.0, static_cast<double>(t)),
                         std::sqrt(squares / (n - 1.0) / n));
        }
        // The draws, recorded with their units and law, are uniform on [0.6, 1.4]: the
        // Kolmogorov-Smirnov distance is below its 1% critical value 1.63 / sqrt(n).
        const InputSample& alpha = input_of(results, "retention.alpha");
        CHECK(alpha.info.units == "1");
        CHECK(alpha.info.description.find("uniform on [0.6, 1.4]") != std::string::npos);
        std::vector<double> sorted = alpha.values;
        REQUIRE(sorted.size() == 200);
        std::sort(sorted.begin(), sorted.end());
        double distance = 0.0;
        for (std::size_t k = 0; k < sorted.size(); ++k) {
            const double cdf = (sorted[k] - 0.6) / 0.8;
            const double n = static_cast<double>(sorted.size());
            distance = std::max({distance, std::abs(cdf - static_cast<double>(k) / n),
                                 std::abs(cdf - static_cast<double>(k + 1) / n)});
        }
        INFO("KS distance " << distance << ", critical " << 1.63 / std::sqrt(200.0));
        CHECK(distance < 1.63 / std::sqrt(200.0));
    }

    TEST_CASE("scenarios sharing an uncertain input draw the same values and stay paired") {
        const Scenario base = uncertain(cohort, "base");
        const Scenario desk =
            uncertain(std::string(cohort) + "[save_desk]\nsave_rate = 0.2\n", "desk");
        RunOptions options;
        options.keep_paths = true;
        const RunResults run = run_scenarios({base, desk}, options);
        CHECK(bitwise_equal(input_of(run.scenarios[0], "retention.alpha").values,
                            input_of(run.scenarios[1], "retention.alpha").values));
        // The spread of customers at the horizon, alone and as the paired difference.
        const KeptPaths a{run.scenarios[0]};
        const KeptPaths b{run.scenarios[1]};
        const auto spread = [](const std::vector<double>& values) {
            double mean = 0.0, squares = 0.0;
            for (const double v : values)
                mean += v / static_cast<double>(values.size());
            for (const double v : values)
                squares += (v - mean) * (v - mean);
            return std::sqrt(squares / static_cast<double>(values.size() - 1));
        };
        std::vector<double> alone_a, alone_b, paired;
        for (std::size_t r = 0; r < a.replications(); ++r) {
            alone_a.push_back(a("active_customers", r, 12));
            alone_b.push_back(b("active_customers", r, 12));
            paired.push_back(alone_b.back() - alone_a.back());
        }
        INFO("spread of customers at month 12: " << spread(alone_a) << " and " << spread(alone_b)
                                                 << " alone, " << spread(paired) << " paired");
        CHECK(5.0 * spread(paired) < spread(alone_a));
        CHECK(5.0 * spread(paired) < spread(alone_b));
    }

    TEST_CASE("--no-uncertainty runs the point values: the run of the scenario without it") {
        RunOptions point;
        point.keep_paths = true;
        point.input_uncertainty = false;
        const ScenarioResults ignored = run_scenarios({uncertain(cohort)}, point).scenarios[0];
        std::string without = cohort;
        without.erase(without.find("[uncertainty]"));
        const ScenarioResults plain = run_scenarios({uncertain(without)}, point).scenarios[0];
        CHECK(ignored.inputs.empty());
        CHECK(bitwise_equal(metric_of(ignored, "mrr").paths, metric_of(plain, "mrr").paths));
    }

    TEST_CASE("the draws do not depend on the number of threads") {
        const Scenario scenario = uncertain(std::string(cohort) +
                                            "\"segments.all.mrr_median\" = { distribution = "
                                            "\"lognormal\", median = 80.0, sigma = 0.2 }\n");
        RunOptions one;
        one.keep_paths = true;
        one.threads = 1;
        RunOptions two = one;
        two.threads = 2;
        const ScenarioResults a = run_scenarios({scenario}, one).scenarios[0];
        const ScenarioResults b = run_scenarios({scenario}, two).scenarios[0];
        CHECK(bitwise_equal(metric_of(a, "mrr").paths, metric_of(b, "mrr").paths));
        CHECK(bitwise_equal(input_of(a, "segments.all.mrr_median").values,
                            input_of(b, "segments.all.mrr_median").values));
    }

    TEST_CASE("each law's quantile function has the law's mean and support") {
        // The mean of the quantile over a fine grid of probabilities is the law's mean.
        const auto mean_of = [](const InputLaw& law) {
            constexpr int points = 200000;
            double sum = 0.0;
            for (int k = 0; k < points; ++k)
                sum += law.quantile((k + 0.5) / points);
            return sum / points;
        };
        const double range = 1e9;
        const InputLaw triangular(InputDistribution::triangular,
                                  {{"low", 1.0}, {"mode", 2.0}, {"high", 6.0}}, 0, range, false);
        CHECK(mean_of(triangular) == doctest::Approx(3.0).epsilon(1e-4));
        const InputLaw pert(InputDistribution::pert, {{"low", 1.0}, {"mode", 2.0}, {"high", 6.0}},
                            0, range, false);
        CHECK(mean_of(pert) == doctest::Approx((1.0 + 4.0 * 2.0 + 6.0) / 6.0).epsilon(1e-4));
        const InputLaw beta(InputDistribution::beta, {{"mean", 0.65}, {"sd", 0.08}}, 0, 1, false);
        CHECK(mean_of(beta) == doctest::Approx(0.65).epsilon(1e-4));
        CHECK(beta.low() == 0.0);
        CHECK(beta.high() == 1.0);
        const InputLaw lognormal(InputDistribution::lognormal, {{"median", 50.0}, {"sigma", 0.1}},
                                 0, range, false);
        CHECK(lognormal.quantile(0.5) == doctest::Approx(50.0));
        CHECK(mean_of(lognormal) == doctest::Approx(50.0 * std::exp(0.005)).epsilon(1e-4));
        // A normal truncated to the key's range [0, 1]: symmetric about 0.5, never outside.
        const InputLaw truncated(InputDistribution::normal, {{"mean", 0.5}, {"sd", 1.0}}, 0, 1,
                                 false);
        CHECK(mean_of(truncated) == doctest::Approx(0.5).epsilon(1e-6));
        CHECK(truncated.quantile(1e-12) >= 0.0);
        CHECK(truncated.quantile(1.0 - 1e-12) <= 1.0);
        // An integer key's draws are whole numbers.
        const InputLaw months(InputDistribution::uniform, {{"low", 1.0}, {"high", 6.0}}, 1, 60,
                              true);
        CHECK(months.quantile(0.37) == std::round(months.quantile(0.37)));
    }

    TEST_CASE("laws are checked against their key before any work") {
        const auto message = [](const std::string& law) {
            return input_error([&] {
                uncertain("[retention]\nalpha = 1.0\nbeta = 2.0\n[uncertainty]\n" + law + "\n");
            });
        };
        CHECK(message("\"retention.alpha\" = { distribution = \"uniform\", low = -1, high = 2 }")
                  .find("support [-1, 2] is not within the key's range") != std::string::npos);
        CHECK(message("\"retention.nope\" = { distribution = \"uniform\", low = 1, high = 2 }")
                  .find("not a numeric key of a scenario") != std::string::npos);
        CHECK(message("\"retention.alpha\" = { distribution = \"gamma\" }")
                  .find("not a distribution; allowed: normal, lognormal, uniform") !=
              std::string::npos);
        CHECK(message("\"retention.alpha\" = { distribution = \"beta\", mean = 0.5, sd = 0.6 }")
                  .find("no beta on [0, 1] has this mean and sd") != std::string::npos);
        CHECK(message("\"segments.smb.mrr_median\" = { distribution = \"normal\", mean = 50.0, "
                      "sd = 5.0 }")
                  .find("the scenario cannot take this key") != std::string::npos);
        CHECK(message("\"retention.alpha\" = { distribution = \"uniform\", low = 1, hi = 2 }")
                  .find("not a parameter of this law") != std::string::npos);
        CHECK(message("\"simulation.horizon_months\" = { distribution = \"uniform\", low = 4, "
                      "high = 6 }")
                  .find("cannot be uncertain") != std::string::npos);
        // A share drawn alone no longer sums to 1 with the others: refused before any work,
        // naming the replication and its draws.
        const Scenario shares = uncertain(R"(
[simulation]
replications = 20
horizon_months = 3
[segments.a]
share = 0.5
[segments.b]
share = 0.5
[uncertainty]
"segments.a.share" = { distribution = "uniform", low = 0.4, high = 0.6 }
)");
        const std::string refused = input_error([&] { run_scenarios({shares}, RunOptions{}); });
        CHECK(refused.find("replication 0 draws segments.a.share = ") != std::string::npos);
        CHECK(refused.find("shares in 'segments' sum to") != std::string::npos);
    }
}
