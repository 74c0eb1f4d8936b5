#pragma once
// Acquisition (docs/model.md section 3): the initial cohort, then a Poisson number of new logos per
// month and segment, whose mean grows geometrically.

#include <cstdint>
#include <vector>

#include "cohortsim/scenario.hpp"
#include "contracts.hpp"

namespace cohortsim {

class Acquisition {
  public:
    // Prospects who refuse the contract terms on offer never sign (the acquisition penalty).
    Acquisition(const Scenario& scenario, const Contracts& contracts);

    // Customers of each segment in the initial cohort: initial_customers split by share with
    // the largest-remainder rule, so the counts are exact and add up.
    const std::vector<std::int64_t>& initial_counts() const { return initial_counts_; }

    // New customers of a segment who join at the end of `month` (1..H).
    std::int64_t new_count(int month, std::size_t segment, std::uint64_t replication_key) const;

    // The Poisson mean of that count: new_per_month (1 + growth)^(month - 1) x segment share x
    // the share of prospects who sign a term.
    double expected_new_count(int month, std::size_t segment) const;

  private:
    std::vector<std::int64_t> initial_counts_;
    std::vector<double> shares_;          // of the initial customers
    std::vector<double> signing_shares_;  // of the prospects, who sign: (month, segment)
    double new_per_month_;
    double growth_per_month_;
    std::vector<double> seasonality_;  // 12 factors, or none
};

}  // namespace cohortsim
