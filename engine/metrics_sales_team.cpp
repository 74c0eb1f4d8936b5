// The sales team's metrics and the unit economics of MODEL.md section 8: sales cost split into
// hunters and farmers, CAC over the hunters only (farmer cost excluded, as Bessemer does), CAC
// payback, LTV and LTV:CAC, and gross-margin-adjusted profit.

#include <algorithm>
#include <cmath>

#include "metrics.hpp"

namespace cohortsim {

namespace {

// Expected customer lifetime is capped, as SaaS finance does (a customer that never churned in
// the window would otherwise live forever).
constexpr double max_lifetime_months = 60.0;

double sales_cost(const ReplicationRecord& r, std::size_t m) {
    return r.hunter_cost[m] + r.farmer_cost[m];
}

double profit(const ReplicationRecord& r, std::size_t m) {
    return revenue_of_month(r, m) * r.gross_margin - sales_cost(r, m);
}

// Over the logos the hunters won: inbound logos (acquisition.new_per_month) carry no modelled
// cost, and counting them would make any team look cheap.
double cac(const ReplicationRecord& r, std::size_t m) {
    return ratio_or_zero(r.hunter_cost[m], static_cast<double>(r.hunted_customers[m]));
}

// Sum of a series over the trailing window ending at month m (months 1..m in the first year).
template <typename T>
double trailing_sum(const std::vector<T>& series, std::size_t m) {
    double sum = 0.0;
    for (std::size_t k = trailing_window_start(m) + 1; k <= m; ++k)
        sum += static_cast<double>(series[k]);
    return sum;
}

// ARPA x gross margin x lifetime, the lifetime from the monthly logo churn implied by the
// trailing window's (customers of month `start` lost by month m).
double ltv(const ReplicationRecord& r, std::size_t m) {
    const std::size_t start = trailing_window_start(m);
    const double window_churn = window_logo_churn_rate(r, start, m);
    const double months = static_cast<double>(m - start);
    const double monthly_churn =
        months > 0.0 ? -std::expm1(std::log1p(-window_churn) / months) : 0.0;
    const double lifetime =
        monthly_churn > 1.0 / max_lifetime_months ? 1.0 / monthly_churn : max_lifetime_months;
    const double arpa = ratio_or_zero(r.mrr[m], static_cast<double>(r.active[m]));
    return arpa * r.gross_margin * lifetime;
}

MetricDefinition per_month(MetricInfo info,
                           double (*value)(const ReplicationRecord&, std::size_t)) {
    return {std::move(info), [value](const ReplicationRecord& r, std::span<double> out) {
                for (std::size_t m = 0; m < out.size(); ++m)
                    out[m] = value(r, m);
            }};
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
                   "capacity / accounts) unless at-risk targeting finds fewer eligible"},
                  [](const R& r, std::size_t m) {
                      return m == 0 ? 0.0
                                    : ratio_or_zero(static_cast<double>(r.covered_accounts[m]),
                                                    static_cast<double>(r.active[m - 1]));
                  }),
        per_month({"cac", "currency/customer",
                   "customer acquisition cost: hunter cost / logos the hunters won in the month "
                   "(farmer cost excluded, as Bessemer does; inbound logos, which cost nothing "
                   "here, excluded too); 0 in a month without hunted logos"},
                  cac),
        series({"hunted_mrr", "currency/month",
                "starting MRR of the logos the hunters won during the month (part of new_mrr)"},
               &R::hunted_mrr),
        per_month({"cac_payback_months", "months",
                   "hunter cost / (hunted MRR x gross margin): months of the hunted logos' gross "
                   "margin that repay what winning them cost; 0 in a month without hunted MRR"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_zero(r.hunter_cost[m], r.hunted_mrr[m] * r.gross_margin);
                  }),
        per_month({"cac_12m", "currency/customer",
                   "CAC over the trailing 12 months (months 1 to now in the first year): their "
                   "hunter cost / their hunted logos; steadier than the monthly cac"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_zero(trailing_sum(r.hunter_cost, m),
                                           trailing_sum(r.hunted_customers, m));
                  }),
        per_month({"cac_payback_months_12m", "months",
                   "CAC payback over the trailing 12 months: their hunter cost / (their hunted "
                   "MRR x gross margin)"},
                  [](const R& r, std::size_t m) {
                      return ratio_or_zero(trailing_sum(r.hunter_cost, m),
                                           trailing_sum(r.hunted_mrr, m) * r.gross_margin);
                  }),
        per_month({"ltv", "currency/customer",
                   "lifetime value: MRR per active customer x gross margin x expected lifetime, "
                   "the lifetime 1 / monthly logo churn (from the trailing 12 months' logo churn) "
                   "capped at 60 months"},
                  ltv),
        per_month({"ltv_to_cac", "1", "LTV / CAC; 3 or more is healthy; 0 when CAC is 0"},
                  [](const R& r, std::size_t m) { return ratio_or_zero(ltv(r, m), cac(r, m)); }),
        per_month({"profit", "currency/month",
                   "gross-margin-adjusted profit: revenue x gross margin - sales cost"},
                  profit),
        {{"cumulative_profit", "currency", "profit summed over months 1 to this one"},
         [](const R& r, std::span<double> out) {
             double total = 0.0;
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = total += profit(r, m);
         }},
    };
}

}  // namespace cohortsim
