#include "fit_optimiser.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cohortsim {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Counts evaluations and maps NaN to +infinity, so that comparisons stay meaningful.
class Counted {
  public:
    explicit Counted(const Objective& objective) : objective_(objective) {}
    double operator()(std::span<const double> x) {
        ++evaluations_;
        const double value = objective_(x);
        return std::isnan(value) ? infinity : value;
    }
    int evaluations() const { return evaluations_; }

  private:
    const Objective& objective_;
    int evaluations_ = 0;
};

std::optional<std::vector<double>> cholesky(std::span<const double> a, std::size_t n) {
    std::vector<double> lower(n * n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        double diagonal = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k)
            diagonal -= lower[j * n + k] * lower[j * n + k];
        if (!(diagonal > 0.0) || !std::isfinite(diagonal)) return std::nullopt;
        lower[j * n + j] = std::sqrt(diagonal);
        for (std::size_t i = j + 1; i < n; ++i) {
            double sum = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k)
                sum -= lower[i * n + k] * lower[j * n + k];
            lower[i * n + j] = sum / lower[j * n + j];
        }
    }
    return lower;
}

// Solves L L^T x = b.
std::vector<double> solve_cholesky(const std::vector<double>& lower, std::vector<double> b) {
    const std::size_t n = b.size();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < i; ++k)
            b[i] -= lower[i * n + k] * b[k];
        b[i] /= lower[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t k = i + 1; k < n; ++k)
            b[i] -= lower[k * n + i] * b[k];
        b[i] /= lower[i * n + i];
    }
    return b;
}

struct Derivatives {
    std::vector<double> gradient;
    std::vector<double> hessian;  // row-major
};

// Central differences: f(x +- h e_i) give the gradient and the diagonal, four corners each
// off-diagonal entry. h ~ eps^(1/4) balances truncation against rounding for the Hessian.
std::optional<Derivatives> derivatives(Counted& f, std::span<const double> x, double h) {
    const std::size_t n = x.size();
    std::vector<double> point(x.begin(), x.end());
    const auto at = [&](std::size_t i, double di, std::size_t j, double dj) {
        point.assign(x.begin(), x.end());
        point[i] += di;
        point[j] += dj;
        return f(point);
    };
    const double centre = f(x);
    Derivatives result{std::vector<double>(n), std::vector<double>(n * n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double plus = at(i, h, i, 0.0);
        const double minus = at(i, -h, i, 0.0);
        result.gradient[i] = (plus - minus) / (2.0 * h);
        result.hessian[i * n + i] = (plus - 2.0 * centre + minus) / (h * h);
        for (std::size_t j = 0; j < i; ++j) {
            const double value =
                (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) /
                (4.0 * h * h);
            result.hessian[i * n + j] = value;
            result.hessian[j * n + i] = value;
        }
    }
    const bool finite = std::isfinite(centre) &&
                        std::all_of(result.hessian.begin(), result.hessian.end(),
                                    [](double v) { return std::isfinite(v); }) &&
                        std::all_of(result.gradient.begin(), result.gradient.end(),
                                    [](double v) { return std::isfinite(v); });
    if (!finite) return std::nullopt;
    return result;
}

Minimum nelder_mead_once(Counted& f, const std::vector<double>& start, double step,
                         int max_evaluations) {
    const std::size_t n = start.size();
    std::vector<std::vector<double>> points(n + 1, start);
    for (std::size_t i = 0; i < n; ++i)
        points[i + 1][i] += step;
    std::vector<double> values(n + 1);
    for (std::size_t i = 0; i <= n; ++i)
        values[i] = f(points[i]);
    std::vector<std::size_t> order(n + 1);

    const auto along = [&](const std::vector<double>& from, const std::vector<double>& to,
                           double t) {
        std::vector<double> result(n);
        for (std::size_t k = 0; k < n; ++k)
            result[k] = from[k] + t * (to[k] - from[k]);
        return result;
    };

    bool converged = false;
    while (f.evaluations() < max_evaluations) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
        const std::size_t best = order.front();
        const std::size_t worst = order.back();
        const std::size_t second_worst = order[n - 1];

        double size = 0.0;
        for (std::size_t i = 0; i <= n; ++i) {
            for (std::size_t k = 0; k < n; ++k)
                size = std::max(size, std::abs(points[i][k] - points[best][k]));
        }
        const double spread = values[worst] - values[best];
        if (size <= 1e-9 || (spread <= 1e-13 * (1.0 + std::abs(values[best])) && size <= 1e-6)) {
            converged = true;
            break;
        }

        std::vector<double> centroid(n, 0.0);
        for (std::size_t i = 0; i <= n; ++i) {
            if (i == worst) continue;
            for (std::size_t k = 0; k < n; ++k)
                centroid[k] += points[i][k] / static_cast<double>(n);
        }
        const std::vector<double> reflected = along(centroid, points[worst], -1.0);
        const double f_reflected = f(reflected);
        if (f_reflected < values[best]) {
            const std::vector<double> expanded = along(centroid, points[worst], -2.0);
            const double f_expanded = f(expanded);
            if (f_expanded < f_reflected) {
                points[worst] = expanded;
                values[worst] = f_expanded;
            } else {
                points[worst] = reflected;
                values[worst] = f_reflected;
            }
            continue;
        }
        if (f_reflected < values[second_worst]) {
            points[worst] = reflected;
            values[worst] = f_reflected;
            continue;
        }
        const bool outside = f_reflected < values[worst];
        const std::vector<double> contracted =
            outside ? along(centroid, reflected, 0.5) : along(centroid, points[worst], 0.5);
        const double f_contracted = f(contracted);
        if (f_contracted < (outside ? f_reflected : values[worst])) {
            points[worst] = contracted;
            values[worst] = f_contracted;
            continue;
        }
        for (std::size_t i = 0; i <= n; ++i) {  // shrink towards the best point
            if (i == best) continue;
            points[i] = along(points[best], points[i], 0.5);
            values[i] = f(points[i]);
        }
    }
    const auto best =
        static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
    return {points[best], values[best], f.evaluations(), converged};
}

}  // namespace

