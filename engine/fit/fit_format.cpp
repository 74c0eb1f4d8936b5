// What `cohortsim fit` prints: a table for people, a [retention] snippet for scenario files,
// and one JSON object (full precision, NaN as null) for scripts and notebooks.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "cohortsim/fit.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

namespace {

std::string model_title(SurvivalModel model) {
    return model == SurvivalModel::bdw ? "BdW (beta-discrete-Weibull)"
                                       : "sBG (shifted-beta-geometric)";
}

std::string printf_text(const char* format, double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

// A TOML float: always with a point or an exponent, or the loader would read an integer.
std::string toml_real(double value) {
    std::string text = printf_text("%.6g", value);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    char text[32];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);  // shortest exact
    return error == std::errc() ? std::string(text, end) : "null";
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string standard_error_text(double standard_error) {
    return std::isfinite(standard_error) ? printf_text("%.3g", standard_error) : "n/a";
}

// m = alpha/(alpha+beta) and phi = 1/(alpha+beta+1), the alternative [retention] keys, with
// standard errors by the delta method from the covariance of alpha and beta.
struct DerivedEstimates {
    double mean = 0.0;
    double mean_standard_error = 0.0;
    double polarization = 0.0;
    double polarization_standard_error = 0.0;
};

DerivedEstimates derived_estimates(const FitResult& result) {
    const double alpha = result.parameters[0].estimate;
    const double beta = result.parameters[1].estimate;
    const std::size_t k = result.parameters.size();
    const auto covariance = [&](std::size_t i, std::size_t j) {
        return result.covariance.size() == k * k ? result.covariance[i * k + j]
                                                 : std::numeric_limits<double>::quiet_NaN();
    };
    const double sum = alpha + beta;
    // Gradients with respect to (alpha, beta).
    const double mean_alpha = beta / (sum * sum);
    const double mean_beta = -alpha / (sum * sum);
    const double phi = polarization_of(alpha, beta);
    const double phi_each = -phi * phi;
    const auto delta = [&](double d_alpha, double d_beta) {
        const double variance = d_alpha * d_alpha * covariance(0, 0) +
                                2.0 * d_alpha * d_beta * covariance(0, 1) +
                                d_beta * d_beta * covariance(1, 1);
        return variance >= 0.0 ? std::sqrt(variance) : std::numeric_limits<double>::quiet_NaN();
    };
    return {mean_churn_of(alpha, beta), delta(mean_alpha, mean_beta), phi,
            delta(phi_each, phi_each)};
}

}  // namespace

std::string format_fit_toml(const FitResult& result) {
    std::ostringstream out;
    out << "# " << (result.model == SurvivalModel::bdw ? "BdW" : "sBG") << " fit: log-likelihood "
        << printf_text("%.2f", result.log_likelihood) << ", AIC " << printf_text("%.2f", result.aic)
        << '\n';
    out << "[retention]\n";
    for (const FitParameter& parameter : result.parameters) {
        out << parameter.name << " = " << toml_real(parameter.estimate) << "  # standard error "
            << standard_error_text(parameter.standard_error) << '\n';
    }
    if (result.model == SurvivalModel::sbg) out << "c = 1.0  # sBG: no duration dependence\n";
    const DerivedEstimates derived = derived_estimates(result);
    out << "# the same prior as mean_monthly_churn = " << toml_real(derived.mean)
        << ", polarization = " << toml_real(derived.polarization) << " (either pair, not both)\n";
    return out.str();
}

std::string format_fit_table(const FitResult& result, const CohortData& data) {
    std::ostringstream out;
    out << data.source << ": " << result.cohorts
        << (result.cohorts == 1 ? " cohort, " : " cohorts, ")
        << printf_text("%.10g", result.customers) << " customers, periods 0-" << result.last_period
        << '\n';
    out << "model: " << model_title(result.model) << ", maximum likelihood, "
        << (result.converged ? "converged" : "NOT converged") << " (" << result.evaluations
        << " evaluations)\n\n";

    char line[160];
    std::snprintf(line, sizeof line, "%-18s %12s %12s\n", "parameter", "estimate", "std. error");
    out << line;
    for (const FitParameter& parameter : result.parameters) {
        std::snprintf(line, sizeof line, "%-18s %12.6g %12s\n", parameter.name.c_str(),
                      parameter.estimate, standard_error_text(parameter.standard_error).c_str());
        out << line;
    }
    const DerivedEstimates derived = derived_estimates(result);
    out << "\nderived from alpha and beta:\n";
    std::snprintf(line, sizeof line, "%-18s %12.6g %12s   alpha/(alpha+beta), first-month churn\n",
                  "mean_monthly_churn", derived.mean,
                  standard_error_text(derived.mean_standard_error).c_str());
    out << line;
    std::snprintf(line, sizeof line, "%-18s %12.6g %12s   1/(alpha+beta+1)\n", "polarization",
                  derived.polarization,
                  standard_error_text(derived.polarization_standard_error).c_str());
    out << line;
    std::snprintf(line, sizeof line, "\n%-16s %14.4f\n%-16s %14.4f\n", "log-likelihood",
                  result.log_likelihood, "AIC", result.aic);
    out << line;
    for (const std::string& warning : result.warnings)
        out << "warning: " << warning << '\n';

    out << "\nactive customers, observed and fitted"
        << (result.cohorts > 1 ? " (summed over the cohorts observed at each period)" : "")
        << ":\n";
    std::snprintf(line, sizeof line, "%6s %14s %14s\n", "period", "observed", "fitted");
    out << line;
    for (const FitCheckRow& row : result.fit_check) {
        std::snprintf(line, sizeof line, "%6d %14.10g %14.1f\n", row.period, row.observed,
                      row.fitted);
        out << line;
    }
    out << "\nto use it, paste into a scenario:\n\n" << format_fit_toml(result);
    return out.str();
}

std::string format_fit_json(const FitResult& result, const CohortData& data) {
    std::ostringstream out;
    out << "{\"source\": " << json_string(data.source)
        << ", \"model\": " << json_string(model_name(result.model))
        << ", \"cohorts\": " << result.cohorts
        << ", \"customers\": " << json_number(result.customers)
        << ", \"last_period\": " << result.last_period << ", \"parameters\": {";
    for (std::size_t i = 0; i < result.parameters.size(); ++i) {
        const FitParameter& parameter = result.parameters[i];
        out << (i > 0 ? ", " : "") << json_string(parameter.name)
            << ": {\"estimate\": " << json_number(parameter.estimate)
            << ", \"standard_error\": " << json_number(parameter.standard_error) << '}';
    }
    out << "}, \"covariance\": [";
    const std::size_t k = result.parameters.size();
    for (std::size_t i = 0; i < k; ++i) {
        out << (i > 0 ? ", [" : "[");
        for (std::size_t j = 0; j < k; ++j)
            out << (j > 0 ? ", " : "") << json_number(result.covariance[i * k + j]);
        out << ']';
    }
    out << "], \"log_likelihood\": " << json_number(result.log_likelihood)
        << ", \"aic\": " << json_number(result.aic)
        << ", \"converged\": " << (result.converged ? "true" : "false")
        << ", \"evaluations\": " << result.evaluations
        << ", \"retention\": {\"alpha\": " << json_number(result.parameters[0].estimate)
        << ", \"beta\": " << json_number(result.parameters[1].estimate)
        << ", \"c\": " << json_number(result.c) << "}";
    const DerivedEstimates derived = derived_estimates(result);
    out << ", \"mean_monthly_churn\": {\"estimate\": " << json_number(derived.mean)
        << ", \"standard_error\": " << json_number(derived.mean_standard_error) << '}'
        << ", \"polarization\": {\"estimate\": " << json_number(derived.polarization)
        << ", \"standard_error\": " << json_number(derived.polarization_standard_error) << '}'
        << ", \"fit_check\": [";
    for (std::size_t i = 0; i < result.fit_check.size(); ++i) {
        const FitCheckRow& row = result.fit_check[i];
        out << (i > 0 ? ", " : "") << "{\"period\": " << row.period
            << ", \"observed\": " << json_number(row.observed)
            << ", \"fitted\": " << json_number(row.fitted) << '}';
    }
    out << "], \"warnings\": [";
    for (std::size_t i = 0; i < result.warnings.size(); ++i)
        out << (i > 0 ? ", " : "") << json_string(result.warnings[i]);
    out << "]}\n";
    return out.str();
}

}  // namespace cohortsim
