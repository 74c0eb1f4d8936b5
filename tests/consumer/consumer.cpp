// Runs a pure sBG cohort built in code through the installed engine and checks its survival at
// month 12 against the closed form B(alpha, beta + 12) / B(alpha, beta), within 4 standard errors.

#include <cmath>
#include <cstdio>

#include "cohortsim/runner.hpp"
#include "cohortsim/scenario.hpp"

int main() {
    cohortsim::Scenario scenario;
    scenario.name = "embedded";
    scenario.source = "consumer.cpp";
    scenario.simulation = {12, 8, 42};
    scenario.acquisition.initial_customers = 5000;
    cohortsim::SegmentParams segment;
    segment.retention.enabled = true;
    segment.retention.alpha = 0.9;
    segment.retention.beta = 6.0;
    scenario.segments.push_back(segment);
    const cohortsim::RunResults results = cohortsim::run_scenarios({scenario}, {});
    const double survival = results.scenarios.front().logo_retention.values[12];
    const double a = 0.9, b = 6.0;
    const double expected = std::exp(std::lgamma(b + 12) + std::lgamma(a + b) - std::lgamma(b) -
                                     std::lgamma(a + b + 12));
    const double tolerance = 4.0 * std::sqrt(expected * (1 - expected) / (5000.0 * 8));
    std::printf("S(12): calculated %.6f, expected %.6f, tolerance %.6f\n", survival, expected,
                tolerance);
    return std::abs(survival - expected) <= tolerance ? 0 : 1;
}
