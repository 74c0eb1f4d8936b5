#include "win_back.hpp"

#include <cmath>

#include "cohortsim/random.hpp"
#include "net_retention.hpp"
#include "retention.hpp"

namespace cohortsim {

void WinBack::apply(Population& population, Ledger& ledger, int month,
                    std::vector<std::uint32_t>& returned) const {
    returned.clear();
    if (!params_.enabled) return;
    // Those still on file, in a branch-free pass over one narrow column (lapsed_until is 0 for
    // every active customer); then, of those, who comes back, compacted in place.
    const std::size_t n = population.size();
    returned.resize(n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        returned[count] = static_cast<std::uint32_t>(i);
        count += static_cast<std::size_t>(population.lapsed_until[i] >= month);
    }
    std::size_t back = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = returned[k];
        // Lapsed this month or earlier (not the month it left).
        if (!population.is_churned(i) || population.lapsed_until[i] == month + params_.months) {
            continue;
        }
        KeyedStream stream(monthly_stream_key(population.key[i], Purpose::win_back, month));
        if (!(uniform_open01(stream) < params_.monthly_probability)) continue;
        if (population.tracks_history) {
            const int left = population.lapsed_until[i] - params_.months;
            NetRetention::forget_lapsed_months(population, i, left, month);
        }
        population.budget[i] =
            RetentionModel::fresh_budget(population.key[i], Purpose::reactivation_budget, month);
        population.propensity_hazard[i] = std::abs(population.propensity_hazard[i]);
        population.intent[i] = 0;
        population.lapsed_until[i] = 0;
        population.mrr[i] *= params_.mrr_fraction;
        --population.churned_unswept;
        ledger.reactivate(population.cohort[i], population.mrr[i], month);
        returned[back++] = static_cast<std::uint32_t>(i);
    }
    returned.resize(back);
}

}  // namespace cohortsim
