#pragma once
// What a block of replications yields (engine/run/runner.cpp): every metric's and KPI's value per
// replication, and totals over the block that are exact whatever the order in which threads or
// processes add them.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "metrics.hpp"
#include "replication_record.hpp"

namespace cohortsim {

// Money summed over replications as integers of a millionth of a currency unit: integer sums
// are exact, so the order in which threads add them is moot, and a millionth is far below any
// amount a result shows.
__extension__ using Micros = __int128;
inline Micros to_micros(double amount) {
    return static_cast<Micros>(std::llround(amount * 1e6));
}
inline double from_micros(Micros amount) {
    return static_cast<double>(amount) * 1e-6;
}

// Totals over replications, exact whatever the order in which threads add them.
struct CountTotals {
    explicit CountTotals(std::size_t months)
        : cohort_active(months * months, 0),
          cohort_mrr(months * months, 0),
          churned_by_reason(churn_reason_count * months, 0) {}
    std::vector<std::int64_t> cohort_active;      // (cohort, month)
    std::vector<Micros> cohort_mrr;               // (cohort, month)
    std::vector<std::int64_t> churned_by_reason;  // (reason, month)
    std::int64_t customer_months = 0;

    std::size_t months() const { return churned_by_reason.size() / churn_reason_count; }

    void add(const ReplicationRecord& record) {
        for (std::size_t k = 0; k < cohort_active.size(); ++k) {
            cohort_active[k] += record.cohort_active[k];
            cohort_mrr[k] += to_micros(record.cohort_mrr[k]);
        }
        const std::size_t months = record.months();
        for (std::size_t r = 0; r < churn_reason_count; ++r) {
            for (std::size_t m = 0; m < months; ++m) {
                churned_by_reason[r * months + m] += record.churned_by_reason[r][m];
            }
        }
        customer_months += record.customer_months;
    }
    void add(const CountTotals& other) {
        for (std::size_t k = 0; k < cohort_active.size(); ++k) {
            cohort_active[k] += other.cohort_active[k];
            cohort_mrr[k] += other.cohort_mrr[k];
        }
        for (std::size_t k = 0; k < churned_by_reason.size(); ++k) {
            churned_by_reason[k] += other.churned_by_reason[k];
        }
        customer_months += other.customer_months;
    }
};

// What a block of replications yields: per metric (replication, month) and per KPI
// (replication), row r for the block's r-th replication, and the exact totals over the block.
struct BlockValues {
    BlockValues(std::size_t replications, std::size_t months, std::size_t metric_count)
        : metrics(metric_count, std::vector<double>(replications * months)),
          kpis(kpi_definitions().size(), std::vector<double>(replications)),
          totals(months) {}
    std::vector<std::vector<double>> metrics;
    std::vector<std::vector<double>> kpis;
    CountTotals totals;
};

}  // namespace cohortsim
