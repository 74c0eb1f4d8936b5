// `cohortsim fit`: published fits (Fader & Hardie 2007), censored multi-cohort data, a round trip
// through the simulation engine, and the CSV reader's checks.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

const std::string fit_data = std::string(COHORTSIM_TEST_DATA) + "/fit/";

// |calculated - expected| <= tolerance, reported with all three numbers.
void check_near(const std::string& what, double calculated, double expected, double tolerance) {
    std::ostringstream message;
    message.precision(10);
    message << what << ": calculated " << calculated << ", expected " << expected << ", tolerance "
            << tolerance;
    INFO(message.str());
    CHECK(std::abs(calculated - expected) <= tolerance);
}

CohortData one_cohort(std::vector<double> active) {
    return {"in code", {{"", std::move(active), 0}}};
}

// The pooled initial cohort of a pure BdW scenario as counts: row 0 of logo_retention times
// the customers simulated over all replications.
CohortData simulated_cohort(double alpha, double beta, double c, int horizon) {
    const std::int64_t customers = 20000;
    const std::int64_t replications = 20;
    const Scenario scenario = pure_cohort(alpha, beta, customers, horizon, replications, c);
    const ScenarioResults results = run_scenarios({scenario}, RunOptions{}).scenarios.front();
    const double total = double(customers * replications);
    std::vector<double> active;
    for (int age = 0; age <= horizon; ++age)
        active.push_back(std::round(results.logo_retention.values[std::size_t(age)] * total));
    return one_cohort(std::move(active));
}

