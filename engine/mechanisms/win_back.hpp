#pragma once
// Win-back (seed 002: call the customers who left; a closed account may come back): a customer
// lost for an avoidable reason stays on file for `months`, and each of those months returns
// with `monthly_probability`, its plan at mrr_fraction of the price it paid (a win-back offer;
// its add-ons are products of their own, at their price), with its propensity and products, and
// fresh hazards. The month it returns is drawn when it leaves.

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "index_calendar.hpp"
#include "ledger.hpp"
#include "population.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class WinBack {
  public:
    explicit WinBack(const WinBackParams& params)
        : params_(params),
          wait_(params.enabled ? params.monthly_probability : 0.0,
                params.enabled ? params.months : 0) {}
    bool enabled() const { return params_.enabled; }

    // The last month a customer churned now for `reason` may come back; 0 if never.
    int lapsed_until(ChurnReason reason, int month) const {
        return params_.enabled && reason != ChurnReason::unavoidable ? month + params_.months : 0;
    }

    // Customer i just left in `month` and stays on file (lapsed_until): the month it comes
    // back, a geometric time, is drawn now and filed in `due` if it is while on file.
    void on_churn(const Population& population, std::size_t i, int month, IndexCalendar& due) const;

    // Brings back the lapsed customers filed under this month; `returned` gets their indices
    // so the other mechanisms can set them up again.
    void apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger, int month,
               const IndexCalendar& due, std::vector<std::uint32_t>& returned) const;

  private:
    WinBackParams params_;
    GeometricWait wait_;
};

}  // namespace cohortsim
