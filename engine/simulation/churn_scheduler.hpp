#pragma once
// When customers run out of hazard budget: the one interface the month loop schedules churn
// through, with two ways behind it that give the same results (docs/architecture.md).
//
// - Monthly accrual: every month, every customer's hazard is taken off its budget.
// - The event calendar (state/churn_calendar.hpp), where every hazard is piecewise constant
//   (no duration dependence, no farmer coverage): each customer is filed under the month its
//   budget runs out, or the month its hazard changes if that comes first, and a month visits
//   only those filed under it.
//
// Whatever changes a customer's hazard goes through it: a fresh budget (start, restart) or a
// change of hazard (hazard_changed). Under the monthly accrual these cost nothing; under the
// calendar they file the customer again, so no mechanism can leave one filed under a stale
// plan.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "churn_calendar.hpp"
#include "cohortsim/runner.hpp"
#include "population.hpp"
#include "retention.hpp"

namespace cohortsim {

class ChurnScheduler {
  public:
    // `coverage_possible`: farmers may cover accounts (their hazards then change every month);
    // `adoptions`: cross-sell adoptions change hazards at events.
    ChurnScheduler(const RetentionModel& retention, int horizon, ChurnScheduling scheduling,
                   bool coverage_possible, bool adoptions);

    // Whether the event calendar is in use, and whether it keeps each customer's plan (its
    // hazards change while filed): the population columns it needs.
    bool uses_calendar() const { return calendar_; }
    bool keeps_plans() const { return calendar_ && piecewise_; }
    // Calendar entries it keeps per customer, on average: for the memory estimate.
    std::size_t entries_per_customer() const;

    // Customers [first, last) hold fresh budgets at the end of `month` (they joined).
    void start(Population& population, ChurnCalendar& calendar, std::size_t first, std::size_t last,
               int month) const;
    // Customer i's budget was drawn afresh in `month` (an intent formed, a save, a cure, a
    // return).
    void restart(Population& population, ChurnCalendar& calendar, std::size_t i, int month) const;
    // Customer i's hazard changes from the month after `month` (an adoption).
    void hazard_changed(Population& population, ChurnCalendar& calendar, std::size_t i,
                        int month) const;

    // Whose budget runs out in `month`: their indices in exhausted[0, count); returns count.
    // Their budgets are spent (the caller draws fresh ones or marks them churned).
    std::size_t exhausted(Population& population, ChurnCalendar& calendar, int month,
                          std::vector<std::uint32_t>& exhausted) const;

  private:
    template <bool Onboarding>
    void plan(Population& population, std::size_t i, int from, const ChurnCalendar& calendar) const;
    void plan_from(Population& population, std::size_t i, int from, ChurnCalendar& calendar) const;
    void replan(Population& population, std::size_t i, int from, ChurnCalendar& calendar) const;
    template <bool Onboarding, bool DurationDependent>
    std::size_t accrue(Population& population, int month,
                       std::vector<std::uint32_t>& exhausted) const;
    template <bool Onboarding>
    std::size_t due(Population& population, ChurnCalendar& calendar, int month,
                    std::vector<std::uint32_t>& exhausted) const;

    const RetentionModel& retention_;
    int horizon_;
    bool calendar_;
    // Some hazard changes on its own (onboarding) or at an adoption: the calendar keeps what
    // each customer was filed with.
    bool piecewise_;
};

}  // namespace cohortsim
