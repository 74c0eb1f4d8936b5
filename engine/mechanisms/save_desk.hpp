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
            .keys = {real_key("save_rate", "0.25", "1", 0, 1,
                              "Probability that a customer about to leave at renewal for an "
                              "avoidable reason is saved, its hazards starting afresh; a "
                              "[save_desk] table turns the save desk on (docs/model.md 5, seed "
                              "002 item 5).")},
            .series = {},
            .field = [](Scenario& scenario, std::string_view key) -> ParamField {
                if (key == "save_rate") return &scenario.save_desk.save_rate;
                throw std::logic_error("save desk key without a field: " + std::string(key));
            },
            .enabled_flag = [](Scenario& scenario) -> bool& { return scenario.save_desk.enabled; },
        };
    }

    explicit SaveDesk(const Scenario& scenario)
        : enabled_(scenario.save_desk.enabled), rate_(scenario.save_desk.save_rate) {}

    bool enabled() const { return enabled_; }

    // Its offer to customer i, about to leave at a renewal date.
    double save_probability(const MechanismContext&, std::size_t) const { return rate_; }

  private:
    bool enabled_;
    double rate_;
};

}  // namespace cohortsim
