// Maximum likelihood fit of the retention model to observed cohorts: the search runs over
// log-parameters (positive by construction, and the likelihood is much rounder there), the
// standard errors come back to natural units by the delta method.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>

#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"
#include "fit_likelihood.hpp"
#include "fit_optimiser.hpp"

namespace cohortsim {

namespace {

struct Bound {
    const char* name;
    double low;
    double high;
    double scenario_max;  // the largest value a scenario accepts (engine/scenario/params.cpp)
};

// Wide enough for any plausible cohort; an estimate that runs to a bound is not identified.
constexpr Bound bounds[] = {
    {"alpha", 1e-6, 1e7, 1e4},
    {"beta", 1e-6, 1e7, 1e4},
    {"c", 1e-2, 20.0, 10.0},
};

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

class RetentionFit {
  public:
    RetentionFit(const PooledCounts& counts, SurvivalModel model)
        : counts_(counts), dimension_(model == SurvivalModel::bdw ? 3 : 2) {}

    // Minus the log-likelihood at log-parameters x; +infinity outside the search bounds.
    double operator()(std::span<const double> x) const {
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!(x[i] >= std::log(bounds[i].low) && x[i] <= std::log(bounds[i].high)))
                return std::numeric_limits<double>::infinity();
        }
        const double c = x.size() > 2 ? std::exp(x[2]) : 1.0;
        return -log_likelihood(counts_, std::exp(x[0]), std::exp(x[1]), c);
    }

    std::size_t dimension() const { return dimension_; }

  private:
    const PooledCounts& counts_;
    std::size_t dimension_;
};

// The best few points of a coarse grid: Nelder-Mead then starts in the right basin even when
// the data sit far from alpha = beta = 1 (e.g. slow churn with beta in the hundreds).
std::vector<std::vector<double>> starting_points(const RetentionFit& fit, std::size_t keep) {
    const double alphas[] = {0.1, 0.4, 1.5, 6.0, 25.0};
    const double betas[] = {0.3, 1.5, 6.0, 30.0, 150.0, 1000.0};
    const double cs[] = {0.5, 1.0, 1.8};
    std::vector<std::pair<double, std::vector<double>>> scored;
    for (double alpha : alphas) {
        for (double beta : betas) {
            for (double c : cs) {
                std::vector<double> x = {std::log(alpha), std::log(beta)};
                if (fit.dimension() > 2) x.push_back(std::log(c));
                scored.emplace_back(fit(x), x);
                if (fit.dimension() == 2) break;
            }
        }
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::vector<double>> starts;
    for (std::size_t i = 0; i < std::min(keep, scored.size()); ++i)
        starts.push_back(scored[i].second);
    return starts;
}

Minimum maximise(const RetentionFit& fit, std::vector<std::vector<double>> starts) {
    const Objective objective = [&fit](std::span<const double> x) { return fit(x); };
    Minimum best;
    best.value = std::numeric_limits<double>::infinity();
    int evaluations = 0;
    for (const std::vector<double>& start : starts) {
        const Minimum found = nelder_mead(objective, start, 0.3);
        evaluations += found.evaluations;
        if (best.x.empty() || found.value < best.value) best = found;
    }
    best.evaluations = evaluations;
    return newton_polish(objective, best);
}

void add_warnings(FitResult& result, bool information_ok) {
    if (!result.converged) {
        result.warnings.push_back(
            "the optimiser did not converge; treat the estimates with caution");
    }
    for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const FitParameter& parameter = result.parameters[i];
        const double from_bound = std::min(std::log(parameter.estimate / bounds[i].low),
                                           std::log(bounds[i].high / parameter.estimate));
        if (from_bound < 0.05) {
            result.warnings.push_back(parameter.name + " ran to the search bound (" +
                                      number_text(parameter.estimate) +
                                      "): the data do not identify it");
        } else if (parameter.estimate > bounds[i].scenario_max) {
            result.warnings.push_back(parameter.name + " = " + number_text(parameter.estimate) +
                                      " is above what a scenario accepts (<= " +
                                      number_text(bounds[i].scenario_max) + ")");
        }
    }
    const double alpha = result.parameters[0].estimate;
    const double beta = result.parameters[1].estimate;
    if (alpha > 1e3 && beta > 1e3) {
        result.warnings.push_back(
            "alpha and beta are both very large: churn hardly varies between customers, and a "
            "constant monthly churn of alpha/(alpha+beta) = " +
            number_text(alpha / (alpha + beta)) + " describes the data as well");
    }
    // A cohort observed for T periods is a multinomial over T + 1 outcomes: T free numbers.
    const std::size_t k = result.parameters.size();
    if (result.last_period < static_cast<int>(k)) {
        result.warnings.push_back("only " + std::to_string(result.last_period) +
                                  " period(s) of churn for " + std::to_string(k) +
                                  " parameters: the estimates are not identified (other values fit "
                                  "as well); give more periods" +
                                  (k > 2 ? " or use --model sbg" : ""));
    }
    if (!information_ok) {
        result.warnings.push_back(
            "the observed information matrix is not positive definite at the estimate: "
            "standard errors are unavailable (too few periods or cohorts for this model?)");
    }
}

}  // namespace

