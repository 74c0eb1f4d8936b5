#pragma once
// A customer's hazard budget (Population::budget): an Exp(1) amount of cumulative hazard. It is
// drawn when the customer joins and again whenever its hazards start over (an intent formed, a
// save, a cure, a win-back); memorylessness makes a fresh draw exact.

#include <cstdint>

#include "cohortsim/random.hpp"

namespace cohortsim {

// The Exp(1) budget of the customer with key `customer_key`, for `purpose`, drawn in `month`.
double fresh_budget(std::uint64_t customer_key, Purpose purpose, int month);

}  // namespace cohortsim
