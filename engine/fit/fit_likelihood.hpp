#pragma once
// The retention likelihood reduced to what it depends on: how many customers churned at each
// age and how many were last seen active at each age (right-censored), pooled over cohorts.

#include <vector>

#include "cohortsim/fit.hpp"

namespace cohortsim {

struct PooledCounts {
    std::vector<double> churned;   // [t], t = 1..T: customers lost between ages t-1 and t
    std::vector<double> censored;  // [t], t = 0..T: still active at age t, a cohort's last
    std::vector<double> observed;  // [t]: active at age t, over cohorts observed at t
    std::vector<double> at_start;  // [t]: sizes of the cohorts observed at age t
    int last_period() const { return static_cast<int>(censored.size()) - 1; }
};

PooledCounts pool_counts(const CohortData& data);

// Sum over ages of churned[t] log(S(t-1) - S(t)) + censored[t] log S(t); -infinity where the
// parameters make the data impossible, NaN never.
double log_likelihood(const PooledCounts& counts, double alpha, double beta, double c);

}  // namespace cohortsim
