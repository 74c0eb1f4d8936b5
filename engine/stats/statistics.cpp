#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cohortsim {

double quantile_of_sorted(std::span<const double> sorted, double level) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double position = level * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

AcrossReplications summarise_columns(std::span<const double> values, std::size_t rows,
                                     std::size_t columns, const std::vector<double>& levels) {
    constexpr double undefined = std::numeric_limits<double>::quiet_NaN();
    AcrossReplications out;
    out.mean.assign(columns, undefined);
    out.std.assign(columns, undefined);
    out.stderr_.assign(columns, undefined);
    out.quantiles.assign(levels.size() * columns, undefined);
    std::vector<double> column;
    column.reserve(rows);
    for (std::size_t j = 0; j < columns; ++j) {
        // NaN marks a replication where the value is undefined: it has no say.
        column.clear();
        for (std::size_t r = 0; r < rows; ++r) {
            const double v = values[r * columns + j];
            if (!std::isnan(v)) column.push_back(v);
        }
        if (column.empty()) continue;
        const double n = static_cast<double>(column.size());
        double sum = 0.0;
        for (double v : column)
            sum += v;
        const double mean = sum / n;
        // Two passes: the textbook one-pass formula loses digits when the mean is large.
        double squares = 0.0;
        for (double v : column)
            squares += (v - mean) * (v - mean);
        const double sd = column.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
        out.mean[j] = mean;
        out.std[j] = sd;
        out.stderr_[j] = sd / std::sqrt(n);
        std::sort(column.begin(), column.end());
        for (std::size_t q = 0; q < levels.size(); ++q) {
            out.quantiles[q * columns + j] = quantile_of_sorted(column, levels[q]);
        }
    }
    return out;
}

}  // namespace cohortsim
