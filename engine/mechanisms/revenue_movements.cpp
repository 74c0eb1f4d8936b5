#include "revenue_movements.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cohortsim/random.hpp"
#include "hazard_cover.hpp"

namespace cohortsim {

namespace {

// Subscription MRR: what is left of the MRR once the add-on products are taken out.
double subscription(const Population& population, const AddOnPrices& add_ons, std::size_t i) {
    return population.mrr[i] - add_ons.of(population.products[i]);
}

// The stream of customer i's event time drawn in `month` (`variant`: one of several drawn in a
// month, a cross-sell product). Most are drawn in the month the customer joins: those come from
// its key directly, which costs no hashing; the rest (after an event, a win-back) are keyed by
// the month too.
KeyedStream event_stream(const Population& population, std::size_t i, Purpose purpose, int month,
                         int variant = 0) {
    const std::uint64_t key = population.key[i];
    const auto offset = static_cast<std::uint64_t>(variant) * 0xd6e8feb86659fd93ULL;
    return KeyedStream(month == population.joined[i]
                           ? stream_key(key, purpose) ^ offset
                           : monthly_stream_key(key, purpose, month * 8 + variant));
}

// The month of customer i's next event, or `never` (a month after the horizon).
int next_month(const Population& population, std::size_t i, Purpose purpose,
               const GeometricWait& wait, int month, int never) {
    KeyedStream stream = event_stream(population, i, purpose, month);
    return wait.next_month(month, stream, never);
}

bool is_active(const Population& population, std::size_t i) {
    return !population.is_churned(i);
}

// Whether an event drawn at the covered rate happens to account i this month.
bool goes_ahead(const Population& population, std::size_t i, const CoveredRate& rate,
                Purpose purpose, int draw) {
    if (population.is_covered_by(i, farmer_cover_bit) || rate.uncovered_acceptance >= 1.0)
        return true;
    KeyedStream stream(monthly_stream_key(population.key[i], purpose, draw));
    return uniform_open01(stream) < rate.uncovered_acceptance;
}

}  // namespace

AddOnPrices::AddOnPrices(const std::vector<CrossSellProduct>& products) {
    for (std::size_t mask = 0; mask < by_mask_.size(); ++mask) {
        for (std::size_t p = 0; p < products.size(); ++p) {
            if ((mask >> p) & 1U) by_mask_[mask] += products[p].mrr;
        }
    }
}

MechanismSpec UsagePricing::spec() {
    return {
        .table = table,
        .turns_on = "usage pricing",
        .keys = {real_key("share", "1.0", "1", 0, 1,
                          "Share of new customers on usage pricing; a [usage_pricing] table "
                          "turns usage-based expansion on (docs/model.md 6, seed 002's Dropbox "
                          "example)."),
                 real_key("drift_per_month", "0.02", "1/month", -0.5, 0.5,
                          "Mean relative MRR change of a usage-priced customer: the monthly "
                          "lognormal step has mean 1 + drift_per_month."),
                 real_key("volatility", "0.05", "1", 0, 2,
                          "Log-scale standard deviation of the monthly MRR step.")},
        .series = {},
        .field = [](Scenario& scenario, std::string_view key) -> ParamField {
            UsagePricingParams& params = scenario.usage_pricing;
            if (key == "share") return &params.share;
            if (key == "drift_per_month") return &params.drift_per_month;
            if (key == "volatility") return &params.volatility;
            throw std::logic_error("usage pricing key without a field: " + std::string(key));
        },
        .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.usage_pricing.enabled; },
    };
}

UsagePricing::UsagePricing(const Scenario& scenario)
    : params_(scenario.usage_pricing),
      initial_like_new_(scenario.acquisition.initial_plans == InitialPlans::like_new),
      log_drift_(std::log1p(params_.drift_per_month) -
                 0.5 * params_.volatility * params_.volatility) {}

