#pragma once
// Results file (HDF5, format_version 1) -> RunResults, read back exactly as written: what
// `cohortsim summary` and a program embedding the engine read. Knows nothing of the model.

#include <filesystem>

#include "cohortsim/results.hpp"

namespace cohortsim {

// Reads the root attributes; per scenario (in the order they were run) its attributes, sweep
// values, the mean, std, stderr and quantiles of every metric (and its paths, when the run kept
// them), the cohort matrices, the churn reasons and its KPIs; and every comparison (mean, std,
// ci_low, ci_high per metric; KPIs): the RunResults that was written. Throws InputError when the
// file is missing or unreadable, is not a cohortsim results file, or has a major format_version
// this engine does not read.
RunResults read_results(const std::filesystem::path& path);

}  // namespace cohortsim