std::string error_of(std::string_view csv) {
    try {
        parse_cohort_csv(csv, "data.csv");
    } catch (const InputError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_SUITE("fit") {
    TEST_CASE("fit: Fader & Hardie (2007) Table 1: published sBG estimates to 3 decimals") {
        struct Published {
            const char* file;
            double alpha;
            double beta;
            double log_likelihood;
            double log_likelihood_tolerance;
        };
        // The paper prints LL -1680.3 (Regular) and -1611.2 (High End); -1611.16 from the issue.
        for (const Published& expected :
             {Published{"fader_hardie_regular.csv", 0.704, 1.182, -1680.3, 0.05},
              Published{"fader_hardie_high_end.csv", 0.668, 3.806, -1611.16, 0.005}}) {
            const CohortData data = read_cohort_csv(fit_data + expected.file);
            const FitResult fit = fit_retention(data, SurvivalModel::sbg);
            CHECK(fit.converged);
            CHECK(fit.warnings.empty());
            check_near(std::string(expected.file) + " alpha", fit.parameter("alpha").estimate,
                       expected.alpha, 0.0005);
            check_near(std::string(expected.file) + " beta", fit.parameter("beta").estimate,
                       expected.beta, 0.0005);
            check_near(std::string(expected.file) + " log-likelihood", fit.log_likelihood,
                       expected.log_likelihood, expected.log_likelihood_tolerance);
            check_near(std::string(expected.file) + " AIC", fit.aic, 4.0 - 2.0 * fit.log_likelihood,
                       1e-9);
            for (const FitParameter& parameter : fit.parameters) {
                CHECK(parameter.standard_error > 0.0);
                CHECK(parameter.standard_error < parameter.estimate);
            }
        }
    }

    TEST_CASE("fit: standard errors are the inverse observed information in natural units") {
        // Regular: an independent central-difference Hessian of -LL in (alpha, beta).
        const CohortData data = read_cohort_csv(fit_data + "fader_hardie_regular.csv");
        const FitResult fit = fit_retention(data, SurvivalModel::sbg);
        const double a = fit.parameter("alpha").estimate;
        const double b = fit.parameter("beta").estimate;
        const double h = 1e-4;
        const auto f = [&](double x, double y) { return -retention_log_likelihood(data, x, y); };
        const double haa = (f(a + h, b) - 2 * f(a, b) + f(a - h, b)) / (h * h);
        const double hbb = (f(a, b + h) - 2 * f(a, b) + f(a, b - h)) / (h * h);
        const double hab =
            (f(a + h, b + h) - f(a + h, b - h) - f(a - h, b + h) + f(a - h, b - h)) / (4 * h * h);
        const double det = haa * hbb - hab * hab;
        check_near("se(alpha)", fit.parameter("alpha").standard_error, std::sqrt(hbb / det),
                   1e-4 * std::sqrt(hbb / det));
        check_near("se(beta)", fit.parameter("beta").standard_error, std::sqrt(haa / det),
                   1e-4 * std::sqrt(haa / det));
        check_near("cov(alpha, beta)", fit.covariance[1], -hab / det, 1e-3 * std::abs(hab / det));
        CHECK(fit.covariance[1] == fit.covariance[2]);
    }

    TEST_CASE("fit: several right-censored cohorts of different lengths") {
        const CohortData data = read_cohort_csv(fit_data + "multi_cohort.csv");
        REQUIRE(data.cohorts.size() == 4);
        CHECK(data.cohorts[0].active.size() == 5);
        CHECK(data.cohorts[3].active.size() == 2);
        const FitResult fit = fit_retention(data, SurvivalModel::sbg);
        CHECK(fit.converged);
        check_near("alpha", fit.parameter("alpha").estimate, 3.80, 0.005);
        check_near("beta", fit.parameter("beta").estimate, 15.19, 0.005);
        CHECK(fit.customers == 40000.0);
        CHECK(fit.last_period == 4);
        REQUIRE(fit.fit_check.size() == 5);
        CHECK(fit.fit_check[2].observed == 3 * 6480.0);
        check_near("fitted active at period 2", fit.fit_check[2].fitted, 3 * 6480.0, 5.0);
    }

    TEST_CASE("fit: the likelihood: closed form, censoring, impossible parameters") {
        // One cohort 100 -> 60 -> 50: 40 churn at t=1, 10 at t=2, 50 censored at t=2.
        const CohortData data = one_cohort({100, 60, 50});
        const double a = 0.9;
        const double b = 2.5;
        const double s1 = b / (a + b);
        const double s2 = s1 * (b + 1) / (a + b + 1);
        const double expected = 40 * std::log(1 - s1) + 10 * std::log(s1 - s2) + 50 * std::log(s2);
        check_near("sBG log-likelihood", retention_log_likelihood(data, a, b), expected, 1e-9);
        check_near("BdW c=1 is sBG", retention_log_likelihood(data, a, b, 1.0 + 1e-12), expected,
                   1e-6);
        const double c = 0.7;
        const double t1 = beta_ratio(a, b, 1.0);
        const double t2 = beta_ratio(a, b, std::pow(2.0, c));
        check_near("BdW log-likelihood", retention_log_likelihood(data, a, b, c),
                   40 * std::log(1 - t1) + 10 * std::log(t1 - t2) + 50 * std::log(t2), 1e-9);
        CHECK(std::isinf(retention_log_likelihood(data, -1.0, b)));
        CHECK(std::isinf(retention_log_likelihood(data, a, 0.0)));
        for (double t : {0.0, 1.0, 5.0, 36.0, 240.0}) {
            for (double c_value : {0.4, 1.0, 1.6}) {
                const double closed = beta_ratio(a, b, std::pow(t, c_value));
                check_near("S(" + std::to_string(t) + ") c=" + std::to_string(c_value),
                           retention_survival(a, b, c_value, t), closed, 1e-12 + 1e-10 * closed);
            }
        }
    }

    TEST_CASE("fit: BdW nests sBG: never a worse likelihood, c near 1 on sBG data") {
        const CohortData data = read_cohort_csv(fit_data + "multi_cohort.csv");
        const FitResult sbg = fit_retention(data, SurvivalModel::sbg);
        const FitResult bdw = fit_retention(data, SurvivalModel::bdw);
        CHECK(bdw.parameters.size() == 3);
        CHECK(bdw.log_likelihood >= sbg.log_likelihood - 1e-6);
        check_within("c on sBG data", bdw.c, 1.0, bdw.parameter("c").standard_error, 3.0);
        check_near("AIC", bdw.aic, 6.0 - 2.0 * bdw.log_likelihood, 1e-9);
    }

    TEST_CASE("fit: round trip: the simulated sBG cohort gives back alpha and beta within 3 s.e.") {
        const double alpha = 1.5;
        const double beta = 6.0;
        const FitResult fit =
            fit_retention(simulated_cohort(alpha, beta, 1.0, 24), SurvivalModel::sbg);
        CHECK(fit.converged);
        check_within("alpha", fit.parameter("alpha").estimate, alpha,
                     fit.parameter("alpha").standard_error, 3.0);
        check_within("beta", fit.parameter("beta").estimate, beta,
                     fit.parameter("beta").standard_error, 3.0);
    }

    TEST_CASE(
        "fit: round trip: the simulated BdW cohort gives back alpha, beta and c within 3 s.e.") {
        for (auto [alpha, beta, c] : {std::tuple{1.1, 4.0, 0.6}, std::tuple{0.8, 3.0, 1.4}}) {
            const FitResult fit =
                fit_retention(simulated_cohort(alpha, beta, c, 36), SurvivalModel::bdw);
            CHECK(fit.converged);
            const std::string label = "c=" + std::to_string(c) + " ";
            check_within(label + "alpha", fit.parameter("alpha").estimate, alpha,
                         fit.parameter("alpha").standard_error, 3.0);
            check_within(label + "beta", fit.parameter("beta").estimate, beta,
                         fit.parameter("beta").standard_error, 3.0);
            check_within(label + "c", fit.parameter("c").estimate, c,
                         fit.parameter("c").standard_error, 3.0);
        }
    }

    TEST_CASE("fit: the [retention] snippet loads as a scenario with the fitted values") {
        const CohortData data = read_cohort_csv(fit_data + "fader_hardie_high_end.csv");
        for (SurvivalModel model : {SurvivalModel::sbg, SurvivalModel::bdw}) {
            const FitResult fit = fit_retention(data, model);
            const std::string toml =
                "[acquisition]\ninitial_customers = 1000\n" + format_fit_toml(fit);
            const Scenario scenario = load_scenario_text(toml, "snippet", "snippet");
            const RetentionParams& retention = scenario.segments.front().retention;
            CHECK(retention.enabled);
            check_near("alpha", retention.alpha, fit.parameter("alpha").estimate, 1e-5);
            check_near("beta", retention.beta, fit.parameter("beta").estimate, 1e-5);
            check_near("c", retention.c, fit.c, 1e-5);
        }
    }

    TEST_CASE("fit: JSON output: one object with the estimates at full precision") {
        const CohortData data = read_cohort_csv(fit_data + "fader_hardie_regular.csv");
        const FitResult fit = fit_retention(data, SurvivalModel::sbg);
        const std::string json = format_fit_json(fit, data);
        CHECK(json.front() == '{');
        CHECK(json.find("\"model\": \"sbg\"") != std::string::npos);
        CHECK(json.find("\"log_likelihood\": -1680.26") != std::string::npos);
        CHECK(json.find("\"retention\": {\"alpha\": 0.704") != std::string::npos);
        CHECK(json.find("nan") == std::string::npos);
        const std::string table = format_fit_table(fit, data);
        CHECK(table.find("[retention]") != std::string::npos);
        CHECK(table.find("log-likelihood") != std::string::npos);
    }

    TEST_CASE(
        "fit: mean churn m = alpha/(alpha+beta) and polarization 1/(alpha+beta+1) beside "
        "alpha and beta") {
        const CohortData data = read_cohort_csv(fit_data + "fader_hardie_regular.csv");
        const FitResult fit = fit_retention(data, SurvivalModel::sbg);
        const double alpha = fit.parameter("alpha").estimate;
        const double beta = fit.parameter("beta").estimate;
        const double m = alpha / (alpha + beta);
        const double phi = 1.0 / (alpha + beta + 1.0);
        // JSON: one object each, estimate at full precision and a delta-method standard error.
        const std::string json = format_fit_json(fit, data);
        const auto number_after = [&](const std::string& key) {
            const auto at = json.find(key);
            REQUIRE(at != std::string::npos);
            return std::strtod(json.c_str() + at + key.size(), nullptr);
        };
        check_near("json m", number_after("\"mean_monthly_churn\": {\"estimate\": "), m, 1e-15);
        check_near("json phi", number_after("\"polarization\": {\"estimate\": "), phi, 1e-15);
        // Delta method: var(m) = g' S g with g = (beta, -alpha)/(alpha+beta)^2.
        const auto& cov = fit.covariance;
        const std::size_t k = fit.parameters.size();
        const double s = (alpha + beta) * (alpha + beta);
        const double m_se = std::sqrt(
            (beta * beta * cov[0] - 2 * alpha * beta * cov[1] + alpha * alpha * cov[k + 1]) /
            (s * s));
        const double phi_se = phi * phi * std::sqrt(cov[0] + 2 * cov[1] + cov[k + 1]);
        const auto se_at = [&](const std::string& key) {
            const auto at = json.find(key);
            REQUIRE(at != std::string::npos);
            const auto se = json.find("\"standard_error\": ", at);
            return std::strtod(json.c_str() + se + 19, nullptr);
        };
        check_near("json m s.e.", se_at("\"mean_monthly_churn\""), m_se, 1e-12);
        check_near("json phi s.e.", se_at("\"polarization\""), phi_se, 1e-12);
        CHECK(m_se > 0);
        // The parameters stay alpha and beta; the snippet keeps alpha and beta.
        CHECK(json.find("\"parameters\": {\"alpha\"") != std::string::npos);
        const std::string table = format_fit_table(fit, data);
        CHECK(table.find("mean_monthly_churn") != std::string::npos);
        CHECK(table.find("polarization") != std::string::npos);
        const std::string toml = format_fit_toml(fit);
        CHECK(toml.find("\n# the same prior as mean_monthly_churn = ") != std::string::npos);
        CHECK(toml.find("\nmean_monthly_churn") == std::string::npos);
        // The comment's values, used instead of alpha and beta, give the same prior.
        const std::string comment = toml.substr(toml.find("# the same prior"));
        const double m_text = std::strtod(comment.c_str() + comment.find("= ") + 2, nullptr);
        const double phi_text =
            std::strtod(comment.c_str() + comment.find("polarization = ") + 15, nullptr);
        const Scenario scenario =
            load_scenario_text("[retention]\nmean_monthly_churn = " + std::to_string(m_text) +
                                   "\npolarization = " + std::to_string(phi_text) + "\n",
                               "snippet", "snippet");
        check_near("alpha from m, phi", scenario.segments.front().retention.alpha, alpha, 1e-4);
        check_near("beta from m, phi", scenario.segments.front().retention.beta, beta, 1e-3);
    }

    TEST_CASE("fit: the CSV reader accepts ordinary exports") {
        // Columns in any order, quoted labels, CRLF, a byte-order mark, blank lines, interleaved
        // cohorts and rows out of period order.
        const CohortData data = parse_cohort_csv(
            "\xEF\xBB\xBF"
            "Active,Cohort,Period\r\n100,\"2024-01\",0\r\n90,\"2024-02\",0\r\n\r\n"
            "70,2024-01,1\r\n60,2024-01,2\r\n80,2024-02,1\r\n",
            "data.csv");
        REQUIRE(data.cohorts.size() == 2);
        CHECK(data.cohorts[0].name == "2024-01");
        CHECK(data.cohorts[0].active == std::vector<double>{100, 70, 60});
        CHECK(data.cohorts[1].active == std::vector<double>{90, 80});
        CHECK(data.cohorts[1].first_line == 3);
        const CohortData single = parse_cohort_csv("period,active\n1,5\n0,9\n", "x.csv");
        CHECK(single.cohorts.front().active == std::vector<double>{9, 5});
    }

    TEST_CASE("fit: the CSV reader names line, column and value of every problem") {
        struct Case {
            const char* csv;
            const char* expected;
        };
        const Case cases[] = {
            {"", "data.csv: empty file"},
            {"\n  \n", "data.csv: empty file"},
            {"0,1000\n1,600\n", "data.csv:1: missing header"},
            {"period\n0\n", "data.csv:1: the header has no 'active' column"},
            {"cohort,active\na,5\n", "data.csv:1: the header has no 'period' column"},
            {"period,active,revenue\n0,1,2\n", "data.csv:1: unknown column 'revenue'"},
            {"period,active,period\n", "data.csv:1: column 'period' appears twice"},
            {"period,active\n", "data.csv:1: no data rows"},
            {"period,active\n0,1000\n1,abc\n",
             "data.csv:3: column 'active': value 'abc' is not a number"},
            {"period,active\n0,1000\n1,-5\n",
             "data.csv:3: column 'active': value '-5' is negative"},
            {"period,active\n0,1000\n1,nan\n", "data.csv:3: column 'active': value 'nan'"},
            {"period,active\n0,1000\n1,\n", "data.csv:3: column 'active': value '' is empty"},
            {"period,active\n0,1000\none,5\n",
             "data.csv:3: column 'period': value 'one' is not a number"},
            {"period,active\n0,1000\n-1,5\n",
             "data.csv:3: column 'period': value '-1' is negative"},
            {"period,active\n0,1000\n1.5,5\n",
             "data.csv:3: column 'period': value '1.5' is not a whole"},
            {"period,active\n0,1000\n1,5,6\n", "data.csv:3: 3 fields but the header names 2"},
            {"period,active\n0,1000\n1,600\n2,700\n",
             "data.csv:4: column 'active': value '700' at period 2 is more than 600"},
            {"period,active\n1,1000\n2,600\n",
             "data.csv:2: column 'period': value '1' is the first"},
            {"cohort,period,active\na,0,10\nb,1,5\n",
             "data.csv:3: column 'period': value '1' is the first period of cohort 'b'"},
            {"period,active\n0,1000\n1,600\n1,600\n",
             "data.csv:4: column 'period': value '1' is duplicated"},
            {"period,active\n0,1000\n1,600\n3,500\n",
             "data.csv:4: column 'period': value '3' follows period 1: periods must be "
             "consecutive"},
            {"period,active\n0,0\n", "data.csv:2: column 'active': value '0' at period 0"},
            {"cohort,period,active\n,0,10\n", "data.csv:2: column 'cohort': value '' is empty"},
            {"cohort,period,active\n\"a,0,10\n", "data.csv:2: unterminated quoted field"},
        };
        for (const Case& c : cases) {
            const std::string message = error_of(c.csv);
            INFO("csv: ", c.csv, "\nmessage: ", message, "\nexpected: ", c.expected);
            CHECK(message.find(c.expected) != std::string::npos);
        }
        CHECK_THROWS_AS(read_cohort_csv(fit_data + "no_such_file.csv"), InputError);
        CHECK_THROWS_AS(fit_retention(parse_cohort_csv("period,active\n0,10\n", "only0.csv"),
                                      SurvivalModel::sbg),
                        InputError);
        CHECK_THROWS_AS(parse_model_name("weibull"), InputError);
        CHECK(parse_model_name("bdw") == SurvivalModel::bdw);
    }

    TEST_CASE("fit: degenerate data: no churn at all is reported, not hidden") {
        const FitResult fit = fit_retention(one_cohort({500, 500, 500, 500}), SurvivalModel::sbg);
        CHECK_FALSE(fit.warnings.empty());
        CHECK(fit.log_likelihood <= 0.0);
        CHECK(fit.log_likelihood > -1e-3);
    }
}
