#include "metrics.hpp"

#include <algorithm>

namespace cohortsim {

namespace {

double ratio_or_zero(double numerator, double denominator) {
    return denominator > 0.0 ? numerator / denominator : 0.0;
}

template <typename T>
void copy_series(const std::vector<T>& series, std::span<double> out) {
    std::transform(series.begin(), series.end(), out.begin(),
                   [](T value) { return static_cast<double>(value); });
}

// A flow over the stock at the end of the previous month; 0 at month 0.
template <typename Flow, typename Stock>
void rate_of_previous_stock(const std::vector<Flow>& flow, const std::vector<Stock>& stock,
                            std::span<double> out) {
    out[0] = 0.0;
    for (std::size_t m = 1; m < out.size(); ++m) {
        out[m] = ratio_or_zero(static_cast<double>(flow[m]), static_cast<double>(stock[m - 1]));
    }
}

constexpr std::size_t trailing_window_months = 12;

}  // namespace

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

const std::vector<MetricDefinition>& metric_definitions() {
    static const std::vector<MetricDefinition> definitions = {
        {{"active_customers", "customers", "customers active at the end of the month"},
         [](const ReplicationRecord& r, std::span<double> out) { copy_series(r.active, out); }},
        {{"new_customers", "customers/month", "new logos acquired during the month"},
         [](const ReplicationRecord& r, std::span<double> out) {
             copy_series(r.new_customers, out);
         }},
        {{"churned_customers", "customers/month", "logos lost during the month, all reasons"},
         [](const ReplicationRecord& r, std::span<double> out) { copy_series(r.churned, out); }},
        {{"mrr", "currency/month", "monthly recurring revenue at the end of the month"},
         [](const ReplicationRecord& r, std::span<double> out) { copy_series(r.mrr, out); }},
        {{"new_mrr", "currency/month", "starting MRR of the logos acquired during the month"},
         [](const ReplicationRecord& r, std::span<double> out) { copy_series(r.new_mrr, out); }},
        {{"churned_mrr", "currency/month", "MRR of the logos lost during the month"},
         [](const ReplicationRecord& r, std::span<double> out) {
             copy_series(r.churned_mrr, out);
         }},
        {{"arr", "currency/year", "annual run rate: 12 x MRR at the end of the month"},
         [](const ReplicationRecord& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m)
                 out[m] = 12.0 * r.mrr[m];
         }},
        {{"logo_churn_rate", "1/month",
          "logos lost during the month / logos active at the end of the previous month "
          "(new logos join at month end, so none is counted)"},
         [](const ReplicationRecord& r, std::span<double> out) {
             out[0] = 0.0;
             for (std::size_t m = 1; m < out.size(); ++m) {
                 out[m] = window_logo_churn_rate(r, m - 1, m);
             }
         }},
        {{"logo_churn_rate_12m", "1",
          "share of the logos active 12 months earlier (or at month 0, in the first year) that "
          "are gone by the end of the month; logos acquired inside the window are excluded"},
         [](const ReplicationRecord& r, std::span<double> out) {
             for (std::size_t m = 0; m < out.size(); ++m) {
                 const std::size_t start =
                     m > trailing_window_months ? m - trailing_window_months : 0;
                 out[m] = window_logo_churn_rate(r, start, m);
             }
         }},
        {{"gross_mrr_churn_rate", "1/month",
          "(churned MRR + contraction) / MRR at the end of the previous month"},
         [](const ReplicationRecord& r, std::span<double> out) {
             rate_of_previous_stock(r.churned_mrr, r.mrr, out);
         }},
    };
    return definitions;
}

}  // namespace cohortsim
