// The sales team's metrics and the unit economics of docs/model.md section 8: sales cost split into
// hunters and farmers, CAC over the hunters only (farmer cost excluded, as Bessemer does), CAC
// payback, LTV and LTV:CAC. Profit is metrics_finance.cpp's.

#include <algorithm>
#include <cmath>

#include "metrics.hpp"

namespace cohortsim {

namespace {

double sales_cost(const ReplicationRecord& r, std::size_t m) {
    return r.hunter_cost[m] + r.farmer_cost[m];
}

// Over the logos the hunters won: inbound logos (acquisition.new_per_month) carry no modelled
// cost, and counting them would make any team look cheap.
double cac(const ReplicationRecord& r, std::size_t m) {
    return ratio_or_undefined(r.hunter_cost[m], static_cast<double>(r.hunted_customers[m]));
}

// Sum of a series over the trailing window ending at month m (months 1..m in the first year).
template <typename T>
double trailing_sum(const std::vector<T>& series, std::size_t m) {
    double sum = 0.0;
    for (std::size_t k = trailing_window_start(m) + 1; k <= m; ++k)
        sum += static_cast<double>(series[k]);
    return sum;
}

// ARPA x gross margin x lifetime, the lifetime 1 / the monthly logo churn implied by the
// trailing window's. Undefined without churn in the window: no lifetime was observed, and a cap
// would be a number nobody measured.
double ltv(const ReplicationRecord& r, std::size_t m) {
    const std::size_t start = trailing_window_start(m);
    const double window_churn = logo_churn_rate_12m(r, m);
    const double months = static_cast<double>(m - start);
    if (!(window_churn > 0.0) || months == 0.0) return undefined_number;
    const double monthly_churn = -std::expm1(std::log1p(-window_churn) / months);
    const double arpa = ratio_or_undefined(r.mrr[m], static_cast<double>(r.active[m]));
    return arpa * r.gross_margin / monthly_churn;
}

}  // namespace

std::vector<MetricDefinition> sales_team_metrics() {
    using R = ReplicationRecord;
    return {
        series({"hunter_cost", "currency/month",
                "fully loaded cost of the hunters (and of the generalists' hunting time), ramping "
                "hires included"},
               &R::hunter_cost),
        series({"farmer_cost", "currency/month",
                "fully loaded cost of the farmers (and of the generalists' farming time)"},
               &R::farmer_cost),
        per_month({"sales_cost", "currency/month", "hunter cost + farmer cost"}, sales_cost),
        series({"hunted_customers", "customers/month",
                "new logos the hunters won during the month (part of new_customers)"},
               &R::hunted_customers),
        series({"leads", "leads/month", "leads entering the funnel during the month (seed 003)"},
               &R::leads),
        series({"mqls", "leads/month", "leads that became marketing-qualified during the month"},
               &R::mqls),
        series({"sqls", "leads/month", "leads that became sales-qualified during the month"},
               &R::sqls),
        series({"covered_accounts", "customers",
                "accounts a farmer covered during the month, chosen at its start"},
               &R::covered_accounts),
        per_month({"farmer_coverage", "1",
                   "covered accounts / accounts active at the start of the month: min(1, "
                   "capacity / accounts) unless at-risk targeting finds fewer eligible",
                   "NaN at month 0 and when nobody was active at the start of the month"},
                  [](const R& r, std::size_t m) {
                      return m == 0 ? undefined_number
                                    : ratio_or_undefined(static_cast<double>(r.covered_accounts[m]),
                                                         static_cast<double>(r.active[m - 1]));
                  }),
        per_month({"cac", "currency/customer",
                   "customer acquisition cost: hunter cost / logos the hunters won in the month "
                   "(farmer cost excluded, as Bessemer does; inbound logos, which cost nothing "
                   "here, excluded too)",
                   "NaN in a month without hunted logos"},
                  cac),
        series({"hunted_mrr", "currency/month",
                "starting MRR of the logos the hunters won during the month (part of new_mrr)"},
               &R::hunted_mrr),
        per_month({"cac_payback_months", "months",
                   "hunter cost / (hunted MRR x gross margin): months of the hunted logos' gross "
                   "margin that repay what winning them cost",
                   "NaN in a month without hunted MRR (or with a gross margin of 0)"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_undefined(r.hunter_cost[m], r.hunted_mrr[m] * r.gross_margin);
                  }),
        per_month({"cac_12m", "currency/customer",
                   "CAC over the trailing 12 months (months 1 to now in the first year): their "
                   "hunter cost / their hunted logos; steadier than the monthly cac",
                   "NaN when the window has no hunted logo"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_undefined(trailing_sum(r.hunter_cost, m),
                                                trailing_sum(r.hunted_customers, m));
                  }),
        per_month({"cac_payback_months_12m", "months",
                   "CAC payback over the trailing 12 months: their hunter cost / (their hunted "
                   "MRR x gross margin)",
                   "NaN when the window has no hunted MRR (or with a gross margin of 0)"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_undefined(trailing_sum(r.hunter_cost, m),
                                                trailing_sum(r.hunted_mrr, m) * r.gross_margin);
                  }),
        per_month({"ltv", "currency/customer",
                   "lifetime value: MRR per active customer x gross margin x expected lifetime, "
                   "the lifetime 1 / monthly logo churn, the monthly rate implied by the trailing "
                   "12 months' logo churn (logo_churn_rate_12m)",
                   "NaN at month 0, when no logo churned in the window (no lifetime observed) and "
                   "when nobody is active"},
                  ltv),
        per_month(
            {"ltv_to_cac", "1", "LTV / CAC; 3 or more is healthy", "NaN when LTV or CAC is"},
            [](const R& r, std::size_t m) { return ratio_or_undefined(ltv(r, m), cac(r, m)); }),
    };
}

}  // namespace cohortsim
