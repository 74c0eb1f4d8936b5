#pragma once
// Upfront billing (docs/model.md 11.1): a customer on a term billed upfront pays term x MRR in the
// month its term starts (the month it joins, each month it renews, the month it comes back); the
// months that invoice paid for collect only the changes of its MRR since (billed monthly). The
// ledger keeps the invoices and, per month, the revenue they prepaid, from which the metrics
// derive cash collected and deferred revenue. An initial customer on such a term is somewhere in
// it at month 0: what it paid before the run for the months up to its first renewal is opening
// deferred revenue. Customers of today's book are billed monthly.

#include <cstdint>
#include <vector>

#include "arrival.hpp"
#include "contracts.hpp"
#include "index_calendar.hpp"
#include "ledger.hpp"
#include "population.hpp"

namespace cohortsim {

class UpfrontBilling {
  public:
    UpfrontBilling(const Contracts& contracts, int horizon)
        : enabled_(contracts.bills_upfront()), horizon_(horizon) {}
    bool enabled() const { return enabled_; }

    // Customer i joined in `month`, its contract signed: a new logo's first invoice, or an
    // initial customer's prepaid months; then the month of its next invoice is filed in `due`.
    void on_join(Population& population, std::size_t i, const Arrival& arrival, int month,
                 Ledger& ledger, IndexCalendar& due) const;
    // Customer i, back in `month`, starts a new term (Contracts::start_term).
    void on_return(Population& population, std::size_t i, int month, Ledger& ledger,
                   IndexCalendar& due) const;
    // The month's renewals, after they are decided: who stays pays its next term.
    void renewals(Population& population, int month, Ledger& ledger, IndexCalendar& due) const;
    // Customer i left in `month` before the end of what it paid for (unavoidable churn): those
    // months earn nothing, and the payment is not refunded.
    void on_churn(const Population& population, std::size_t i, int month, Ledger& ledger) const;
    // Whether customer i paid its term upfront (so leaving early owes nothing).
    bool prepaid(const Population& population, std::size_t i) const {
        return enabled_ && population.bills_upfront[i] != 0;
    }

  private:
    // Invoices term x MRR in `month` for months month + 1 .. month + term.
    void invoice(Population& population, std::size_t i, int month, Ledger& ledger,
                 IndexCalendar& due) const;
    // Months from .. through (within the horizon) were paid `mrr` each by an invoice.
    void prepay(double mrr, int from, int through, Ledger& ledger) const;

    bool enabled_;
    int horizon_;
};

}  // namespace cohortsim
