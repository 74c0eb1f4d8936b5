#include "cross_sell.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "coverage_effect.hpp"

namespace cohortsim {

namespace {
// Each product is sold in its own months (a launch, a retirement); adopters keep it after.
std::vector<ParamInfo> with_product_window(std::vector<ParamInfo> keys) {
    for (ParamInfo& key : window_keys("the product's adoptions (its launch; adopters keep it after "
                                      "its end)",
                                      "products.*."))
        keys.push_back(std::move(key));
    return keys;
}
}  // namespace

MechanismSpec CrossSell::spec() {
    return {
        .table = table,
        .turns_on = "cross-sell",
        .keys = with_product_window(
            {exclusive(real_key("products.*.mrr", "20.0", "currency/month", 0, 1e9,
                                "MRR an add-on product adds once adopted (docs/model.md 6, "
                                "seeds 002 and 003); a [cross_sell] table needs at least one "
                                "product; " +
                                    names_text("products", 8) + "."),
                       true, false),
             real_key("products.*.monthly_adoption", "0.01", "1/month", 0, 1,
                      "Monthly probability that a customer without the product adopts it."),
             real_key("products.*.hazard_multiplier", "0.85", "1", 0, 10,
                      "Factor on the avoidable hazard, for life, once the product is adopted: "
                      "it becomes part of the daily workflow (seed 002 item 5.3)."),
             cost_key("products.*.cost_per_adoption", "currency",
                      "Cost of each adoption of the product (the sales time, the set-up).")}),
        .series = {},
        .costs = {cost_series(table, "adoptions x each product's cost_per_adoption")},
        // Every key is a product's (product_field); on = at least one product.
        .field = [](Scenario&, std::string_view key) -> ParamField {
            throw std::logic_error("cross-sell key outside a product: " + std::string(key));
        },
        .enabled_flag = nullptr,
    };
}

ParamField CrossSell::product_field(CrossSellProduct& product, std::string_view key) {
    if (key == "mrr") return &product.mrr;
    if (key == "monthly_adoption") return &product.monthly_adoption;
    if (key == "hazard_multiplier") return &product.hazard_multiplier;
    if (key == "cost_per_adoption") return &product.cost_per_adoption;
    if (int* month = window_field(product.window, key)) return month;
    throw std::logic_error("cross-sell product key without a field: " + std::string(key));
}

CrossSell::CrossSell(const Scenario& scenario)
    : products_(scenario.cross_sell), after_horizon_(scenario.simulation.horizon_months + 1) {
    const CoverFactors boosts = covered_boosts(scenario, CoveredBoost::cross_sell);
    for (const CrossSellProduct& product : products_)
        rates_.emplace_back(product.monthly_adoption, boosts, scenario.simulation.horizon_months);
}

void CrossSell::schedule(Population& population, std::size_t i, std::size_t product, int month,
                         IndexCalendar& due) const {
    KeyedStream stream =
        event_stream(population, i, Purpose::cross_sell, month, static_cast<int>(product));
    // Before the product's launch nothing happens: the wait counts from the month before it (the
    // monthly chance is the same every month, so that is exact); after it is retired, nothing.
    const LeverWindow& sold = products_[product].window;
    int adoption = rates_[product].drawn.next_month(std::max(month, sold.start_month - 1), stream,
                                                    after_horizon_);
    if (adoption > sold.last(after_horizon_ - 1)) adoption = after_horizon_;
    population.next_adoption[i][product] = static_cast<std::uint16_t>(adoption);
    due.add(i, adoption);
}

void CrossSell::schedule_all(Population& population, std::size_t i, int month,
                             IndexCalendar& due) const {
    population.next_adoption[i].fill(no_event_month);
    for (std::size_t p = 0; p < products_.size(); ++p) {
        if ((population.products[i] >> p) & 1U) continue;  // a customer won back keeps its add-ons
        schedule(population, i, p, month, due);
    }
}

void CrossSell::on_join(State& state, MechanismContext& now, std::size_t i,
                        const Arrival& arrival) const {
    if (arrival.kind == Arrival::Kind::book) now.population.products[i] = arrival.entry->products;
    schedule_all(now.population, i, now.month, state.due);
}

void CrossSell::month_step(State& state, MechanismContext& now) const {
    Population& population = now.population;
    const int month = now.month;
    // A customer is filed once per product due this month: the second visit finds nothing.
    for (const std::uint32_t i : state.due.at(month)) {
        AdoptionMonths& months = population.next_adoption[i];
        if (population.is_churned(i)) continue;
        const std::uint8_t before = population.products[i];
        for (std::size_t p = 0; p < products_.size(); ++p) {
            // Stale when filed again since (won back) for another month.
            if (months[p] != month) continue;
            if (!rates_[p].goes_ahead(population, i, Purpose::covered_cross_sell,
                                      month * 8 + int(p))) {
                schedule(population, i, p, month, state.due);
                continue;
            }
            // Adopted for life: its MRR, and a stickier customer from next month on.
            months[p] = no_event_month;
            population.products[i] |= static_cast<std::uint8_t>(1U << p);
            population.mrr[i] += products_[p].mrr;
            population.scale_propensity(i, products_[p].hazard_multiplier);
            now.move_mrr(MrrMovement::cross_sell, i, products_[p].mrr);
            now.spend(0, products_[p].cost_per_adoption);
        }
        if (population.products[i] != before) now.hazard_changed(i);
    }
}

}  // namespace cohortsim
