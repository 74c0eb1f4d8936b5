#include "contraction.hpp"

#include <stdexcept>
#include <string>

namespace cohortsim {

MechanismSpec Contraction::spec() {
    return {
        .table = table,
        .turns_on = "contraction",
        .keys = {real_key("monthly_probability", "0.01", "1/month", 0, 1,
                          "Monthly probability of a downgrade; a [contraction] table turns "
                          "contraction on (docs/model.md 6, seed 004: partial churn)."),
                 exclusive(
                     real_key("size", "0.2", "1", 0, 1,
                              "Share of its plan price a customer loses at a downgrade; add-on "
                              "products keep theirs (docs/model.md 6.5)."),
                     true, true)},
        .series = {},
        .field = [](Scenario& scenario, std::string_view key) -> ParamField {
            ContractionParams& params = scenario.contraction;
            if (key == "monthly_probability") return &params.monthly_probability;
            if (key == "size") return &params.size;
            throw std::logic_error("contraction key without a field: " + std::string(key));
        },
        .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.contraction.enabled; },
    };
}

void Contraction::schedule(Population& population, std::size_t i, int month,
                           IndexCalendar& due) const {
    population.next_contraction[i] = static_cast<std::uint16_t>(
        next_event_month(population, i, Purpose::contraction, wait_, month, after_horizon_));
    due.add(i, population.next_contraction[i]);
}

void Contraction::month_step(State& state, MechanismContext& now) const {
    Population& population = now.population;
    const int month = now.month;
    for (const std::uint32_t i : state.due.at(month)) {
        if (population.next_contraction[i] != month || population.is_churned(i)) continue;
        const double change = -params_.size * add_ons_.subscription(population, i);
        population.mrr[i] += change;
        now.move_mrr(MrrMovement::contraction, i, change);
        schedule(population, i, month, state.due);
    }
}

}  // namespace cohortsim
