#include "win_back.hpp"

#include <algorithm>

#include "cohortsim/random.hpp"
#include "hazard_budget.hpp"

namespace cohortsim {

void WinBack::on_churn(State& state, MechanismContext& now, std::size_t i, ChurnReason) const {
    const Population& population = now.population;
    if (population.lapsed_until[i] == 0) return;  // not on file: gone for good
    const int month = now.month;
    KeyedStream stream(monthly_stream_key(population.key[i], Purpose::win_back, month));
    // From the month after it left to the last month on file, within the lever's months: each of
    // those months is a fresh chance, so the first success among them is a geometric time from
    // the month before the first.
    const int from = std::max(month, params_.window.start_month - 1);
    const int last = last_chance(population.lapsed_until[i]);
    if (from >= last) return;
    const int back = wait_.next_month(from, stream, last + 1);
    if (back <= last) state.returns.add(i, back);
    file(state, from, last, 1);
}

void WinBack::file(State& state, int from, int last, std::int64_t sign) {
    // Months after the horizon are never counted (a lever may even start after it).
    const std::size_t after = state.file_change.size() - 1;
    const auto begin = std::min(static_cast<std::size_t>(from) + 1, after);
    const auto end = std::min(static_cast<std::size_t>(last) + 1, after);
    if (begin >= end) return;
    state.file_change[begin] += sign;
    state.file_change[end] -= sign;
}

void WinBack::bring_back(State& state, MechanismContext& now,
                         std::vector<std::uint32_t>& returned) const {
    Population& population = now.population;
    const int month = now.month;
    state.on_file += state.file_change[static_cast<std::size_t>(month)];
    double cost = static_cast<double>(state.on_file) * params_.cost_per_lost_customer_month;
    for (const std::uint32_t i : state.returns.at(month)) {
        if (!population.is_churned(i)) continue;  // filed once per lapse, so never stale
        // Contacted this month, off file from the next.
        file(state, month, last_chance(population.lapsed_until[i]), -1);
        cost += params_.cost_per_return;
        population.come_back(i, month,
                             fresh_budget(population.key[i], Purpose::reactivation_budget, month));
        const double products = add_ons_.of(population.products[i]);
        population.mrr[i] = (population.mrr[i] - products) * params_.mrr_fraction + products;
        now.reactivated(i);
        returned.push_back(i);
    }
    now.spend(0, cost);
}

}  // namespace cohortsim
