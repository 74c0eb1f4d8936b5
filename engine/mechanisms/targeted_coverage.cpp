#include "targeted_coverage.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>

namespace cohortsim {

TargetedCoverage::TargetedCoverage(const TargetingRule& rule)
    : rule_(rule),
      log_threshold_(rule.at_risk_threshold > 0.0 ? std::log(rule.at_risk_threshold)
                                                  : -std::numeric_limits<double>::infinity()) {}

bool TargetedCoverage::score(const Population& population, const RetentionModel& retention,
                             std::size_t i, int month, double& score) const {
    switch (rule_.targeting) {
        case Targeting::largest:
            score = population.mrr[i];
            return true;
        case Targeting::random: {
            KeyedStream stream(stream_key(population.key[i], rule_.priority));
            score = uniform_open01(stream);
            return true;
        }
        case Targeting::at_risk: {
            // The signal is the account's true monthly churn probability without coverage (an
            // account set on leaving is certain), off by a lognormal error.
            const double probability = retention.uncovered_churn_probability(
                population, i, population.month_of_life(i, month));
            KeyedStream stream(
                monthly_stream_key(population.key[i], Purpose::health_signal, month));
            const double error = boost::random::normal_distribution<double>()(stream);
            score = std::log(probability) + rule_.signal_noise * error;
            return score >= log_threshold_;
        }
    }
    return false;
}

std::int64_t TargetedCoverage::mark_best(std::size_t accounts, std::int64_t capacity,
                                         CoverageScratch& scratch_memory) {
    std::vector<std::pair<double, std::uint32_t>>& scratch = scratch_memory.order;
    std::vector<std::uint8_t>& chosen = scratch_memory.chosen;
    const auto covered = static_cast<std::size_t>(
        std::clamp<std::int64_t>(capacity, 0, static_cast<std::int64_t>(scratch.size())));
    // Highest score first; equal scores by acquisition order, so the choice is deterministic.
    const auto first = [](const std::pair<double, std::uint32_t>& a,
                          const std::pair<double, std::uint32_t>& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    if (covered < scratch.size())
        std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(covered),
                         scratch.end(), first);
    chosen.assign(accounts, 0);
    for (std::size_t k = 0; k < covered; ++k)
        chosen[scratch[k].second] = 1;
    return static_cast<std::int64_t>(covered);
}

std::int64_t TargetedCoverage::assign(Population& population, const RetentionModel& retention,
                                      std::int64_t capacity, int month, std::uint8_t bit,
                                      CoverageScratch& scratch) const {
    const std::int64_t covered = choose(
        population, retention, capacity, month, [](std::size_t) { return true; }, scratch);
    const std::vector<std::uint8_t>& chosen = scratch.chosen;
    // One walk that gives each chosen account the bit or takes it away.
    for (std::size_t i = 0; i < population.size(); ++i) {
        const std::uint8_t mask = population.covered[i];
        const auto wanted = static_cast<std::uint8_t>(chosen[i] != 0 ? mask | bit : mask & ~bit);
        if (wanted != mask) retention.set_cover(population, i, wanted);
    }
    return covered;
}

}  // namespace cohortsim
