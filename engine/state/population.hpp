#pragma once
// The customers of one replication as a structure of arrays. The month step streams through the
// few fields it needs; a churned customer is only marked, and the dead are swept out in
// batches, so a month costs a few bytes per active customer. Sweeping keeps the order
// (acquisition order), which keeps every replication deterministic.

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "cohortsim/churn_reason.hpp"

namespace cohortsim {

// Every customer's MRR at the end of each of the last 12 months, for NRR and GRR (docs/model.md
// section 8): a column per month of the ring (month % 12), so that a month's pass streams
// through two narrow columns; float, since a ratio of sums does not need more digits.
using MrrHistory = std::array<std::vector<float>, 12>;

// Month in which the customer adopts each cross-sell product (at most 8).
using AdoptionMonths = std::array<std::uint16_t, 8>;

struct Population {
    // Remaining Exp(1) budget of cumulative hazard; the customer churns (or, under a contract,
    // forms the intent to) in the month that exhausts it. +inf marks a churned customer.
    std::vector<double> budget;
    // lambda = -log(1 - theta) times the lifelong multipliers (cross-sell stickiness); negative
    // while the customer intends to leave at its next renewal (its avoidable hazards are spent).
    std::vector<double> propensity_hazard;
    std::vector<double> mrr;            // currency per month, all products included
    std::vector<std::uint16_t> cohort;  // month of acquisition
    // Month it joined: its cohort, or minus its tenure for a customer of today's book, who had
    // lived that many months at month 0. Its month of life (hazards, onboarding) counts from here.
    std::vector<std::int16_t> joined;
    // Its renewal dates are the months where month - joined + renewal_shift is a multiple of its
    // term: 0, except for a book customer whose contract did not start when it joined.
    std::vector<std::uint8_t> renewal_shift;
    std::vector<std::uint8_t> segment;            // index into Scenario::segments
    std::vector<std::uint8_t> activation_month;   // month of life it activates; > months = never
    std::vector<std::uint64_t> key;               // customer_key(): its draws after joining
    std::vector<std::uint8_t> term_months;        // contract term
    std::vector<std::uint8_t> intent;             // 0, or 1 + the reason it will leave for
    std::vector<std::uint8_t> tier;               // upsell tier, 0 = entry
    std::vector<std::uint8_t> products;           // cross-sell products adopted, one bit each
    std::vector<std::uint8_t> usage_priced;       // 1 if its MRR follows usage
    std::vector<std::uint8_t> covered;            // cover mask: a bit per source covering it
    std::vector<std::uint16_t> next_upsell;       // month of its next upgrade
    std::vector<std::uint16_t> next_contraction;  // month of its next downgrade
    std::vector<std::uint16_t> lapsed_until;      // churned: last month it may be won back
    std::vector<AdoptionMonths> next_adoption;    // only when tracks_adoption
    std::vector<std::uint16_t> returned_month;    // of its last win-back; only when tracks_returns
    MrrHistory mrr_history;                       // only when tracks_history
    // Only when tracks_due (the churn calendar): the month the customer is filed under; and,
    // only when tracks_plan (hazards that change), whether that is a change of hazard rather
    // than the month its budget runs out, and the hazard it was filed with, constant from the
    // month after `planned_from`.
    std::vector<std::uint16_t> due_month;
    std::vector<std::uint8_t> due_is_change;
    std::vector<std::uint16_t> planned_from;
    std::vector<double> planned_hazard;
    // Only when tracks_billing (some term bills upfront): whether its term does, the last month
    // its last upfront invoice paid for, and the MRR it invoiced.
    std::vector<std::uint8_t> bills_upfront;
    std::vector<std::uint16_t> paid_through;
    std::vector<double> invoiced_mrr;
    // Only when tracks_prices ([pricing.changes]): how many price changes its price includes.
    std::vector<std::uint8_t> price_changes;
    bool tracks_adoption = false;
    bool tracks_returns = false;
    bool tracks_history = false;
    bool tracks_due = false;
    bool tracks_plan = false;
    bool tracks_billing = false;
    bool tracks_prices = false;
    std::size_t churned_unswept = 0;

    static constexpr double churned_mark = std::numeric_limits<double>::infinity();

    std::size_t size() const { return budget.size(); }
    // 1 = the first month after it joined.
    int month_of_life(std::size_t i, int month) const { return month - joined[i]; }
    // A multiple of its term at each renewal date (see Contracts::is_renewal).
    int contract_month(std::size_t i, int month) const {
        return month - joined[i] + renewal_shift[i];
    }
    // The month since which it has been a customer without a break: it joined, or came back.
    int active_since(std::size_t i) const {
        const int since = cohort[i];
        return tracks_returns && returned_month[i] > since ? returned_month[i] : since;
    }
    // Churned, possibly lapsed and awaiting a win-back; no hazard reaches it.
    bool is_churned(std::size_t i) const { return budget[i] == churned_mark; }

