#pragma once
// NRR and GRR over trailing 12 months (SaaS Capital; docs/model.md section 8): of the customers
// active at the end of month max(0, m - 12), their MRR now over their MRR then; GRR caps each
// customer's MRR now at its MRR then. When no customer's MRR can change and nobody comes back,
// a cohort's MRR is exactly the MRR of its customers who were there, and the per-cohort books
// suffice; otherwise each customer keeps its last 12 months of MRR.

#include "ledger.hpp"
#include "population.hpp"

namespace cohortsim {

class NetRetention {
  public:
    explicit NetRetention(bool per_customer) : per_customer_(per_customer) {}

    bool per_customer() const { return per_customer_; }

    // After the ledger closed the month.
    void close_month(Population& population, Ledger& ledger, int month) const;

  private:
    bool per_customer_;
};

}  // namespace cohortsim
