// Profit, cash and NPV (docs/model.md 11.3): what revenue leaves once it has paid for serving the
// customers, the sales team and the retention levers, when the money comes in, and what the flow
// is worth today. Month 0 is the starting state: every flow is 0 there.

#include <cmath>

#include "metrics.hpp"
#include "registry.hpp"

namespace cohortsim {

namespace {

// The declared mechanisms' costs, as positions among the record's declared series.
const std::vector<std::size_t>& cost_series() {
    static const std::vector<std::size_t> positions = [] {
        std::vector<std::size_t> costs;
        const std::vector<DeclaredSeries> declared = declared_series();
        for (std::size_t k = 0; k < declared.size(); ++k)
            if (declared[k].cost) costs.push_back(k);
        return costs;
    }();
    return positions;
}

double retention_cost(const ReplicationRecord& r, std::size_t m) {
    double total = r.intervention_cost[m];
    for (const std::size_t k : cost_series())
        total += r.mechanism_series[k][m];
    return total;
}

double sales_cost(const ReplicationRecord& r, std::size_t m) {
    return r.hunter_cost[m] + r.farmer_cost[m];
}

// Customers paying in month m: those active at its start.
double customers_served(const ReplicationRecord& r, std::size_t m) {
    return m == 0 ? 0.0 : static_cast<double>(r.active[m - 1]);
}

double cost_of_revenue(const ReplicationRecord& r, std::size_t m) {
    return revenue_of_month(r, m) * (1.0 - r.gross_margin) +
           r.cost_to_serve * customers_served(r, m);
}

double gross_profit(const ReplicationRecord& r, std::size_t m) {
    return revenue_of_month(r, m) - cost_of_revenue(r, m);
}

double operating_profit(const ReplicationRecord& r, std::size_t m) {
    return gross_profit(r, m) - sales_cost(r, m) - retention_cost(r, m);
}

// Monthly billing collects the month's revenue; an upfront invoice collects the term at once,
// and the months it paid for collect only the changes of MRR since (billed monthly).
double cash_collected(const ReplicationRecord& r, std::size_t m) {
    if (m == 0) return 0.0;
    return revenue_of_month(r, m) - r.prepaid_revenue[m] + r.upfront_billings[m];
}

double operating_cash_flow(const ReplicationRecord& r, std::size_t m) {
    if (m == 0) return 0.0;
    return cash_collected(r, m) - cost_of_revenue(r, m) - sales_cost(r, m) - retention_cost(r, m);
}

// Months 1..m of a flow.
MetricDefinition cumulative(MetricInfo info,
                            double (*flow)(const ReplicationRecord&, std::size_t)) {
    return {std::move(info), [flow](const ReplicationRecord& r, std::span<double> out) {
                double total = 0.0;
                for (std::size_t m = 0; m < out.size(); ++m)
                    out[m] = m == 0 ? 0.0 : total += flow(r, m);
            }};
}

}  // namespace

std::vector<MetricDefinition> finance_metrics() {
    using R = ReplicationRecord;
    return {
        per_month({"retention_cost", "currency/month",
                   "what the retention and expansion levers cost in the month: the sum of the "
                   "cost_* metrics (onboarding, save desk, win-back, upsell, cross-sell, the "
                   "retention programmes); the sales team's cost is sales_cost"},
                  retention_cost),
        series({"cost_interventions", "currency/month",
                "what the retention programmes ([interventions]) cost in the month: covered "
                "accounts x cost_per_account_month + cost_per_month while running + new logos x "
                "cost_per_new_customer"},
               &R::intervention_cost),
        series({"covered_by_interventions", "account-months",
                "accounts the retention programmes covered in the month, summed over the "
                "programmes (an account two programmes cover counts twice)"},
               &R::intervention_covered),
        per_month({"cost_of_revenue", "currency/month",
                   "revenue x (1 - gross margin) + cost to serve x customers paying in the month "
                   "(active at its start)"},
                  cost_of_revenue),
        per_month({"gross_profit", "currency/month", "revenue - cost of revenue"}, gross_profit),
        per_month(
            {"operating_profit", "currency/month", "gross profit - sales cost - retention cost"},
            operating_profit),
        cumulative({"cumulative_operating_profit", "currency",
                    "operating profit summed over months 1 to this one"},
                   operating_profit),
        series({"upfront_billings", "currency/month",
                "invoiced upfront in the month: term x MRR of every customer on an upfront term "
                "whose term starts in it (joining, renewing, coming back)"},
               &R::upfront_billings),
        series({"prepaid_revenue", "currency/month",
                "revenue of the month already paid by an earlier upfront invoice (at the MRR "
                "invoiced; changes since are billed monthly)"},
               &R::prepaid_revenue),
        per_month({"cash_collected", "currency/month",
                   "money received in the month: revenue - prepaid revenue + upfront billings "
                   "(monthly billing collects the month's revenue)"},
                  cash_collected),
        {{"deferred_revenue", "currency",
          "billed but not yet earned at the end of the month: what customers paid before the run "
          "for months after it + cumulative cash collected - cumulative revenue (months 1 to this "
          "one); a term ended early by unavoidable churn stays paid, not refunded"},
         [](const R& r, std::span<double> out) {
             double balance = r.opening_deferred_revenue;
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = balance += cash_collected(r, m) - revenue_of_month(r, m);
         }},
        per_month({"operating_cash_flow", "currency/month",
                   "cash collected - cost of revenue - sales cost - retention cost"},
                  operating_cash_flow),
        cumulative(
            {"cumulative_cash", "currency", "operating cash flow summed over months 1 to this one"},
            operating_cash_flow),
        {{"npv", "currency",
          "net present value of the operating cash flow of months 1 to this one: the sum of "
          "flow[k] / (1 + discount rate)^(k/12)"},
         [](const R& r, std::span<double> out) {
             const double monthly_log = std::log1p(r.discount_rate) / 12.0;
             double total = 0.0;
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = m == 0 ? 0.0
                                 : total += operating_cash_flow(r, m) *
                                            std::exp(-monthly_log * static_cast<double>(m));
         }},
        cumulative(
            {"cumulative_lever_cost", "currency",
             "what the levers cost over months 1 to this one: sales cost + retention cost "
             "(the cost a comparison's ROI divides by)"},
            [](const R& r, std::size_t m) { return sales_cost(r, m) + retention_cost(r, m); }),
    };
}

}  // namespace cohortsim
