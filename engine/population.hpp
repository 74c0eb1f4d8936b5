#pragma once
// The customers of one replication as a structure of arrays. The month step streams through the
// few fields it needs; a churned customer is only marked, and the dead are swept out in
// batches, so a month costs a few bytes per active customer. Sweeping keeps the order
// (acquisition order), which keeps every replication deterministic.

#include <cstdint>
#include <limits>
#include <vector>

namespace cohortsim {

struct Population {
    // Remaining Exp(1) budget of cumulative hazard; the customer churns in the month that
    // exhausts it. +inf marks a churned customer awaiting the sweep.
    std::vector<double> budget;
    std::vector<double> propensity_hazard;  // lambda = -log(1 - theta), per month of age 1
    std::vector<double> mrr;                // currency per month
    std::vector<std::uint16_t> cohort;      // month of acquisition
    std::vector<std::uint8_t> segment;
    std::vector<std::uint8_t> activation_month;  // month of life it activates; > months = never
    std::vector<std::uint64_t> key;              // customer_key(): its draws after joining
    std::size_t churned_unswept = 0;

    static constexpr double churned_mark = std::numeric_limits<double>::infinity();

    std::size_t size() const { return budget.size(); }
    bool is_churned(std::size_t i) const { return budget[i] == churned_mark; }

    void mark_churned(std::size_t i) {
        budget[i] = churned_mark;
        propensity_hazard[i] = 0.0;
        ++churned_unswept;
    }

    void reserve(std::size_t n);
    void clear();  // keeps the capacity, so a worker reuses its memory across replications

    // Removes the marked customers once they are half of the arrays: amortised O(1) per
    // churn, and the hot loop never walks far over dead entries.
    void sweep_if_worthwhile();
};

}  // namespace cohortsim
