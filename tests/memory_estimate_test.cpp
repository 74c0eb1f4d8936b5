// The memory estimate that lets `run` refuse absurd requests before doing any work.

#include <doctest/doctest.h>

#include "cohortsim/memory_estimate.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

TEST_SUITE("memory estimate") {
    TEST_CASE("grows with customers, replications and threads; absurd sizes are huge") {
        const RunOptions options;
        const Scenario small = pure_cohort(1.0, 5.0, 1000, 12, 10);
        const MemoryEstimate one = estimate_memory({small}, options, 1);
        CHECK(one.total() < 64ULL << 20);
        CHECK(one.total() > 0);

        Scenario more_customers = small;
        more_customers.acquisition.initial_customers = 1'000'000;
        const MemoryEstimate bigger = estimate_memory({more_customers}, options, 1);
        // About 60 bytes a customer in the workspace.
        CHECK(bigger.workspace_bytes > 1'000'000ULL * 40);
        CHECK(estimate_memory({more_customers}, options, 4).workspace_bytes ==
              4 * bigger.workspace_bytes);

        Scenario more_replications = small;
        more_replications.simulation.replications = 1000;
        CHECK(estimate_memory({more_replications}, options, 1).results_bytes ==
              doctest::Approx(100.0 * one.results_bytes).epsilon(0.01));

        Scenario absurd = small;
        absurd.acquisition.new_per_month = 1e7;
        absurd.simulation.horizon_months = 600;
        absurd.simulation.replications = 1'000'000;
        CHECK(estimate_memory({absurd}, options, 2).total() > (1ULL << 38));  // > 256 GiB
        CHECK(estimate_memory({absurd}, options, 2).describe().find("GiB") != std::string::npos);
    }
}
