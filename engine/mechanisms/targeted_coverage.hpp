#pragma once
// Which accounts a capacity covers this month (docs/model.md sections 7 and 11.6): the largest
// accounts, a fixed random order, or the accounts most at risk by a noisy health signal (seeds
// 001, 002, 004: know who is at risk and why, then act). The farmers choose so, and so does a
// retention programme with a capacity; coverage then acts through the source's bit of the
// account's cover mask.

#include <cstdint>
#include <utility>
#include <vector>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "population.hpp"
#include "retention.hpp"

namespace cohortsim {

// How a capacity is aimed. The health signal is one per account and month, the same for every
// source that reads it (the company has one health score).
struct TargetingRule {
    Targeting targeting = Targeting::largest;
    double signal_noise = 0.5;       // at_risk: log-scale error of the signal
    double at_risk_threshold = 0.0;  // at_risk: least signalled monthly churn probability eligible
    Purpose priority = Purpose::farmer_priority;  // random: the draw that orders the accounts
};

// Memory a worker reuses for choosing covered accounts every month.
struct CoverageScratch {
    std::vector<std::pair<double, std::uint32_t>> order;  // (score, account) of the eligible
    std::vector<std::uint8_t> chosen;                     // 1 for each account chosen
    std::vector<std::uint8_t> bits;                       // the programmes' bits, per account
};

class TargetedCoverage {
  public:
    explicit TargetedCoverage(const TargetingRule& rule);

    // Chooses up to `capacity` of the active accounts for which `eligible(i)` holds, for
    // `month`: scratch.chosen[i] = 1 for those, 0 for the others; returns how many.
    template <typename Eligible>
    std::int64_t choose(const Population& population, const RetentionModel& retention,
                        std::int64_t capacity, int month, Eligible eligible,
                        CoverageScratch& scratch) const {
        scratch.order.clear();
        for (std::size_t i = 0; i < population.size(); ++i) {
            double value = 0.0;
            if (!population.is_churned(i) && eligible(i) &&
                score(population, retention, i, month, value))
                scratch.order.emplace_back(value, static_cast<std::uint32_t>(i));
        }
        return mark_best(population.size(), capacity, scratch);
    }

    // The farmers: chooses among all active accounts and gives the chosen `bit` (taking it from
    // the others), every change of cover in index order.
    std::int64_t assign(Population& population, const RetentionModel& retention,
                        std::int64_t capacity, int month, std::uint8_t bit,
                        CoverageScratch& scratch) const;

  private:
    // Higher = covered first; false when the account is not eligible.
    bool score(const Population& population, const RetentionModel& retention, std::size_t i,
               int month, double& score) const;
    static std::int64_t mark_best(std::size_t accounts, std::int64_t capacity,
                                  CoverageScratch& scratch);

    TargetingRule rule_;
    double log_threshold_;  // log of the least signalled churn probability that is eligible
};

}  // namespace cohortsim
