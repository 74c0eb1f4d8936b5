#pragma once
// Upsell (docs/model.md 6.3, seeds 002 and 003): a ladder of tiers above the entry tier; each month
// a customer below the top moves up one tier with monthly_probability, more often while a farmer
// covers it.

#include <string_view>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/scenario.hpp"
#include "mechanism.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class Upsell : public FilesEvents {
  public:
    static constexpr std::string_view table = "upsell";
    static MechanismSpec spec();
    // A tier's value for a key below [upsell.tiers.<name>] ("multiplier").
    static ParamField tier_field(UpsellTier& tier, std::string_view key);

    explicit Upsell(const Scenario& scenario);
    bool enabled() const { return params_.enabled; }

    // Its next upgrade is drawn when it joins, and again when it comes back (at the tier it left
    // with).
    void on_join(State& state, MechanismContext& now, std::size_t i, const Arrival&) const {
        schedule(now.population, i, now.month, state.due);
    }
    void on_return(State& state, MechanismContext& now, std::size_t i) const {
        schedule(now.population, i, now.month, state.due);
    }
    // The month's upgrades: each multiplies the plan's price by the next tier's step.
    void month_step(State& state, MechanismContext& now) const;

  private:
    void schedule(Population& population, std::size_t i, int month, IndexCalendar& due) const;

    UpsellParams params_;
    AddOnPrices add_ons_;
    CoveredRate rate_;
    int after_horizon_;
    std::vector<double> step_;  // price ratio of tier k + 1 to tier k
};

}  // namespace cohortsim
