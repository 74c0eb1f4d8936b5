#pragma once
// What the revenue movements of active customers share (docs/model.md section 6, seed 002 on net
// negative churn): usage_pricing.hpp, upsell.hpp, cross_sell.hpp and contraction.hpp. Upsell,
// cross-sell and contraction draw geometric event times and file the customer under that month in
// an IndexCalendar of their own state, so a month visits only the customers with an event; only
// usage draws every month.

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "index_calendar.hpp"
#include "population.hpp"

namespace cohortsim {

// "Never" for the event-month columns (a month after the horizon means the same).
inline constexpr int no_event_month = 0xffff;

// MRR of the add-on products a customer has, from its bit mask; the rest of its MRR is the
// subscription that usage, upsell and contraction act on.
class AddOnPrices {
  public:
    explicit AddOnPrices(const std::vector<CrossSellProduct>& products);
    double of(std::uint8_t mask) const { return by_mask_[mask]; }
    // Subscription MRR of customer i: its MRR without its add-ons.
    double subscription(const Population& population, std::size_t i) const {
        return population.mrr[i] - of(population.products[i]);
    }

  private:
    std::array<double, 256> by_mask_{};
};

// A farmer raises a covered account's upsell and cross-sell probabilities by a multiplier k.
// Event months are drawn at the covered rate min(1, k p); at an event, an account not covered
// that month goes ahead with probability p / (k p) (thinning), so each month's probability is
// exact whichever months the account is covered. With k = 1 nothing extra is drawn.
struct CoveredRate {
    CoveredRate(double probability, double multiplier, int horizon)
        : drawn(std::min(1.0, probability * multiplier), horizon),
          uncovered_acceptance(drawn.probability() > 0.0 ? probability / drawn.probability()
                                                         : 1.0) {}
    GeometricWait drawn;          // the event months are drawn with this monthly probability
    double uncovered_acceptance;  // of an event of an account not covered

    // Whether an event drawn at the covered rate happens to account i this month (`draw`: the
    // month, or a variant of it when one month has several events).
    bool goes_ahead(const Population& population, std::size_t i, Purpose purpose, int draw) const;
};

// Base of a mechanism that files each customer under the month of its next event: its State,
// reset for each replication and renumbered after a sweep, and its memory (about one entry per
// customer).
struct FilesEvents {
    struct State {
        IndexCalendar due;
    };
    void start(State& state, int horizon, std::size_t) const { state.due.reset(horizon); }
    void renumber(State& state, const std::vector<std::uint32_t>& kept, std::size_t old_size,
                  int month) const {
        state.due.renumber(kept, old_size, month);
    }
    std::size_t bytes_per_customer() const { return sizeof(std::uint32_t); }
};

// The stream of customer i's event time drawn in `month` (`variant`: one of several drawn in a
// month, a cross-sell product). Most are drawn in the month the customer joins: those come from
// its key directly, which costs no hashing; the rest (after an event, a win-back) are keyed by
// the month too.
KeyedStream event_stream(const Population& population, std::size_t i, Purpose purpose, int month,
                         int variant = 0);

// The month of customer i's next event after `month`, or `never` (a month after the horizon).
int next_event_month(const Population& population, std::size_t i, Purpose purpose,
                     const GeometricWait& wait, int month, int never);

}  // namespace cohortsim
