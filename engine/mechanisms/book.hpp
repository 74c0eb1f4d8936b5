#pragma once
// Today's book (README "Starting from today's customers"): existing customers who are the stock
// at month 0 and continue their lives from the tenure they have reached. What is known about a
// customer conditions what is drawn for it:
// - survival so far: having faced `a` renewals, its churn propensity is drawn from the posterior
//   Beta(alpha, beta + E), where E = a^c is the exposure that survival is evidence of (the BdW
//   likelihood of survival is (1 - theta)^E); a never-activated customer with low adoption for
//   life has E = M^c + m (a^c - M^c) after onboarding of M months with multiplier m;
// - its contract: renewal dates from months_to_renewal and the term;
// - onboarding: over for a tenure beyond it; activated = 0 keeps low adoption for life.

#include <cstdint>
#include <memory>
#include <vector>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "population.hpp"
#include "propensity_sampler.hpp"
#include "starting_mrr.hpp"

namespace cohortsim {

// The oldest tenure in the scenario's book, 0 without one: how far beyond the horizon a month of
// life can reach.
int oldest_book_tenure(const Scenario& scenario);

class Book {
  public:
    // A (segment, exposure) posterior gets a tabulated sampler from this many customers on,
    // the gamma route below: a table costs about 20 ms to build and saves about 60 ns a draw,
    // which pays from ~3e5 draws, i.e. this many customers at the default 200 replications.
    // Counted per replication, so a replication's draws do not depend on how many there are.
    static constexpr std::int64_t tabulate_from_customers = 2048;

    explicit Book(const Scenario& scenario);

    const std::vector<BookEntry>& entries() const { return *entries_; }
    std::int64_t customers() const { return customers_; }

    // The identity of the k-th book customer (counted over the whole book, in file order):
    // a cohort number no month reaches, so its draws are its own.
    static CustomerId customer_id(const BookEntry& entry, std::uint32_t k) {
        return {0xffffff, entry.segment, k};
    }

    // Sets up customer i, of entry `e`, whose segment and key are set: what the mechanisms'
    // on_join would, from what the book knows. Contract terms and usage pricing are not offered
    // to it (like the initial customers); its MRR is the book's, discount included.
    void on_join(Population& population, std::size_t i, std::size_t e,
                 std::uint64_t customer_key) const;

  private:
    struct Segment {
        bool churns = false;
        double alpha = 1.0;
        double beta = 1.0;
        double c = 1.0;
    };
    double exposure(const BookEntry& entry) const;

    std::shared_ptr<const std::vector<BookEntry>> entries_;
    std::int64_t customers_ = 0;
    std::vector<Segment> segments_;
    OnboardingParams onboarding_;
    GeometricWait activation_;                 // per month while onboarding
    std::vector<double> product_multipliers_;  // hazard multiplier of each cross-sell product
    StartingMrr starting_mrr_;
    bool usage_pricing_;                       // the scenario has [usage_pricing]
    std::vector<PropensitySampler> samplers_;  // one per distinct (segment, exposure)
    std::vector<std::uint32_t> sampler_of_;    // per entry
};

}  // namespace cohortsim
