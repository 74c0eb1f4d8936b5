#pragma once
// Price changes (docs/model.md 11.5): [pricing.changes.<name>] raises (or cuts) every list price
// by a share from a month. A new customer pays the list price of the month it joins; a customer
// already there pays the new price from its first renewal in or after that month (a monthly plan
// at once, a contract when its term renews), booked as expansion (a cut as contraction). The
// customers who paid the old price react to a rise: while its shock lasts, their avoidable
// hazards are churn_multiplier times as high, through a bit of their cover mask (a source of
// coverage like a retention programme, hazard_cover.hpp), so intents formed then on a contract
// are executed at its renewal. Add-on products keep the prices of [cross_sell.products].

#include <cstdint>
#include <string_view>
#include <vector>

#include "cohortsim/params.hpp"
#include "cohortsim/scenario.hpp"
#include "contracts.hpp"
#include "hazard_cover.hpp"
#include "ledger.hpp"
#include "mechanism.hpp"
#include "population.hpp"
#include "retention.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

inline constexpr std::size_t max_price_changes = 8;

class PriceChanges {
  public:
    // The keys below [pricing.changes.<name>], relative to it ("increase").
    static std::vector<ParamInfo> keys();
    static ParamField field(PriceChange& change, std::string_view key);

    // `first_bit`: the cover-mask bit of the first shock (after the retention programmes').
    PriceChanges(const Scenario& scenario, std::uint8_t first_bit);
    bool enabled() const { return !changes_.empty(); }

    // The shocks' effects on hazards, one source of coverage per change with a churn multiplier,
    // at bits first_bit, first_bit << 1, ... of the cover mask.
    std::vector<HazardCover> covers() const;
    bool shocks() const { return !shocking_.empty(); }
    std::uint8_t bits() const;  // of the shocks, in the cover mask

    // A customer joining in `month` (a new logo) pays that month's list prices.
    void on_join(Population& population, std::size_t i, int month) const;
    // After the month's renewals are decided: each customer still on an older price that renewed
    // (every month on a monthly term) pays the new one.
    void renewals(Population& population, int month, Ledger& ledger) const;
    // At the month's start: the shock bits of the accounts that paid an old price.
    void assign_shocks(Population& population, const RetentionModel& retention, int month) const;

  private:
    // Changes in effect in `month` (those of months <= it).
    std::uint8_t in_effect(int month) const;
    // List price in `month` over list price before any change.
    double level(std::size_t changes) const { return levels_[changes]; }

    std::vector<PriceChange> changes_;   // by month
    std::vector<double> levels_;         // levels_[k]: product of (1 + increase) of the first k
    std::vector<std::size_t> shocking_;  // the changes with a churn multiplier
    std::uint8_t first_bit_;
    AddOnPrices add_ons_;  // what a rise leaves alone
};

}  // namespace cohortsim
