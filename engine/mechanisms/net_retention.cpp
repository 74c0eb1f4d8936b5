#include "net_retention.hpp"

#include <algorithm>
#include <cstring>

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
        // same one from month 12 on).
        const std::size_t n = population.size();
        const double* mrr = population.mrr.data();
        const double* budget = population.budget.data();
        const float* then_column = population.mrr_history[slot(start)].data();
        float* now_column = population.mrr_history[slot(month)].data();
        // One customer (doubles) or two (pairs), into the sums; returns its MRR now. A customer
        // away (churned, perhaps won back later) counts 0 now, and has 0 in its history for
        // every month it is away, so a win-back, however late, never finds an old month's MRR
        // there. MRR is never negative: one that was away then adds min(now, 0) = 0 to the
        // capped sum.
        const auto add = [](auto budget_now, auto mrr_now, auto then, auto zero, auto churned,
                            auto& retained_sum, auto& capped_sum) {
            const auto now = budget_now != churned ? mrr_now : zero;
            retained_sum += then > zero ? now : zero;
            capped_sum += now < then ? now : then;
            return now;
        };
        // Two customers at a time in SSE2's pairs of doubles: selects become blends, and the
        // pass (every customer, every month) runs at twice the scalar speed.
        using Pair = double __attribute__((vector_size(16)));
        using FloatPair = float __attribute__((vector_size(8)));
        const Pair churned = {Population::churned_mark, Population::churned_mark};
        Pair retained_pair = {0.0, 0.0};
        Pair capped_pair = {0.0, 0.0};
        std::size_t i = 0;
        for (; i + 2 <= n; i += 2) {
            Pair budget_now;
            Pair mrr_now;
            FloatPair then;
            std::memcpy(&budget_now, budget + i, sizeof(budget_now));
            std::memcpy(&mrr_now, mrr + i, sizeof(mrr_now));
            std::memcpy(&then, then_column + i, sizeof(then));
            const Pair now = add(budget_now, mrr_now, __builtin_convertvector(then, Pair),
                                 Pair{0.0, 0.0}, churned, retained_pair, capped_pair);
            const FloatPair now_float = __builtin_convertvector(now, FloatPair);
            std::memcpy(now_column + i, &now_float, sizeof(now_float));
        }
        retained = retained_pair[0] + retained_pair[1];
        capped = capped_pair[0] + capped_pair[1];
        for (; i < n; ++i) {
            now_column[i] = static_cast<float>(add(budget[i], mrr[i], double{then_column[i]}, 0.0,
                                                   Population::churned_mark, retained, capped));
        }
    }
    ledger.retention_12m(month, retained, capped);
}

}  // namespace cohortsim
