// Geometric event times (GeometricWait): the law of the month drawn, with the shortcut for
// events after `never` both taken (waits within the tabulated range) and not taken.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "cohortsim/random.hpp"

using namespace cohortsim;

namespace {

// Counts of next_month(month, ., never) - month over `draws` keyed streams; index 0 = never.
std::vector<double> wait_counts(const GeometricWait& wait, int month, int never, int draws) {
    std::vector<double> counts(static_cast<std::size_t>(never - month), 0.0);
    int outside = 0;
    for (int k = 0; k < draws; ++k) {
        KeyedStream stream(hash_combine(0x5eedULL, static_cast<std::uint64_t>(k)));
        const int next = wait.next_month(month, stream, never);
        if (next <= month || next > never) {
            ++outside;
            continue;
        }
        counts[next == never ? 0 : static_cast<std::size_t>(next - month)] += 1.0;
    }
    CHECK(outside == 0);
    return counts;
}

// P(event in month + j) = p (1 - p)^(j - 1) for j < never - month; the rest is "never".
void check_geometric_law(double p, int longest_wait, int month, int never) {
    const int draws = 400000;
    const GeometricWait wait(p, longest_wait);
    const std::vector<double> counts = wait_counts(wait, month, never, draws);
    const int limit = never - month - 1;
    for (int j = 0; j <= limit; ++j) {
        const double probability = j == 0 ? std::pow(1.0 - p, limit) : p * std::pow(1.0 - p, j - 1);
        const double expected = probability * draws;
        const double se = std::sqrt(draws * probability * (1.0 - probability));
        INFO("p " << p << ", table to " << longest_wait << ", wait " << j << " (0 = never): "
                  << counts[static_cast<std::size_t>(j)] << " vs " << expected << ", SE " << se);
        CHECK(std::abs(counts[static_cast<std::size_t>(j)] - expected) <= 4.0 * se + 1e-9);
    }
}

}  // namespace

TEST_SUITE("random") {
    TEST_CASE("geometric waits follow p (1-p)^(j-1), with and without the no-event shortcut") {
        check_geometric_law(0.05, 36, 10, 30);  // the shortcut decides most draws
        check_geometric_law(0.05, 0, 10, 30);   // no table: every draw takes the log
        check_geometric_law(0.3, 12, 0, 7);     // a short wait: counted, not a log
        check_geometric_law(0.3, 12, 0, 11);
        check_geometric_law(0.3, 3, 0, 7);  // the wait limit is past the table
    }

    TEST_CASE("geometric waits at the edges: p = 0, p = 1, no room before never") {
        KeyedStream stream(1);
        CHECK(GeometricWait(0.0, 10).next_month(4, stream, 20) == 20);
        CHECK(GeometricWait(1.0, 10).next_month(4, stream, 20) == 5);
        CHECK(GeometricWait(1.0, 10).next_month(4, stream, 5) == 5);
        CHECK(GeometricWait(0.5, 10).next_month(4, stream, 5) == 5);
    }
}
