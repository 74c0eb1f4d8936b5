#include "index_calendar.hpp"

#include <limits>

namespace cohortsim {

void IndexCalendar::reset(int horizon) {
    by_month_.resize(static_cast<std::size_t>(horizon) + 1);
    for (auto& month : by_month_)
        month.clear();
}

void IndexCalendar::renumber(const std::vector<std::uint32_t>& kept, std::size_t old_size,
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
