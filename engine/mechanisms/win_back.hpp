#pragma once
// Win-back (seed 002: call the customers who left; a closed account may come back): a customer
// lost for an avoidable reason stays on file for `months`, and each of those months returns
// with `monthly_probability`, its plan at mrr_fraction of the price it paid (a win-back offer;
// its add-ons are products of their own, at their price), with its propensity and products, and
// fresh hazards. The month it returns is drawn when it leaves.

#include <stdexcept>
#include <string>
#include <string_view>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "index_calendar.hpp"
#include "mechanism.hpp"
#include "population.hpp"
#include "revenue_movements.hpp"

namespace cohortsim {

class WinBack {
  public:
    static constexpr std::string_view table = "win_back";

    static MechanismSpec spec() {
        return {
            .table = table,
            .turns_on = "win-back",
            .keys = with_window(
                {integer_key("months", "6", "months", 1, 36,
                             "Months after an avoidable churn during which a lost customer "
                             "may come back; a [win_back] table turns win-back on "
                             "(docs/model.md 5, seed 002)."),
                 real_key("monthly_probability", "0.03", "1/month", 0, 1,
                          "Monthly probability that a lost customer returns within that "
                          "window."),
                 exclusive(real_key("mrr_fraction", "1.0", "1", 0, 2,
                                    "Plan price of a returning customer as a share of the plan "
                                    "price it paid when it left (a win-back offer); its add-on "
                                    "products keep their price (docs/model.md 5.3)."),
                           true, false),
                 cost_key("cost_per_lost_customer_month", "currency/month",
                          "Cost of contacting one lost customer for a month of its window "
                          "(the campaign, the calls), every month it is on file."),
                 cost_key("cost_per_return", "currency",
                          "Cost of each customer won back (the offer, the set-up).")},
                "returns and contacts"),
            .series = {},
            .costs = {cost_series(table,
                                  "lost customers on file in the month x "
                                  "cost_per_lost_customer_month + returns x "
                                  "cost_per_return")},
            .field = [](Scenario& scenario, std::string_view key) -> ParamField {
                WinBackParams& params = scenario.win_back;
                if (key == "months") return &params.months;
                if (key == "monthly_probability") return &params.monthly_probability;
                if (key == "mrr_fraction") return &params.mrr_fraction;
                if (key == "cost_per_lost_customer_month")
                    return &params.cost_per_lost_customer_month;
                if (key == "cost_per_return") return &params.cost_per_return;
                if (int* month = window_field(params.window, key)) return month;
                throw std::logic_error("win-back key without a field: " + std::string(key));
            },
            .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.win_back.enabled; },
        };
    }

    explicit WinBack(const Scenario& scenario)
        : params_(scenario.win_back),
          add_ons_(scenario.cross_sell),
          wait_(params_.enabled ? params_.monthly_probability : 0.0,
                params_.enabled ? params_.months : 0) {}
    bool enabled() const { return params_.enabled; }

    // Who comes back, by month; and how many lost customers are on file: the change of that
    // count at the start of each month, and the count this month.
    struct State {
        IndexCalendar returns;
        std::vector<std::int64_t> file_change;
        std::int64_t on_file = 0;
    };
    void start(State& state, int horizon, std::size_t) const {
        state.returns.reset(horizon);
        state.file_change.assign(static_cast<std::size_t>(horizon) + 2, 0);
        state.on_file = 0;
    }

    // A customer lost for an avoidable reason stays on file for `months`.
    int lapse_months(ChurnReason reason) const {
        return reason != ChurnReason::unavoidable ? params_.months : 0;
    }

    // Customer i just left and stays on file: the month it comes back, a geometric time, is
    // drawn now and filed if it is while on file.
    void on_churn(State& state, MechanismContext& now, std::size_t i, ChurnReason) const;

    // Customer i is on file from the month after `from` through `last`: counted in each of those
    // months (its contact costs), `sign` = -1 to take it off again.
    static void file(State& state, int from, int last, std::int64_t sign);

    void renumber(State& state, const std::vector<std::uint32_t>& kept, std::size_t old_size,
                  int month) const {
        state.returns.renumber(kept, old_size, month);
    }

    std::size_t bytes_per_customer() const { return sizeof(std::uint32_t); }  // a calendar entry

    // Brings back the lapsed customers filed under this month and appends their indices to
    // `returned`, so that the other mechanisms can set them up again (on_return); books the
    // month's cost of the lost customers on file and of those back.
    void bring_back(State& state, MechanismContext& now,
                    std::vector<std::uint32_t>& returned) const;

  private:
    // The last month a customer on file until `lapsed_until` may come back: the lever may end
    // first.
    int last_chance(int lapsed_until) const {
        const int end = params_.window.end_month;
        return end == 0 ? lapsed_until : std::min(lapsed_until, end);
    }

    WinBackParams params_;
    AddOnPrices add_ons_;
    GeometricWait wait_;
};

}  // namespace cohortsim
