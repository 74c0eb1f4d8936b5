// The BdW survival S(t) = B(alpha, beta + t^c) / B(alpha, beta) (sBG when c = 1, docs/model.md 4.1)
// and the right-censored cohort log-likelihood, computed in log space so that large cohorts,
// old ages and near-zero churn neither underflow nor cancel.

#include "fit_likelihood.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

namespace cohortsim {

namespace {

namespace policies = boost::math::policies;
// Errors become NaN or infinity, handled below; the optimiser probes extreme parameters.
using Quiet = policies::policy<
    policies::domain_error<policies::ignore_error>, policies::pole_error<policies::ignore_error>,
    policies::overflow_error<policies::ignore_error>,
    policies::evaluation_error<policies::ignore_error>, policies::promote_double<false>>;

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// log Gamma(x + delta) / Gamma(x). tgamma_delta_ratio is accurate for the small steps in t^c
// that old ages produce with c < 1; the plain difference serves where the ratio underflows.
double log_gamma_ratio(double x, double delta) {
    if (delta == 0.0) return 0.0;
    if (delta == 1.0) return std::log(x);
    const double ratio = boost::math::tgamma_delta_ratio(x, delta, Quiet());  // G(x)/G(x+d)
    if (std::isnormal(ratio) && std::isfinite(ratio)) return -std::log(ratio);
    return boost::math::lgamma(x + delta, Quiet()) - boost::math::lgamma(x, Quiet());
}

// log S(t) - log S(t-1) for the BdW model: B(a, b + k1) / B(a, b + k0) with k = t^c.
double log_survival_step(double alpha, double beta, double c, int t) {
    if (c == 1.0) return -std::log1p(alpha / (beta + t - 1));  // sBG: (b + t - 1)/(a + b + t - 1)
    const double k0 = std::pow(t - 1, c);
    const double step = std::pow(t, c) - k0;
    return log_gamma_ratio(beta + k0, step) - log_gamma_ratio(alpha + beta + k0, step);
}

// log(S(t-1) - S(t)) - log S(t-1), the log of the hazard at age t.
double log_hazard(double alpha, double beta, double c, int t, double log_step) {
    if (c == 1.0) return std::log(alpha / (alpha + beta + t - 1));
    const double hazard = -std::expm1(log_step);
    return hazard > 0.0 ? std::log(hazard) : minus_infinity;
}

}  // namespace

PooledCounts pool_counts(const CohortData& data) {
    std::size_t ages = 0;
    for (const ObservedCohort& cohort : data.cohorts)
        ages = std::max(ages, cohort.active.size());
    PooledCounts counts;
    counts.churned.assign(ages, 0.0);
    counts.censored.assign(ages, 0.0);
    counts.observed.assign(ages, 0.0);
    counts.at_start.assign(ages, 0.0);
    for (const ObservedCohort& cohort : data.cohorts) {
        if (cohort.active.empty()) continue;
        const std::size_t last = cohort.active.size() - 1;
        for (std::size_t t = 0; t <= last; ++t) {
            counts.observed[t] += cohort.active[t];
            counts.at_start[t] += cohort.active.front();
            if (t > 0) counts.churned[t] += cohort.active[t - 1] - cohort.active[t];
        }
        counts.censored[last] += cohort.active[last];
    }
    return counts;
}

double log_likelihood(const PooledCounts& counts, double alpha, double beta, double c) {
    if (!(alpha > 0.0 && beta > 0.0 && c > 0.0) || !std::isfinite(alpha + beta + c))
        return minus_infinity;
    double total = 0.0;  // customers censored at age 0 add log S(0) = 0
    double log_s = 0.0;  // log S(t - 1)
    for (int t = 1; t <= counts.last_period(); ++t) {
        const double step = log_survival_step(alpha, beta, c, t);
        const auto index = static_cast<std::size_t>(t);
        if (counts.churned[index] > 0.0)
            total += counts.churned[index] * (log_s + log_hazard(alpha, beta, c, t, step));
        log_s += step;
        if (counts.censored[index] > 0.0) total += counts.censored[index] * log_s;
        if (std::isnan(total)) return minus_infinity;
    }
    return total;
}

double retention_survival(double alpha, double beta, double c, double t) {
    if (t <= 0.0) return 1.0;
    const double k = std::pow(t, c);
    return std::exp(log_gamma_ratio(beta, k) - log_gamma_ratio(alpha + beta, k));
}

double retention_log_likelihood(const CohortData& data, double alpha, double beta, double c) {
    return log_likelihood(pool_counts(data), alpha, beta, c);
}

}  // namespace cohortsim
