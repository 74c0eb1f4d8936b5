#pragma once
// Why a customer left: the competing risks of docs/model.md 4.4. What a scenario configures
// (reason shares, farmers' multipliers by reason) and what a run reports (churn_reasons/<name>)
// both index by them, so they have a header of their own.

#include <array>
#include <cstddef>
#include <cstdint>

namespace cohortsim {

// Why a customer left. The order is part of the results format (churn_reasons/<name>).
enum class ChurnReason : std::uint8_t {
    unavoidable,         // business closed, acquired, restructured, cash trouble (seed 000)
    no_roi,              // never saw the return it bought the product for (seed 004)
    stalled_onboarding,  // left before reaching its required outcome (seeds 000, 004)
    sponsor_change,      // the champion left (seeds 000, 004)
    low_adoption,        // onboarded but hardly used (seed 004)
    product_gap,         // missing capability (seed 004)
    performance,         // support tickets, outages (seeds 003, 004)
    human_factors,       // relationship, service attitude (seed 004)
};
inline constexpr std::size_t churn_reason_count = 8;
const char* churn_reason_name(ChurnReason reason);

// Reasons that share the avoidable baseline hazard (the others come from their own mechanisms).
inline constexpr std::array<ChurnReason, 6> baseline_reasons = {
    ChurnReason::no_roi,      ChurnReason::sponsor_change, ChurnReason::low_adoption,
    ChurnReason::product_gap, ChurnReason::performance,    ChurnReason::human_factors};

}  // namespace cohortsim
