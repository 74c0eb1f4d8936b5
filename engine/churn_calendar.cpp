#include "churn_calendar.hpp"

#include <cmath>
#include <limits>

namespace cohortsim {

void ChurnCalendar::reset(int horizon) {
    by_month_.resize(static_cast<std::size_t>(horizon) + 1);
    for (auto& month : by_month_)
        month.clear();
}

void ChurnCalendar::schedule(Population& population, std::size_t i, int month, double hazard) {
    population.due_month[i] = 0;
    if (!(hazard > 0.0)) return;
    // The month loop would subtract `hazard` once a month and act in the month the budget
    // reaches 0: the first whole number of months at least budget / hazard.
    // Whole months until the budget runs out, rounded up (a cast and a correction are much
    // cheaper than std::ceil, which x86-64 without SSE4.1 does in software).
    const double exact = population.budget[i] / hazard;
    const double limit =
        static_cast<double>(by_month_.size() - 1 - static_cast<std::size_t>(month));
    if (!(exact <= limit)) return;
    int months = static_cast<int>(exact);
    months += static_cast<int>(static_cast<double>(months) < exact);
    if (months < 1) months = 1;
    const int due = month + months;
    population.due_month[i] = static_cast<std::uint16_t>(due);
    by_month_[due].push_back(static_cast<std::uint32_t>(i));
}

void ChurnCalendar::renumber(const std::vector<std::uint32_t>& kept, std::size_t old_size,
                             int month) {
    constexpr std::uint32_t gone = std::numeric_limits<std::uint32_t>::max();
    new_index_.assign(old_size, gone);
    for (std::size_t k = 0; k < kept.size(); ++k)
        new_index_[kept[k]] = static_cast<std::uint32_t>(k);
    for (std::size_t m = static_cast<std::size_t>(month) + 1; m < by_month_.size(); ++m) {
        std::vector<std::uint32_t>& entries = by_month_[m];
        std::size_t out = 0;
        for (const std::uint32_t old : entries)
            if (new_index_[old] != gone) entries[out++] = new_index_[old];
        entries.resize(out);
    }
}

}  // namespace cohortsim
