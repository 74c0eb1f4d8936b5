#pragma once
// Onboarding (docs/model.md section 4.2, seeds 000 and 004): during its first `months`, a new
// customer activates each month with `activation_per_month`. The month of activation is drawn
// once when the customer joins (a geometric event time), so no month costs a random draw;
// the retention hazard reads it to apply stalled-onboarding and low-adoption hazards.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "arrival.hpp"
#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "interventions.hpp"
#include "mechanism.hpp"
#include "population.hpp"

namespace cohortsim {

class Onboarding : public Stateless {
  public:
    static constexpr std::string_view table = "onboarding";

    static MechanismSpec spec() {
        return {
            .table = table,
            .turns_on = "onboarding",
            .keys = {integer_key("months", "3", "months", 1, 60,
                                 "Length of onboarding; an [onboarding] table turns the mechanism "
                                 "on (docs/model.md 4.2, seeds 000 and 004)."),
                     real_key("activation_per_month", "0.5", "1/month", 0, 1,
                              "Monthly probability that a customer still onboarding reaches "
                              "its required outcome (activates)."),
                     exclusive(real_key("stalled_hazard", "0.05", "1/month", 0, 1,
                                        "Extra monthly churn probability until activated (reason "
                                        "stalled_onboarding)."),
                               false, true),
                     real_key("low_adoption_multiplier", "2.0", "", 0, 100,
                              "Factor on the baseline hazard, for life, of customers not "
                              "activated by the end of onboarding (reason low_adoption)."),
                     cost_key("cost_per_new_customer", "currency",
                              "Cost of onboarding one new logo (onboarding calls, training, "
                              "setup), paid the month it joins; initial customers and those of "
                              "today's book cost nothing here.")},
            .series = {},
            .costs = {cost_series(table, "new logos x cost_per_new_customer")},
            .field = [](Scenario& scenario, std::string_view key) -> ParamField {
                OnboardingParams& params = scenario.onboarding;
                if (key == "months") return &params.months;
                if (key == "activation_per_month") return &params.activation_per_month;
                if (key == "stalled_hazard") return &params.stalled_hazard;
                if (key == "low_adoption_multiplier") return &params.low_adoption_multiplier;
                if (key == "cost_per_new_customer") return &params.cost_per_new_customer;
                throw std::logic_error("onboarding key without a field: " + std::string(key));
            },
            .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.onboarding.enabled; },
        };
    }

    explicit Onboarding(const Scenario& scenario);
    bool enabled() const { return params_.enabled; }

    // The month of life it activates in: drawn for a new or initial customer; for one of today's
    // book, already (activated), never (onboarding over without it), or drawn for the rest of its
    // onboarding.
    void on_join(State&, MechanismContext& now, std::size_t i, const Arrival& arrival) const;

    // Whether customer i has activated by its month of life `month_of_life` (activation within a
    // month comes before that month's stalled hazard and renewal).
    bool has_activated(const Population& population, std::size_t i, int month_of_life) const {
        const int activation = population.activation_month[i];
        return activation <= params_.months && activation <= month_of_life;
    }

    // Customer i left in its month of life `month_of_life`, and may come back: it cannot
    // activate while away, so an activation still to come is forgotten (docs/model.md 5).
    void on_leave(Population& population, std::size_t i, int month_of_life) const {
        if (params_.enabled && !has_activated(population, i, month_of_life))
            population.activation_month[i] = left_unactivated;
    }
    void on_churn(State&, MechanismContext& now, std::size_t i, ChurnReason) const {
        Population& population = now.population;
        if (population.lapsed_until[i] != 0)
            on_leave(population, i, population.month_of_life(i, now.month));
    }

    // An intent born of stalled onboarding is cured at the renewal date if the customer has
    // activated by then (docs/model.md 5).
    bool cures(const MechanismContext& now, std::size_t i, ChurnReason reason) const {
        const Population& population = now.population;
        return reason == ChurnReason::stalled_onboarding &&
               has_activated(population, i, population.month_of_life(i, now.month));
    }

    // Customer i comes back in `month`, its month of life `month_of_life`: one that left before
    // activating tries again in each month of its onboarding still to come (none when it is
    // over: low adoption for life).
    void on_return(Population& population, std::size_t i, int month_of_life, int month) const;
    void on_return(State&, MechanismContext& now, std::size_t i) const {
        on_return(now.population, i, now.population.month_of_life(i, now.month), now.month);
    }

  private:
    // Activation month of a customer away before activating; above every onboarding length.
    static constexpr std::uint8_t left_unactivated = 255;
    OnboardingParams params_;
    GeometricWait activation_;
    // New logos helped by onboarding programmes: their activation, by the set of helpers.
    ActivationHelp help_;
    std::vector<GeometricWait> helped_;
};

}  // namespace cohortsim
