#pragma once
// Champion moves (docs/model.md 3.3, seed 000): a customer lost because its sponsor changed
// jobs may gain the company the sponsor moves to. Each customer that churns for the reason
// sponsor_change brings, with probability referral_probability, one new logo of its segment
// delay_months later, which joins at month end like any new logo (so it counts in
// new_customers) and lives like one.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mechanism.hpp"

namespace cohortsim {

class ChampionMoves {
  public:
    static constexpr std::string_view table = "champion_moves";

    static MechanismSpec spec() {
        return {
            .table = table,
            .turns_on = "champion referrals",
            .keys = with_window(
                {{.key = "referral_probability",
                  .type = ParamType::real,
                  .default_value = "0.2",
                  .unit = "",
                  .min = 0,
                  .max = 1,
                  .meaning = "Probability that a customer lost to sponsor_change brings one new "
                             "logo of its segment: its champion takes the product to the next "
                             "company (docs/model.md 3.3, seed 000). A [champion_moves] table "
                             "turns the mechanism on."},
                 integer_key("delay_months", "6", "months", 0, 600,
                             "Months from the loss to the referral joining (at month end, as "
                             "other new logos; 0 = the month of the loss). Referrals due "
                             "after the horizon are not simulated.")},
                "referrals from the sponsors lost"),
            .series = {{"referred_customers", "customers/month",
                        "New logos a lost customer's former sponsor brought (champion moves); "
                        "part of new_customers"}},
        };
    }

    explicit ChampionMoves(const Scenario& scenario) {
        const MechanismTable* values = enabled_table(scenario, table);
        if (values == nullptr) return;
        probability_ = values->real("referral_probability");
        delay_ = static_cast<int>(values->integer("delay_months"));
        window_ = {static_cast<int>(values->integer("start_month")),
                   static_cast<int>(values->integer("end_month"))};
        enabled_ = probability_ > 0.0;
    }

    bool enabled() const { return enabled_; }

    // Referrals still to join: (month, segment), row-major.
    struct State {
        std::vector<std::int64_t> due;
        std::size_t segments = 0;
    };
    void start(State& state, int horizon, std::size_t segments) const {
        state.due.assign((static_cast<std::size_t>(horizon) + 1) * segments, 0);
        state.segments = segments;
    }

    void on_churn(State& state, MechanismContext& now, std::size_t i, ChurnReason reason) const {
        // Following lost sponsors is a programme with dates (a champion-tracking tool).
        if (reason != ChurnReason::sponsor_change || !window_.covers(now.month)) return;
        const int month = now.month + delay_;
        if (month > now.horizon) return;
        const Population& population = now.population;
        KeyedStream stream(monthly_stream_key(population.key[i], purpose, now.month));
        if (uniform_open01(stream) >= probability_) return;
        ++state.due[static_cast<std::size_t>(month) * state.segments + population.segment[i]];
    }

    std::int64_t new_logos(State& state, MechanismContext& now, std::size_t segment) const {
        const std::int64_t referred =
            state.due[static_cast<std::size_t>(now.month) * state.segments + segment];
        now.count(0, static_cast<double>(referred));
        return referred;
    }

    // At most one referral per loss, so at most p of the customers; referrals of referrals are
    // rarer still (each needs another sponsor change).
    double expected_added(double customers) const { return probability_ * customers; }

  private:
    static constexpr Purpose purpose = mechanism_purpose(table);
    bool enabled_ = false;
    double probability_ = 0.0;
    int delay_ = 0;
    LeverWindow window_;
};

}  // namespace cohortsim
