#pragma once
// The readable summary of a run: the headline KPIs per scenario at the horizon (mean with a 90%
// interval across replications), then each scenario's paired differences against the first
// (mean with a confidence interval, and P(better)). `run` prints it from the results in memory,
// `summary` from a results file read back: the same numbers either way. Undefined values (NaN,
// or a KPI's fill value) print as "-" in the text and as an empty cell in the CSV.

#include <cstddef>
#include <string>
#include <vector>

#include "cohortsim/results.hpp"

namespace cohortsim {

struct SummaryOptions {
    // The text's width in columns: a KPI table wider than this is cut into blocks of columns,
    // each with the scenario names. 0: one table however wide.
    std::size_t width = 100;
    // The KPIs shown, by name: a headline KPI (comparisons.hpp), any metric of the results (at
    // `month`) or a per-replication KPI. Empty: the headline KPIs, then each comparison's ROI and
    // break-even month.
    std::vector<std::string> kpis;
    // The month the metrics are read at; -1: the horizon. A paired difference at another month
    // has no P(better): that needs each replication's values, which the results keep only at the
    // horizon (or as paths).
    int month = -1;
};

// Aligned text tables.
std::string format_summary(const RunResults& results, const SummaryOptions& options = {});

// The same figures as CSV, one row per (scenario, KPI), each number as the shortest text that
// reads back as the file's double; an empty cell where a figure does not apply or is undefined.
// Throws InputError for a KPI the results do not have or a month outside 0..horizon.
std::string format_summary_csv(const RunResults& results, const SummaryOptions& options = {});

}  // namespace cohortsim
