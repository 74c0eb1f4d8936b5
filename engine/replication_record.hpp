#pragma once
// What one replication observed, month by month (index 0..H): counts as exact integers, so
// that sums across replications are exact whatever the order; money as doubles.

#include <array>
#include <cstdint>
#include <vector>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct ReplicationRecord {
    explicit ReplicationRecord(int horizon_months)
        : horizon(horizon_months),
          active(months()),
          new_customers(months()),
          churned(months()),
          mrr(months()),
          new_mrr(months()),
          churned_mrr(months()),
          cohort_active(months() * months()) {
        for (auto& series : churned_by_reason)
            series.assign(months(), 0);
    }

    std::size_t months() const { return static_cast<std::size_t>(horizon) + 1; }

    // Customers of cohort c (acquired in month c) active at the end of month m.
    std::int64_t& cohort_active_at(std::size_t c, std::size_t m) {
        return cohort_active[c * months() + m];
    }
    std::int64_t cohort_active_at(std::size_t c, std::size_t m) const {
        return cohort_active[c * months() + m];
    }

    int horizon;
    std::vector<std::int64_t> active;  // end of month
    std::vector<std::int64_t> new_customers;
    std::vector<std::int64_t> churned;
    std::array<std::vector<std::int64_t>, churn_reason_count> churned_by_reason;
    std::vector<double> mrr;  // end of month
    std::vector<double> new_mrr;
    std::vector<double> churned_mrr;
    std::vector<std::int64_t> cohort_active;  // (cohort, month), zero before the cohort exists
    std::int64_t customer_months = 0;         // renewal decisions simulated
};

}  // namespace cohortsim
