#include "onboarding.hpp"

#include <cmath>

#include "cohortsim/random.hpp"

namespace cohortsim {

void Onboarding::on_join(Population& population, std::size_t i, std::uint64_t customer_key) const {
    const int never = params_.months + 1;
    int month = never;
    if (params_.enabled && params_.activation_per_month > 0.0) {
        if (params_.activation_per_month >= 1.0) {
            month = 1;
        } else {
            // Inverse CDF of the geometric distribution on {1, 2, ...}.
            KeyedStream stream(stream_key(customer_key, Purpose::activation));
            const double trials = std::floor(std::log(uniform_open01(stream)) /
                                             std::log1p(-params_.activation_per_month));
            if (trials < static_cast<double>(params_.months)) month = 1 + static_cast<int>(trials);
        }
    }
    population.activation_month[i] = static_cast<std::uint8_t>(month);
}

}  // namespace cohortsim
