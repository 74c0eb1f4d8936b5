// Metric formulas of MODEL.md section 8 on hand-made records.

#include <doctest/doctest.h>

#include "metrics.hpp"

using namespace cohortsim;

TEST_SUITE("metrics") {
    TEST_CASE("seed 001: logo churn over a window excludes customers acquired inside it") {
        // 1000 customers at the start of a quarter, 850 of them left at its end; 300 new
        // customers during the quarter, of whom 15 churned. The rate is 150/1000 = 15%, not
        // (150 + 15)/1000 = 16.5%.
        ReplicationRecord record(3);
        record.cohort_active_at(0, 0) = 1000;
        record.cohort_active_at(0, 1) = 950;
        record.cohort_active_at(0, 2) = 900;
        record.cohort_active_at(0, 3) = 850;
        const std::int64_t joined[] = {0, 100, 100, 100};
        const std::int64_t left_by_end[] = {0, 10, 5, 0};
        for (std::size_t c = 1; c <= 3; ++c) {
            for (std::size_t m = c; m <= 3; ++m) {
                record.cohort_active_at(c, m) = joined[c] - (m == 3 ? left_by_end[c] : 0);
            }
        }
        const double rate = window_logo_churn_rate(record, 0, 3);
        CHECK(rate == doctest::Approx(0.15).epsilon(1e-15));
        CHECK(rate != doctest::Approx(0.165));
        // Inside the window, the month-2 to month-3 rate counts cohorts 0..2 only.
        const double last_month = window_logo_churn_rate(record, 2, 3);
        CHECK(last_month == doctest::Approx((900.0 + 200 - 850 - 185) / 1100.0));
    }

    TEST_CASE("rates over an empty base are 0, never NaN") {
        ReplicationRecord record(2);
        for (const auto& definition : metric_definitions()) {
            std::vector<double> out(3, -1.0);
            definition.compute(record, out);
            for (double value : out) {
                INFO(definition.info.name);
                CHECK(value == 0.0);
            }
        }
    }

    TEST_CASE("every metric has a name, units and a description") {
        for (const auto& definition : metric_definitions()) {
            CHECK_FALSE(definition.info.name.empty());
            CHECK_FALSE(definition.info.units.empty());
            CHECK(definition.info.description.size() > 10);
        }
    }
}