void UsagePricing::on_join(State&, MechanismContext& now, std::size_t i,
                           const Arrival& arrival) const {
    Population& population = now.population;
    const std::uint64_t customer_key = population.key[i];
    if (!params_.enabled) return;
    if (arrival.kind == Arrival::Kind::book) {
        population.usage_priced[i] = arrival.entry->usage_priced ? 1 : 0;
        return;
    }
    if (arrival.kind == Arrival::Kind::initial && !initial_like_new_) return;
    KeyedStream stream(stream_key(customer_key, Purpose::usage_pricing));
    population.usage_priced[i] = uniform_open01(stream) < params_.share ? 1 : 0;
}

void UsagePricing::apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger,
                         int month, std::vector<std::uint32_t>& movers,
                         std::vector<double>& factors) const {
    if (!params_.enabled) return;
    // Who moves, in a branch-free pass: whether a customer is usage-priced is a coin toss that
    // a branch would mispredict half the time.
    const std::size_t n = population.size();
    if (movers.size() < n) movers.resize(n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        movers[count] = static_cast<std::uint32_t>(i);
        count += static_cast<std::size_t>(population.usage_priced[i] != 0) &
                 static_cast<std::size_t>(is_active(population, i));
    }
    // The steps, their exps, then the books, each in a pass of its own: around a call to exp
    // every register holding the books would be spilled and reloaded.
    if (factors.size() < count) factors.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        KeyedStream stream(monthly_stream_key(population.key[movers[k]], Purpose::usage, month));
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
        const double before = subscription(population, add_ons, i);
        const double change = before * factors[k] - before;
        population.mrr[i] += change;
        ledger.usage_change(population.cohort[i], change);
        // Branch-free: the sign is a coin toss.
        expansion += std::max(change, 0.0);
        contraction += std::max(-change, 0.0);
    }
    ledger.usage_month(expansion, contraction, month);
}

Upsell::Upsell(const UpsellParams& params, double covered_multiplier, int horizon)
    : params_(params),
      rate_(params.monthly_probability, covered_multiplier, horizon),
      after_horizon_(horizon + 1) {
    double previous = 1.0;
    for (const UpsellTier& tier : params.tiers) {
        step_.push_back(tier.multiplier / previous);
        previous = tier.multiplier;
    }
}

// Draws customer i's next upgrade after `month` and files it; at the top of the ladder there is
// nothing left to sell (a customer won back keeps its tier).
void Upsell::schedule(Population& population, std::size_t i, int month, IndexCalendar& due) const {
    population.next_upsell[i] = static_cast<std::uint16_t>(
        population.tier[i] < step_.size()
            ? next_month(population, i, Purpose::upsell, rate_.drawn, month, after_horizon_)
            : no_event_month);
    due.add(i, population.next_upsell[i]);
}

void Upsell::on_join(Population& population, std::size_t i, int month, IndexCalendar& due) const {
    if (!params_.enabled) return;  // files nothing; the column is never read
    schedule(population, i, month, due);
}

void Upsell::apply(Population& population, const AddOnPrices& add_ons, Ledger& ledger, int month,
                   IndexCalendar& due) const {
    if (!params_.enabled) return;
    for (const std::uint32_t i : due.at(month)) {
        // Stale: churned since, or filed again (won back) for another month.
        if (population.next_upsell[i] != month || !is_active(population, i)) continue;
        if (goes_ahead(population, i, rate_, Purpose::covered_upsell, month)) {
            const std::size_t tier = population.tier[i];
            const double change = subscription(population, add_ons, i) * (step_[tier] - 1.0);
            population.mrr[i] += change;
            population.tier[i] = static_cast<std::uint8_t>(tier + 1);
            ledger.move(MrrMovement::upsell, population.cohort[i], change, month);
        }
        schedule(population, i, month, due);
    }
}

CrossSell::CrossSell(const std::vector<CrossSellProduct>& products, double covered_multiplier,
                     int horizon)
    : products_(products), after_horizon_(horizon + 1) {
    for (const CrossSellProduct& product : products)
        rates_.emplace_back(product.monthly_adoption, covered_multiplier, horizon);
}

