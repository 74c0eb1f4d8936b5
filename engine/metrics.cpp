#include "metrics.hpp"

#include <algorithm>

namespace cohortsim {

namespace {}  // namespace

double window_logo_churn_rate(const ReplicationRecord& record, std::size_t start, std::size_t end) {
    std::int64_t at_start = 0;
    std::int64_t still_active = 0;
    for (std::size_t c = 0; c <= start; ++c) {
        at_start += record.cohort_active_at(c, start);
        still_active += record.cohort_active_at(c, end);
    }
    return ratio_or_zero(static_cast<double>(at_start - still_active),
                         static_cast<double>(at_start));
}

namespace {

// MRR gained from existing customers in a month, and MRR lost: the two sides of net churn
// (seed 002) and of the quick ratio.
double expansion_side(const ReplicationRecord& r, std::size_t m) {
    return r.expansion_mrr[m] + r.upsell_mrr[m] + r.cross_sell_mrr[m] + r.reactivation_mrr[m];
}
double loss_side(const ReplicationRecord& r, std::size_t m) {
    return r.churned_mrr[m] + r.contraction_mrr[m];
}

// Of the MRR at the end of the window's first month, what the same customers bring now.
void trailing_ratio(const std::vector<double>& numerator, const ReplicationRecord& r,
                    std::span<double> out) {
    for (std::size_t m = 0; m < out.size(); ++m) {
        const std::size_t start = trailing_window_start(m);
        out[m] = ratio_or_zero(numerator[m], r.mrr[start]);
    }
}

void net_mrr_churn_rate(const ReplicationRecord& r, std::span<double> out) {
    out[0] = 0.0;
    for (std::size_t m = 1; m < out.size(); ++m) {
        out[m] = ratio_or_zero(loss_side(r, m) - expansion_side(r, m), r.mrr[m - 1]);
    }
}

}  // namespace

const std::vector<MetricDefinition>& metric_definitions() {
    using R = ReplicationRecord;
    static const std::vector<MetricDefinition> definitions = {
        series({"active_customers", "customers", "customers active at the end of the month"},
               &R::active),
        series({"new_customers", "customers/month", "new logos acquired during the month"},
               &R::new_customers),
        series({"churned_customers", "customers/month", "logos lost during the month, all reasons"},
               &R::churned),
        series({"reactivated_customers", "customers/month", "lost logos won back during the month"},
               &R::reactivated),
        series({"saved_customers", "customers/month",
                "customers about to leave at renewal whom the save desk kept"},
               &R::saved),
        series({"cured_intents", "customers/month",
                "customers whose onboarding churn intent was dropped at renewal because they had "
                "activated since"},
               &R::cured),
        series({"mrr", "currency/month", "monthly recurring revenue at the end of the month"},
               &R::mrr),
        series({"new_mrr", "currency/month", "starting MRR of the logos acquired during the month"},
               &R::new_mrr),
        series({"expansion_mrr", "currency/month", "MRR gained from usage growth during the month"},
               &R::expansion_mrr),
        series({"upsell_mrr", "currency/month", "MRR gained from tier upgrades during the month"},
               &R::upsell_mrr),
        series({"cross_sell_mrr", "currency/month",
                "MRR gained from add-on products adopted during the month"},
               &R::cross_sell_mrr),
        series({"contraction_mrr", "currency/month",
                "MRR lost by customers who stay: downgrades and usage decline"},
               &R::contraction_mrr),
        series({"churned_mrr", "currency/month", "MRR of the logos lost during the month"},
               &R::churned_mrr),
        series({"reactivation_mrr", "currency/month", "MRR of the logos won back during the month"},
               &R::reactivation_mrr),
        series({"bad_debt", "currency/month",
                "unpaid remainder of contract terms ended by unavoidable churn during the month"},
               &R::bad_debt),
        {{"arr", "currency/year", "annual run rate: 12 x MRR at the end of the month"},
         [](const R& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = 12.0 * r.mrr[m];
         }},
        {{"revenue", "currency/month",
          "subscription revenue of the month: customers pay the MRR they had at its start"},
         [](const R& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = revenue_of_month(r, m);
         }},
        {{"logo_churn_rate", "1/month",
          "logos lost during the month / logos active at the end of the previous month "
          "(new logos join at month end, so none is counted)"},
         [](const R& r, std::span<double> out) {
             out[0] = 0.0;
             for (std::size_t m = 1; m < out.size(); ++m) {
                 out[m] = window_logo_churn_rate(r, m - 1, m);
             }
         }},
        {{"logo_churn_rate_12m", "1",
          "share of the logos active 12 months earlier (or at month 0, in the first year) that "
          "are gone by the end of the month; logos acquired inside the window are excluded"},
         [](const R& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m) {
                 out[m] = window_logo_churn_rate(r, trailing_window_start(m), m);
             }
         }},
        {{"gross_mrr_churn_rate", "1/month",
          "(churned MRR + contraction) / MRR at the end of the previous month"},
         [](const R& r, std::span<double> out) {
             out[0] = 0.0;
             for (std::size_t m = 1; m < out.size(); ++m) {
                 out[m] = ratio_or_zero(loss_side(r, m), r.mrr[m - 1]);
             }
         }},
        {{"net_mrr_churn_rate", "1/month",
          "(churned + contraction - expansion - upsell - cross-sell - reactivation MRR) / MRR at "
          "the end of the previous month; negative = net negative churn"},
         net_mrr_churn_rate},
        {{"nrr", "1",
          "net revenue retention, trailing 12 months (or since month 0 in the first year): MRR "
          "now of the customers active at the window's start / their MRR then"},
         [](const R& r, std::span<double> out) { trailing_ratio(r.retained_mrr_12m, r, out); }},
        {{"grr", "1",
          "gross revenue retention, trailing 12 months: as NRR with each customer's MRR capped "
          "at its value at the window's start"},
         [](const R& r, std::span<double> out) { trailing_ratio(r.capped_mrr_12m, r, out); }},
        {{"quick_ratio", "1",
          "SaaS quick ratio: (new + expansion + upsell + cross-sell + reactivation MRR) / "
          "(churned + contraction MRR); 0 in a month that lost nothing"},
         [](const R& r, std::span<double> out) {
             out[0] = 0.0;
             for (std::size_t m = 1; m < out.size(); ++m) {
                 out[m] = ratio_or_zero(r.new_mrr[m] + expansion_side(r, m), loss_side(r, m));
             }
         }},
    };
    static const std::vector<MetricDefinition> all = [] {
        std::vector<MetricDefinition> joined = definitions;
        const std::vector<MetricDefinition> team = sales_team_metrics();
        joined.insert(joined.end(), team.begin(), team.end());
        return joined;
    }();
    return all;
}

const std::vector<KpiDefinition>& kpi_definitions() {
    static const std::vector<KpiDefinition> definitions = {
        {{"first_net_negative_churn_month", "month",
          "first month whose net MRR churn rate is below 0 (seed 002: net negative churn); -1 "
          "when it never is within the horizon"},
         [](const ReplicationRecord& r) {
             std::vector<double> rate(r.months());
             net_mrr_churn_rate(r, rate);
             for (std::size_t m = 1; m < rate.size(); ++m) {
                 if (rate[m] < 0.0) return static_cast<double>(m);
             }
             return undefined_kpi;
         }},
        {{"first_nrr_above_one_month", "month",
          "first month whose trailing-12-month NRR exceeds 1: net negative churn over a year, as "
          "boards read it; -1 when it never does within the horizon"},
         [](const ReplicationRecord& r) {
             std::vector<double> nrr(r.months());
             trailing_ratio(r.retained_mrr_12m, r, nrr);
             for (std::size_t m = 1; m < nrr.size(); ++m) {
                 if (nrr[m] > 1.0) return static_cast<double>(m);
             }
             return undefined_kpi;
         }},
    };
    return definitions;
}

}  // namespace cohortsim
