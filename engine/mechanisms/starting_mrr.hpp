#pragma once
// Starting MRR of a new customer: lognormal around its segment's median (docs/model.md section 6).

#include <cstdint>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/scenario.hpp"
#include "population.hpp"

namespace cohortsim {

class StartingMrr {
  public:
    explicit StartingMrr(const std::vector<SegmentParams>& segments) : segments_(segments) {}

    // Lognormal around the segment's median; a customer of today's book keeps the MRR the book
    // gives (add-ons and discount included), if it gives one.
    void on_join(Population& population, std::size_t i, std::uint64_t customer_key,
                 const Arrival& arrival) const;

  private:
    std::vector<SegmentParams> segments_;
};

}  // namespace cohortsim