    // Its churn intent (docs/model.md 2.1): until it is resolved at a renewal date, the
    // customer's avoidable hazards are spent. The propensity's sign mirrors the intent, so that
    // the monthly pass reads one column; only these methods know it.
    void form_intent(std::size_t i, ChurnReason reason) {
        intent[i] = static_cast<std::uint8_t>(1 + static_cast<int>(reason));
        propensity_hazard[i] = -std::abs(propensity_hazard[i]);
    }
    void drop_intent(std::size_t i) {
        intent[i] = 0;
        propensity_hazard[i] = std::abs(propensity_hazard[i]);
    }
    bool has_intent(std::size_t i) const { return intent[i] != 0; }
    ChurnReason intent_reason(std::size_t i) const {
        return static_cast<ChurnReason>(intent[i] - 1);
    }
    // Whether its avoidable hazards are spent (it intends to leave), from the propensity column.
    static bool avoidable_spent(double propensity) { return std::signbit(propensity); }
    // Its propensity without the intent's mark.
    double propensity(std::size_t i) const { return std::abs(propensity_hazard[i]); }
    // Multiplies its avoidable hazard for life (an adopted product, farmer coverage), intent or
    // not.
    void scale_propensity(std::size_t i, double factor) { propensity_hazard[i] *= factor; }
    void unscale_propensity(std::size_t i, double factor) { propensity_hazard[i] /= factor; }

    // Whether a source of coverage with bit `bit` covers it (see the retention model's covers).
    bool is_covered_by(std::size_t i, std::uint8_t bit) const { return (covered[i] & bit) != 0; }

    // A churned customer comes back in `month` (a win-back), with a fresh hazard budget and no
    // intent.
    void come_back(std::size_t i, int month, double fresh_budget) {
        budget[i] = fresh_budget;
        drop_intent(i);
        lapsed_until[i] = 0;
        if (tracks_returns) returned_month[i] = static_cast<std::uint16_t>(month);
        --churned_unswept;
    }

    // Its other fields stay, so that a win-back can bring the same customer back. One that
    // cannot come back gets a zero propensity: the renewal pass still walks over it until the
    // sweep, and a zero there makes that pass twice as fast (measured, AMD EPYC).
    void mark_churned(std::size_t i, int lapsed_until_month) {
        budget[i] = churned_mark;
        if (lapsed_until_month == 0) propensity_hazard[i] = 0.0;
        lapsed_until[i] = static_cast<std::uint16_t>(lapsed_until_month);
        ++churned_unswept;
    }

    // Memory of one customer across the columns in use.
    std::size_t bytes_per_customer() {
        std::size_t bytes = 0;
        for_each_column([&bytes](auto& column) { bytes += sizeof(column[0]); });
        return bytes;
    }

    // `count` customers with every field zero, at the end; returns the first one's index.
    // One resize per column for a whole batch: appending one field at a time cost more than
    // everything else a new customer needs.
    std::size_t append(std::size_t count = 1);
    void reserve(std::size_t n);
    void clear();  // keeps the capacity, so a worker reuses its memory across replications

    // Removes the churned customers who can no longer come back once the churned are half of
    // the arrays: amortised O(1) per churn, and the renewal pass never walks over more dead
    // entries than live ones. Returns whether it swept; `kept` then holds, for each new index,
    // the customer's old one (the calendar renumbers its entries with it).
    bool sweep_if_worthwhile(int month, std::vector<std::uint32_t>& kept);

  private:
    // Every per-customer array, so that a new field is added in one place.
    template <typename Visit>
    void for_each_column(Visit&& visit) {
        visit(budget);
        visit(propensity_hazard);
        visit(mrr);
        visit(cohort);
        visit(joined);
        visit(renewal_shift);
        visit(segment);
        visit(activation_month);
        visit(key);
        visit(term_months);
        visit(intent);
        visit(tier);
        visit(products);
        visit(usage_priced);
        visit(covered);
        visit(next_upsell);
        visit(next_contraction);
        visit(lapsed_until);
        if (tracks_adoption) visit(next_adoption);
        if (tracks_returns) visit(returned_month);
        if (tracks_history)
            for (auto& column : mrr_history)
                visit(column);
        if (tracks_due) visit(due_month);
        if (tracks_plan) {
            visit(due_is_change);
            visit(planned_from);
            visit(planned_hazard);
        }
        if (tracks_billing) {
            visit(bills_upfront);
            visit(paid_through);
            visit(invoiced_mrr);
        }
        if (tracks_prices) visit(price_changes);
    }
};

}  // namespace cohortsim
