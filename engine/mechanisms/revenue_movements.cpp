#include "revenue_movements.hpp"

#include "coverage_effect.hpp"
#include "hazard_cover.hpp"

namespace cohortsim {

AddOnPrices::AddOnPrices(const std::vector<CrossSellProduct>& products) {
    for (std::size_t mask = 0; mask < by_mask_.size(); ++mask) {
        for (std::size_t p = 0; p < products.size(); ++p) {
            if ((mask >> p) & 1U) by_mask_[mask] += products[p].mrr;
        }
    }
}

CoverFactors covered_boosts(const Scenario& scenario, CoveredBoost boost) {
    // Each source's factor at its bit: the farmers', then each programme's.
    std::array<double, max_hazard_covers> source{};
    source.fill(1.0);
    const CoverageEffect farmers = coverage_effect(scenario.team);
    source[0] =
        boost == CoveredBoost::upsell ? farmers.upsell_multiplier : farmers.cross_sell_multiplier;
    for (std::size_t k = 0; k < scenario.interventions.size() && k + 1 < source.size(); ++k)
        source[k + 1] = boost == CoveredBoost::upsell
                            ? scenario.interventions[k].upsell_multiplier
                            : scenario.interventions[k].cross_sell_multiplier;
    CoverFactors by_mask{};
    for (std::size_t mask = 0; mask < by_mask.size(); ++mask) {
        by_mask[mask] = 1.0;
        for (std::size_t bit = 0; bit < source.size(); ++bit)
            if ((mask >> bit) & 1U) by_mask[mask] *= source[bit];
    }
    return by_mask;
}

namespace {
double highest_rate(double probability, const CoverFactors& boosts) {
    double highest = 0.0;
    for (const double boost : boosts)
        highest = std::max(highest, std::min(1.0, probability * boost));
    return highest;
}
}  // namespace

CoveredRate::CoveredRate(double probability, const CoverFactors& boosts, int horizon)
    : drawn(highest_rate(probability, boosts), horizon) {
    // An account not covered: p / q; covered by a source of factor k: min(1, k p) / q (1 when
    // that is the highest rate, exactly, so that nothing is drawn).
    for (std::size_t mask = 0; mask < acceptance.size(); ++mask) {
        const double rate = std::min(1.0, probability * boosts[mask]);
        acceptance[mask] = drawn.probability() > 0.0 ? rate / drawn.probability() : 1.0;
    }
}

bool CoveredRate::goes_ahead(const Population& population, std::size_t i, Purpose purpose,
                             int draw) const {
    const double accept = acceptance[population.covered[i]];
    if (accept >= 1.0) return true;
    KeyedStream stream(monthly_stream_key(population.key[i], purpose, draw));
    return uniform_open01(stream) < accept;
}

KeyedStream event_stream(const Population& population, std::size_t i, Purpose purpose, int month,
                         int variant) {
    const std::uint64_t key = population.key[i];
    const auto offset = static_cast<std::uint64_t>(variant) * 0xd6e8feb86659fd93ULL;
    return KeyedStream(month == population.joined[i]
                           ? stream_key(key, purpose) ^ offset
                           : monthly_stream_key(key, purpose, month * 8 + variant));
}

int next_event_month(const Population& population, std::size_t i, Purpose purpose,
                     const GeometricWait& wait, int month, int never) {
    KeyedStream stream = event_stream(population, i, purpose, month);
    return wait.next_month(month, stream, never);
}

}  // namespace cohortsim
