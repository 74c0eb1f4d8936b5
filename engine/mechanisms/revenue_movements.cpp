#include "revenue_movements.hpp"

#include "hazard_cover.hpp"

namespace cohortsim {

AddOnPrices::AddOnPrices(const std::vector<CrossSellProduct>& products) {
    for (std::size_t mask = 0; mask < by_mask_.size(); ++mask) {
        for (std::size_t p = 0; p < products.size(); ++p) {
            if ((mask >> p) & 1U) by_mask_[mask] += products[p].mrr;
        }
    }
}

bool CoveredRate::goes_ahead(const Population& population, std::size_t i, Purpose purpose,
                             int draw) const {
    if (population.is_covered_by(i, farmer_cover_bit) || uncovered_acceptance >= 1.0) return true;
    KeyedStream stream(monthly_stream_key(population.key[i], purpose, draw));
    return uniform_open01(stream) < uncovered_acceptance;
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
