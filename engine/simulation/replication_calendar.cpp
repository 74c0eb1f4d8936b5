// The event-time path of ReplicationSimulator (steady_: no duration dependence, no farmer
// coverage). Every customer's hazard is constant between events the simulator knows of when
// they happen: a fresh budget (an intent formed, a save, a cure, a win-back), an adoption, or a
// month of life set when it joined (onboarding ends, it activates). Each customer is filed in
// the churn calendar under the month its budget runs out at its present hazard, or under the
// month its hazard changes if that comes first; the month loop visits only the customers filed
// under it. Over the months in between, the monthly path would subtract the same hazard once a
// month: the calendar does that subtraction once, with a multiplication.

#include "replication.hpp"
#include "replication_month.hpp"

namespace cohortsim {

// Files customer i from the month after `from` on, with its budget as it stands after `from`.
template <bool Onboarding>
void ReplicationSimulator::plan(Population& population, std::size_t i, int from,
                                const ChurnCalendar& calendar) const {
    const int life = population.month_of_life(i, from + 1);
    const double hazard = retention_.parts<Onboarding, false>(population, i, life).total();
    int due = calendar.due_month(population.budget[i], hazard, from);
    bool change = false;
    if constexpr (Onboarding) {
        const int next = retention_.next_change(population, i, life);
        const int change_month = population.joined[i] + next;
        if (next != 0 && change_month <= horizon_ && (due == 0 || due >= change_month)) {
            due = change_month;
            change = true;
        }
    }
    population.due_month[i] = static_cast<std::uint16_t>(due);
    if (!piecewise_) return;
    population.due_is_change[i] = change ? 1 : 0;
    population.planned_from[i] = static_cast<std::uint16_t>(from);
    population.planned_hazard[i] = hazard;
}

void ReplicationSimulator::plan_from(Population& population, std::size_t i, int from,
                                     ChurnCalendar& calendar) const {
    retention_.has_onboarding() ? plan<true>(population, i, from, calendar)
                                : plan<false>(population, i, from, calendar);
    calendar.add(i, population.due_month[i]);
}

// With steady hazards: files customer i, whose budget is fresh at the end of this month.
void ReplicationSimulator::schedule(Month& now, std::size_t i) const {
    if (!steady_) return;
    plan_from(now.population, i, now.month, now.workspace.calendar);
}

// schedule() for customers [first, last), in two passes: the short first one lets the
// divisions of successive customers overlap, which one long pass per customer does not.
void ReplicationSimulator::schedule_batch(Month& now, std::size_t first, std::size_t last) const {
    if (!steady_) return;
    Population& population = now.population;
    ChurnCalendar& calendar = now.workspace.calendar;
    if (retention_.has_onboarding()) {
        for (std::size_t i = first; i < last; ++i)
            plan<true>(population, i, now.month, calendar);
    } else {
        for (std::size_t i = first; i < last; ++i)
            plan<false>(population, i, now.month, calendar);
    }
    for (std::size_t i = first; i < last; ++i)
        calendar.add(i, population.due_month[i]);
}

// Customer i's hazard changes after month `from`: the months since it was filed, up to `from`,
// used up their hazards, and it is filed again from there.
void ReplicationSimulator::replan(Population& population, std::size_t i, int from,
                                  ChurnCalendar& calendar) const {
    population.budget[i] -= population.planned_hazard[i] * (from - population.planned_from[i]);
    plan_from(population, i, from, calendar);
}

// Customer i's propensity changed this month (it takes effect next month).
void ReplicationSimulator::hazard_changed(Month& now, std::size_t i) const {
    if (!steady_) return;
    replan(now.population, i, now.month, now.workspace.calendar);
}

// The steady counterpart of resolve_renewals_of: only the customers filed under this month.
void ReplicationSimulator::resolve_due(Month& now) const {
    if (retention_.has_onboarding()) return resolve_due_of<true>(now);
    return resolve_due_of<false>(now);
}

template <bool Onboarding>
void ReplicationSimulator::resolve_due_of(Month& now) const {
    Population& population = now.population;
    ChurnCalendar& calendar = now.workspace.calendar;
    const int month = now.month;
    // A change of hazard may file a customer under this very month: the list can grow while
    // it is read, so by index.
    const std::vector<std::uint32_t>& due = calendar.due(month);
    std::vector<std::uint32_t>& exhausted = now.workspace.exhausted;
    std::size_t count = 0;
    for (std::size_t k = 0; k < due.size(); ++k) {
        const std::uint32_t i = due[k];
        if (population.is_churned(i) || population.due_month[i] != month) continue;
        if (Onboarding && population.due_is_change[i] != 0) {
            // Its hazard changes this month: the months before it used up the old one.
            replan(population, i, month - 1, calendar);
            continue;
        }
        population.budget[i] = 0.0;  // spent
        population.due_month[i] = 0;
        if (exhausted.size() <= count) exhausted.resize(2 * count + 64);
        exhausted[count++] = i;
    }
    act_on_exhausted<Onboarding, false>(now, count);
    if (contracts_.has_long_terms()) resolve_waiting_intents(now);
}

}  // namespace cohortsim
