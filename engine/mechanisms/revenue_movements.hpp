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
#include "hazard_cover.hpp"
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

// What covers an account raises its upsell and cross-sell probabilities: a farmer by k, a
// retention programme by its upsell_multiplier or cross_sell_multiplier, several by the product
// of their factors. The factor by cover mask, for the upsell or for cross-sell.
enum class CoveredBoost { upsell, cross_sell };
CoverFactors covered_boosts(const Scenario& scenario, CoveredBoost boost);

// A monthly probability p, times the factor k(mask) of what covers the account that month.
// Event months are drawn at the highest rate q = max over masks of min(1, k p); at an event, an
// account goes ahead with probability min(1, k p) / q for its mask that month (thinning), so
// each month's probability is exact whichever months the account is covered. Without factors
// other than 1 nothing extra is drawn.
struct CoveredRate {
    CoveredRate(double probability, const CoverFactors& boosts, int horizon);
    GeometricWait drawn;      // the event months are drawn with this monthly probability
    CoverFactors acceptance;  // by cover mask: of an event drawn at that rate

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
