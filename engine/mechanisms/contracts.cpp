#include "contracts.hpp"

#include "cohortsim/random.hpp"

namespace cohortsim {

Contracts::Contracts(const Scenario& scenario)
    : initial_like_new_(scenario.acquisition.initial_plans == InitialPlans::like_new) {
    for (const SegmentParams& params : scenario.segments) {
        Segment segment;
        double signing = 0.0;
        for (const ContractTerm& term : params.contract_terms) {
            signing += term.share * (1.0 - term.acquisition_penalty);
        }
        segment.signing_rate = signing;
        double cumulative = 0.0;
        for (const ContractTerm& term : params.contract_terms) {
            cumulative +=
                signing > 0.0 ? term.share * (1.0 - term.acquisition_penalty) / signing : 0.0;
            segment.cumulative.push_back(cumulative);
            segment.months.push_back(term.months);
            segment.discount.push_back(term.discount);
            has_long_terms_ = has_long_terms_ || term.months > 1;
        }
        segments_.push_back(std::move(segment));
    }
    // Today's customers may be on long terms whatever is offered to prospects.
    if (scenario.book.enabled())
        for (const BookEntry& entry : *scenario.book.entries)
            has_long_terms_ = has_long_terms_ || entry.term_months > 1;
}

void Contracts::sign(Population& population, std::size_t i, std::uint64_t customer_key) const {
    const Segment& segment = segments_[population.segment[i]];
    std::size_t chosen = 0;
    if (segment.months.size() > 1) {
        KeyedStream stream(stream_key(customer_key, Purpose::contract_term));
        const double u = uniform_open01(stream);
        while (chosen + 1 < segment.months.size() && u >= segment.cumulative[chosen])
            ++chosen;
    }
    population.term_months[i] = static_cast<std::uint8_t>(segment.months[chosen]);
    population.mrr[i] *= 1.0 - segment.discount[chosen];
}

void Contracts::on_join(Population& population, std::size_t i, std::uint64_t customer_key,
                        const Arrival& arrival) const {
    switch (arrival.kind) {
        case Arrival::Kind::new_logo:
            sign(population, i, customer_key);
            return;
        case Arrival::Kind::initial: {
            if (!initial_like_new_) {
                population.term_months[i] = 1;
                return;
            }
            sign(population, i, customer_key);
            const int term = population.term_months[i];
            if (term <= 1) return;
            KeyedStream stream(stream_key(customer_key, Purpose::renewal_phase));
            const auto shift = static_cast<int>(uniform_open01(stream) * term);
            population.renewal_shift[i] =
                static_cast<std::uint8_t>(shift < term ? shift : term - 1);
            return;
        }
        case Arrival::Kind::book: {
            // Renewal dates m, m + T, ...: month m must be a multiple of T in contract months.
            const BookEntry& entry = *arrival.entry;
            const int term = entry.term_months;
            population.term_months[i] = static_cast<std::uint8_t>(term);
            population.renewal_shift[i] = static_cast<std::uint8_t>(
                (term - (entry.months_to_renewal + entry.tenure_months) % term) % term);
            return;
        }
    }
}

}  // namespace cohortsim
