#pragma once
// The readable summary of a run: the headline KPIs per scenario at the horizon (mean with a 90%
// interval across replications), then each scenario's paired differences against the first
// (mean with a confidence interval, and P(better)). `run` prints it from the results in memory,
// `summary` from a results file read back: the same numbers either way.

#include <string>

#include "cohortsim/results.hpp"

namespace cohortsim {

// An aligned text table.
std::string format_summary(const RunResults& results);

// The same figures as CSV, one row per (scenario, KPI), each number as the shortest text that
// reads back as the file's double; an empty cell where a figure does not apply or is undefined.
std::string format_summary_csv(const RunResults& results);

}  // namespace cohortsim
