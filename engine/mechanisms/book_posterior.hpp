#pragma once
// The churn propensity of a customer of today's book, given what its survival so far says
// (docs/model.md 3.2): having faced `a` renewals it is drawn from the posterior
// Beta(alpha, beta + E), where E = a^c is the exposure that survival is evidence of (the BdW
// likelihood of survival is (1 - theta)^E); a never-activated customer with low adoption for life
// has E = M^c + m (a^c - M^c) after onboarding of M months with multiplier m. The products it owns
// multiply its hazard as they would a new customer's.

#include <cstdint>
#include <vector>

#include "cohortsim/scenario.hpp"
#include "propensity_sampler.hpp"

namespace cohortsim {

class BookPosterior {
  public:
    // A (segment, exposure) posterior gets a tabulated sampler from this many customers on,
    // the gamma route below: a table costs about 20 ms to build and saves about 60 ns a draw,
    // which pays from ~3e5 draws, i.e. this many customers at the default 200 replications.
    // Counted per replication, so a replication's draws do not depend on how many there are.
    static constexpr std::int64_t tabulate_from_customers = 2048;

    explicit BookPosterior(const Scenario& scenario);

    // lambda = -log(1 - theta) of a customer of book entry `e`, times its products' multipliers;
    // 0 in a segment without [retention].
    double propensity_hazard(const BookEntry& entry, std::size_t e,
                             std::uint64_t customer_key) const;

  private:
    struct Segment {
        bool churns = false;
        double alpha = 1.0;
        double beta = 1.0;
        double c = 1.0;
    };
    double exposure(const BookEntry& entry) const;

    std::vector<Segment> segments_;
    OnboardingParams onboarding_;
    std::vector<double> product_multipliers_;  // hazard multiplier of each cross-sell product
    std::vector<PropensitySampler> samplers_;  // one per distinct (segment, exposure)
    std::vector<std::uint32_t> sampler_of_;    // per entry
};

}  // namespace cohortsim
