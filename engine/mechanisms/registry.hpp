#pragma once
// The declared mechanisms (mechanism.hpp), in the order the simulator calls their hooks within
// each place of the month. A new mechanism is its file and one line here.

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "champion_moves.hpp"
#include "contraction.hpp"
#include "cross_sell.hpp"
#include "mechanism.hpp"
#include "onboarding.hpp"
#include "save_desk.hpp"
#include "upsell.hpp"
#include "usage_pricing.hpp"
#include "win_back.hpp"

namespace cohortsim {

using DeclaredMechanisms = std::tuple<Onboarding,    // docs/model.md 4.2
                                      SaveDesk,      // 5.2
                                      WinBack,       // 5.3
                                      UsagePricing,  // 6.2
                                      Upsell,        // 6.3
                                      CrossSell,     // 6.4
                                      Contraction,   // 6.5
                                      ChampionMoves  // 3.3
                                      >;

static_assert(
    []<std::size_t... k>(std::index_sequence<k...>) {
        return (DeclaredMechanism<std::tuple_element_t<k, DeclaredMechanisms>> && ...);
    }(std::make_index_sequence<std::tuple_size_v<DeclaredMechanisms>>()),
    "every entry of DeclaredMechanisms follows the interface of mechanism.hpp");

// Their specs, in registry order.
const std::vector<MechanismSpec>& declared_mechanism_specs();

// Where each one's series and costs start among all declared series (each mechanism's series,
// then its costs, in registry order), and their total.
std::size_t first_series_of(std::size_t mechanism);
std::size_t first_cost_of(std::size_t mechanism);
std::size_t declared_series_count();

// Every declared series in that order, and whether it is a cost.
struct DeclaredSeries {
    MetricInfo info;
    bool cost;
};
std::vector<DeclaredSeries> declared_series();

}  // namespace cohortsim

namespace cohortsim {

// What the declared mechanisms keep during one replication, in registry order.
template <class Tuple>
struct StatesOf;
template <class... M>
struct StatesOf<std::tuple<M...>> {
    using type = std::tuple<typename M::State...>;
};
using DeclaredStates = StatesOf<DeclaredMechanisms>::type;

inline constexpr std::size_t declared_mechanism_count = std::tuple_size_v<DeclaredMechanisms>;

// Each declared mechanism, built from the scenario.
template <class... M>
std::tuple<M...> make_mechanisms(const Scenario& scenario, std::type_identity<std::tuple<M...>>) {
    return std::tuple<M...>(M(scenario)...);
}

// Calls visit(mechanism, k) for the k-th declared mechanism, for each one that is on, in registry
// order.
template <class Visit>
void for_each_enabled(const DeclaredMechanisms& mechanisms, Visit&& visit) {
    [&]<std::size_t... k>(std::index_sequence<k...>) {
        ((std::get<k>(mechanisms).enabled() ? visit(std::get<k>(mechanisms), k) : void()), ...);
    }
    (std::make_index_sequence<declared_mechanism_count>());
}

// The same with the mechanism's state in the replication in flight: visit(mechanism, state, k).
template <class Visit>
void for_each_enabled(const DeclaredMechanisms& mechanisms, DeclaredStates& states, Visit&& visit) {
    [&]<std::size_t... k>(std::index_sequence<k...>) {
        ((std::get<k>(mechanisms).enabled() ? visit(std::get<k>(mechanisms), std::get<k>(states), k)
                                            : void()),
         ...);
    }
    (std::make_index_sequence<declared_mechanism_count>());
}

}  // namespace cohortsim
