#include "population.hpp"

namespace cohortsim {

std::size_t Population::append(std::size_t count) {
    const std::size_t first = size();
    for_each_column([first, count](auto& column) { column.resize(first + count); });
    return first;
}

void Population::reserve(std::size_t n) {
    for_each_column([n](auto& column) { column.reserve(n); });
}

void Population::clear() {
    for_each_column([](auto& column) { column.clear(); });
    churned_unswept = 0;
}

bool Population::sweep_if_worthwhile(int month, std::vector<std::uint32_t>& kept) {
    if (churned_unswept == 0 || churned_unswept * 2 < size()) return false;
    kept.clear();
    kept.reserve(size() - churned_unswept);
    churned_unswept = 0;
    for (std::size_t i = 0; i < size(); ++i) {
        if (is_churned(i) && lapsed_until[i] < month) continue;
        if (is_churned(i)) ++churned_unswept;
        kept.push_back(static_cast<std::uint32_t>(i));
    }
    for_each_column([&kept](auto& column) {
        for (std::size_t k = 0; k < kept.size(); ++k)
            column[k] = column[kept[k]];
        column.resize(kept.size());
    });
    return true;
}

}  // namespace cohortsim
