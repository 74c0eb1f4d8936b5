#include "usage_pricing.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cohortsim/random.hpp"

namespace cohortsim {

MechanismSpec UsagePricing::spec() {
    return {
        .table = table,
        .turns_on = "usage pricing",
        .keys = with_window(
            {real_key("share", "1.0", "1", 0, 1,
                      "Share of new customers on usage pricing; a [usage_pricing] table "
                      "turns usage-based expansion on (docs/model.md 6, seed 002's Dropbox "
                      "example)."),
             real_key("drift_per_month", "0.02", "1/month", -0.5, 0.5,
                      "Mean relative MRR change of a usage-priced customer: the monthly "
                      "lognormal step has mean 1 + drift_per_month."),
             real_key("volatility", "0.05", "1", 0, 2,
                      "Log-scale standard deviation of the monthly MRR step.")},
            "the offer to customers joining"),
        .series = {},
        .field = [](Scenario& scenario, std::string_view key) -> ParamField {
            UsagePricingParams& params = scenario.usage_pricing;
            if (key == "share") return &params.share;
            if (key == "drift_per_month") return &params.drift_per_month;
            if (key == "volatility") return &params.volatility;
            if (int* month = window_field(params.window, key)) return month;
            throw std::logic_error("usage pricing key without a field: " + std::string(key));
        },
        .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.usage_pricing.enabled; },
    };
}

UsagePricing::UsagePricing(const Scenario& scenario)
    : params_(scenario.usage_pricing),
      add_ons_(scenario.cross_sell),
      initial_like_new_(scenario.acquisition.initial_plans == InitialPlans::like_new),
      log_drift_(std::log1p(params_.drift_per_month) -
                 0.5 * params_.volatility * params_.volatility) {}

void UsagePricing::on_join(State&, MechanismContext& now, std::size_t i,
                           const Arrival& arrival) const {
    Population& population = now.population;
    if (arrival.kind == Arrival::Kind::book) {
        population.usage_priced[i] = arrival.entry->usage_priced ? 1 : 0;
        return;
    }
    if (arrival.kind == Arrival::Kind::initial && !initial_like_new_) return;
    if (!params_.window.covers(now.month)) return;  // not offered in the month it joined
    KeyedStream stream(stream_key(population.key[i], Purpose::usage_pricing));
    population.usage_priced[i] = uniform_open01(stream) < params_.share ? 1 : 0;
}

void UsagePricing::month_step(State& state, MechanismContext& now) const {
    Population& population = now.population;
    std::vector<std::uint32_t>& movers = state.movers;
    std::vector<double>& factors = state.factors;
    // Who moves, in a branch-free pass: whether a customer is usage-priced is a coin toss that
    // a branch would mispredict half the time.
    const std::size_t n = population.size();
    if (movers.size() < n) movers.resize(n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        movers[count] = static_cast<std::uint32_t>(i);
        count += static_cast<std::size_t>(population.usage_priced[i] != 0) &
                 static_cast<std::size_t>(!population.is_churned(i));
    }
    // The steps, their exps, then the books, each in a pass of its own: around a call to exp
    // every register holding the books would be spilled and reloaded.
    if (factors.size() < count) factors.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        KeyedStream stream(
            monthly_stream_key(population.key[movers[k]], Purpose::usage, now.month));
        factors[k] =
            log_drift_ + params_.volatility * boost::random::normal_distribution<double>()(stream);
    }
    // exp, not expm1 (twice as slow): the step is far from 0 on the scale of a double.
    for (std::size_t k = 0; k < count; ++k)
        factors[k] = std::exp(factors[k]);
    double expansion = 0.0;
    double contraction = 0.0;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = movers[k];
        const double before = add_ons_.subscription(population, i);
        const double change = before * factors[k] - before;
        population.mrr[i] += change;
        now.move_usage(i, change);
        // Branch-free: the sign is a coin toss.
        expansion += std::max(change, 0.0);
        contraction += std::max(-change, 0.0);
    }
    now.close_usage(expansion, contraction);
}

}  // namespace cohortsim
