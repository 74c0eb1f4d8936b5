#include "contracts.hpp"

#include <algorithm>

#include "cohortsim/random.hpp"
#include "param_keys.hpp"

namespace cohortsim {

// The terms offered in `month`: their shares scaled to sum to 1 (as they are when every term is,
// which keeps a scenario without calendars exactly as it was), the others 0-wide.
Contracts::Offer Contracts::offer_of(const std::vector<ContractTerm>& terms, int month) {
    const bool all = std::all_of(terms.begin(), terms.end(), [&](const ContractTerm& term) {
        return term.window.covers(month);
    });
    double offered = 0.0;
    for (const ContractTerm& term : terms)
        if (term.window.covers(month)) offered += term.share;
    const auto weight = [&](const ContractTerm& term) {
        if (!term.window.covers(month)) return 0.0;
        const double share = all ? term.share : term.share / offered;
        return share * (1.0 - term.acquisition_penalty);
    };
    Offer offer;
    offer.signing_rate = 0.0;
    for (const ContractTerm& term : terms)
        offer.signing_rate += weight(term);
    double cumulative = 0.0;
    for (const ContractTerm& term : terms) {
        cumulative += offer.signing_rate > 0.0 ? weight(term) / offer.signing_rate : 0.0;
        offer.cumulative.push_back(cumulative);
    }
    return offer;
}

Contracts::Contracts(const Scenario& scenario)
    : horizon_(scenario.simulation.horizon_months),
      initial_like_new_(scenario.acquisition.initial_plans == InitialPlans::like_new) {
    for (const SegmentParams& params : scenario.segments) {
        Segment segment;
        // One offer per distinct set of terms offered, months pointing at theirs.
        std::vector<std::uint32_t> sets;
        for (int month = 0; month <= horizon_; ++month) {
            std::uint32_t set = 0;
            for (std::size_t t = 0; t < params.contract_terms.size(); ++t)
                if (params.contract_terms[t].window.covers(month)) set |= 1U << t;
            const auto found = std::find(sets.begin(), sets.end(), set);
            if (found == sets.end()) {
                sets.push_back(set);
                segment.offers.push_back(offer_of(params.contract_terms, month));
            }
            segment.offer_in_month.push_back(static_cast<std::uint16_t>(
                std::find(sets.begin(), sets.end(), set) - sets.begin()));
        }
        for (const ContractTerm& term : params.contract_terms) {
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
    // Among the terms offered in the month it joins (its cohort: month 0 for an initial one).
    const std::vector<double>& cumulative =
        segment.offers[segment.offer_in_month[month_index(population.cohort[i])]].cumulative;
    std::size_t chosen = 0;
    if (segment.months.size() > 1) {
        KeyedStream stream(stream_key(customer_key, Purpose::contract_term));
        const double u = uniform_open01(stream);
        while (chosen + 1 < segment.months.size() && u >= cumulative[chosen])
            ++chosen;
        // A term not offered is 0 wide; rounding must not land past the last one offered.
        while (chosen > 0 && cumulative[chosen] == cumulative[chosen - 1])
            --chosen;
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
    std::vector<ParamInfo> keys = {
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
    // In a month a term is not offered, prospects choose among those that are.
    for (ParamInfo& key : window_keys(
             "the term's offer to prospects (the others' shares scaled up to 1, without its "
             "acquisition penalty; some term offered every month; signers keep it)",
             "contract.terms.*."))
        keys.push_back(std::move(key));
    return keys;
}

}  // namespace cohortsim
