#include "replication.hpp"

#include "cohortsim/error.hpp"
#include "cohortsim/random.hpp"

namespace cohortsim {

// Running totals of the replication in flight, updated per event so that closing a month
// costs O(cohorts), not O(customers).
struct ReplicationSimulator::MonthState {
    MonthState(int horizon, std::uint64_t key, Workspace& workspace)
        : replication_key(key),
          population(workspace.population),
          churners(workspace.churners),
          record(horizon),
          active_by_cohort(record.months(), 0) {}

    std::uint64_t replication_key;
    Population& population;
    std::vector<std::uint32_t>& churners;
    ReplicationRecord record;
    std::vector<std::int64_t> active_by_cohort;
    std::int64_t active = 0;
    double mrr = 0.0;
};

ReplicationSimulator::ReplicationSimulator(const Scenario& scenario)
    : horizon_(scenario.simulation.horizon_months),
      segment_count_(scenario.segments.size()),
      acquisition_(scenario),
      retention_(scenario),
      onboarding_(scenario.onboarding),
      starting_mrr_(scenario.segments) {}

std::size_t ReplicationSimulator::expected_customers() const {
    double expected = 0.0;
    for (std::size_t s = 0; s < segment_count_; ++s) {
        expected += static_cast<double>(acquisition_.initial_counts()[s]);
        for (int month = 1; month <= horizon_; ++month) {
            expected += acquisition_.expected_new_count(month, s);
        }
    }
    return static_cast<std::size_t>(expected * 1.05) + 1024;
}

ReplicationRecord ReplicationSimulator::run(std::uint64_t seed, std::uint64_t replication,
                                            Workspace& workspace,
                                            const std::atomic<bool>* cancel) const {
    workspace.population.clear();
    workspace.population.reserve(expected_customers());
    MonthState state(horizon_, replication_key(seed, replication), workspace);
    for (std::size_t s = 0; s < segment_count_; ++s) {
        add_customers(state, 0, s, acquisition_.initial_counts()[s]);
    }
    close_month(state, 0);
    for (int month = 1; month <= horizon_; ++month) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
        state.record.customer_months += state.active;
        resolve_renewals(state, month);
        // New logos join at the end of their month and face their first renewal a month later.
        for (std::size_t s = 0; s < segment_count_; ++s) {
            add_customers(state, month, s, acquisition_.new_count(month, s, state.replication_key));
        }
        close_month(state, month);
        state.population.sweep_if_worthwhile();
    }
    return std::move(state.record);
}

void ReplicationSimulator::add_customers(MonthState& state, int cohort, std::size_t segment,
                                         std::int64_t count) const {
    Population& population = state.population;
    double added_mrr = 0.0;
    for (std::int64_t k = 0; k < count; ++k) {
        const CustomerId id{static_cast<std::uint32_t>(cohort), static_cast<std::uint32_t>(segment),
                            static_cast<std::uint32_t>(k)};
        const std::uint64_t key = customer_key(state.replication_key, id);
        const std::size_t i = population.size();
        population.budget.push_back(0.0);
        population.propensity_hazard.push_back(0.0);
        population.mrr.push_back(0.0);
        population.cohort.push_back(static_cast<std::uint16_t>(cohort));
        population.segment.push_back(static_cast<std::uint8_t>(segment));
        population.activation_month.push_back(0);
        population.key.push_back(key);
        retention_.on_join(population, i, key);
        onboarding_.on_join(population, i, key);
        starting_mrr_.on_join(population, i, key);
        added_mrr += population.mrr[i];
    }
    state.active += count;
    state.active_by_cohort[cohort] += count;
    state.mrr += added_mrr;
    if (cohort > 0) {
        state.record.new_customers[cohort] += count;
        state.record.new_mrr[cohort] += added_mrr;
    }
}

void ReplicationSimulator::resolve_renewals(MonthState& state, int month) const {
    const bool onboarding = retention_.has_onboarding();
    const bool duration = retention_.is_duration_dependent();
    if (onboarding && duration) return resolve_renewals_of<true, true>(state, month);
    if (onboarding) return resolve_renewals_of<true, false>(state, month);
    if (duration) return resolve_renewals_of<false, true>(state, month);
    return resolve_renewals_of<false, false>(state, month);
}

template <bool Onboarding, bool DurationDependent>
void ReplicationSimulator::resolve_renewals_of(MonthState& state, int month) const {
    Population& population = state.population;
    const std::size_t n = population.size();
    // Two passes: a branch-free one that accrues every hazard and notes who exhausted the
    // budget, then the (few) churns, whose cold-memory reads can overlap one another.
    std::vector<std::uint32_t>& churners = state.churners;
    if (churners.size() < n) churners.resize(n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const HazardParts parts = retention_.parts<Onboarding, DurationDependent>(
            population, i, month - population.cohort[i]);
        population.budget[i] -= parts.total();
        churners[count] = static_cast<std::uint32_t>(i);
        count += static_cast<std::size_t>(population.budget[i] <= 0.0);
    }
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = churners[k];
        churn(state, i, month,
              retention_.parts<Onboarding, DurationDependent>(population, i,
                                                              month - population.cohort[i]));
    }
}

void ReplicationSimulator::churn(MonthState& state, std::size_t i, int month,
                                 const HazardParts& parts) const {
    Population& population = state.population;
    KeyedStream stream(monthly_stream_key(population.key[i], Purpose::churn_reason, month));
    const ChurnReason reason =
        retention_.pick_reason(parts, population.segment[i], uniform_open01(stream));
    ReplicationRecord& record = state.record;
    ++record.churned[month];
    ++record.churned_by_reason[static_cast<std::size_t>(reason)][month];
    record.churned_mrr[month] += population.mrr[i];
    state.mrr -= population.mrr[i];
    --state.active;
    --state.active_by_cohort[population.cohort[i]];
    population.mark_churned(i);
}

void ReplicationSimulator::close_month(MonthState& state, int month) const {
    ReplicationRecord& record = state.record;
    record.active[month] = state.active;
    record.mrr[month] = state.mrr;
    for (int c = 0; c <= month; ++c)
        record.cohort_active_at(c, month) = state.active_by_cohort[c];
}

}  // namespace cohortsim
