#pragma once
// Statistics across replications. Inputs are per-replication values stored by replication
// index and reduced in that fixed order, so results never depend on the thread schedule.
// Knows nothing of customers.

#include <span>
#include <vector>

namespace cohortsim {

// Over the replications where a value is defined (not NaN); NaN where it is defined in none.
struct AcrossReplications {
    std::vector<double> mean;
    std::vector<double> std;        // sample standard deviation (n - 1); 0 for one value
    std::vector<double> stderr_;    // std / sqrt(n)
    std::vector<double> quantiles;  // (levels, columns) row-major
};

// `values` is (rows = replications, columns) row-major; statistics are per column.
AcrossReplications summarise_columns(std::span<const double> values, std::size_t rows,
                                     std::size_t columns, const std::vector<double>& levels);

// Quantile of sorted data by linear interpolation between order statistics (Hyndman & Fan
// type 7, numpy's default), so notebooks recomputing it from paths get the same numbers.
double quantile_of_sorted(std::span<const double> sorted, double level);

}  // namespace cohortsim
