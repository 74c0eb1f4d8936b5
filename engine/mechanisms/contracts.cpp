#include "contracts.hpp"

#include "cohortsim/random.hpp"
#include "param_keys.hpp"

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
            segment.upfront.push_back(term.billing == Billing::upfront ? 1 : 0);
            has_long_terms_ = has_long_terms_ || term.months > 1;
            bills_upfront_ = bills_upfront_ || term.billing == Billing::upfront;
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
    if (population.tracks_billing) population.bills_upfront[i] = segment.upfront[chosen];
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

std::vector<ParamInfo> Contracts::term_keys() {
    return {
        integer_key("contract.terms.*.months", "1", "months", 1, 36,
                    "Length of the term: churn intent arising during it is executed only at "
                    "renewal dates (docs/model.md 5, seed 002 item 6); " +
                        names_text("terms", 8) +
                        ", in file order; no [contract] table: one monthly term."),
        real_key("contract.terms.*.share", "1.0", "1", 0, 1,
                 "Share of prospects offered this term; required with two or more terms, "
                 "shares sum to 1."),
        exclusive(real_key("contract.terms.*.discount", "0.0", "1", 0, 1,
                           "Price discount off the list MRR for customers on this term "
                           "(docs/model.md 5, 6)."),
                  false, true),
        exclusive(real_key("contract.terms.*.acquisition_penalty", "0.0", "1", 0, 1,
                           "Share of the prospects offered this term who refuse to commit and "
                           "never sign (docs/model.md 5, seed 002)."),
                  false, true),
        string_key("contract.terms.*.billing", "\"monthly\"",
                   "monthly = the customer pays its MRR every month; upfront = it pays term x MRR "
                   "in the month its term starts (the month it joins, then each month it renews), "
                   "changes of its MRR during the term billed monthly (docs/model.md 11.1)."),
    };
}

}  // namespace cohortsim
