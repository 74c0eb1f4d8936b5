#pragma once
// Helpers shared by the statistical tests: scenarios built in code, closed forms, and a check
// that prints calculated / expected / standard error / tolerance when it fails.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/results.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace cohortsim::testing {

// A pure shifted-beta-geometric cohort (BdW with c != 1): only [acquisition] initial_customers
// and [retention] alpha, beta (and c) set, as the loader would build it.
inline Scenario pure_cohort(double alpha, double beta, std::int64_t customers, int horizon,
                            std::int64_t replications, double c = 1.0) {
    Scenario scenario;
    scenario.name = "pure";
    scenario.source = "test";
    scenario.simulation.horizon_months = horizon;
    scenario.simulation.replications = replications;
    scenario.simulation.seed = 12345;
    scenario.acquisition.initial_customers = customers;
    SegmentParams segment;
    segment.retention.enabled = true;
    segment.retention.alpha = alpha;
    segment.retention.beta = beta;
    segment.retention.c = c;
    scenario.segments.push_back(segment);
    return scenario;
}

// Two segments (smb with unavoidable churn and lognormal MRR, enterprise), growing acquisition
// and onboarding, all on a BdW base with c = 0.8: enough mechanisms that a difference between
// runs could hide somewhere.
inline Scenario two_segment_scenario(std::int64_t customers, int horizon, std::int64_t replications,
                                     double new_per_month) {
    Scenario scenario = pure_cohort(0.9, 6.0, customers, horizon, replications, 0.8);
    scenario.acquisition.new_per_month = new_per_month;
    scenario.acquisition.growth_per_month = 0.02;
    scenario.onboarding = {true, 3, 0.5, 0.06, 2.0};
    SegmentParams& smb = scenario.segments[0];
    smb.name = "smb";
    smb.share = 0.7;
    smb.mrr_median = 80.0;
    smb.mrr_sigma = 0.6;
    smb.retention.unavoidable_monthly = 0.01;
    SegmentParams enterprise = smb;
    enterprise.name = "enterprise";
    enterprise.share = 0.3;
    enterprise.mrr_median = 2000.0;
    enterprise.retention.alpha = 2.0;
    enterprise.retention.beta = 40.0;
    scenario.segments.push_back(enterprise);
    return scenario;
}

// E[(1 - theta)^k] for theta ~ Beta(alpha, beta) = B(alpha, beta + k) / B(alpha, beta), for any
// real k >= 0: the survival of the BdW model with k = t^c.
inline double beta_ratio(double alpha, double beta, double k) {
    return std::exp(std::lgamma(beta + k) + std::lgamma(alpha + beta) - std::lgamma(beta) -
                    std::lgamma(alpha + beta + k));
}

// The same bits, element by element: exact reproducibility, NaN (undefined) included, which ==
// would never call equal.
inline bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// |calculated - expected| <= k * standard_error, reported with all four numbers.
inline void check_within(const std::string& what, double calculated, double expected,
                         double standard_error, double k = 4.0) {
    const double tolerance = k * standard_error;
    std::ostringstream message;
    message.precision(8);
    message << what << ": calculated " << calculated << ", expected " << expected
            << ", standard error " << standard_error << ", tolerance " << tolerance;
    INFO(message.str());
    CHECK(std::abs(calculated - expected) <= tolerance);
}

// Standard error of a survival fraction estimated from n independent customers.
inline double survival_se(double survival, double customers) {
    return std::sqrt(std::max(survival * (1.0 - survival), 1e-12) / customers);
}

// One scenario run alone with the default options (all cores), its paths kept if asked.
inline ScenarioResults run_one(const Scenario& scenario, bool keep_paths = false) {
    RunOptions options;
    options.keep_paths = keep_paths;
    return run_scenarios({scenario}, options).scenarios.front();
}

// The InputError message `action` throws, or "" when it throws nothing.
inline std::string input_error(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

// A scenario from TOML text, as the file `<name>.toml` would give it (messages name that file).
inline Scenario scenario_from_text(const std::string& text, const std::string& name) {
    return load_scenario_text(text, name + ".toml", name);
}

// One metric of a run's results, by name; fails the test when there is none.
inline const MetricSummary& metric_of(const ScenarioResults& results, const std::string& name) {
    for (const MetricSummary& m : results.metrics) {
        if (m.info.name == name) return m;
    }
    FAIL("no metric " << name);
    throw std::logic_error("unreachable");
}

// The kept paths of a run's metrics: kept(name, r, m), and a month's total over replications.
struct KeptPaths {
    const ScenarioResults& results;
    std::size_t months() const { return static_cast<std::size_t>(results.horizon_months) + 1; }
    std::size_t replications() const { return static_cast<std::size_t>(results.replications); }
    double operator()(const std::string& name, std::size_t r, std::size_t m) const {
        return metric_of(results, name).paths[r * months() + m];
    }
    double total(const std::string& name, std::size_t m) const {
        double sum = 0.0;
        for (std::size_t r = 0; r < replications(); ++r)
            sum += (*this)(name, r, m);
        return sum;
    }
};

}  // namespace cohortsim::testing
