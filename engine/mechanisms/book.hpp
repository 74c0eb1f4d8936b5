#pragma once
// Today's book (docs/model.md 3.2): existing customers who are the stock at month 0 and continue
// their lives from the tenure they have reached. The book is a source of arrivals: each of its
// customers joins as an Arrival of kind book, and every mechanism's on_join starts from what the
// entry knows (its propensity: book_posterior.hpp; its contract, activation, MRR, products and
// usage pricing: the mechanisms of each).

#include <cstdint>
#include <memory>
#include <vector>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

// The oldest tenure in the scenario's book, 0 without one: how far beyond the horizon a month of
// life can reach.
int oldest_book_tenure(const Scenario& scenario);

class Book {
  public:
    explicit Book(const Scenario& scenario);

    const std::vector<BookEntry>& entries() const { return *entries_; }
    std::int64_t customers() const { return customers_; }

    // The identity of the k-th book customer (counted over the whole book, in file order):
    // a cohort number no month reaches, so its draws are its own.
    static CustomerId customer_id(const BookEntry& entry, std::uint32_t k) {
        return {0xffffff, entry.segment, k};
    }

  private:
    std::shared_ptr<const std::vector<BookEntry>> entries_;
    std::int64_t customers_ = 0;
};

}  // namespace cohortsim
