// Metric formulas of docs/model.md section 8 on hand-made records.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "interventions.hpp"
#include "ledger.hpp"
#include "metrics.hpp"
#include "registry.hpp"

using namespace cohortsim;

namespace {
const MetricDefinition& metric_named(const std::string& name) {
    for (const MetricDefinition& definition : metric_definitions())
        if (definition.info.name == name) return definition;
    throw std::invalid_argument("no metric " + name);
}

// A ledger with `customers` customers of 10 a month at month 0, month 0 closed; told of every
// churn's customer-since month when `returns` (as with win-backs), else reading cohort stocks.
Ledger ledger_from(std::int64_t customers, int horizon, bool returns) {
    Ledger ledger(horizon, declared_series_count());
    if (returns) ledger.counts_returns();
    for (std::int64_t k = 0; k < customers; ++k)
        ledger.join(0, 10.0, 0);
    ledger.close_month(0);
    return ledger;
}

// `count` customers of `cohort`, customers since month `since`, churn in `month`.
void churn(Ledger& ledger, int count, int month, int since, int cohort = 0) {
    for (int k = 0; k < count; ++k) {
        ledger.churn(cohort, 10.0, ChurnReason::no_roi, month);
        ledger.count_window_churn(month, since);  // ignored unless counts_returns()
    }
}
}  // namespace

TEST_SUITE("metrics") {
    TEST_CASE("seed 001: 12-month logo churn excludes customers acquired inside the window") {
        // 1000 customers at the start of a quarter, 150 of them lost during it; 300 new
        // customers during the quarter, of whom 15 churned. The rate is 150/1000 = 15%, not
        // (150 + 15)/1000 = 16.5%. Entered through the ledger, as the month loop does, both ways:
        // from the cohort stocks (no win-backs) and counted churn by churn.
        for (const bool returns : {false, true}) {
            INFO("counted churn by churn: " << returns);
            Ledger ledger = ledger_from(1000, 3, returns);
            for (int month = 1; month <= 3; ++month) {
                churn(ledger, 50, month, 0);
                // Of the earlier months' new customers, 15 churn in the last month.
                if (month == 3) {
                    churn(ledger, 8, month, 1, 1);
                    churn(ledger, 7, month, 2, 2);
                }
                for (int k = 0; k < 100; ++k)
                    ledger.join(month, 10.0, month);
                ledger.close_month(month);
            }
            const ReplicationRecord& record = ledger.record();
            CHECK(record.window_churners_12m[3] == 150);
            CHECK(logo_churn_rate_12m(record, 3) == doctest::Approx(0.15).epsilon(1e-15));
            // The monthly rate: lost in the month / active at the end of the month before.
            std::vector<double> monthly(4);
            metric_named("logo_churn_rate").compute(record, monthly);
            CHECK(std::isnan(monthly[0]));
            CHECK(monthly[1] == doctest::Approx(50.0 / 1000.0));
            CHECK(monthly[3] == doctest::Approx(65.0 / (1000.0 - 100.0 + 200.0)));
        }
    }

    TEST_CASE("12-month logo churn counts a customer won back as churned, once") {
        // 100 customers at month 0. In month 2 ten churn; in month 4 they come back; in month 13
        // four of them churn again, and in month 14 so do five of the others.
        Ledger ledger = ledger_from(100, 15, true);
        for (int month = 1; month <= 15; ++month) {
            if (month == 2) churn(ledger, 10, month, 0);
            if (month == 4)
                for (int k = 0; k < 10; ++k)
                    ledger.reactivate(0, 10.0, month);
            if (month == 13) churn(ledger, 4, month, 4);  // back since month 4
            if (month == 14) churn(ledger, 5, month, 0);
            ledger.close_month(month);
        }
        const ReplicationRecord& record = ledger.record();
        // Months 2..12: the window starts at month 0 and holds the ten lapses (net of nothing).
        for (std::size_t m = 2; m <= 12; ++m) {
            INFO("month " << m);
            CHECK(record.window_churners_12m[m] == 10);
        }
        // Month 13, window (1, 13]: the ten of month 2 (the four who churned again count once).
        CHECK(record.window_churners_12m[13] == 10);
        // Month 14, window (2, 14]: the month-2 lapses are out; at month 2's end the ten were
        // away, so of the 90 active then, the five of month 14; the four of month 13 were away
        // at month 2's end too.
        CHECK(record.window_churners_12m[14] == 5);
        CHECK(logo_churn_rate_12m(record, 14) == doctest::Approx(5.0 / 90.0));
        // Month 15, window (3, 15]: the same 90 at month 3's end; 5 churned.
        CHECK(record.window_churners_12m[15] == 5);
        // Month 16 would start at month 4, with the ten back: 4 + 5 of 100 (horizon 15 here).
    }

    TEST_CASE("rates over an empty base are undefined (NaN), never 0") {
        ReplicationRecord record(2, declared_series_count());
        const std::vector<std::string> rates = {"logo_churn_rate",
                                                "logo_churn_rate_12m",
                                                "gross_mrr_churn_rate",
                                                "net_mrr_churn_rate",
                                                "nrr",
                                                "grr",
                                                "quick_ratio",
                                                "cac",
                                                "ltv",
                                                "ltv_to_cac",
                                                "cac_payback_months",
                                                "farmer_coverage"};
        for (const std::string& name : rates) {
            INFO(name);
            std::vector<double> out(3, -1.0);
            metric_named(name).compute(record, out);
            for (double value : out)
                CHECK(std::isnan(value));
        }
        // Flows and stocks are 0, not undefined.
        std::vector<double> out(3, -1.0);
        metric_named("churned_customers").compute(record, out);
        for (double value : out)
            CHECK(value == 0.0);
    }

    TEST_CASE("NaN only where a metric says when") {
        ReplicationRecord record(2, declared_series_count());
        for (const auto& definition : metric_definitions()) {
            std::vector<double> out(3, -1.0);
            definition.compute(record, out);
            INFO(definition.info.name);
            const bool some_nan =
                std::any_of(out.begin(), out.end(), [](double v) { return std::isnan(v); });
            if (some_nan) CHECK_FALSE(definition.info.undefined_when.empty());
        }
    }

    TEST_CASE("every metric has a name, units and a description") {
        for (const auto& definition : metric_definitions()) {
            CHECK_FALSE(definition.info.name.empty());
            CHECK_FALSE(definition.info.units.empty());
            CHECK(definition.info.description.size() > 10);
        }
    }

    TEST_CASE("a retention programme's series are named after it and clash with no metric") {
        // Every other series named cost_<x> or covered_<x> makes <x> a name programmes cannot
        // take; otherwise a programme would write a second series of that name.
        for (const auto& definition : metric_definitions())
            for (const std::string prefix : {"cost_", "covered_"})
                if (definition.info.name.starts_with(prefix)) {
                    INFO(definition.info.name);
                    CHECK(Interventions::is_reserved_name(
                        definition.info.name.substr(prefix.size())));
                }
        Scenario scenario;
        scenario.interventions = {InterventionParams{.name = "sla"},
                                  InterventionParams{.name = "education"}};
        const std::vector<MetricDefinition> all = metric_definitions(scenario);
        std::vector<std::string> names;
        for (const auto& definition : all)
            names.push_back(definition.info.name);
        std::sort(names.begin(), names.end());
        CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
        CHECK(all.size() == metric_definitions().size() + 4);
        CHECK(std::count(names.begin(), names.end(), "covered_education") == 1);
    }
}
