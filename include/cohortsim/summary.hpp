#pragma once
// The readable summary of a run: key figures per scenario at the horizon, mean with a 90%
// interval across replications.

#include <string>

#include "cohortsim/results.hpp"

namespace cohortsim {

std::string format_summary(const RunResults& results);

}  // namespace cohortsim
