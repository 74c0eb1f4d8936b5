#pragma once
// What one replication observed, month by month (index 0..H): counts as exact integers, so
// that sums across replications are exact whatever the order; money as doubles.

#include <array>
#include <cstdint>
#include <vector>

#include "cohortsim/churn_reason.hpp"

namespace cohortsim {

// Trailing windows (docs/model.md section 8) end at month m and start 12 months earlier, or at
// month 0 in the first year.
inline constexpr std::size_t trailing_window_months = 12;
inline std::size_t trailing_window_start(std::size_t m) {
    return m > trailing_window_months ? m - trailing_window_months : 0;
}

struct ReplicationRecord {
    // `mechanism_series_count`: the declared mechanisms' series (declared_series_count());
    // `programmes`: the scenario's retention programmes.
    ReplicationRecord(int horizon_months, std::size_t mechanism_series_count,
                      std::size_t programmes = 0)
        : horizon(horizon_months),
          mechanism_series(mechanism_series_count, std::vector<double>(months(), 0.0)),
          programme_covered(programmes, std::vector<std::int64_t>(months(), 0)),
          programme_cost(programmes, std::vector<double>(months(), 0.0)),
          cohort_active(months() * months()),
          cohort_mrr(months() * months()) {
        for (auto* series : {&active, &new_customers, &churned, &reactivated, &saved, &cured,
                             &hunted_customers, &leads, &mqls, &sqls, &covered_accounts,
                             &window_churners_12m, &intervention_covered}) {
            series->assign(months(), 0);
        }
        for (auto& series : churned_by_reason)
            series.assign(months(), 0);
        for (auto* series :
             {&mrr, &new_mrr, &expansion_mrr, &upsell_mrr, &cross_sell_mrr, &contraction_mrr,
              &churned_mrr, &reactivation_mrr, &bad_debt, &retained_mrr_12m, &capped_mrr_12m,
              &hunted_mrr, &hunter_cost, &farmer_cost, &upfront_billings, &prepaid_revenue,
              &intervention_cost}) {
            series->assign(months(), 0.0);
        }
    }

    std::size_t months() const { return static_cast<std::size_t>(horizon) + 1; }

    // Customers of cohort c (acquired in month c) active at the end of month m, and their MRR.
    std::int64_t& cohort_active_at(std::size_t c, std::size_t m) {
        return cohort_active[c * months() + m];
    }
    std::int64_t cohort_active_at(std::size_t c, std::size_t m) const {
        return cohort_active[c * months() + m];
    }
    double cohort_mrr_at(std::size_t c, std::size_t m) const {
        return cohort_mrr[c * months() + m];
    }

    int horizon;
    std::vector<std::int64_t> active;  // end of month
    std::vector<std::int64_t> new_customers;
    std::vector<std::int64_t> churned;
    std::vector<std::int64_t> reactivated;
    std::vector<std::int64_t> saved;  // by the save desk, at renewal
    std::vector<std::int64_t> cured;  // onboarding intent dropped because it activated in time
    std::array<std::vector<std::int64_t>, churn_reason_count> churned_by_reason;
    // Of the customers active at the end of month max(0, m - 12), those who churned at least once
    // in months max(0, m - 12) + 1 .. m (won back since or not): the 12-month logo churn.
    std::vector<std::int64_t> window_churners_12m;
    std::vector<double> mrr;  // end of month
    std::vector<double> new_mrr;
    std::vector<double> expansion_mrr;  // usage growth
    std::vector<double> upsell_mrr;
    std::vector<double> cross_sell_mrr;
    std::vector<double> contraction_mrr;  // downgrades and usage decline
    std::vector<double> churned_mrr;
    std::vector<double> reactivation_mrr;
    std::vector<double> bad_debt;  // unpaid remainder of terms ended by unavoidable churn
    // Of the customers active at the end of month max(0, m - 12): their MRR now, and the sum of
    // min(MRR now, MRR then), for NRR and GRR.
    std::vector<double> retained_mrr_12m;
    std::vector<double> capped_mrr_12m;
    // The sales team (docs/model.md section 7): new logos the hunters won (part of new_customers),
    // the lead funnel's stages, accounts the farmers covered, and the cost of each side.
    std::vector<std::int64_t> hunted_customers;
    std::vector<double> hunted_mrr;
    std::vector<std::int64_t> leads;
    std::vector<std::int64_t> mqls;
    std::vector<std::int64_t> sqls;
    std::vector<std::int64_t> covered_accounts;
    std::vector<double> hunter_cost;
    std::vector<double> farmer_cost;
    // The declared mechanisms' series (engine/mechanisms/registry.hpp), in registry order, each
    // H+1 values.
    std::vector<std::vector<double>> mechanism_series;
    // Upfront billing (docs/model.md 11.1): term x MRR invoiced in the month a term starts, and
    // the revenue of each month that an earlier invoice paid for (month 0: before the run).
    std::vector<double> upfront_billings;
    std::vector<double> prepaid_revenue;
    double opening_deferred_revenue = 0.0;
    // Retention programmes (docs/model.md 11.6): accounts covered in the month and what they
    // cost, summed over the programmes, then by programme (in the scenario's order).
    std::vector<std::int64_t> intervention_covered;
    std::vector<double> intervention_cost;
    std::vector<std::vector<std::int64_t>> programme_covered;
    std::vector<std::vector<double>> programme_cost;
    // [finance], for profit, cash and NPV.
    double gross_margin = 0.8;                // of revenue
    double cost_to_serve = 0.0;               // currency per paying customer-month
    double discount_rate = 0.1;               // annual
    std::vector<std::int64_t> cohort_active;  // (cohort, month), zero before the cohort exists
    std::vector<double> cohort_mrr;           // (cohort, month)
    std::int64_t customer_months = 0;         // renewal decisions simulated
};

}  // namespace cohortsim
