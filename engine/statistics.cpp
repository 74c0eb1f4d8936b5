#include "statistics.hpp"

#include <algorithm>
#include <cmath>

namespace cohortsim {

double quantile_of_sorted(std::span<const double> sorted, double level) {
    if (sorted.empty()) return 0.0;
    const double position = level * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

AcrossReplications summarise_columns(std::span<const double> values, std::size_t rows,
                                     std::size_t columns, const std::vector<double>& levels) {
    AcrossReplications out;
    out.mean.assign(columns, 0.0);
    out.std.assign(columns, 0.0);
    out.stderr_.assign(columns, 0.0);
    out.quantiles.assign(levels.size() * columns, 0.0);
    std::vector<double> column(rows);
    const double n = static_cast<double>(rows);
    for (std::size_t j = 0; j < columns; ++j) {
        for (std::size_t r = 0; r < rows; ++r)
            column[r] = values[r * columns + j];
        double sum = 0.0;
        for (double v : column)
            sum += v;
        const double mean = sum / n;
        // Two passes: the textbook one-pass formula loses digits when the mean is large.
        double squares = 0.0;
        for (double v : column)
            squares += (v - mean) * (v - mean);
        const double sd = rows > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
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
