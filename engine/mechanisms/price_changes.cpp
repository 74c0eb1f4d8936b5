#include "price_changes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "param_keys.hpp"

namespace cohortsim {

std::vector<ParamInfo> PriceChanges::keys() {
    return {
        integer_key("month", std::string(required_default), "month", 1, 600,
                    "Month the new list prices apply from: to new customers joining in it, and to "
                    "each customer from its first renewal in or after it (a monthly plan at once, "
                    "a contract when its term renews); a [pricing.changes.<name>] table is one "
                    "change of every list price (docs/model.md 11.5), " +
                        names_text("price changes", max_price_changes) + "."),
        real_key("increase", std::string(required_default), "1", -0.9, 10,
                 "Relative change of every subscription price (0.1 = +10%, -0.2 = a 20% cut), "
                 "compounding with earlier changes; add-on products keep their [cross_sell] "
                 "prices. Booked as expansion MRR (a cut as contraction MRR)."),
        exclusive(real_key("churn_multiplier", "1.0", "1", 0, 10,
                           "Factor on the avoidable hazards of the customers who paid the old "
                           "price (joined before month), for shock_months from month: customers "
                           "react to a rise; on a contract, an intent formed then is executed at "
                           "the renewal. 1 = no reaction."),
                  true, false),
        integer_key("shock_months", "3", "months", 0, 60,
                    "Months from month during which churn_multiplier applies (0 = none)."),
    };
}

ParamField PriceChanges::field(PriceChange& change, std::string_view key) {
    if (key == "month") return &change.month;
    if (key == "increase") return &change.increase;
    if (key == "churn_multiplier") return &change.churn_multiplier;
    if (key == "shock_months") return &change.shock_months;
    throw std::logic_error("price-change key without a field: " + std::string(key));
}

PriceChanges::PriceChanges(const Scenario& scenario, std::uint8_t first_bit)
    : changes_(scenario.price_changes), first_bit_(first_bit), add_ons_(scenario.cross_sell) {
    std::stable_sort(changes_.begin(), changes_.end(),
                     [](const PriceChange& a, const PriceChange& b) { return a.month < b.month; });
    levels_.push_back(1.0);
    for (std::size_t k = 0; k < changes_.size(); ++k) {
        levels_.push_back(levels_.back() * (1.0 + changes_[k].increase));
        if (changes_[k].churn_multiplier != 1.0 && changes_[k].shock_months > 0)
            shocking_.push_back(k);
    }
}

std::uint8_t PriceChanges::bits() const {
    std::uint8_t bits = 0;
    for (std::size_t s = 0; s < shocking_.size(); ++s)
        bits = static_cast<std::uint8_t>(bits | (first_bit_ << s));
    return bits;
}

std::vector<HazardCover> PriceChanges::covers() const {
    std::vector<HazardCover> covers;
    for (const std::size_t k : shocking_) {
        HazardCover cover;
        cover.reasons.fill(changes_[k].churn_multiplier);
        covers.push_back(cover);  // onboarding stalls are not a reaction to a price
    }
    return covers;
}

std::uint8_t PriceChanges::in_effect(int month) const {
    std::uint8_t count = 0;
    while (count < changes_.size() && changes_[count].month <= month)
        ++count;
    return count;
}

void PriceChanges::on_join(Population& population, std::size_t i, int month) const {
    const std::uint8_t changes = in_effect(month);
    population.mrr[i] *= level(changes);
    population.price_changes[i] = changes;
}

void PriceChanges::renewals(Population& population, int month, Ledger& ledger) const {
    const std::uint8_t now = in_effect(month);
    if (now == 0) return;
    for (std::size_t i = 0; i < population.size(); ++i) {
        const std::uint8_t paid = population.price_changes[i];
        if (paid >= now || population.is_churned(i) ||
            !Contracts::is_renewal(population.term_months[i], population.contract_month(i, month)))
            continue;
        const double change =
            add_ons_.subscription(population, i) * (level(now) / level(paid) - 1.0);
        population.mrr[i] += change;
        population.price_changes[i] = now;
        ledger.move(MrrMovement::price, population.cohort[i], change, month);
    }
}

void PriceChanges::assign_shocks(Population& population, const RetentionModel& retention,
                                 int month) const {
    // A pass in each month of a shock and the month after (which takes its bits away).
    std::uint8_t all_bits = 0;
    bool due = false;
    for (std::size_t s = 0; s < shocking_.size(); ++s) {
        const PriceChange& change = changes_[shocking_[s]];
        all_bits = static_cast<std::uint8_t>(all_bits | (first_bit_ << s));
        due = due || (month >= change.month && month <= change.month + change.shock_months);
    }
    if (!due) return;
    // The lost too: one won back after the shock must not keep its bit.
    for (std::size_t i = 0; i < population.size(); ++i) {
        auto mask = static_cast<std::uint8_t>(population.covered[i] & ~all_bits);
        for (std::size_t s = 0; s < shocking_.size(); ++s) {
            const PriceChange& change = changes_[shocking_[s]];
            if (month >= change.month && month < change.month + change.shock_months &&
                population.joined[i] < change.month)
                mask = static_cast<std::uint8_t>(mask | (first_bit_ << s));
        }
        retention.set_cover(population, i, mask);
    }
}

}  // namespace cohortsim
