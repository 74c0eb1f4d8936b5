#pragma once
// Revenue movements of active customers (docs/model.md section 6, seed 002 on net negative churn):
// usage-based expansion, upsell along a tier ladder, cross-sell of add-on products and
// contraction. Each is a small class with the same two calls: on_join sets up a new customer,
// apply moves the MRR of the month and enters each change in the ledger. Upsell, cross-sell
// and contraction draw geometric event times and file the customer under that month in an
// IndexCalendar, so a month visits only the customers with an event; only usage draws every
// month.

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "index_calendar.hpp"
#include "ledger.hpp"
#include "mechanism.hpp"
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

  private:
    std::array<double, 256> by_mask_{};
};

class UsagePricing : public Stateless {
  public:
    static constexpr std::string_view table = "usage_pricing";
    static MechanismSpec spec();
    explicit UsagePricing(const Scenario& scenario);
    bool enabled() const { return params_.enabled; }
    // Whether its MRR follows usage: drawn for a new logo (and an initial customer on the
    // offers of new ones); for a customer of today's book, as the book says.
    void on_join(State&, MechanismContext& now, std::size_t i, const Arrival& arrival) const;
    // `movers` and `factors` are scratch memory.
    void apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger, int month,
               std::vector<std::uint32_t>& movers, std::vector<double>& factors) const;

  private:
    UsagePricingParams params_;
    bool initial_like_new_;  // the initial customers took the offers of new ones
    double log_drift_;       // log(1 + drift) - volatility^2 / 2: the step's mean is 1 + drift
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
};

class Upsell {
  public:
    Upsell(const UpsellParams& params, double covered_multiplier, int horizon);
    bool enabled() const { return params_.enabled; }
    void on_join(Population& population, std::size_t i, int month, IndexCalendar& due) const;
    void apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger, int month,
               IndexCalendar& due) const;

  private:
    void schedule(Population& population, std::size_t i, int month, IndexCalendar& due) const;

    UpsellParams params_;
    CoveredRate rate_;
    int after_horizon_;
    std::vector<double> step_;  // price ratio of tier k + 1 to tier k
};

class CrossSell {
  public:
    CrossSell(const std::vector<CrossSellProduct>& products, double covered_multiplier,
              int horizon);
    bool enabled() const { return !products_.empty(); }
    std::size_t products() const { return products_.size(); }
    // The products a customer of today's book owns when it joins (none for the others).
    static void on_arrival(Population& population, std::size_t i, const Arrival& arrival) {
        if (arrival.kind == Arrival::Kind::book) population.products[i] = arrival.entry->products;
    }
    // Files its adoptions of the products it does not own, from `month` on.
    void on_join(Population& population, std::size_t i, int month, IndexCalendar& due) const;
    // Leaves in `adopters` the customers who adopted a product this month.
    void apply(Population& population, Ledger& ledger, int month, IndexCalendar& due,
               std::vector<std::uint32_t>& adopters) const;

  private:
    void schedule(Population& population, std::size_t i, std::size_t product, int month,
                  IndexCalendar& due) const;

    std::vector<CrossSellProduct> products_;
    std::vector<CoveredRate> rates_;
    int after_horizon_;
};

class Contraction {
  public:
    static constexpr std::string_view table = "contraction";
    static MechanismSpec spec();
    explicit Contraction(const Scenario& scenario)
        : params_(scenario.contraction),
          add_ons_(scenario.cross_sell),
          wait_(params_.monthly_probability, scenario.simulation.horizon_months),
          after_horizon_(scenario.simulation.horizon_months + 1) {}
    bool enabled() const { return params_.enabled; }

    // Who downgrades, by month.
    struct State {
        IndexCalendar due;
    };
    void start(State& state, int horizon, std::size_t) const { state.due.reset(horizon); }
    void renumber(State& state, const std::vector<std::uint32_t>& kept, std::size_t old_size,
                  int month) const {
        state.due.renumber(kept, old_size, month);
    }

    // Its next downgrade is drawn when it joins, and again when it comes back.
    void on_join(State& state, MechanismContext& now, std::size_t i, const Arrival&) const {
        schedule(now.population, i, now.month, state.due);
    }
    void on_return(State& state, MechanismContext& now, std::size_t i) const {
        schedule(now.population, i, now.month, state.due);
    }
    // The month's downgrades: each cuts the plan's price by `size` (add-ons keep theirs).
    void month_step(State& state, MechanismContext& now) const;

  private:
    void schedule(Population& population, std::size_t i, int month, IndexCalendar& due) const;
    ContractionParams params_;
    AddOnPrices add_ons_;
    GeometricWait wait_;
    int after_horizon_;
};

}  // namespace cohortsim
