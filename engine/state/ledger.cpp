#include "ledger.hpp"

namespace cohortsim {

void Ledger::move(MrrMovement movement, int cohort, double change, int month) {
    mrr_ += change;
    mrr_by_cohort_[cohort] += change;
    switch (movement) {
        case MrrMovement::upsell:
            record_.upsell_mrr[month] += change;
            break;
        case MrrMovement::cross_sell:
            record_.cross_sell_mrr[month] += change;
            break;
        case MrrMovement::contraction:
            record_.contraction_mrr[month] -= change;
            break;
        case MrrMovement::price:
            if (change >= 0.0)
                record_.expansion_mrr[month] += change;
            else
                record_.contraction_mrr[month] -= change;
            break;
    }
}

void Ledger::close_month(int month) {
    record_.active[month] = active_;
    record_.mrr[month] = mrr_;
    const auto m = static_cast<std::size_t>(month);
    for (std::size_t c = 0; c <= m; ++c) {
        record_.cohort_active[c * record_.months() + m] = active_by_cohort_[c];
        record_.cohort_mrr[c * record_.months() + m] = mrr_by_cohort_[c];
    }
    if (counts_returns_) {
        window_churners_ += window_churners_change_[m];
        record_.window_churners_12m[m] = window_churners_;
        return;
    }
    // Nobody comes back: of the cohorts there at the window's start, those no longer there.
    const std::size_t start = trailing_window_start(m);
    std::int64_t gone = 0;
    for (std::size_t c = 0; c <= start; ++c)
        gone += record_.cohort_active_at(c, start) - record_.cohort_active_at(c, m);
    record_.window_churners_12m[m] = gone;
}

}  // namespace cohortsim
