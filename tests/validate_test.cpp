// validate(): a scenario built in code is held to the rules of a loaded one, and run_scenarios
// checks it first, so that no value outside them reaches the simulator.

#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <string>

#include "cohortsim/error.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

std::string problem_of(const Scenario& scenario) {
    try {
        validate(scenario);
    } catch (const InputError& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_SUITE("validate") {
    TEST_CASE("a scenario within the rules passes, and so do the names sweeps make") {
        Scenario scenario = two_segment_scenario(1000, 12, 2, 10.0);
        CHECK(problem_of(scenario) == "no error");
        scenario.name = "save_desk__save_desk.save_rate=0.1";
        CHECK(problem_of(scenario) == "no error");
    }

    TEST_CASE("nine add-ons are refused, by the run too") {
        Scenario scenario = pure_cohort(1.0, 9.0, 100, 6, 2);
        for (int k = 0; k < 9; ++k)
            scenario.cross_sell.push_back({"addon" + std::to_string(k), 20.0, 0.01, 0.85});
        const std::string problem = problem_of(scenario);
        INFO(problem);
        CHECK(problem.find("cross_sell.products") != std::string::npos);
        CHECK(problem.find("allowed: 1 to 8") != std::string::npos);
        CHECK_THROWS_AS(run_scenarios({scenario}, RunOptions{}), InputError);
    }

    TEST_CASE("a value out of range names the key, the value and what is allowed") {
        Scenario scenario = pure_cohort(1.0, 9.0, 100, 6, 2);
        scenario.segments[0].retention.alpha = std::numeric_limits<double>::quiet_NaN();
        std::string problem = problem_of(scenario);
        INFO(problem);
        CHECK(problem.find("retention.alpha") != std::string::npos);
        CHECK(problem.find("not a finite number") != std::string::npos);
        scenario = pure_cohort(1.0, 9.0, 100, 6, 2);
        scenario.team.mode = static_cast<TeamMode>(7);  // no such mode
        scenario.team.enabled = true;
        problem = problem_of(scenario);
        CHECK(problem.find("team.mode") != std::string::npos);
        scenario = pure_cohort(1.0, 9.0, 100, 6, 2);
        scenario.name = "a/b";
        CHECK(problem_of(scenario).find("without '/'") != std::string::npos);
    }

    TEST_CASE("a book entry outside the limits of the book's CSV reader is refused") {
        Scenario scenario = pure_cohort(1.0, 9.0, 100, 6, 2);
        auto entries = std::make_shared<std::vector<BookEntry>>(1);
        scenario.book.entries = entries;
        CHECK(problem_of(scenario) == "no error");
        (*entries)[0].segment = 1;  // one segment only
        std::string problem = problem_of(scenario);
        INFO(problem);
        CHECK(problem.find("book entry 0: segment = 1") != std::string::npos);
        (*entries)[0] = BookEntry{};
        (*entries)[0].products = 1;  // no cross-sell product
        CHECK(problem_of(scenario).find("products") != std::string::npos);
        (*entries)[0] = BookEntry{};
        (*entries)[0].term_months = 12;
        (*entries)[0].months_to_renewal = 13;
        CHECK(problem_of(scenario).find("months_to_renewal = 13") != std::string::npos);
    }
}
