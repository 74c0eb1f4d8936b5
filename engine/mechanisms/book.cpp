#include "book.hpp"

#include <algorithm>

namespace cohortsim {

int oldest_book_tenure(const Scenario& scenario) {
    int oldest = 0;
    if (scenario.book.enabled())
        for (const BookEntry& entry : *scenario.book.entries)
            oldest = std::max(oldest, entry.tenure_months);
    return oldest;
}

Book::Book(const Scenario& scenario)
    : entries_(scenario.book.enabled() ? scenario.book.entries
                                       : std::make_shared<const std::vector<BookEntry>>()) {
    for (const BookEntry& entry : *entries_)
        customers_ += entry.customers;
}

}  // namespace cohortsim
