#pragma once
// Save desk (docs/model.md 5.2, seed 002 item 5): at a renewal date, a customer about to leave
// for an avoidable reason is saved with probability save_rate; its intent is dropped and its
// hazards start afresh. The renewal decision draws once against the best offer any mechanism
// makes (the save desk's, or a covering farmer's).

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mechanism.hpp"

namespace cohortsim {

class SaveDesk : public Stateless {
  public:
    static constexpr std::string_view table = "save_desk";

    static MechanismSpec spec() {
        return {
            .table = table,
            .turns_on = "the save desk",
            .keys = with_window(
                {real_key("save_rate", "0.25", "1", 0, 1,
                          "Probability that a customer about to leave at renewal for an "
                          "avoidable reason is saved, its hazards starting afresh; a "
                          "[save_desk] table turns the save desk on (docs/model.md 5, seed "
                          "002 item 5)."),
                 cost_key("cost_per_attempt", "currency",
                          "Cost of each save attempt: every customer who reaches a renewal "
                          "date intending to leave, and is not cured, gets an offer."),
                 cost_key("cost_per_save", "currency",
                          "Cost of each customer kept, on top of the attempt (the offer's "
                          "discount, credits, the account manager's time).")},
                "save attempts at renewals"),
            .series = {},
            .costs = {cost_series(table,
                                  "the save desk's attempts x cost_per_attempt + saves x "
                                  "cost_per_save")},
            .field = [](Scenario& scenario, std::string_view key) -> ParamField {
                if (key == "save_rate") return &scenario.save_desk.save_rate;
                if (int* month = window_field(scenario.save_desk.window, key)) return month;
                if (key == "cost_per_attempt") return &scenario.save_desk.cost_per_attempt;
                if (key == "cost_per_save") return &scenario.save_desk.cost_per_save;
                throw std::logic_error("save desk key without a field: " + std::string(key));
            },
            .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.save_desk.enabled; },
        };
    }

    explicit SaveDesk(const Scenario& scenario) : params_(scenario.save_desk) {}

    bool enabled() const { return params_.enabled; }

    // Its offer to customer i, about to leave at a renewal date.
    double save_probability(const MechanismContext& now, std::size_t) const {
        return params_.window.covers(now.month) ? params_.save_rate : 0.0;
    }
    // What the attempt cost, kept or not.
    void on_save_attempt(State&, MechanismContext& now, std::size_t, bool saved) const {
        now.spend(0, params_.cost_per_attempt + (saved ? params_.cost_per_save : 0.0));
    }

  private:
    SaveDeskParams params_;
};

}  // namespace cohortsim
