// Champion moves (docs/model.md 3.3), a mechanism that declares itself: its keys in the loader and
// the parameter table, its referrals against the binomial they are, and a lever that adds
// customers without changing who the others are.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// Every avoidable churn is a sponsor change; `extra` is TOML appended (a [champion_moves] table).
std::string sponsor_only(const std::string& extra, double new_per_month = 0.0) {
    return "[simulation]\nhorizon_months = 24\nreplications = 20\nseed = 4242\n"
           "[acquisition]\ninitial_customers = 20000\nnew_per_month = " +
           std::to_string(new_per_month) +
           "\n[retention]\nalpha = 1.0\nbeta = 9.0\n"
           "[retention.reasons]\nsponsor_change = 1.0\n" +
           extra;
}

Scenario load(const std::string& text, std::vector<Override> overrides = {}) {
    return load_scenario_text(text, "champion.toml", "champion", overrides);
}

// A metric's mean summed over months first..last, times the replications: a count over the run.
double run_total(const ScenarioResults& results, const std::vector<double>& mean, int first,
                 int last) {
    double total = 0.0;
    for (int m = first; m <= last; ++m)
        total += mean[static_cast<std::size_t>(m)];
    return std::round(total * static_cast<double>(results.replications));
}

const ReasonSeries& reason_of(const ScenarioResults& results, const std::string& name) {
    for (const ReasonSeries& series : results.churn_reasons)
        if (series.info.name == name) return series;
    FAIL("no churn reason " << name);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("champion moves") {
    TEST_CASE(
        "referred logos are referral_probability of the sponsor changes delay_months before") {
        constexpr double p = 0.3;
        constexpr int delay = 2;
        const ScenarioResults results = run_one(
            load(sponsor_only("[champion_moves]\nreferral_probability = 0.3\ndelay_months = 2\n")));
        const auto& referred = metric_of(results, "referred_customers").mean;
        for (int m = 0; m <= delay; ++m)
            CHECK(referred[static_cast<std::size_t>(m)] == 0.0);
        const double losses =
            run_total(results, reason_of(results, "sponsor_change").mean, 1, 24 - delay);
        const double referrals = run_total(results, referred, delay + 1, 24);
        REQUIRE(losses > 10000.0);
        check_within("referred / sponsor-change churns", referrals / losses, p,
                     std::sqrt(p * (1.0 - p) / losses));
        // With no other new logos, every new customer is a referral.
        CHECK(bitwise_equal(metric_of(results, "new_customers").mean, referred));
    }

    TEST_CASE("referrals are new logos that leave the other customers as they were") {
        const std::string with = "[champion_moves]\nreferral_probability = 0.5\ndelay_months = 2\n";
        const ScenarioResults on = run_one(load(sponsor_only(with, 300.0)));
        const ScenarioResults off = run_one(load(sponsor_only("", 300.0)));
        // Until the first referral joins (end of month 2), the runs are the same customers with
        // the same draws: every metric equal, bit for bit, except the referrals' own count.
        for (std::size_t k = 0; k < on.metrics.size(); ++k) {
            const MetricSummary& a = on.metrics[k];
            const MetricSummary& b = off.metrics[k];
            REQUIRE(a.info.name == b.info.name);
            for (std::size_t m = 0; m <= 2; ++m) {
                INFO(a.info.name << " month " << m);
                CHECK(std::memcmp(&a.mean[m], &b.mean[m], sizeof(double)) == 0);
            }
        }
        // From then on they add to the inbound logos, which stay what they were.
        const auto& referred = metric_of(on, "referred_customers").mean;
        const auto& new_on = metric_of(on, "new_customers").mean;
        const auto& new_off = metric_of(off, "new_customers").mean;
        for (std::size_t m = 3; m <= 24; ++m) {
            INFO("month " << m);
            CHECK(referred[m] > 0.0);
            CHECK(new_on[m] == doctest::Approx(new_off[m] + referred[m]).epsilon(1e-12));
        }
        CHECK(metric_of(on, "active_customers").mean[24] >
              metric_of(off, "active_customers").mean[24]);
    }

    TEST_CASE("a referral due after the horizon is not simulated; delay 0 joins the same month") {
        const ScenarioResults late = run_one(load(
            sponsor_only("[champion_moves]\nreferral_probability = 1.0\ndelay_months = 30\n")));
        CHECK(run_total(late, metric_of(late, "referred_customers").mean, 0, 24) == 0.0);
        const ScenarioResults now = run_one(
            load(sponsor_only("[champion_moves]\nreferral_probability = 1.0\ndelay_months = 0\n")));
        // Probability 1: one referral per sponsor change, in the month of the loss.
        const auto& referred = metric_of(now, "referred_customers").mean;
        const auto& losses = reason_of(now, "sponsor_change").mean;
        for (std::size_t m = 0; m <= 24; ++m) {
            INFO("month " << m);
            CHECK(referred[m] == losses[m]);
        }
    }

    TEST_CASE("its keys are the loader's and the parameter table's") {
        const Scenario on = load(sponsor_only("[champion_moves]\ndelay_months = 4\n"));
        const MechanismTable& table = on.mechanism_tables.at("champion_moves");
        CHECK(table.enabled);
        CHECK(table.integer("delay_months") == 4);
        CHECK(table.real("referral_probability") == 0.2);  // the declared default
        CHECK(on.resolved_toml.find("[champion_moves]\nreferral_probability = 0.2\n"
                                    "delay_months = 4\n") != std::string::npos);
        const Scenario off = load(sponsor_only(""));
        CHECK_FALSE(off.mechanism_tables.at("champion_moves").enabled);
        CHECK(off.resolved_toml.find("champion_moves") == std::string::npos);
        CHECK(format_parameter_table().find("champion_moves.delay_months") != std::string::npos);

        const auto message_of = [](const std::string& text, std::vector<Override> overrides = {}) {
            try {
                load(text, std::move(overrides));
            } catch (const InputError& error) {
                return std::string(error.what());
            }
            return std::string("no error");
        };
        const std::string out_of_range =
            message_of(sponsor_only("[champion_moves]\nreferral_probability = 1.5\n"));
        INFO(out_of_range);
        CHECK(out_of_range.find("champion_moves.referral_probability") != std::string::npos);
        CHECK(out_of_range.find("allowed: real >= 0 and <= 1") != std::string::npos);
        const std::string typo = message_of(sponsor_only("[champion_moves]\ndelay_month = 4\n"));
        INFO(typo);
        CHECK(typo.find("did you mean 'champion_moves.delay_months'") != std::string::npos);
        const std::string whole =
            message_of(sponsor_only("[champion_moves]\ndelay_months = 1.5\n"));
        CHECK(whole.find("expected an integer") != std::string::npos);
        // --set cannot switch a mechanism on with every other key at its default.
        const std::string absent =
            message_of(sponsor_only(""), {parse_override("champion_moves.delay_months=3")});
        INFO(absent);
        CHECK(absent.find("champion referrals") != std::string::npos);
    }
}
