// Statistics across replications, and the samplers behind the model.

#include <doctest/doctest.h>

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
