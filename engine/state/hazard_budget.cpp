#include "hazard_budget.hpp"

#include <boost/random/exponential_distribution.hpp>

namespace cohortsim {

double fresh_budget(std::uint64_t customer_key, Purpose purpose, int month) {
    KeyedStream stream(monthly_stream_key(customer_key, purpose, month));
    return boost::random::exponential_distribution<double>(1.0)(stream);
}

}  // namespace cohortsim
