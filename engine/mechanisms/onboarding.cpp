#include "onboarding.hpp"

#include <algorithm>

#include "cohortsim/random.hpp"

namespace cohortsim {

Onboarding::Onboarding(const Scenario& scenario)
    : params_(scenario.onboarding),
      activation_(params_.enabled ? params_.activation_per_month : 0.0, params_.months),
      help_(scenario) {
    if (!params_.enabled || !help_.any()) return;
    for (std::size_t helping = 0; helping < (std::size_t{1} << help_.count()); ++helping)
        helped_.emplace_back(std::min(1.0, params_.activation_per_month *
                                               help_.factor(static_cast<std::uint8_t>(helping))),
                             params_.months);
}

void Onboarding::on_join(State&, MechanismContext& now, std::size_t i,
                         const Arrival& arrival) const {
    Population& population = now.population;
    const std::uint64_t customer_key = population.key[i];
    const int never = params_.months + 1;
    if (arrival.kind == Arrival::Kind::book) {
        // Activated before month 0 (month of life 1 stands for "already"); not yet activated and
        // still onboarding: the geometric activation time is memoryless, so it counts on from
        // now.
        const BookEntry& entry = *arrival.entry;
        int activation = 1;
        if (!entry.activated) {
            activation = never;
            if (entry.tenure_months < params_.months) {
                KeyedStream stream(stream_key(customer_key, Purpose::activation));
                activation = entry.tenure_months +
                             activation_.next_month(0, stream, never - entry.tenure_months);
            }
        }
        population.activation_month[i] = static_cast<std::uint8_t>(activation);
        return;
    }
    if (arrival.kind == Arrival::Kind::new_logo) now.spend(0, params_.cost_per_new_customer);
    // The first month of life it activates in (a geometric time on {1, 2, ...}); never, when
    // that is after onboarding or onboarding is off.
    KeyedStream stream(stream_key(customer_key, Purpose::activation));
    const GeometricWait& wait = arrival.kind == Arrival::Kind::new_logo && !helped_.empty()
                                    ? helped_[help_.helping(population, i, now.month)]
                                    : activation_;
    population.activation_month[i] = static_cast<std::uint8_t>(wait.next_month(0, stream, never));
}

void Onboarding::on_return(Population& population, std::size_t i, int month_of_life,
                           int month) const {
    if (population.activation_month[i] != left_unactivated) return;
    // Geometric waits are memoryless: a fresh one from the return is the same law.
    KeyedStream stream(monthly_stream_key(population.key[i], Purpose::activation_on_return, month));
    const int never = params_.months + 1;
    population.activation_month[i] =
        static_cast<std::uint8_t>(activation_.next_month(month_of_life, stream, never));
}

}  // namespace cohortsim
