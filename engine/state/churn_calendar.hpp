#pragma once
// Event times instead of a monthly test, where the model allows it. When a customer's hazard
// stays the same from month to month (no onboarding, no duration dependence, no farmer
// coverage or add-on stickiness changing it), the month its Exp(1) budget runs out is known the
// moment the budget is drawn: ceil(budget / hazard) months later. The month loop then visits
// only the customers due that month instead of accruing a hazard on every customer every month,
// which is most of the work of a plain sBG run. A customer whose hazard changes (an intent
// formed, a save, a win-back) draws a fresh budget, as in the monthly path, and is scheduled
// again; memorylessness makes both exact. A hazard that changes at a month known in advance
// (onboarding) or at an event (a cross-sell adoption) is piecewise constant: the customer is
// filed under the change too, and there the budget it used up is taken off and it is filed
// again (ChurnScheduler, engine/simulation/churn_scheduler.cpp).

#include <cstdint>
#include <vector>

#include "index_calendar.hpp"

namespace cohortsim {

class ChurnCalendar {
  public:
    // Empties the calendar for a replication of `horizon` months, keeping its memory.
    void reset(int horizon) {
        horizon_ = horizon;
        months_.reset(horizon);
    }

    // The month a budget runs out at a constant monthly hazard from `month` on; 0 when that is
    // past the horizon (or the hazard is 0). The month loop would subtract `hazard` once a month
    // and act in the month the budget reaches 0: the first whole number of months at least
    // budget / hazard.
    int due_month(double budget, double hazard, int month) const {
        const double exact = budget / hazard;
        const double limit = static_cast<double>(horizon_ - month);
        // Also false for a zero hazard (inf or NaN).
        if (!(exact <= limit)) return 0;
        // Rounded up with a cast and a correction: much cheaper than std::ceil, which x86-64
        // without SSE4.1 does in software.
        int months = static_cast<int>(exact);
        months += static_cast<int>(static_cast<double>(months) < exact);
        return month + (months < 1 ? 1 : months);
    }

    // Customer i is due in month `due` (from due_month; nothing when 0).
    void add(std::size_t i, int due) {
        if (due != 0) months_.add(i, due);
    }

    // The customers scheduled for `month`, in the order they were scheduled; an entry is stale
    // when the customer has churned or was scheduled again since (due_month differs).
    const std::vector<std::uint32_t>& due(int month) const { return months_.at(month); }

    // After a sweep: `kept` maps each new index to the old one; entries of swept customers go.
    void renumber(const std::vector<std::uint32_t>& kept, std::size_t old_size, int month) {
        months_.renumber(kept, old_size, month);
    }

  private:
    int horizon_ = 0;
    IndexCalendar months_;
};

}  // namespace cohortsim
