#pragma once
// The readable summary of a run: the headline KPIs per scenario at the horizon (mean with a 90%
// interval across replications), then each scenario's paired differences against the first
// (mean with a confidence interval, and P(better)). `run` prints it from the results in memory,
// `summary` from a results file read back: the same numbers either way. Undefined values (NaN,
// or a KPI's fill value) print as "-" in the text and as an empty cell in the CSV.

#include <cstddef>
#include <string>

#include "cohortsim/results.hpp"

namespace cohortsim {

struct SummaryOptions {
    // The text's width in columns: a KPI table wider than this is cut into blocks of columns,
    // each with the scenario names. 0: one table however wide.
    std::size_t width = 100;
};

// Aligned text tables.
std::string format_summary(const RunResults& results, const SummaryOptions& options = {});

// The same figures as CSV, one row per (scenario, KPI), each number as the shortest text that
// reads back as the file's double; an empty cell where a figure does not apply or is undefined.
std::string format_summary_csv(const RunResults& results);

}  // namespace cohortsim
