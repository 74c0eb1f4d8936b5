#include "farmer_coverage.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>

#include "cohortsim/random.hpp"

namespace cohortsim {

FarmerCoverage::FarmerCoverage(const TeamParams& team)
    : targeting_(team.targeting),
      signal_noise_(team.signal_noise),
      log_threshold_(team.at_risk_threshold > 0.0 ? std::log(team.at_risk_threshold)
                                                  : -std::numeric_limits<double>::infinity()) {}

bool FarmerCoverage::score(const Population& population, const RetentionModel& retention,
                           std::size_t i, int month, double& score) const {
    switch (targeting_) {
        case Targeting::largest:
            score = population.mrr[i];
            return true;
        case Targeting::random: {
            KeyedStream stream(stream_key(population.key[i], Purpose::farmer_priority));
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
            score = std::log(probability) + signal_noise_ * error;
            return score >= log_threshold_;
        }
    }
    return false;
}

std::int64_t FarmerCoverage::assign(Population& population, const RetentionModel& retention,
                                    std::int64_t capacity, int month,
                                    std::vector<std::pair<double, std::uint32_t>>& scratch,
                                    std::vector<std::uint8_t>& chosen) const {
    scratch.clear();
    for (std::size_t i = 0; i < population.size(); ++i) {
        double value = 0.0;
        if (!population.is_churned(i) && score(population, retention, i, month, value))
            scratch.emplace_back(value, static_cast<std::uint32_t>(i));
    }
    const auto covered = static_cast<std::size_t>(
        std::min<std::int64_t>(capacity, static_cast<std::int64_t>(scratch.size())));
    // Highest score first; equal scores by acquisition order, so the choice is deterministic.
    const auto first = [](const std::pair<double, std::uint32_t>& a,
                          const std::pair<double, std::uint32_t>& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    if (covered < scratch.size())
        std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(covered),
                         scratch.end(), first);
    // Each chosen account marked, then one walk that gives each account its farmer bit or takes
    // it away: every change of cover in index order.
    chosen.assign(population.size(), 0);
    for (std::size_t k = 0; k < covered; ++k)
        chosen[scratch[k].second] = 1;
    for (std::size_t i = 0; i < population.size(); ++i) {
        const std::uint8_t mask = population.covered[i];
        const auto wanted = static_cast<std::uint8_t>(chosen[i] != 0 ? mask | farmer_cover_bit
                                                                     : mask & ~farmer_cover_bit);
        if (wanted != mask) retention.set_cover(population, i, wanted);
    }
    return static_cast<std::int64_t>(covered);
}

}  // namespace cohortsim
