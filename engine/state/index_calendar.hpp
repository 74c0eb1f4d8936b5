#pragma once
// Customers filed under the month something is due for them, so that the month loop visits
// only those instead of testing every customer every month. Entries are population indices;
// a sweep renumbers them. An entry may go stale (the customer churned, or was filed again for
// another month): whoever reads the month checks its customer's state.

#include <cstdint>
#include <vector>

namespace cohortsim {

class IndexCalendar {
  public:
    // Empties the calendar for months 0..horizon, keeping its memory.
    void reset(int horizon);

    // Files customer i under `month`; nothing for a month past the horizon (or "never").
    void add(std::size_t i, int month) {
        if (month < 0 || static_cast<std::size_t>(month) >= by_month_.size()) return;
        by_month_[static_cast<std::size_t>(month)].push_back(static_cast<std::uint32_t>(i));
    }

    // In the order they were filed.
    const std::vector<std::uint32_t>& at(int month) const { return by_month_[month]; }
    std::vector<std::uint32_t>& at(int month) { return by_month_[month]; }

    // After a sweep, for the months after `month`: `kept` maps each new index to the old one;
    // entries of swept customers go.
    void renumber(const std::vector<std::uint32_t>& kept, std::size_t old_size, int month);

  private:
    std::vector<std::vector<std::uint32_t>> by_month_;
    std::vector<std::uint32_t> new_index_;  // scratch for renumber
};

}  // namespace cohortsim
