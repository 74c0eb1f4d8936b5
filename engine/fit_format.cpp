// What `cohortsim fit` prints: a table for people, a [retention] snippet for scenario files,
// and one JSON object (full precision, NaN as null) for scripts and notebooks.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cohortsim/fit.hpp"

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
    std::snprintf(line, sizeof line, "%-10s %12s %12s\n", "parameter", "estimate", "std. error");
    out << line;
    for (const FitParameter& parameter : result.parameters) {
        std::snprintf(line, sizeof line, "%-10s %12.6g %12s\n", parameter.name.c_str(),
                      parameter.estimate, standard_error_text(parameter.standard_error).c_str());
        out << line;
    }
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
        << ", \"c\": " << json_number(result.c) << "}, \"fit_check\": [";
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