Minimum nelder_mead(const Objective& objective, std::vector<double> start, double step,
                    int max_evaluations) {
    Counted f(objective);
    Minimum result = nelder_mead_once(f, start, step, max_evaluations);
    // A collapsed simplex can stall off the minimum; a fresh one from the best point either
    // moves on or confirms it.
    for (int restart = 0; restart < 10 && f.evaluations() < max_evaluations; ++restart) {
        const Minimum again = nelder_mead_once(f, result.x, step, max_evaluations);
        const bool improved = again.value < result.value - 1e-12 * (1.0 + std::abs(result.value));
        if (again.value <= result.value) result = again;
        if (!improved) break;
    }
    result.evaluations = f.evaluations();
    return result;
}

Minimum newton_polish(const Objective& objective, Minimum from, int max_iterations) {
    Counted f(objective);
    const std::size_t n = from.x.size();
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
        const std::optional<Derivatives> d = derivatives(f, from.x, 1e-4);
        if (!d) break;
        const std::optional<std::vector<double>> lower = cholesky(d->hessian, n);
        if (!lower) break;  // not locally convex: leave the point as Nelder-Mead left it
        std::vector<double> minus_gradient(n);
        for (std::size_t i = 0; i < n; ++i)
            minus_gradient[i] = -d->gradient[i];
        const std::vector<double> direction = solve_cholesky(*lower, minus_gradient);
        double length = 0.0;
        for (double component : direction)
            length = std::max(length, std::abs(component));
        if (length < 1e-10) {
            from.converged = true;
            break;
        }
        bool moved = false;
        for (double t = 1.0; t > 1e-6; t *= 0.5) {
            std::vector<double> trial = from.x;
            for (std::size_t i = 0; i < n; ++i)
                trial[i] += t * direction[i];
            const double value = f(trial);
            if (value < from.value) {
                from.x = trial;
                from.value = value;
                moved = true;
                break;
            }
        }
        // No descent along a tiny Newton step: the minimum is found to rounding precision.
        if (!moved || length < 1e-7) {
            from.converged = from.converged || length < 1e-5;
            break;
        }
    }
    from.evaluations += f.evaluations();
    return from;
}

std::optional<std::vector<double>> numerical_hessian(const Objective& objective,
                                                     std::span<const double> x, double h,
                                                     int* evaluations) {
    Counted f(objective);
    std::optional<Derivatives> d = derivatives(f, x, h);
    if (evaluations != nullptr) *evaluations += f.evaluations();
    if (!d) return std::nullopt;
    return std::move(d->hessian);
}

std::optional<std::vector<double>> inverse_positive_definite(std::span<const double> matrix,
                                                             std::size_t n) {
    const std::optional<std::vector<double>> lower = cholesky(matrix, n);
    if (!lower) return std::nullopt;
    std::vector<double> inverse(n * n);
    for (std::size_t column = 0; column < n; ++column) {
        std::vector<double> unit(n, 0.0);
        unit[column] = 1.0;
        const std::vector<double> solved = solve_cholesky(*lower, unit);
        for (std::size_t row = 0; row < n; ++row)
            inverse[row * n + column] = solved[row];
    }
    return inverse;
}

}  // namespace cohortsim
