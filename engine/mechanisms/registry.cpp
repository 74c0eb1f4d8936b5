#include "registry.hpp"

namespace cohortsim {

const std::vector<MechanismSpec>& declared_mechanism_specs() {
    static const std::vector<MechanismSpec> specs =
        []<std::size_t... k>(std::index_sequence<k...>) {
        return std::vector<MechanismSpec>{std::tuple_element_t<k, DeclaredMechanisms>::spec()...};
    }
    (std::make_index_sequence<std::tuple_size_v<DeclaredMechanisms>>());
    return specs;
}

std::size_t first_series_of(std::size_t mechanism) {
    std::size_t first = 0;
    for (std::size_t m = 0; m < mechanism; ++m)
        first += declared_mechanism_specs()[m].series.size() +
                 declared_mechanism_specs()[m].costs.size();
    return first;
}

std::size_t first_cost_of(std::size_t mechanism) {
    return first_series_of(mechanism) + declared_mechanism_specs()[mechanism].series.size();
}

std::size_t declared_series_count() {
    return first_series_of(declared_mechanism_specs().size());
}

std::vector<DeclaredSeries> declared_series() {
    std::vector<DeclaredSeries> all;
    for (const MechanismSpec& spec : declared_mechanism_specs()) {
        for (const MetricInfo& info : spec.series)
            all.push_back({info, false});
        for (const MetricInfo& info : spec.costs)
            all.push_back({info, true});
    }
    return all;
}

}  // namespace cohortsim
