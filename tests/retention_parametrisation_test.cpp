// The alternative retention parametrisation: [retention] mean_monthly_churn and polarization
// instead of alpha and beta (converted at load time), its errors, segments, extends, --set, and a
// pure cohort given that way following the sBG survival curve.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "scenario_schema.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;
namespace fs = std::filesystem;

namespace {

Scenario load(const std::string& text, const std::vector<Override>& overrides = {}) {
    return load_scenario_text(text, "test.toml", "test", overrides);
}

std::string input_error(const std::string& text, const std::vector<Override>& overrides = {}) {
    try {
        load(text, overrides);
    } catch (const InputError& error) {
        return error.what();
    }
    return "(no error)";
}

const std::string by_mean = "[retention]\nmean_monthly_churn = 0.08\npolarization = 0.25\n";

}  // namespace

TEST_SUITE("retention parametrisation") {
    TEST_CASE("retention parametrisation: converted to alpha and beta exactly, kept as given") {
        for (const auto& pair : {std::pair{0.08, 0.25}, std::pair{0.031, 0.0123},
                                 std::pair{0.5, 0.9}, std::pair{1e-4, 0.3}}) {
            // Named copies, not structured bindings: clang 14 cannot capture those (CAPTURE).
            const double m = pair.first;
            const double phi = pair.second;
            CAPTURE(m);
            CAPTURE(phi);
            const Scenario s = load("[retention]\nmean_monthly_churn = " + format_real(m) +
                                    "\npolarization = " + format_real(phi) + "\n");
            const RetentionParams& r = s.segments.at(0).retention;
            CHECK(r.enabled);
            // The formula, bit for bit.
            CHECK(r.alpha == m * (1.0 / phi - 1.0));
            CHECK(r.beta == (1.0 - m) * (1.0 / phi - 1.0));
            CHECK(r.mean_monthly_churn == m);
            CHECK(r.polarization == phi);
            // And back, to rounding.
            CHECK(mean_churn_of(r.alpha, r.beta) == doctest::Approx(m).epsilon(1e-14));
            CHECK(polarization_of(r.alpha, r.beta) == doctest::Approx(phi).epsilon(1e-14));
            // The resolved scenario keeps the given pair, shows alpha and beta in use, and loads
            // back to the same numbers.
            CHECK(s.resolved_toml.find("mean_monthly_churn = " + format_real(m) + "\n") !=
                  std::string::npos);
            CHECK(s.resolved_toml.find("polarization = " + format_real(phi) + "\n") !=
                  std::string::npos);
            CHECK(s.resolved_toml.find("# in use: alpha = " + format_real(r.alpha) + ", beta = " +
                                       format_real(r.beta) + "\n") != std::string::npos);
            CHECK(s.resolved_toml.find("\nalpha =") == std::string::npos);
            const Scenario again = load_scenario_text(s.resolved_toml, "resolved.toml", "x");
            const RetentionParams& back = again.segments.at(0).retention;
            CHECK(back.alpha == r.alpha);
            CHECK(back.beta == r.beta);
            CHECK(back.mean_monthly_churn == m);
            CHECK(back.polarization == phi);
            CHECK(again.resolved_toml == s.resolved_toml);
        }
        // alpha and beta given: nothing of the other pair is written.
        const Scenario plain = load("[retention]\nalpha = 0.7\nbeta = 3\n");
        CHECK(plain.segments.at(0).retention.mean_monthly_churn == 0.0);
        CHECK(plain.resolved_toml.find("mean_monthly_churn") == std::string::npos);
        CHECK(plain.resolved_toml.find("# in use") == std::string::npos);
    }

    TEST_CASE("retention parametrisation: one pair or the other, whole") {
        CHECK(input_error("[retention]\nalpha = 1\nbeta = 3\nmean_monthly_churn = 0.1\n") ==
              "test.toml:4: key 'retention.mean_monthly_churn' = 0.1: given with "
              "'retention.alpha'; allowed: alpha and beta, or mean_monthly_churn and "
              "polarization instead, not keys of both pairs");
        CHECK(input_error("[retention]\nbeta = 3\npolarization = 0.1\n")
                  .starts_with("test.toml:3: key 'retention.polarization' = 0.1: given with "
                               "'retention.beta'"));
        CHECK(input_error("[retention]\nmean_monthly_churn = 0.1\n") ==
              "test.toml:1: missing key 'retention.polarization', required in [retention]; "
              "allowed: real > 0 and < 1 (or alpha and beta instead of mean_monthly_churn and "
              "polarization)");
        CHECK(input_error("[retention]\npolarization = 0.1\n")
                  .starts_with("test.toml:1: missing key 'retention.mean_monthly_churn', required "
                               "in [retention]"));
        CHECK(input_error("[retention]\nc = 1\n") ==
              "test.toml:1: missing key 'retention.alpha', required in [retention]; allowed: "
              "real > 0 and <= 10000 (or mean_monthly_churn and polarization instead of alpha "
              "and beta)");
        // Each key's own range.
        CHECK(input_error("[retention]\nmean_monthly_churn = 1\npolarization = 0.1\n") ==
              "test.toml:2: key 'retention.mean_monthly_churn' = 1: out of range; allowed: real "
              "> 0 and < 1");
        CHECK(input_error("[retention]\nmean_monthly_churn = 0.1\npolarization = 0\n")
                  .starts_with("test.toml:3: key 'retention.polarization' = 0: out of range"));
        // alpha's and beta's ranges apply to the values derived, named by the keys given.
        CHECK(input_error("[retention]\nmean_monthly_churn = 0.08\npolarization = 0.00001\n") ==
              "test.toml:3: key 'retention.polarization' = 1e-05: with "
              "retention.mean_monthly_churn = 0.08 it gives beta = (1 - m)(1/phi - 1) = 91999.1, "
              "out of range; allowed: beta real > 0 and <= 10000, so polarization >= 9.19915e-05 "
              "with this mean_monthly_churn");
        CHECK(input_error("[retention]\nmean_monthly_churn = 0.99999\npolarization = 0.00002\n")
                  .starts_with("test.toml:3: key 'retention.polarization' = 2e-05: with "
                               "retention.mean_monthly_churn = 0.99999 it gives alpha = "
                               "m(1/phi - 1) = "));
        // From --set, reported against the flag.
        CHECK(
            input_error(by_mean, {parse_override("retention.polarization=1e-6")})
                .starts_with("--set retention.polarization=1e-6: with "
                             "retention.mean_monthly_churn = 0.08 it gives alpha = m(1/phi - 1) = "
                             "79999.9, out of range"));
    }

    TEST_CASE("retention parametrisation: the pair a segment gives replaces the pair it inherits") {
        // Scenario by mean, segment by alpha and beta, and the other way round.
        const Scenario s = load(by_mean +
                                "[segments.smb]\nshare = 0.4\n"
                                "[segments.mid]\nshare = 0.3\n[segments.mid.retention]\n"
                                "alpha = 2\nbeta = 30\n"
                                "[segments.ent]\nshare = 0.3\n[segments.ent.retention]\n"
                                "polarization = 0.1\n");
        REQUIRE(s.segments.size() == 3);
        const RetentionParams& smb = s.segments[0].retention;
        CHECK(smb.alpha == 0.08 * (1.0 / 0.25 - 1.0));
        CHECK(smb.mean_monthly_churn == 0.08);
        const RetentionParams& mid = s.segments[1].retention;
        CHECK(mid.alpha == 2.0);
        CHECK(mid.beta == 30.0);
        CHECK(mid.mean_monthly_churn == 0.0);
        CHECK(mid.polarization == 0.0);
        // Within the inherited pair keys are inherited one by one: the scenario's mean.
        const RetentionParams& ent = s.segments[2].retention;
        CHECK(ent.mean_monthly_churn == 0.08);
        CHECK(ent.polarization == 0.1);
        CHECK(ent.alpha == 0.08 * (1.0 / 0.1 - 1.0));
        CHECK(s.resolved_toml.find("[segments.mid.retention]\nalpha = 2.0\nbeta = 30.0\n") !=
              std::string::npos);
        CHECK(load_scenario_text(s.resolved_toml, "r", "r").segments[2].retention.beta == ent.beta);

        const Scenario other = load(
            "[retention]\nalpha = 1\nbeta = 3\n[segments.a]\nshare = 0.5\n"
            "[segments.a.retention]\nmean_monthly_churn = 0.02\npolarization = 0.05\n"
            "[segments.b]\nshare = 0.5\n[segments.b.retention]\nbeta = 9\n");
        CHECK(other.segments[0].retention.mean_monthly_churn == 0.02);
        CHECK(other.segments[0].retention.alpha == 0.02 * (1.0 / 0.05 - 1.0));
        CHECK(other.segments[1].retention.alpha == 1.0);
        CHECK(other.segments[1].retention.beta == 9.0);

        // One key of the other pair does not complete it from the inherited pair.
        CHECK(input_error("[retention]\nalpha = 1\nbeta = 3\n[segments.a.retention]\n"
                          "mean_monthly_churn = 0.1\n") ==
              "test.toml:4: missing key 'segments.a.retention.polarization', required with "
              "'segments.a.retention.mean_monthly_churn', which replaces the inherited alpha and "
              "beta; allowed: real > 0 and < 1 (or alpha and beta instead of mean_monthly_churn "
              "and polarization)");
        CHECK(input_error(by_mean + "[segments.a.retention]\nalpha = 2\n")
                  .starts_with("test.toml:4: missing key 'segments.a.retention.beta', required "
                               "with 'segments.a.retention.alpha', which replaces the inherited "
                               "mean_monthly_churn and polarization"));
        CHECK(input_error(by_mean + "[segments.a.retention]\nalpha = 2\nbeta = 3\n"
                                    "polarization = 0.2\n")
                  .starts_with("test.toml:7: key 'segments.a.retention.polarization' = 0.2: "
                               "given with 'segments.a.retention.alpha'"));
        // Without a scenario-level table the segment gives a whole pair.
        CHECK(input_error("[segments.a.retention]\npolarization = 0.2\n")
                  .starts_with("test.toml:1: missing key 'segments.a.retention.mean_monthly_churn'"
                               ", required when there is no top-level [retention]"));
    }

    TEST_CASE("retention parametrisation: --set and extends, the pair set replaces the other one") {
        // --set of one key over the other pair keeps what that pair implies for its partner.
        const Scenario kept = load("[retention]\nalpha = 0.7\nbeta = 3\n",
                                   {parse_override("retention.mean_monthly_churn=0.05")});
        const RetentionParams& r = kept.segments.at(0).retention;
        CHECK(r.mean_monthly_churn == 0.05);
        CHECK(r.polarization == polarization_of(0.7, 3.0));
        CHECK(r.alpha == doctest::Approx(0.05 * 3.7));
        const Scenario back = load(by_mean, {parse_override("retention.alpha=0.5")});
        CHECK(back.segments.at(0).retention.alpha == 0.5);
        CHECK(back.segments.at(0).retention.beta ==
              doctest::Approx(beta_prior_from_mean(0.08, 0.25).second));
        CHECK(back.segments.at(0).retention.mean_monthly_churn == 0.0);
        // Both keys of the pair.
        const Scenario both = load("[retention]\nalpha = 0.7\nbeta = 3\n",
                                   {parse_override("retention.mean_monthly_churn=0.05"),
                                    parse_override("retention.polarization=0.2")});
        CHECK(both.segments.at(0).retention.alpha == 0.05 * (1.0 / 0.2 - 1.0));
        // The same pair: key by key, as ever.
        CHECK(load(by_mean, {parse_override("retention.mean_monthly_churn=0.05")})
                  .segments.at(0)
                  .retention.polarization == 0.25);
        // A segment's own table.
        const Scenario segment =
            load(by_mean + "[segments.a.retention]\nalpha = 1\nbeta = 20\n",
                 {parse_override("segments.a.retention.mean_monthly_churn=0.01")});
        CHECK(segment.segments.at(0).retention.polarization == polarization_of(1.0, 20.0));
        // An absent [retention] is not created (no churn stays no churn).
        CHECK(input_error("", {parse_override("retention.mean_monthly_churn=0.05")})
                  .starts_with("--set retention.mean_monthly_churn=0.05: the scenario has no "
                               "[retention] table"));

        // extends: a file's pair replaces its base's.
        const fs::path dir =
            fs::temp_directory_path() / ("cohortsim_parametrisation_" + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::ofstream(dir / "base.toml") << "[retention]\nalpha = 0.7\nbeta = 3\nc = 0.9\n";
        std::ofstream(dir / "child.toml") << "extends = \"base.toml\"\n" + by_mean;
        std::ofstream(dir / "half.toml")
            << "extends = \"base.toml\"\n[retention]\nmean_monthly_churn = 0.1\n";
        const Scenario child = load_scenario_file(dir / "child.toml");
        CHECK(child.segments.at(0).retention.mean_monthly_churn == 0.08);
        CHECK(child.segments.at(0).retention.c == 0.9);
        std::string half;
        try {
            load_scenario_file(dir / "half.toml");
        } catch (const InputError& error) {
            half = error.what();
        }
        CHECK(half.find("missing key 'retention.polarization'") != std::string::npos);
        fs::remove_all(dir);
    }

    TEST_CASE("retention parametrisation: params documents both keys") {
        const std::string table = format_parameter_table();
        for (const char* key :
             {"retention.mean_monthly_churn", "retention.polarization",
              "segments.*.retention.mean_monthly_churn", "segments.*.retention.polarization"}) {
            CAPTURE(key);
            CHECK(table.find(key) != std::string::npos);
        }
        for (const ParamInfo& info : parameter_schema()) {
            if (!info.key.ends_with("retention.mean_monthly_churn") &&
                !info.key.ends_with("retention.polarization"))
                continue;
            CHECK(info.min == 0.0);
            CHECK(info.max == 1.0);
            CHECK(info.min_exclusive);
            CHECK(info.max_exclusive);
            if (info.key.starts_with("retention.")) {
                CHECK(info.default_value == "none");
                CHECK(info.meaning.find("instead of alpha and beta") != std::string::npos);
            }
        }
    }

    TEST_CASE(
        "a pure cohort given by mean and polarization follows B(alpha, beta + t)/B(alpha, "
        "beta)") {
        const std::int64_t customers = 20000;
        const std::int64_t replications = 20;
        const double m = 0.08;
        const double phi = 0.25;
        Scenario scenario = load(
            "[simulation]\nhorizon_months = 24\nreplications = " + std::to_string(replications) +
            "\nseed = 777\n[acquisition]\ninitial_customers = " + std::to_string(customers) +
            "\n[retention]\nmean_monthly_churn = 0.08\npolarization = 0.25\n");
        const auto [alpha, beta] = beta_prior_from_mean(m, phi);
        const ScenarioResults results = run_scenarios({scenario}, RunOptions{}).scenarios.front();
        const double n = double(customers * replications);
        // First-month churn is the mean churn propensity.
        check_within("first-month churn", 1.0 - results.logo_retention.values[1], m,
                     survival_se(1.0 - m, n));
        for (int t = 1; t <= 24; ++t) {
            const double expected = beta_ratio(alpha, beta, t);
            check_within("m = 0.08, phi = 0.25: S(" + std::to_string(t) + ")",
                         results.logo_retention.values[std::size_t(t)], expected,
                         survival_se(expected, n));
        }
    }
}
