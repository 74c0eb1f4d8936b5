#include "metrics.hpp"

#include <algorithm>

#include "registry.hpp"

namespace cohortsim {

double logo_churn_rate_12m(const ReplicationRecord& record, std::size_t m) {
    return ratio_or_undefined(static_cast<double>(record.window_churners_12m[m]),
                              static_cast<double>(record.active[trailing_window_start(m)]));
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

// Of the MRR at the end of the window's first month, what the same customers bring now. At
// month 0 the window is empty and keeps everything: 1, whatever the levers (NaN without MRR).
void trailing_ratio(const std::vector<double>& numerator, const ReplicationRecord& r,
                    std::span<double> out) {
    out[0] = ratio_or_undefined(r.mrr[0], r.mrr[0]);
    for (std::size_t m = 1; m < out.size(); ++m) {
        const std::size_t start = trailing_window_start(m);
        out[m] = ratio_or_undefined(numerator[m], r.mrr[start]);
    }
}

// A rate of the month's flows over a stock at the end of the month before: none at month 0.
template <typename Rate>
void monthly_rate(std::span<double> out, Rate rate) {
    out[0] = undefined_number;
    for (std::size_t m = 1; m < out.size(); ++m)
        out[m] = rate(m);
}

void net_mrr_churn_rate(const ReplicationRecord& r, std::span<double> out) {
    monthly_rate(out, [&r](std::size_t m) {
        return ratio_or_undefined(loss_side(r, m) - expansion_side(r, m), r.mrr[m - 1]);
    });
}

const char* const no_mrr_before =
    "NaN at month 0 and when the MRR at the end of the previous "
    "month was 0";
const char* const no_mrr_at_window_start =
    "NaN when the MRR at the window's start was 0 (nobody was a customer then, e.g. a company "
    "without initial customers in its first year)";

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
        series({"expansion_mrr", "currency/month",
                "MRR gained from usage growth and price rises during the month"},
               &R::expansion_mrr),
        series({"upsell_mrr", "currency/month", "MRR gained from tier upgrades during the month"},
               &R::upsell_mrr),
        series({"cross_sell_mrr", "currency/month",
                "MRR gained from add-on products adopted during the month"},
               &R::cross_sell_mrr),
        series({"contraction_mrr", "currency/month",
                "MRR lost by customers who stay: downgrades, usage decline and price cuts"},
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
          "logos lost during the month / logos active at the end of the previous month; "
          "win-backs are not netted (see reactivated_customers), and new logos join at month end, "
          "so none is counted (docs/model.md 8)",
          "NaN at month 0 and when nobody was active at the end of the previous month"},
         [](const R& r, std::span<double> out) {
             monthly_rate(out, [&r](std::size_t m) {
                 return ratio_or_undefined(static_cast<double>(r.churned[m]),
                                           static_cast<double>(r.active[m - 1]));
             });
         }},
        {{"logo_churn_rate_12m", "1",
          "of the logos active at the end of the month 12 months earlier (month 0 in the first "
          "year), the share that churned at least once since, won back or not; logos acquired "
          "inside the window are excluded (seed 001; docs/model.md 8)",
          "NaN when nobody was active at the window's start"},
         [](const R& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = logo_churn_rate_12m(r, m);
         }},
        {{"gross_mrr_churn_rate", "1/month",
          "(churned MRR + contraction) / MRR at the end of the previous month", no_mrr_before},
         [](const R& r, std::span<double> out) {
             monthly_rate(out, [&r](std::size_t m) {
                 return ratio_or_undefined(loss_side(r, m), r.mrr[m - 1]);
             });
         }},
        {{"net_mrr_churn_rate", "1/month",
          "(churned + contraction - expansion - upsell - cross-sell - reactivation MRR) / MRR at "
          "the end of the previous month; negative = net negative churn",
          no_mrr_before},
         net_mrr_churn_rate},
        {{"nrr", "1",
          "net revenue retention, trailing 12 months (or since month 0 in the first year): MRR "
          "now of the customers active at the window's start / their MRR then; 1 at month 0",
          no_mrr_at_window_start},
         [](const R& r, std::span<double> out) { trailing_ratio(r.retained_mrr_12m, r, out); }},
        {{"grr", "1",
          "gross revenue retention, trailing 12 months: as NRR with each customer's MRR capped "
          "at its value at the window's start; 1 at month 0",
          no_mrr_at_window_start},
         [](const R& r, std::span<double> out) { trailing_ratio(r.capped_mrr_12m, r, out); }},
        {{"quick_ratio", "1",
          "SaaS quick ratio: (new + expansion + upsell + cross-sell + reactivation MRR) / "
          "(churned + contraction MRR)",
          "NaN at month 0 and in a month that lost no MRR"},
         [](const R& r, std::span<double> out) {
             monthly_rate(out, [&r](std::size_t m) {
                 return ratio_or_undefined(r.new_mrr[m] + expansion_side(r, m), loss_side(r, m));
             });
         }},
    };
    static const std::vector<MetricDefinition> all = [] {
        std::vector<MetricDefinition> joined = definitions;
        const std::vector<MetricDefinition> team = sales_team_metrics();
        joined.insert(joined.end(), team.begin(), team.end());
        // Then the declared mechanisms' series and costs, as the record keeps them.
        const std::vector<DeclaredSeries> declared = declared_series();
        for (std::size_t series = 0; series < declared.size(); ++series) {
            joined.push_back({declared[series].info, [series](const R& r, std::span<double> out) {
                                  const std::vector<double>& values = r.mechanism_series[series];
                                  std::copy(values.begin(), values.end(), out.begin());
                              }});
        }
        const std::vector<MetricDefinition> finance = finance_metrics();
        joined.insert(joined.end(), finance.begin(), finance.end());
        return joined;
    }();
    return all;
}

const std::vector<KpiDefinition>& kpi_definitions() {
    static const std::vector<KpiDefinition> definitions = {
        {{"first_net_negative_churn_month", "month",
          "first month whose net MRR churn rate is below 0 (seed 002: net negative churn)",
          "NaN when it never is within the horizon"},
         [](const ReplicationRecord& r) {
             std::vector<double> rate(r.months());
             net_mrr_churn_rate(r, rate);
             for (std::size_t m = 1; m < rate.size(); ++m) {
                 if (rate[m] < 0.0) return static_cast<double>(m);
             }
             return undefined_number;
         }},
        {{"first_nrr_above_one_month", "month",
          "first month whose trailing-12-month NRR exceeds 1: net negative churn over a year, as "
          "boards read it",
          "NaN when it never does within the horizon"},
         [](const ReplicationRecord& r) {
             std::vector<double> nrr(r.months());
             trailing_ratio(r.retained_mrr_12m, r, nrr);
             for (std::size_t m = 1; m < nrr.size(); ++m) {
                 if (nrr[m] > 1.0) return static_cast<double>(m);
             }
             return undefined_number;
         }},
    };
    return definitions;
}

}  // namespace cohortsim
