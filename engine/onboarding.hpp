#pragma once
// Onboarding (MODEL.md section 4.2, seeds 000 and 004): during its first `months`, a new
// customer activates each month with `activation_per_month`. The month of activation is drawn
// once when the customer joins (a geometric event time), so no month costs a random draw;
// the retention hazard reads it to apply stalled-onboarding and low-adoption hazards.

#include <cstdint>

#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "population.hpp"

namespace cohortsim {

class Onboarding {
  public:
    explicit Onboarding(const OnboardingParams& params)
        : params_(params),
          activation_(params.enabled ? params.activation_per_month : 0.0, params.months) {}

    void on_join(Population& population, std::size_t i, std::uint64_t customer_key) const;

  private:
    OnboardingParams params_;
    GeometricWait activation_;
};

}  // namespace cohortsim
