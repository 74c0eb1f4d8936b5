#include "upsell.hpp"

#include <stdexcept>
#include <string>

#include "coverage_effect.hpp"

namespace cohortsim {

MechanismSpec Upsell::spec() {
    return {
        .table = table,
        .turns_on = "upsell",
        .keys = with_window(
            {real_key("monthly_probability", "0.01", "1/month", 0, 1,
                      "Monthly probability that a customer below the top tier moves up one tier; "
                      "an [upsell] table turns upsell on and needs at least one tier "
                      "(docs/model.md 6, seeds 002 and 003)."),
             exclusive(real_key("tiers.*.multiplier", std::string(required_default), "1", 1, 100,
                                "Price of the tier relative to the entry tier (the starting "
                                "MRR); tiers are climbed in ascending multiplier, no two "
                                "alike; " +
                                    names_text("tiers", 8) + "."),
                       true, false),
             cost_key("cost_per_upgrade", "currency",
                      "Cost of each upgrade (the sales time, the incentive).")},
            "upgrades"),
        .series = {},
        .costs = {cost_series(table, "upgrades x cost_per_upgrade")},
        .field = [](Scenario& scenario, std::string_view key) -> ParamField {
            if (key == "monthly_probability") return &scenario.upsell.monthly_probability;
            if (key == "cost_per_upgrade") return &scenario.upsell.cost_per_upgrade;
            if (int* month = window_field(scenario.upsell.window, key)) return month;
            throw std::logic_error("upsell key without a field: " + std::string(key));
        },
        .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.upsell.enabled; },
    };
}

ParamField Upsell::tier_field(UpsellTier& tier, std::string_view key) {
    if (key == "multiplier") return &tier.multiplier;
    throw std::logic_error("upsell tier key without a field: " + std::string(key));
}

Upsell::Upsell(const Scenario& scenario)
    : params_(scenario.upsell),
      add_ons_(scenario.cross_sell),
      rate_(params_.monthly_probability, covered_boosts(scenario, CoveredBoost::upsell),
            scenario.simulation.horizon_months),
      after_horizon_(scenario.simulation.horizon_months + 1) {
    double previous = 1.0;
    for (const UpsellTier& tier : params_.tiers) {
        step_.push_back(tier.multiplier / previous);
        previous = tier.multiplier;
    }
}

// Draws customer i's next upgrade after `month` and files it; at the top of the ladder there is
// nothing left to sell (a customer won back keeps its tier). Before the lever starts nothing
// happens: the wait counts from the month before its start (the monthly chance is the same every
// month, so that is exact); after it ends, nothing happens either.
void Upsell::schedule(Population& population, std::size_t i, int month, IndexCalendar& due) const {
    int next = no_event_month;
    if (population.tier[i] < step_.size()) {
        const int from = std::max(month, params_.window.start_month - 1);
        next = next_event_month(population, i, Purpose::upsell, rate_.drawn, from, after_horizon_);
        if (next > params_.window.last(after_horizon_ - 1)) next = no_event_month;
    }
    population.next_upsell[i] = static_cast<std::uint16_t>(next);
    due.add(i, next);
}

void Upsell::month_step(State& state, MechanismContext& now) const {
    Population& population = now.population;
    const int month = now.month;
    for (const std::uint32_t i : state.due.at(month)) {
        // Stale: churned since, or filed again (won back) for another month.
        if (population.next_upsell[i] != month || population.is_churned(i)) continue;
        if (rate_.goes_ahead(population, i, Purpose::covered_upsell, month)) {
            const std::size_t tier = population.tier[i];
            const double change = add_ons_.subscription(population, i) * (step_[tier] - 1.0);
            population.mrr[i] += change;
            population.tier[i] = static_cast<std::uint8_t>(tier + 1);
            now.move_mrr(MrrMovement::upsell, i, change);
            now.spend(0, params_.cost_per_upgrade);
        }
        schedule(population, i, month, state.due);
    }
}

}  // namespace cohortsim
