#pragma once
// One replication of one scenario: the month loop over a population, calling each mechanism
// in the fixed order of MODEL.md. Everything random is keyed by (seed, replication, customer,
// purpose), so the result depends on nothing else.

#include <atomic>
#include <cstdint>
#include <vector>

#include "acquisition.hpp"
#include "cohortsim/scenario.hpp"
#include "onboarding.hpp"
#include "population.hpp"
#include "replication_record.hpp"
#include "retention.hpp"
#include "starting_mrr.hpp"

namespace cohortsim {

// Memory a worker thread reuses from one replication to the next, so that it allocates (and
// page-faults) once, not once per replication.
struct Workspace {
    Population population;
    std::vector<std::uint32_t> churners;  // who churns this month
};

class ReplicationSimulator {
  public:
    explicit ReplicationSimulator(const Scenario& scenario);

    // Throws Interrupted when *cancel becomes true (checked every month). `workspace` is
    // cleared and reused, so a worker thread allocates its population once.
    ReplicationRecord run(std::uint64_t seed, std::uint64_t replication, Workspace& workspace,
                          const std::atomic<bool>* cancel = nullptr) const;

  private:
    struct MonthState;
    void add_customers(MonthState& state, int cohort, std::size_t segment,
                       std::int64_t count) const;
    void resolve_renewals(MonthState& state, int month) const;
    template <bool Onboarding, bool DurationDependent>
    void resolve_renewals_of(MonthState& state, int month) const;
    void churn(MonthState& state, std::size_t i, int month, const HazardParts& parts) const;
    std::size_t expected_customers() const;
    void close_month(MonthState& state, int month) const;

    int horizon_;
    std::size_t segment_count_;
    Acquisition acquisition_;
    RetentionModel retention_;
    Onboarding onboarding_;
    StartingMrr starting_mrr_;
};

}  // namespace cohortsim
