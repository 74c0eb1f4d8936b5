#include "acquisition.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <numeric>

#include "cohortsim/random.hpp"

namespace cohortsim {

namespace {

std::vector<std::int64_t> split_by_largest_remainder(std::int64_t total,
                                                     const std::vector<double>& shares) {
    std::vector<std::int64_t> counts(shares.size());
    std::vector<double> remainders(shares.size());
    std::int64_t assigned = 0;
    for (std::size_t s = 0; s < shares.size(); ++s) {
        const double exact = static_cast<double>(total) * shares[s];
        counts[s] = static_cast<std::int64_t>(std::floor(exact));
        remainders[s] = exact - static_cast<double>(counts[s]);
        assigned += counts[s];
    }
    std::vector<std::size_t> order(shares.size());
    std::iota(order.begin(), order.end(), 0);
    // Ties go to the earlier segment, so the split is deterministic.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    for (std::size_t k = 0; assigned < total; ++k, ++assigned)
        ++counts[order[k % order.size()]];
    return counts;
}

}  // namespace

Acquisition::Acquisition(const Scenario& scenario, const Contracts& contracts)
    : new_per_month_(scenario.acquisition.new_per_month),
      growth_per_month_(scenario.acquisition.growth_per_month),
      seasonality_(scenario.acquisition.seasonality) {
    for (const SegmentParams& segment : scenario.segments)
        shares_.push_back(segment.share);
    // By month and segment: the terms offered may change (docs/model.md 11.5).
    for (int month = 0; month <= scenario.simulation.horizon_months; ++month)
        for (std::size_t s = 0; s < shares_.size(); ++s)
            signing_shares_.push_back(shares_[s] * contracts.signing_rate(s, month));
    initial_counts_ = split_by_largest_remainder(scenario.acquisition.initial_customers, shares_);
}

double Acquisition::expected_new_count(int month, std::size_t segment) const {
    const double season =
        seasonality_.empty() ? 1.0 : seasonality_[static_cast<std::size_t>(month - 1) % 12];
    return new_per_month_ * std::pow(1.0 + growth_per_month_, month - 1) * season *
           signing_shares_[static_cast<std::size_t>(month) * shares_.size() + segment];
}

std::int64_t Acquisition::new_count(int month, std::size_t segment,
                                    std::uint64_t replication_key) const {
    const double mean = expected_new_count(month, segment);
    if (!(mean > 0.0)) return 0;
    const CustomerId month_and_segment{static_cast<std::uint32_t>(month),
                                       static_cast<std::uint32_t>(segment), 0};
    KeyedStream stream(
        stream_key(customer_key(replication_key, month_and_segment), Purpose::acquisition_count));
    return boost::random::poisson_distribution<std::int64_t, double>(mean)(stream);
}

}  // namespace cohortsim
