#include "net_retention.hpp"

#include <algorithm>
#include <array>

namespace cohortsim {

namespace {
constexpr int window_months = 12;
std::size_t slot(int month) {
    return static_cast<std::size_t>(month % window_months);
}
}  // namespace

void NetRetention::close_month(Population& population, Ledger& ledger, int month) const {
    const int start = std::max(0, month - window_months);
    double retained = 0.0;
    double capped = 0.0;
    if (!per_customer_) {
        const ReplicationRecord& record = ledger.record();
        for (int c = 0; c <= start; ++c)
            retained += record.cohort_mrr_at(c, month);
        capped = retained;
    } else {
        // Read the month the window starts from before this month overwrites its slot (the
        // same one from month 12 on). Branch-free over raw columns, with four partial sums in
        // a fixed order: one running sum made this pass wait on every addition.
        const std::size_t n = population.size();
        const double* mrr = population.mrr.data();
        const double* budget = population.budget.data();
        const float* then_column = population.mrr_history[slot(start)].data();
        float* now_column = population.mrr_history[slot(month)].data();
        // One customer into one lane's sums. A customer away (churned, perhaps won back
        // later) has 0 for every month it is away, so a win-back, however late, never finds an
        // old month's MRR in its slots.
        const auto add = [&](std::size_t i, double& lane_retained, double& lane_capped) {
            if (budget[i] == Population::churned_mark) {
                now_column[i] = 0.0F;
                return;
            }
            const double now = mrr[i];
            const double then = then_column[i];
            const bool counted = then > 0.0;
            lane_retained += counted ? now : 0.0;
            lane_capped += counted ? std::min(now, then) : 0.0;
            now_column[i] = static_cast<float>(now);
        };
        std::array<double, 4> lane_retained{};
        std::array<double, 4> lane_capped{};
        std::size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            add(i, lane_retained[0], lane_capped[0]);
            add(i + 1, lane_retained[1], lane_capped[1]);
            add(i + 2, lane_retained[2], lane_capped[2]);
            add(i + 3, lane_retained[3], lane_capped[3]);
        }
        for (; i < n; ++i)
            add(i, lane_retained[0], lane_capped[0]);
        for (std::size_t lane = 0; lane < 4; ++lane) {
            retained += lane_retained[lane];
            capped += lane_capped[lane];
        }
    }
    ledger.retention_12m(month, retained, capped);
}

}  // namespace cohortsim
