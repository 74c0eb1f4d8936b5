#pragma once
// Cross-sell (docs/model.md 6.4, seeds 002 and 003): add-on products a customer adopts, each with
// its own monthly probability (more often while a farmer covers it); an adopted product adds its
// MRR and, part of the daily workflow now, multiplies the customer's avoidable hazard for life.

#include <string_view>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/scenario.hpp"
#include "mechanism.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class CrossSell : public FilesEvents {
  public:
    static constexpr std::string_view table = "cross_sell";
    static MechanismSpec spec();
    // A product's value for a key below [cross_sell.products.<name>] ("mrr").
    static ParamField product_field(CrossSellProduct& product, std::string_view key);

    explicit CrossSell(const Scenario& scenario);
    bool enabled() const { return !products_.empty(); }

    // A customer is filed once per product it may adopt.
    std::size_t bytes_per_customer() const { return sizeof(std::uint32_t) * products_.size(); }

    // A customer of today's book owns the products the book says; the adoptions of the products
    // a customer does not own are drawn when it joins, and again when it comes back.
    void on_join(State& state, MechanismContext& now, std::size_t i, const Arrival& arrival) const;
    void on_return(State& state, MechanismContext& now, std::size_t i) const {
        schedule_all(now.population, i, now.month, state.due);
    }
    // The month's adoptions.
    void month_step(State& state, MechanismContext& now) const;

  private:
    void schedule_all(Population& population, std::size_t i, int month, IndexCalendar& due) const;
    void schedule(Population& population, std::size_t i, std::size_t product, int month,
                  IndexCalendar& due) const;

    std::vector<CrossSellProduct> products_;
    std::vector<CoveredRate> rates_;
    int after_horizon_;
};

}  // namespace cohortsim
