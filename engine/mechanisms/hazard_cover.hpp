#pragma once
// What covers an account: each source of coverage (farmers today; the interventions a scenario
// adds) has one bit in Population::covered, and multiplies a covered account's hazards by reason.
// The retention model composes the sources an account has (its cover mask) by multiplying their
// factors, and caches, per segment and mask, the factor on the baseline and how it splits by
// reason: a new source adds a bit, not a copy of the hazard model's states.

#include <array>
#include <cstddef>
#include <cstdint>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct HazardCover {
    // On each baseline reason's hazard (indexed like baseline_reasons).
    std::array<double, baseline_reasons.size()> reasons{1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    double stalled = 1.0;  // on the stalled-onboarding hazard
};

// The bits of a cover mask (one byte per account).
inline constexpr std::size_t max_hazard_covers = 8;

// The farmers' bit: source 0.
inline constexpr std::uint8_t farmer_cover_bit = 1;

// The k-th retention programme's bit: source k + 1 (the price shocks follow the programmes).
inline constexpr std::uint8_t programme_cover_bit(std::size_t k) {
    return static_cast<std::uint8_t>(2U << k);
}

// A factor for each cover mask (an account's sources of coverage), index 0 = not covered.
using CoverFactors = std::array<double, std::size_t{1} << max_hazard_covers>;

}  // namespace cohortsim
