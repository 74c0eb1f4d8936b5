#pragma once
// Contraction (docs/model.md 6.5, seed 004: partial churn, downgrades): each month a customer
// loses `size` of its plan's price with monthly_probability; its add-on products keep theirs.

#include <string_view>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/scenario.hpp"
#include "mechanism.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class Contraction : public FilesEvents {
  public:
    static constexpr std::string_view table = "contraction";
    static MechanismSpec spec();
    explicit Contraction(const Scenario& scenario)
        : params_(scenario.contraction),
          add_ons_(scenario.cross_sell),
          wait_(params_.monthly_probability, scenario.simulation.horizon_months),
          after_horizon_(scenario.simulation.horizon_months + 1) {}
    bool enabled() const { return params_.enabled; }

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
