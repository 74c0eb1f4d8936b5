#pragma once
// What farmer coverage does to an account (docs/model.md section 7): multipliers on its avoidable
// hazard by reason, boosts of its upsell and cross-sell probabilities, and a save rate at
// renewal; a generalist's lower farming effectiveness already applied.

#include <array>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct CoverageEffect {
    // False when no month of the run has farmer capacity: then coverage changes nothing and
    // draws nothing, so the run is exactly the run without farmers.
    bool possible = false;
    std::array<double, baseline_reasons.size()> hazard{1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    double stalled_hazard = 1.0;  // on the stalled-onboarding hazard
    double save_rate = 0.0;
    double upsell_multiplier = 1.0;
    double cross_sell_multiplier = 1.0;
};

// For a generalist team, each multiplier m acts as m^effectiveness, each boost k as
// 1 + (k - 1) effectiveness and the covered save rate as save rate x effectiveness.
CoverageEffect coverage_effect(const TeamParams& team);

}  // namespace cohortsim
