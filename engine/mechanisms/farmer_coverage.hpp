#pragma once
// Which accounts the farmers cover this month (docs/model.md section 7): the capacity goes to the
// largest accounts, to a fixed random order, or to the accounts most at risk by a noisy health
// signal (seeds 001, 002, 004: know who is at risk and why, then act). Coverage acts through
// the account's propensity (times the segment's covered factor while covered), the churn
// reasons, the save rate and the upsell and cross-sell draws.

#include <cstdint>
#include <utility>
#include <vector>

#include "cohortsim/scenario.hpp"
#include "population.hpp"
#include "retention.hpp"

namespace cohortsim {

class FarmerCoverage {
  public:
    explicit FarmerCoverage(const TeamParams& team);

    // Re-chooses the covered accounts among the active ones for `month`, up to `capacity`;
    // returns how many are covered. `scratch` and `chosen` are reused memory.
    std::int64_t assign(Population& population, const RetentionModel& retention,
                        std::int64_t capacity, int month,
                        std::vector<std::pair<double, std::uint32_t>>& scratch,
                        std::vector<std::uint8_t>& chosen) const;

  private:
    // Higher = covered first; false when the account is not eligible.
    bool score(const Population& population, const RetentionModel& retention, std::size_t i,
               int month, double& score) const;

    Targeting targeting_;
    double signal_noise_;
    double log_threshold_;  // log of the least signalled churn probability that is eligible
};

}  // namespace cohortsim
