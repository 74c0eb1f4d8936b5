// Sources of coverage compose by their bits (engine/mechanisms/hazard_cover.hpp): the factor on a
// covered account's baseline is the share-weighted product of the covering sources' multipliers,
// its churn reasons split in those proportions, and the stalled hazard takes the product of their
// stalled factors; one source's bit is the farmers' coverage as it always was (golden files).

#include <doctest/doctest.h>

#include <array>

#include "population.hpp"
#include "retention.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// One customer of a pure sBG segment with the default reason shares.
struct OneCustomer {
    Scenario scenario = pure_cohort(1.0, 4.0, 1, 12, 1);
    Population population;
    OneCustomer() {
        population.append(1);
        population.key[0] = 0x1234;
    }
};

// Source 0 takes away no_roi (farmers who fix value), source 1 halves everything.
std::vector<HazardCover> two_sources() {
    HazardCover value;
    value.reasons[0] = 0.0;  // no_roi
    value.stalled = 0.5;
    HazardCover halve;
    halve.reasons.fill(0.5);
    halve.stalled = 0.8;
    return {value, halve};
}

}  // namespace

TEST_SUITE("hazard covers") {
    TEST_CASE("the factor of a mask is the share-weighted product of its sources' multipliers") {
        OneCustomer one;
        const RetentionModel model(one.scenario, 12, two_sources());
        model.on_join(one.population, 0, one.population.key[0], Arrival{});
        const double base = one.population.propensity_hazard[0];
        REQUIRE(base > 0.0);
        const auto& shares = one.scenario.segments[0].retention.reason_shares;
        const std::vector<HazardCover> covers = two_sources();
        double both = 0.0;
        double first = 0.0;
        for (std::size_t r = 0; r < shares.size(); ++r) {
            both += shares[r] * (1.0 * covers[0].reasons[r] * covers[1].reasons[r]);
            first += shares[r] * covers[0].reasons[r];
        }
        model.set_cover(one.population, 0, 3);
        CHECK(one.population.propensity_hazard[0] == base * both);
        CHECK(both == doctest::Approx(0.5 * (1.0 - shares[0])));
        model.set_cover(one.population, 0, 1);  // source 1 stops covering
        CHECK(one.population.propensity_hazard[0] == doctest::Approx(base * first).epsilon(1e-14));
        model.set_cover(one.population, 0, 0);
        CHECK(one.population.propensity_hazard[0] == doctest::Approx(base).epsilon(1e-14));
    }

    TEST_CASE("a covered account's reasons split by its mask; no_roi never under source 0") {
        OneCustomer one;
        const RetentionModel model(one.scenario, 12, two_sources());
        HazardParts parts;
        parts.baseline = 0.1;
        const auto picks_no_roi = [&](std::uint8_t mask) {
            int count = 0;
            for (int k = 0; k < 1000; ++k) {
                const double uniform = (k + 0.5) / 1000.0;
                count += model.pick_reason(parts, 0, mask, uniform) == ChurnReason::no_roi ? 1 : 0;
            }
            return count;
        };
        // Uncovered, and covered by the halving source alone, no_roi keeps its share (0.3).
        CHECK(picks_no_roi(0) == 300);
        CHECK(picks_no_roi(2) == 300);
        CHECK(picks_no_roi(1) == 0);
        CHECK(picks_no_roi(3) == 0);
    }

    TEST_CASE("the stalled hazard takes the product of the covering sources' stalled factors") {
        OneCustomer one;
        one.scenario.onboarding = {true, 3, 0.0, 0.05, 2.0};
        const RetentionModel model(one.scenario, 12, two_sources());
        model.on_join(one.population, 0, one.population.key[0], Arrival{});
        one.population.activation_month[0] = 200;  // never activates
        const double alone = model.parts<true, false>(one.population, 0, 1).stalled;
        REQUIRE(alone > 0.0);
        model.set_cover(one.population, 0, 3);
        CHECK(model.parts<true, false>(one.population, 0, 1).stalled == alone * (0.5 * 0.8));
        model.set_cover(one.population, 0, 2);
        CHECK(model.parts<true, false>(one.population, 0, 1).stalled == alone * 0.8);
    }
}
