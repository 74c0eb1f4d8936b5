#include "win_back.hpp"

#include "cohortsim/random.hpp"
#include "hazard_budget.hpp"

namespace cohortsim {

void WinBack::on_churn(const Population& population, std::size_t i, int month,
                       IndexCalendar& due) const {
    KeyedStream stream(monthly_stream_key(population.key[i], Purpose::win_back, month));
    // From the month after it left to the last month on file.
    const int last = month + params_.months;
    const int back = wait_.next_month(month, stream, last + 1);
    if (back <= last) due.add(i, back);
}

void WinBack::apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger, int month,
                    const IndexCalendar& due, std::vector<std::uint32_t>& returned) const {
    returned.clear();
    if (!params_.enabled) return;
    for (const std::uint32_t i : due.at(month)) {
        if (!population.is_churned(i)) continue;  // filed once per lapse, so never stale
        population.come_back(i, month,
                             fresh_budget(population.key[i], Purpose::reactivation_budget, month));
        const double products = add_ons.of(population.products[i]);
        population.mrr[i] = (population.mrr[i] - products) * params_.mrr_fraction + products;
        ledger.reactivate(population.cohort[i], population.mrr[i], month);
        returned.push_back(i);
    }
}

}  // namespace cohortsim
