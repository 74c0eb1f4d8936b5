#include "upfront_billing.hpp"

#include <algorithm>

namespace cohortsim {

void UpfrontBilling::prepay(double mrr, int from, int through, Ledger& ledger) const {
    for (int month = from; month <= std::min(through, horizon_); ++month)
        ledger.prepay(mrr, month);
}

void UpfrontBilling::invoice(Population& population, std::size_t i, int month, Ledger& ledger,
                             IndexCalendar& due) const {
    const int term = population.term_months[i];
    const double mrr = population.mrr[i];
    ledger.bill_upfront(term * mrr, month);
    prepay(mrr, month + 1, month + term, ledger);
    population.invoiced_mrr[i] = mrr;
    population.paid_through[i] = static_cast<std::uint16_t>(month + term);
    due.add(i, month + term);  // nothing is filed after the horizon
}

void UpfrontBilling::on_join(Population& population, std::size_t i, const Arrival& arrival,
                             int month, Ledger& ledger, IndexCalendar& due) const {
    if (population.bills_upfront[i] == 0) return;
    if (arrival.kind != Arrival::Kind::initial) {
        invoice(population, i, month, ledger, due);
        return;
    }
    // Paid before the run through its first renewal (a whole term when that is month 0).
    const int term = population.term_months[i];
    int first_renewal = Contracts::months_to_renewal(term, population.contract_month(i, month));
    if (first_renewal == 0) first_renewal = term;
    const double mrr = population.mrr[i];
    ledger.prepaid_before_run(first_renewal * mrr);
    prepay(mrr, 1, first_renewal, ledger);
    population.invoiced_mrr[i] = mrr;
    population.paid_through[i] = static_cast<std::uint16_t>(first_renewal);
    due.add(i, first_renewal);
}

void UpfrontBilling::on_return(Population& population, std::size_t i, int month, Ledger& ledger,
                               IndexCalendar& due) const {
    if (population.bills_upfront[i] != 0) invoice(population, i, month, ledger, due);
}

void UpfrontBilling::renewals(Population& population, int month, Ledger& ledger,
                              IndexCalendar& due) const {
    for (const std::uint32_t i : due.at(month)) {
        // Stale: gone, or paid since through another month (it left and came back).
        if (population.is_churned(i) || population.paid_through[i] != month) continue;
        invoice(population, i, month, ledger, due);
    }
}

void UpfrontBilling::on_churn(const Population& population, std::size_t i, int month,
                              Ledger& ledger) const {
    if (!prepaid(population, i)) return;
    prepay(-population.invoiced_mrr[i], month + 1, population.paid_through[i], ledger);
}

}  // namespace cohortsim
