#pragma once
// Contracts (docs/model.md section 5, seed 002 item 6): each new customer signs one of its
// segment's terms; a discount lowers its MRR; churn intent is executed only at renewal dates
// (months of life that are multiples of the term). Prospects offered a long term may refuse to
// commit: the acquisition penalty lowers the number who sign.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/scenario.hpp"
#include "population.hpp"

namespace cohortsim {

class Contracts {
  public:
    // Its keys below [contract.terms.<name>] (and [segments.<name>.contract.terms.<name>]).
    static std::vector<ParamInfo> term_keys();

    explicit Contracts(const Scenario& scenario);

    // Share of a segment's prospects who sign some term in `month`: sum of share x (1 - penalty)
    // over the terms offered then, their shares scaled to sum to 1.
    double signing_rate(std::size_t segment, int month) const {
        const Segment& s = segments_[segment];
        return s.offers[s.offer_in_month[month_index(month)]].signing_rate;
    }

    // The customer's term and renewal dates; call after its starting MRR is set. A new logo
    // signs a term (with probability share x (1 - penalty) / signing rate), its discount off its
    // MRR. An initial customer stays on a monthly plan, or with acquisition.initial_plans =
    // like_new signs like a new one and is somewhere in its term, drawn evenly, so that its first
    // renewal falls in months 1..term with equal probability. A customer of today's book has the
    // term and next renewal the book gives (its MRR is the book's, discount included).
    void on_join(Population& population, std::size_t i, std::uint64_t customer_key,
                 const Arrival& arrival) const;

    // Customer i starts a new term in `month` (a win-back): its renewal dates count from there.
    static void start_term(Population& population, std::size_t i, int month) {
        const int term = population.term_months[i];
        population.renewal_shift[i] =
            static_cast<std::uint8_t>(months_to_renewal(term, population.month_of_life(i, month)));
    }

    // True when some customer can have a term longer than a month, so intents can wait.
    bool has_long_terms() const { return has_long_terms_; }
    // True when some term offered is billed upfront (Population::tracks_billing).
    bool bills_upfront() const { return bills_upfront_; }

    // `contract_month` is Population::contract_month: its month of life, shifted for a customer
    // of today's book whose contract did not start when it joined.
    static bool is_renewal(int term_months, int contract_month) {
        return contract_month % term_months == 0;
    }
    static int months_to_renewal(int term_months, int contract_month) {
        return (term_months - contract_month % term_months) % term_months;
    }

  private:
    void sign(Population& population, std::size_t i, std::uint64_t customer_key) const;

    // The terms offered together in some months (all of them, without calendars).
    struct Offer {
        std::vector<double> cumulative;  // of share x (1 - penalty) / signing rate; 0-wide: not
        double signing_rate = 1.0;       // offered
    };
    struct Segment {
        std::vector<int> months;
        std::vector<double> discount;
        std::vector<std::uint8_t> upfront;          // billed upfront
        std::vector<Offer> offers;                  // each distinct set of terms offered
        std::vector<std::uint16_t> offer_in_month;  // months 0..horizon: which of them
    };
    std::size_t month_index(int month) const {
        return static_cast<std::size_t>(std::clamp(month, 0, horizon_));
    }
    static Offer offer_of(const std::vector<ContractTerm>& terms, int month);

    int horizon_;
    std::vector<Segment> segments_;
    bool has_long_terms_ = false;
    bool bills_upfront_ = false;
    bool initial_like_new_ = false;  // the initial customers took the offers of new ones
};

}  // namespace cohortsim
