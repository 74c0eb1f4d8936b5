#pragma once
// One replication of one scenario: the month loop over a population, calling each mechanism
// in the fixed order of docs/model.md 2.1. Everything random is keyed by (seed, replication,
// customer, purpose), so the result depends on nothing else.

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "acquisition.hpp"
#include "book.hpp"
#include "churn_calendar.hpp"
#include "churn_scheduler.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario.hpp"
#include "contracts.hpp"
#include "index_calendar.hpp"
#include "interventions.hpp"
#include "ledger.hpp"
#include "net_retention.hpp"
#include "onboarding.hpp"
#include "population.hpp"
#include "price_changes.hpp"
#include "registry.hpp"
#include "replication_record.hpp"
#include "retention.hpp"
#include "sales_team.hpp"
#include "starting_mrr.hpp"
#include "targeted_coverage.hpp"
#include "upfront_billing.hpp"
#include "win_back.hpp"

namespace cohortsim {

// Memory a worker thread reuses from one replication to the next, so that it allocates (and
// page-faults) once, not once per replication.
struct Workspace {
    Population population;
    // Whose budget ran out this month; later in the month, scratch for whoever moves.
    std::vector<std::uint32_t> exhausted;
    std::vector<ChurnReason> reasons;            // and why, in the same order
    std::vector<std::uint32_t> returned;         // who was won back this month
    std::vector<std::uint32_t> changed_hazards;  // whose hazard a month step changed
    std::vector<std::int64_t> hunted;            // logos the hunters won this month, by segment
    std::vector<std::uint32_t> kept;             // who a sweep kept, by new index
    ChurnCalendar calendar;                      // the event calendar (see ChurnScheduler)
    IndexCalendar renewing_intents;              // intents waiting for their renewal date, by month
    IndexCalendar invoices;                      // upfront terms to invoice again, by month

    // Empties the calendars, keeping their memory.
    void reset_calendars(int horizon);
    // After a sweep (see Population::sweep_if_worthwhile).
    void renumber_calendars(std::size_t old_size, int month);

    CoverageScratch coverage;  // farmers' and programmes' choice of accounts
    DeclaredStates declared;   // what the declared mechanisms keep, reset each replication
};

class ReplicationSimulator {
  public:
    explicit ReplicationSimulator(const Scenario& scenario,
                                  ChurnScheduling scheduling = ChurnScheduling::automatic);

    // Throws Interrupted when *cancel becomes true (checked every month). `workspace` is
    // cleared and reused.
    ReplicationRecord run(std::uint64_t seed, std::uint64_t replication, Workspace& workspace,
                          const std::atomic<bool>* cancel = nullptr) const;

    // Everyone who can be a customer in a replication, on average: the initial customers and
    // the expected new ones (5% headroom); what a workspace reserves.
    std::size_t expected_customers() const;

    // Bytes a workspace holds per customer, with the optional columns this scenario uses.
    std::size_t bytes_per_customer() const;

  private:
    struct Month;
    // A mechanism of the registry, by type.
    template <class M>
    const M& declared() const {
        return std::get<M>(declared_);
    }
    void add_customers(Month& now, int cohort, std::size_t segment, std::int64_t count) const;
    void add_book(Month& now) const;
    void join(Month& now, std::size_t i, const Arrival& arrival, int month) const;
    void resolve_renewals(Month& now) const;
    // Customer i's budget was drawn afresh this month: the scheduler files it again.
    void restart(Month& now, std::size_t i) const;
    // Which optional columns this scenario's population carries.
    void choose_columns(Population& population) const;
    template <bool Onboarding, bool DurationDependent>
    void act_on_exhausted(Month& now, std::size_t count) const;
    void exhausted_budget(Month& now, std::size_t i, ChurnReason reason) const;
    void resolve_intent(Month& now, std::size_t i) const;
    void resolve_waiting_intents(Month& now) const;
    void churn(Month& now, std::size_t i, ChurnReason reason) const;
    void move_revenue(Month& now) const;
    void win_back(Month& now) const;
    void cover_accounts(Month& now) const;
    void acquire(Month& now) const;
    // What the k-th declared mechanism's hooks see (in `month`: a join's, else this month).
    MechanismContext context_of(Month& now, std::size_t k) const;
    MechanismContext context_of(Month& now, std::size_t k, int month) const;
    // The declared mechanisms' hooks (mechanism.hpp), at their places in the month.
    void declared_on_join(Month& now, std::size_t first, std::size_t last, const Arrival& arrival,
                          int month) const;
    void declared_on_churn(Month& now, std::size_t i, ChurnReason reason) const;
    int declared_lapse_months(ChurnReason reason) const;
    bool declared_cures(Month& now, std::size_t i, ChurnReason reason) const;
    void declared_on_return(Month& now, std::size_t i) const;
    std::int64_t declared_new_logos(Month& now, std::size_t segment) const;
    double declared_save_probability(Month& now, std::size_t i) const;
    void declared_on_save_attempt(Month& now, std::size_t i, bool saved) const;

    int horizon_;
    FinanceParams finance_;         // written with each record for profit, cash and NPV
    bool walks_population_ = true;  // some monthly pass visits every customer
    std::size_t segment_count_;
    Contracts contracts_;
    UpfrontBilling billing_;
    Acquisition acquisition_;
    Interventions interventions_;  // before the retention model, which composes their covers
    PriceChanges prices_;          // likewise (its shocks)
    RetentionModel retention_;
    StartingMrr starting_mrr_;
    Book book_;
    SalesTeam team_;
    TargetedCoverage coverage_;
    NetRetention net_retention_;
    ChurnScheduler scheduler_;  // after the retention model and the team it reads
    DeclaredMechanisms declared_;
    // Where the k-th declared mechanism's series and costs are in the record.
    std::array<std::size_t, declared_mechanism_count> first_series_{};
    std::array<std::size_t, declared_mechanism_count> first_cost_{};
};

}  // namespace cohortsim
