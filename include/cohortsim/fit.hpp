#pragma once
// Calibration of the baseline retention model (docs/model.md 4.1) from observed cohorts: maximum
// likelihood fits of the shifted-beta-geometric (sBG) and beta-discrete-Weibull (BdW) models to
// one or several right-censored cohorts, as `cohortsim fit` reports them (CONTRACT.md,
// "Calibration input").

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cohortsim {

// One observed cohort: active[t] customers still active at age t = 0..T; active[0] is the
// cohort's size. Counts are real so that pooled or weighted counts need no rounding.
struct ObservedCohort {
    std::string name;  // the `cohort` column; empty in a single-cohort file
    std::vector<double> active;
    std::size_t first_line = 0;  // line of the cohort's first row in the file (0 = built in code)
};

struct CohortData {
    std::string source;  // the file, as messages name it
    std::vector<ObservedCohort> cohorts;
};

// Reads a CSV with a header: `period,active` (one cohort) or `cohort,period,active` (several,
// of different lengths), columns in any order. Throws InputError naming file, line, column and
// value for a missing file, an empty file, a missing header or column, an unknown column, a
// non-numeric, negative or fractional period, a non-numeric or negative count, survivors that
// increase, a cohort without period 0, or duplicated or missing periods.
CohortData read_cohort_csv(const std::filesystem::path& path);
// The same from text already in memory; `source` names it in messages.
CohortData parse_cohort_csv(std::string_view text, const std::string& source);

enum class SurvivalModel {
    sbg,  // S(t) = B(alpha, beta + t) / B(alpha, beta)
    bdw,  // S(t) = B(alpha, beta + t^c) / B(alpha, beta)
};

std::string_view model_name(SurvivalModel model);  // "sbg" or "bdw"
// Throws InputError unless `name` is "sbg" or "bdw".
SurvivalModel parse_model_name(std::string_view name);

// Survival S(t) = B(alpha, beta + t^c) / B(alpha, beta) of the BdW model (sBG when c = 1).
double retention_survival(double alpha, double beta, double c, double t);

// Log-likelihood of the data: customers who churned in period t contribute
// log(S(t-1) - S(t)) each, those still active at a cohort's last period T contribute log S(T)
// (right censoring). -infinity where the parameters make the data impossible.
double retention_log_likelihood(const CohortData& data, double alpha, double beta, double c = 1.0);

struct FitParameter {
    std::string name;  // alpha, beta, c
    double estimate = 0.0;
    double standard_error = 0.0;  // NaN when the observed information matrix is singular
};

// Observed against fitted active customers at one age, summed over the cohorts observed there.
struct FitCheckRow {
    int period = 0;
    double observed = 0.0;
    double fitted = 0.0;
};

struct FitResult {
    SurvivalModel model = SurvivalModel::sbg;
    std::vector<FitParameter> parameters;  // alpha, beta, then c for BdW
    double c = 1.0;                        // the fitted c, or 1 for sBG
    // Inverse observed information in natural units, parameters' order, row-major.
    std::vector<double> covariance;
    double log_likelihood = 0.0;
    double aic = 0.0;  // 2k - 2 log-likelihood
    std::size_t cohorts = 0;
    double customers = 0.0;  // sum of the cohorts' sizes
    int last_period = 0;     // the oldest age observed
    bool converged = false;
    int evaluations = 0;  // of the log-likelihood, over all starts and the polish
    std::vector<FitCheckRow> fit_check;
    std::vector<std::string> warnings;  // e.g. an estimate at its search bound

    const FitParameter& parameter(std::string_view name) const;
};

// Maximum likelihood over log-parameters (Nelder-Mead from the best of a small grid, then a
// Newton polish); standard errors from the inverse of the observed information matrix.
// Throws InputError when the data hold no period after 0 to learn from.
FitResult fit_retention(const CohortData& data, SurvivalModel model);

// Parameters with standard errors, log-likelihood, AIC, observed vs fitted, and the snippet.
std::string format_fit_table(const FitResult& result, const CohortData& data);
// A `[retention]` table (alpha, beta, c) ready to paste into a scenario.
std::string format_fit_toml(const FitResult& result);
// One JSON object with everything the table shows, numbers at full precision.
std::string format_fit_json(const FitResult& result, const CohortData& data);

}  // namespace cohortsim
