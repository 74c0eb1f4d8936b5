#pragma once
// Usage pricing (docs/model.md 6.2, seed 002's Dropbox example): a share of new customers pay for
// what they use, so their MRR takes a lognormal step every month.

#include <cstdint>
#include <string_view>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/scenario.hpp"
#include "mechanism.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class UsagePricing {
  public:
    static constexpr std::string_view table = "usage_pricing";
    static MechanismSpec spec();
    explicit UsagePricing(const Scenario& scenario);
    bool enabled() const { return params_.enabled; }

    // Scratch for the month's pass: who moves, and their steps.
    struct State {
        std::vector<std::uint32_t> movers;
        std::vector<double> factors;
    };
    void start(State&, int, std::size_t) const {}
    std::size_t bytes_per_customer() const { return sizeof(std::uint32_t) + sizeof(double); }

    // Whether its MRR follows usage: drawn for a new logo (and an initial customer on the
    // offers of new ones); for a customer of today's book, as the book says.
    void on_join(State&, MechanismContext& now, std::size_t i, const Arrival& arrival) const;
    // Every usage-priced active customer's subscription takes its step.
    void month_step(State& state, MechanismContext& now) const;

  private:
    UsagePricingParams params_;
    AddOnPrices add_ons_;
    bool initial_like_new_;  // the initial customers took the offers of new ones
    double log_drift_;       // log(1 + drift) - volatility^2 / 2: the step's mean is 1 + drift
};

}  // namespace cohortsim
