// Reproducibility (docs/model.md section 9): the same scenario and seed give bit-identical results
// for any thread count, and the keyed streams make customers' draws independent of the run.

#include <doctest/doctest.h>

#include <cstring>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// Every mechanism of the engine core switched on, two segments, growth.
Scenario busy_scenario() {
    Scenario scenario = two_segment_scenario(3000, 24, 24, 150.0);
    scenario.segments[1].retention.c = 1.0;
    return scenario;
}

RunResults run_with_threads(int threads) {
    RunOptions options;
    options.threads = threads;
    options.keep_paths = true;
    return run_scenarios({busy_scenario()}, options);
}

}  // namespace

TEST_SUITE("determinism") {
    TEST_CASE("1, 2 and 4 threads give bit-identical results") {
        const RunResults reference = run_with_threads(1);
        for (int threads : {2, 4}) {
            const RunResults other = run_with_threads(threads);
            const ScenarioResults& a = reference.scenarios.front();
            const ScenarioResults& b = other.scenarios.front();
            REQUIRE(a.metrics.size() == b.metrics.size());
            for (std::size_t k = 0; k < a.metrics.size(); ++k) {
                INFO("metric " << a.metrics[k].info.name << " with " << threads << " threads");
                CHECK(bitwise_equal(a.metrics[k].mean, b.metrics[k].mean));
                CHECK(bitwise_equal(a.metrics[k].std, b.metrics[k].std));
                CHECK(bitwise_equal(a.metrics[k].quantiles, b.metrics[k].quantiles));
                CHECK(bitwise_equal(a.metrics[k].paths, b.metrics[k].paths));
            }
            CHECK(bitwise_equal(a.logo_retention.values, b.logo_retention.values));
            for (std::size_t r = 0; r < a.churn_reasons.size(); ++r) {
                CHECK(bitwise_equal(a.churn_reasons[r].mean, b.churn_reasons[r].mean));
            }
        }
    }

    TEST_CASE("a different seed gives different paths, the same seed the same") {
        Scenario scenario = busy_scenario();
        RunOptions options;
        options.keep_paths = true;
        const RunResults first = run_scenarios({scenario}, options);
        const RunResults again = run_scenarios({scenario}, options);
        scenario.simulation.seed += 1;
        const RunResults other = run_scenarios({scenario}, options);
        const auto& paths = [](const RunResults& r) -> const std::vector<double>& {
            return r.scenarios.front().metrics.front().paths;
        };
        CHECK(bitwise_equal(paths(first), paths(again)));
        CHECK_FALSE(bitwise_equal(paths(first), paths(other)));
    }

    TEST_CASE("a replication does not depend on how many replications run") {
        Scenario scenario = busy_scenario();
        RunOptions options;
        options.keep_paths = true;
        scenario.simulation.replications = 5;
        const RunResults few = run_scenarios({scenario}, options);
        scenario.simulation.replications = 9;
        const RunResults more = run_scenarios({scenario}, options);
        const auto& a = few.scenarios.front().metrics.front().paths;
        const auto& b = more.scenarios.front().metrics.front().paths;
        CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    }

    TEST_CASE("common random numbers: a scenario run beside another draws the same customers") {
        Scenario base = busy_scenario();
        Scenario variant = busy_scenario();
        variant.name = "variant";
        variant.onboarding.activation_per_month = 0.8;
        RunOptions options;
        options.keep_paths = true;
        const RunResults alone = run_scenarios({base}, options);
        const RunResults together = run_scenarios({base, variant}, options);
        CHECK(bitwise_equal(alone.scenarios[0].metrics[0].paths,
                            together.scenarios[0].metrics[0].paths));
        // Same acquisition stream: identical new-customer counts in both strategies.
        const auto& new_a = together.scenarios[0].metrics[1];
        const auto& new_b = together.scenarios[1].metrics[1];
        REQUIRE(new_a.info.name == "new_customers");
        CHECK(bitwise_equal(new_a.paths, new_b.paths));
    }
}
