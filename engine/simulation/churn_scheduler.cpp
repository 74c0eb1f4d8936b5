#include "churn_scheduler.hpp"

namespace cohortsim {

ChurnScheduler::ChurnScheduler(const RetentionModel& retention, int horizon,
                               ChurnScheduling scheduling, bool coverage_possible, bool adoptions)
    : retention_(retention),
      horizon_(horizon),
      // Every customer's hazard is piecewise constant, changing only at events the simulator
      // sees: the calendar replaces the monthly accrual.
      calendar_(scheduling == ChurnScheduling::automatic && !retention.is_duration_dependent() &&
                !coverage_possible),
      piecewise_(retention.has_onboarding() || adoptions) {}

std::size_t ChurnScheduler::entries_per_customer() const {
    // One entry, three with onboarding's changes of hazard.
    return calendar_ ? (retention_.has_onboarding() ? 3 : 1) : 0;
}

// Files customer i from the month after `from` on, with its budget as it stands after `from`.
template <bool Onboarding>
void ChurnScheduler::plan(Population& population, std::size_t i, int from,
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

void ChurnScheduler::plan_from(Population& population, std::size_t i, int from,
                               ChurnCalendar& calendar) const {
    retention_.has_onboarding() ? plan<true>(population, i, from, calendar)
                                : plan<false>(population, i, from, calendar);
    calendar.add(i, population.due_month[i]);
}

// Customer i's hazard changes after month `from`: the months since it was filed, up to `from`,
// used up their hazards, and it is filed again from there.
void ChurnScheduler::replan(Population& population, std::size_t i, int from,
                            ChurnCalendar& calendar) const {
    population.budget[i] -= population.planned_hazard[i] * (from - population.planned_from[i]);
    plan_from(population, i, from, calendar);
}

// In two passes: the short first one lets the divisions of successive customers overlap, which
// one long pass per customer does not.
void ChurnScheduler::start(Population& population, ChurnCalendar& calendar, std::size_t first,
                           std::size_t last, int month) const {
    if (!calendar_) return;
    if (retention_.has_onboarding()) {
        for (std::size_t i = first; i < last; ++i)
            plan<true>(population, i, month, calendar);
    } else {
        for (std::size_t i = first; i < last; ++i)
            plan<false>(population, i, month, calendar);
    }
    for (std::size_t i = first; i < last; ++i)
        calendar.add(i, population.due_month[i]);
}

void ChurnScheduler::restart(Population& population, ChurnCalendar& calendar, std::size_t i,
                             int month) const {
    if (!calendar_) return;
    plan_from(population, i, month, calendar);
}

void ChurnScheduler::hazard_changed(Population& population, ChurnCalendar& calendar, std::size_t i,
                                    int month) const {
    if (!calendar_) return;
    replan(population, i, month, calendar);
}

std::size_t ChurnScheduler::exhausted(Population& population, ChurnCalendar& calendar, int month,
                                      std::vector<std::uint32_t>& exhausted) const {
    const bool onboarding = retention_.has_onboarding();
    if (calendar_)
        return onboarding ? due<true>(population, calendar, month, exhausted)
                          : due<false>(population, calendar, month, exhausted);
    const bool duration = retention_.is_duration_dependent();
    if (onboarding && duration) return accrue<true, true>(population, month, exhausted);
    if (onboarding) return accrue<true, false>(population, month, exhausted);
    if (duration) return accrue<false, true>(population, month, exhausted);
    return accrue<false, false>(population, month, exhausted);
}

// A branch-free pass that accrues every hazard and notes whose budget ran out, in index order.
template <bool Onboarding, bool DurationDependent>
std::size_t ChurnScheduler::accrue(Population& population, int month,
                                   std::vector<std::uint32_t>& exhausted) const {
    const std::size_t n = population.size();
    if (exhausted.size() < n) exhausted.resize(n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const HazardParts parts = retention_.parts<Onboarding, DurationDependent>(
            population, i, population.month_of_life(i, month));
        population.budget[i] -= parts.total();
        exhausted[count] = static_cast<std::uint32_t>(i);
        count += static_cast<std::size_t>(population.budget[i] <= 0.0);
    }
    return count;
}

// Only the customers filed under this month.
template <bool Onboarding>
std::size_t ChurnScheduler::due(Population& population, ChurnCalendar& calendar, int month,
                                std::vector<std::uint32_t>& exhausted) const {
    // A change of hazard may file a customer under this very month: the list can grow while
    // it is read, so by index.
    const std::vector<std::uint32_t>& filed = calendar.due(month);
    std::size_t count = 0;
    for (std::size_t k = 0; k < filed.size(); ++k) {
        const std::uint32_t i = filed[k];
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
    return count;
}

}  // namespace cohortsim
