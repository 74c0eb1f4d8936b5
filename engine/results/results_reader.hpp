#pragma once
// Results file (HDF5, format_version 1) -> RunResults, for `cohortsim summary`: what the summary
// and comparisons need, read back exactly as written. Knows nothing of the model.

#include <filesystem>

#include "cohortsim/results.hpp"

namespace cohortsim {

// Reads the root attributes; per scenario (in the order they were run) its attributes, sweep
// values, the mean, std, stderr and quantiles of every metric, and its KPIs; and every
// comparison (mean, std, ci_low, ci_high per metric; KPIs). Paths, cohort matrices and churn
// reasons are left out. Throws InputError when the file is missing or unreadable, is not a
// cohortsim results file, or has a major format_version this engine does not read.
RunResults read_results(const std::filesystem::path& path);

}  // namespace cohortsim
