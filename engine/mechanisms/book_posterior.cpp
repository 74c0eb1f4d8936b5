#include "book_posterior.hpp"

#include <cmath>
#include <map>
#include <utility>

#include "cohortsim/random.hpp"

namespace cohortsim {

BookPosterior::BookPosterior(const Scenario& scenario) : onboarding_(scenario.onboarding) {
    for (const SegmentParams& params : scenario.segments) {
        const RetentionParams& retention = params.retention;
        segments_.push_back({retention.enabled, retention.alpha, retention.beta, retention.c});
    }
    for (const CrossSellProduct& product : scenario.cross_sell)
        product_multipliers_.push_back(product.hazard_multiplier);
    if (!scenario.book.enabled()) return;
    const std::vector<BookEntry>& entries = *scenario.book.entries;

    // Tenures are few, so customers share posteriors: count each one's customers first.
    std::map<std::pair<std::uint8_t, double>, std::int64_t> counts;
    for (const BookEntry& entry : entries)
        if (segments_[entry.segment].churns)
            counts[{entry.segment, exposure(entry)}] += entry.customers;
    std::map<std::pair<std::uint8_t, double>, std::uint32_t> index;
    for (const auto& [key, customers] : counts) {
        const Segment& segment = segments_[key.first];
        index[key] = static_cast<std::uint32_t>(samplers_.size());
        samplers_.emplace_back(segment.alpha, segment.beta + key.second,
                               customers >= tabulate_from_customers);
    }
    for (const BookEntry& entry : entries) {
        sampler_of_.push_back(
            segments_[entry.segment].churns ? index.at({entry.segment, exposure(entry)}) : 0);
    }
}

// The BdW cumulative hazard its survival so far has withstood, per unit of lambda.
double BookPosterior::exposure(const BookEntry& entry) const {
    const double c = segments_[entry.segment].c;
    const double lived = std::pow(entry.tenure_months, c);
    const int onboarding = onboarding_.months;
    if (!onboarding_.enabled || entry.activated || entry.tenure_months <= onboarding) return lived;
    const double during = std::pow(onboarding, c);
    return during + onboarding_.low_adoption_multiplier * (lived - during);
}

double BookPosterior::propensity_hazard(const BookEntry& entry, std::size_t e,
                                        std::uint64_t customer_key) const {
    if (!segments_[entry.segment].churns) return 0.0;
    KeyedStream stream(stream_key(customer_key, Purpose::propensity));
    double lambda = samplers_[sampler_of_[e]].monthly_hazard(stream);
    for (std::size_t p = 0; p < product_multipliers_.size(); ++p)
        if ((entry.products >> p) & 1U) lambda *= product_multipliers_[p];
    return lambda;
}

}  // namespace cohortsim
