#include "net_retention.hpp"

#include <algorithm>

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
        // Read the month the window starts from before this month overwrites its slot.
        for (std::size_t i = 0; i < population.size(); ++i) {
            MrrHistory& history = population.mrr_history[i];
            if (population.is_churned(i)) continue;
            const double now = population.mrr[i];
            const double then = history[slot(start)];
            if (then > 0.0) {
                retained += now;
                capped += std::min(now, then);
            }
            history[slot(month)] = static_cast<float>(now);
        }
    }
    ledger.retention_12m(month, retained, capped);
}

void NetRetention::forget_lapsed_months(Population& population, std::size_t i, int left_month,
                                        int month) {
    for (int m = std::max(left_month, month - window_months + 1); m < month; ++m) {
        population.mrr_history[i][slot(m)] = 0.0F;
    }
}

}  // namespace cohortsim
