#include "starting_mrr.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "cohortsim/random.hpp"

namespace cohortsim {

void StartingMrr::on_join(Population& population, std::size_t i, std::uint64_t customer_key,
                          const Arrival& arrival) const {
    if (arrival.kind == Arrival::Kind::book && arrival.entry->mrr) {
        population.mrr[i] = *arrival.entry->mrr;
        return;
    }
    const SegmentParams& segment = segments_[population.segment[i]];
    double mrr = segment.mrr_median;
    if (segment.mrr_sigma > 0.0) {
        KeyedStream stream(stream_key(customer_key, Purpose::starting_mrr));
        mrr *= std::exp(segment.mrr_sigma * boost::random::normal_distribution<double>()(stream));
    }
    population.mrr[i] = mrr;
}

}  // namespace cohortsim