void CrossSell::schedule(Population& population, std::size_t i, std::size_t product, int month,
                         IndexCalendar& due) const {
    KeyedStream stream =
        event_stream(population, i, Purpose::cross_sell, month, static_cast<int>(product));
    const int adoption = rates_[product].drawn.next_month(month, stream, after_horizon_);
    population.next_adoption[i][product] = static_cast<std::uint16_t>(adoption);
    due.add(i, adoption);
}

void CrossSell::on_join(Population& population, std::size_t i, int month,
                        IndexCalendar& due) const {
    if (products_.empty()) return;
    population.next_adoption[i].fill(no_event_month);
    for (std::size_t p = 0; p < products_.size(); ++p) {
        if ((population.products[i] >> p) & 1U) continue;  // a customer won back keeps its add-ons
        schedule(population, i, p, month, due);
    }
}

void CrossSell::apply(Population& population, Ledger& ledger, int month, IndexCalendar& due,
                      std::vector<std::uint32_t>& adopters) const {
    adopters.clear();
    if (products_.empty()) return;
    // A customer is filed once per product due this month: the second visit finds nothing.
    for (const std::uint32_t i : due.at(month)) {
        AdoptionMonths& months = population.next_adoption[i];
        if (!is_active(population, i)) continue;
        const std::uint8_t before = population.products[i];
        for (std::size_t p = 0; p < products_.size(); ++p) {
            // Stale when filed again since (won back) for another month.
            if (months[p] != month) continue;
            if (!goes_ahead(population, i, rates_[p], Purpose::covered_cross_sell,
                            month * 8 + int(p))) {
                schedule(population, i, p, month, due);
                continue;
            }
            // Adopted for life: its MRR, and a stickier customer from next month on.
            months[p] = no_event_month;
            population.products[i] |= static_cast<std::uint8_t>(1U << p);
            population.mrr[i] += products_[p].mrr;
            population.scale_propensity(i, products_[p].hazard_multiplier);
            ledger.move(MrrMovement::cross_sell, population.cohort[i], products_[p].mrr, month);
        }
        if (population.products[i] != before) adopters.push_back(i);
    }
}

MechanismSpec Contraction::spec() {
    return {
        .table = table,
        .turns_on = "contraction",
        .keys = {real_key("monthly_probability", "0.01", "1/month", 0, 1,
                          "Monthly probability of a downgrade; a [contraction] table turns "
                          "contraction on (docs/model.md 6, seed 004: partial churn)."),
                 exclusive(
                     real_key("size", "0.2", "1", 0, 1,
                              "Share of its plan price a customer loses at a downgrade; add-on "
                              "products keep theirs (docs/model.md 6.5)."),
                     true, true)},
        .series = {},
        .field = [](Scenario& scenario, std::string_view key) -> ParamField {
            ContractionParams& params = scenario.contraction;
            if (key == "monthly_probability") return &params.monthly_probability;
            if (key == "size") return &params.size;
            throw std::logic_error("contraction key without a field: " + std::string(key));
        },
        .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.contraction.enabled; },
    };
}

void Contraction::schedule(Population& population, std::size_t i, int month,
                           IndexCalendar& due) const {
    population.next_contraction[i] = static_cast<std::uint16_t>(
        next_month(population, i, Purpose::contraction, wait_, month, after_horizon_));
    due.add(i, population.next_contraction[i]);
}

void Contraction::month_step(State& state, MechanismContext& now) const {
    Population& population = now.population;
    const int month = now.month;
    for (const std::uint32_t i : state.due.at(month)) {
        if (population.next_contraction[i] != month || !is_active(population, i)) continue;
        const double change = -params_.size * subscription(population, add_ons_, i);
        population.mrr[i] += change;
        now.move_mrr(MrrMovement::contraction, i, change);
        schedule(population, i, month, state.due);
    }
}

}  // namespace cohortsim
