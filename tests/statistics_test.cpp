// Statistics across replications, and the samplers behind the model.

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <set>

#include "cohortsim/random.hpp"
#include "propensity_sampler.hpp"
#include "statistics.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

TEST_SUITE("statistics") {
    TEST_CASE("mean, sample std, standard error and numpy-style quantiles per column") {
        // Two columns over five replications.
        const std::vector<double> values = {1, 10, 2, 20, 3, 30, 4, 40, 10, 50};
        const auto stats = summarise_columns(values, 5, 2, {0.0, 0.25, 0.5, 0.9, 1.0});
        CHECK(stats.mean[0] == doctest::Approx(4.0));
        CHECK(stats.mean[1] == doctest::Approx(30.0));
        CHECK(stats.std[0] == doctest::Approx(std::sqrt(50.0 / 4.0)));
        CHECK(stats.stderr_[1] == doctest::Approx(std::sqrt(1000.0 / 4.0) / std::sqrt(5.0)));
        // numpy.quantile([1, 2, 3, 4, 10], [0, .25, .5, .9, 1]) = 1, 2, 3, 7.6, 10
        const double expected[] = {1.0, 2.0, 3.0, 7.6, 10.0};
        for (std::size_t q = 0; q < 5; ++q)
            CHECK(stats.quantiles[q * 2] == doctest::Approx(expected[q]));
    }

    TEST_CASE("one replication has zero spread, not NaN") {
        const auto stats = summarise_columns(std::vector<double>{7.0}, 1, 1, {0.05, 0.95});
        CHECK(stats.std[0] == 0.0);
        CHECK(stats.quantiles[1] == 7.0);
    }
}

TEST_SUITE("samplers") {
    TEST_CASE("gamma draws have the right mean and variance, shape below and above 1") {
        for (double shape : {0.3, 0.704, 1.0, 4.5}) {
            GammaSampler gamma(shape);
            const int n = 200000;
            double sum = 0.0, squares = 0.0;
            for (int i = 0; i < n; ++i) {
                KeyedStream stream(
                    stream_key(customer_key(1, {0, 0, std::uint32_t(i)}), Purpose::propensity));
                const double x = gamma(stream);
                sum += x;
                squares += x * x;
            }
            const double mean = sum / n;
            const double variance = squares / n - mean * mean;
            // Var(X) = shape; Var(sample mean) = shape / n.
            check_within("gamma mean, shape " + std::to_string(shape), mean, shape,
                         std::sqrt(shape / n));
            // Var(X^2) = shape(shape+1)(4 shape + 6) for Gamma(shape, 1).
            check_within("gamma variance, shape " + std::to_string(shape), variance, shape,
                         std::sqrt(shape * (shape + 1) * (4 * shape + 6) / n));
        }
    }

    TEST_CASE("propensity hazard: E[exp(-lambda)] = E[1 - theta] = beta / (alpha + beta)") {
        const double alpha = 0.7, beta = 2.3;
        PropensitySampler sampler(alpha, beta);
        const int n = 200000;
        double sum = 0.0;
        for (int i = 0; i < n; ++i) {
            KeyedStream stream(customer_key(99, {1, 0, std::uint32_t(i)}));
            sum += std::exp(-sampler.monthly_hazard(stream));
        }
        const double expected = beta / (alpha + beta);
        const double variance =
            alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1));
        check_within("E[1 - theta]", sum / n, expected, std::sqrt(variance / n));
    }

    TEST_CASE("customer keys are distinct across cohorts, segments and indices") {
        std::set<std::uint64_t> keys;
        for (std::uint32_t cohort = 0; cohort < 40; ++cohort)
            for (std::uint32_t segment = 0; segment < 4; ++segment)
                for (std::uint32_t index = 0; index < 200; ++index)
                    keys.insert(customer_key(replication_key(7, 3), {cohort, segment, index}));
        CHECK(keys.size() == 40u * 4u * 200u);
        CHECK(replication_key(7, 3) != replication_key(7, 4));
        CHECK(replication_key(7, 3) != replication_key(8, 3));
    }
}

TEST_SUITE("samplers") {
    TEST_CASE("propensity hazard follows the exact Beta law (Kolmogorov-Smirnov)") {
        // P(lambda <= x) = P(theta <= 1 - e^-x) = I_{1-e^-x}(alpha, beta). With n draws the KS
        // distance exceeds 1.95 / sqrt(n) with probability 0.1% under the exact law.
        const std::pair<double, double> cases[] = {{0.05, 1.0}, {0.3, 8.0},   {0.704, 1.182},
                                                   {1.0, 1.0},  {1.0, 20.0},  {1.2, 20.0},
                                                   {3.8, 15.2}, {50.0, 5000}, {0.02, 0.02}};
        for (const auto& parameters : cases) {
            // Plain variables: clang 14 cannot capture structured bindings in INFO's lambda.
            const double alpha = parameters.first;
            const double beta = parameters.second;
            PropensitySampler sampler(alpha, beta);
            const int n = 40000;
            std::vector<double> draws(n);
            for (int i = 0; i < n; ++i) {
                KeyedStream stream(
                    stream_key(customer_key(3, {2, 1, std::uint32_t(i)}), Purpose::propensity));
                draws[i] = sampler.monthly_hazard(stream);
            }
            std::sort(draws.begin(), draws.end());
            if (alpha >= 0.3 && alpha <= 100.0) CHECK(sampler.tabulated());
            double distance = 0.0;
            for (int i = 0; i < n; ++i) {
                // Each tail through the form that keeps its precision (theta or 1 - theta).
                const double x = draws[i];
                const double exact = x < 1.0 ? boost::math::ibeta(alpha, beta, -std::expm1(-x))
                                             : boost::math::ibetac(beta, alpha, std::exp(-x));
                distance = std::max({distance, std::abs(exact - double(i) / n),
                                     std::abs(exact - double(i + 1) / n)});
            }
            // The edge bins (singular start, unbounded tail) hold 1/1024 each, too little for
            // KS to see: count the draws beyond the exact 0.1% and 99.9% quantiles.
            for (double level : {0.001, 0.999}) {
                const double edge = -std::log(boost::math::ibeta_inv(beta, alpha, 1.0 - level));
                if (!(edge > 0.0)) continue;  // the quantile underflows a double (alpha << 1)
                const double below =
                    double(std::lower_bound(draws.begin(), draws.end(), edge) - draws.begin()) / n;
                check_within("P(lambda < q" + std::to_string(level) + "), alpha " +
                                 std::to_string(alpha) + " beta " + std::to_string(beta),
                             below, level, std::sqrt(level * (1 - level) / n));
            }
            const double tolerance = 1.95 / std::sqrt(double(n));
            INFO("alpha " << alpha << " beta " << beta
                          << std::string(sampler.tabulated() ? " (table)" : " (gammas)")
                          << ": KS distance " << distance << ", tolerance " << tolerance);
            CHECK(distance <= tolerance);
        }
    }
}
