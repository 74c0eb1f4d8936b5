#include "book.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <map>
#include <utility>

namespace cohortsim {

int oldest_book_tenure(const Scenario& scenario) {
    int oldest = 0;
    if (scenario.book.enabled())
        for (const BookEntry& entry : *scenario.book.entries)
            oldest = std::max(oldest, entry.tenure_months);
    return oldest;
}

Book::Book(const Scenario& scenario)
    : entries_(scenario.book.enabled() ? scenario.book.entries
                                       : std::make_shared<const std::vector<BookEntry>>()),
      onboarding_(scenario.onboarding),
      activation_(scenario.onboarding.enabled ? scenario.onboarding.activation_per_month : 0.0,
                  scenario.onboarding.months),
      starting_mrr_(scenario.segments),
      usage_pricing_(scenario.usage_pricing.enabled) {
    for (const SegmentParams& params : scenario.segments) {
        const RetentionParams& retention = params.retention;
        segments_.push_back({retention.enabled, retention.alpha, retention.beta, retention.c});
    }
    for (const CrossSellProduct& product : scenario.cross_sell)
        product_multipliers_.push_back(product.hazard_multiplier);

    // Tenures are few, so customers share posteriors: count each one's customers first.
    std::map<std::pair<std::uint8_t, double>, std::int64_t> counts;
    for (const BookEntry& entry : *entries_) {
        customers_ += entry.customers;
        if (segments_[entry.segment].churns)
            counts[{entry.segment, exposure(entry)}] += entry.customers;
    }
    std::map<std::pair<std::uint8_t, double>, std::uint32_t> index;
    for (const auto& [key, customers] : counts) {
        const Segment& segment = segments_[key.first];
        index[key] = static_cast<std::uint32_t>(samplers_.size());
        samplers_.emplace_back(segment.alpha, segment.beta + key.second,
                               customers >= tabulate_from_customers);
    }
    for (const BookEntry& entry : *entries_) {
        sampler_of_.push_back(
            segments_[entry.segment].churns ? index.at({entry.segment, exposure(entry)}) : 0);
    }
}

// The BdW cumulative hazard its survival so far has withstood, per unit of lambda.
double Book::exposure(const BookEntry& entry) const {
    const double c = segments_[entry.segment].c;
    const double lived = std::pow(entry.tenure_months, c);
    const int onboarding = onboarding_.months;
    if (!onboarding_.enabled || entry.activated || entry.tenure_months <= onboarding) return lived;
    const double during = std::pow(onboarding, c);
    return during + onboarding_.low_adoption_multiplier * (lived - during);
}

void Book::on_join(Population& population, std::size_t i, std::size_t e,
                   std::uint64_t customer_key) const {
    const BookEntry& entry = (*entries_)[e];
    population.joined[i] = static_cast<std::int16_t>(-entry.tenure_months);
    // Renewal dates m, m + T, ...: month m must be a multiple of T in contract months.
    const int term = entry.term_months;
    population.term_months[i] = static_cast<std::uint8_t>(term);
    population.renewal_shift[i] = static_cast<std::uint8_t>(
        (term - (entry.months_to_renewal + entry.tenure_months) % term) % term);

    double lambda = 0.0;
    if (segments_[entry.segment].churns) {
        KeyedStream stream(stream_key(customer_key, Purpose::propensity));
        lambda = samplers_[sampler_of_[e]].monthly_hazard(stream);
        for (std::size_t p = 0; p < product_multipliers_.size(); ++p)
            if ((entry.products >> p) & 1U) lambda *= product_multipliers_[p];
    }
    population.propensity_hazard[i] = lambda;
    KeyedStream budget_stream(stream_key(customer_key, Purpose::churn_budget));
    population.budget[i] = boost::random::exponential_distribution<double>(1.0)(budget_stream);

    // Activated before month 0 (month of life 1 stands for "already"); not yet activated and
    // still onboarding: the geometric activation time is memoryless, so it counts on from now.
    const int never = onboarding_.months + 1;
    int activation = 1;
    if (!entry.activated) {
        activation = never;
        if (entry.tenure_months < onboarding_.months) {
            KeyedStream stream(stream_key(customer_key, Purpose::activation));
            activation = entry.tenure_months +
                         activation_.next_month(0, stream, never - entry.tenure_months);
        }
    }
    population.activation_month[i] = static_cast<std::uint8_t>(activation);

    if (entry.mrr) {
        population.mrr[i] = *entry.mrr;
    } else {
        starting_mrr_.on_join(population, i, customer_key);
    }
    population.products[i] = entry.products;
    // Usage pricing moves only the MRR of accounts the CSV says are usage-priced.
    population.usage_priced[i] = entry.usage_priced && usage_pricing_ ? 1 : 0;
}

}  // namespace cohortsim