std::string_view model_name(SurvivalModel model) {
    return model == SurvivalModel::bdw ? "bdw" : "sbg";
}

SurvivalModel parse_model_name(std::string_view name) {
    if (name == "sbg") return SurvivalModel::sbg;
    if (name == "bdw") return SurvivalModel::bdw;
    throw InputError("--model '" + std::string(name) +
                     "': unknown model; allowed: sbg (shifted-beta-geometric), bdw "
                     "(beta-discrete-Weibull)");
}

const FitParameter& FitResult::parameter(std::string_view name) const {
    for (const FitParameter& p : parameters) {
        if (p.name == name) return p;
    }
    throw std::invalid_argument("no fitted parameter '" + std::string(name) + "'");
}

FitResult fit_retention(const CohortData& data, SurvivalModel model) {
    const PooledCounts counts = pool_counts(data);
    if (counts.last_period() < 1) {
        throw InputError(data.source +
                         ": no cohort is observed after period 0, so there is no churn to fit; "
                         "give each cohort's active customers at periods 0, 1, 2, ...");
    }

    std::vector<std::vector<double>> starts = starting_points(RetentionFit(counts, model), 3);
    if (model == SurvivalModel::bdw) {
        // The sBG optimum is the BdW model at c = 1: a start that is never worse than sBG.
        const Minimum sbg = maximise(RetentionFit(counts, SurvivalModel::sbg),
                                     starting_points(RetentionFit(counts, SurvivalModel::sbg), 3));
        starts.push_back({sbg.x[0], sbg.x[1], 0.0});
    }
    const RetentionFit fit(counts, model);
    const Minimum best = maximise(fit, starts);

    FitResult result;
    result.model = model;
    result.log_likelihood = -best.value;
    result.evaluations = best.evaluations;
    result.converged = best.converged;
    const std::size_t k = fit.dimension();
    result.aic = 2.0 * static_cast<double>(k) - 2.0 * result.log_likelihood;
    for (std::size_t i = 0; i < k; ++i) {
        result.parameters.push_back(
            {bounds[i].name, std::exp(best.x[i]), std::numeric_limits<double>::quiet_NaN()});
    }
    result.c = k > 2 ? result.parameters[2].estimate : 1.0;

    // Observed information in log-parameters, then the delta method: at the maximum the
    // gradient vanishes, so Cov(theta_i, theta_j) = theta_i theta_j Cov(log theta_i, log theta_j).
    const Objective objective = [&fit](std::span<const double> x) { return fit(x); };
    const std::optional<std::vector<double>> information =
        numerical_hessian(objective, best.x, 1e-4, &result.evaluations);
    std::optional<std::vector<double>> covariance;
    if (information) covariance = inverse_positive_definite(*information, k);
    result.covariance.assign(k * k, std::numeric_limits<double>::quiet_NaN());
    if (covariance) {
        for (std::size_t i = 0; i < k; ++i) {
            for (std::size_t j = 0; j < k; ++j) {
                result.covariance[i * k + j] = result.parameters[i].estimate *
                                               result.parameters[j].estimate *
                                               (*covariance)[i * k + j];
            }
            result.parameters[i].standard_error = std::sqrt(result.covariance[i * k + i]);
        }
    }

    result.cohorts = data.cohorts.size();
    result.customers = counts.at_start.front();
    result.last_period = counts.last_period();
    for (int t = 0; t <= counts.last_period(); ++t) {
        const auto index = static_cast<std::size_t>(t);
        const double survival =
            retention_survival(result.parameters[0].estimate, result.parameters[1].estimate,
                               result.c, static_cast<double>(t));
        result.fit_check.push_back({t, counts.observed[index], counts.at_start[index] * survival});
    }
    add_warnings(result, covariance.has_value());
    return result;
}

}  // namespace cohortsim
