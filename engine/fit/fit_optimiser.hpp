#pragma once
// Small unconstrained minimisers for smooth objectives of a few variables (the retention fits),
// written here rather than taken from a library: Nelder-Mead for robustness far from the
// optimum, Newton with finite-difference derivatives for precision near it. Knows nothing of
// retention.

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace cohortsim {

// Returns +infinity outside the region where it is defined.
using Objective = std::function<double(std::span<const double>)>;

struct Minimum {
    std::vector<double> x;
    double value = 0.0;
    int evaluations = 0;
    bool converged = false;
};

// Nelder-Mead (Lagarias et al. 1998 coefficients) from `start` with an initial simplex of
// `step` along each axis, restarted from its best point until a restart no longer improves.
Minimum nelder_mead(const Objective& objective, std::vector<double> start, double step,
                    int max_evaluations = 20000);

// Newton steps with a backtracking line search, from a point near a minimum.
Minimum newton_polish(const Objective& objective, Minimum from, int max_iterations = 30);

// Central-difference Hessian (row-major) with step h; nullopt if the objective is not finite
// at every point it needs.
std::optional<std::vector<double>> numerical_hessian(const Objective& objective,
                                                     std::span<const double> x, double h,
                                                     int* evaluations = nullptr);

// Inverse of a symmetric positive-definite matrix (row-major, n x n) by Cholesky; nullopt if it
// is not positive definite.
std::optional<std::vector<double>> inverse_positive_definite(std::span<const double> matrix,
                                                             std::size_t n);

}  // namespace cohortsim
