#pragma once
// The interface of a mechanism that declares itself (docs/architecture.md, "How to add a
// mechanism"). Such a mechanism is one class in engine/mechanisms/<name>.hpp, listed once in
// registry.hpp, and declares there everything the rest of the engine needs from it:
//
//   static MechanismSpec spec();                 its scenario table and keys (defaults, units,
//                                                ranges, meaning: what the loader validates and
//                                                `cohortsim params` prints) and its ledger series
//                                                (written as metrics, with units)
//   explicit M(const Scenario&);                 its parameters, read from its table
//   bool enabled() const;                        off: the simulator never calls its hooks
//   struct State; void start(State&, int horizon, std::size_t segments) const;
//                                                what it keeps during one replication, reset
//                                                for each (a worker keeps its memory)
//
// and any of these hooks, each called by the simulator at its fixed place in the month
// (docs/model.md 2.1), for every enabled mechanism that has it, in registry order:
//
//   void on_join(State&, MechanismContext&, std::size_t i, const Arrival&) const;
//                                                customer i joins (a new logo, an initial
//                                                customer or one of today's book), its hazard
//                                                budget, starting MRR and contract set
//   void month_step(State&, MechanismContext&) const;
//                                                its part of the revenue movements of the month
//                                                (usage, upsell, cross-sell, contraction, ...);
//                                                a step that changes a customer's hazard says so
//                                                (MechanismContext::hazard_changed)
//   int lapse_months(ChurnReason) const;         months a customer lost for this reason stays on
//                                                file and may come back (the longest counts)
//   void on_churn(State&, MechanismContext&, std::size_t i, ChurnReason) const;
//                                                customer i has just churned: booked, and marked
//                                                with the month it stays on file until
//                                                (Population::lapsed_until, 0 = gone for good)
//   bool cures(const MechanismContext&, std::size_t i, ChurnReason) const;
//                                                at a renewal date, whether customer i's intent
//                                                to leave for this reason has gone by itself
//   double save_probability(const MechanismContext&, std::size_t i) const;
//                                                its offer to customer i, about to leave at a
//                                                renewal date; one draw against the best offer
//   void bring_back(State&, MechanismContext&, std::vector<std::uint32_t>& returned) const;
//                                                brings lost customers back this month (after the
//                                                revenue movements) and appends their indices
//   void on_save_attempt(State&, MechanismContext&, std::size_t i, bool saved) const;
//                                                its offer (> 0) was put to customer i, who was
//                                                kept or not (what the attempt cost)
//   void on_return(State&, MechanismContext&, std::size_t i) const;
//                                                customer i, lost, is back this month
//   std::int64_t new_logos(State&, MechanismContext&, std::size_t segment) const;
//                                                logos it brings this month, joined at month end
//                                                after the inbound and the hunted ones
//   void renumber(State&, const std::vector<std::uint32_t>& kept, std::size_t old_size,
//                 int month) const;              the population was swept: kept[new] = old index
//   std::size_t bytes_per_customer() const;      what its State holds per customer, on average
//                                                (what the memory estimate counts)
//   double expected_added(double customers) const;
//                                                customers it adds, on average, to a run that
//                                                would have `customers` without it (what the
//                                                memory estimate reserves)
//
// Dispatch is static (a tuple of the mechanism types, hooks found by `requires`): nothing virtual,
// and a mechanism without a hook costs nothing where that hook is called.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "arrival.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/random.hpp"
#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"
#include "ledger.hpp"
#include "param_keys.hpp"
#include "population.hpp"

namespace cohortsim {

// A key whose value is one of a few words, kept in a Scenario as an enum whose order is the
// words' (TeamMode and team_mode_words, for instance).
struct WordField {
    std::span<const std::string_view> words;
    void* target;
    std::size_t (*get)(const void* target);
    void (*set)(void* target, std::size_t word);

    // The word of the value; a value outside the enum (cast from a number in code) becomes a
    // text no scenario can hold, which validate() then refuses.
    std::string word() const {
        const std::size_t k = get(target);
        return k < words.size() ? std::string(words[k]) : "<value " + std::to_string(k) + ">";
    }
    // False when `text` is not one of the words (the loader has checked it already).
    bool assign(std::string_view text) const {
        for (std::size_t k = 0; k < words.size(); ++k) {
            if (words[k] != text) continue;
            set(target, k);
            return true;
        }
        return false;
    }
};
template <class Enum, std::size_t N>
WordField word_field(Enum& value, const std::array<std::string_view, N>& words) {
    return {words, &value,
            [](const void* target) {
                return static_cast<std::size_t>(*static_cast<const Enum*>(target));
            },
            [](void* target, std::size_t word) {
                *static_cast<Enum*>(target) = static_cast<Enum>(word);
            }};
}

// Where a scenario keeps one value: what the loader reads into and the resolved TOML writes.
using ParamField = std::variant<int*, std::int64_t*, std::uint64_t*, double*, std::string*,
                                WordField, std::vector<double>*, std::vector<std::string>*>;

// What a declared mechanism tells the loader, `cohortsim params` and the results writer.
struct MechanismSpec {
    std::string_view table;       // its scenario table; present = on ("champion_moves")
    std::string_view turns_on;    // what the table turns on, for messages ("champion referrals")
    std::vector<ParamInfo> keys;  // below the table ("referral_probability")
    // Its ledger series, one number per month of each replication, written as metrics under
    // these names (counts are whole numbers held exactly in doubles).
    std::vector<MetricInfo> series;
    // What it costs, one series each in currency/month ("cost_save_desk"), written as metrics
    // like the series and summed into the retention cost (docs/model.md 11.2).
    std::vector<MetricInfo> costs = {};
    // Where a Scenario keeps its values: by default the generic Scenario::mechanism_tables; a
    // mechanism with a typed member of Scenario (save_desk: SaveDeskParams) gives the member's
    // field for each key below its table, and its on/off flag.
    ParamField (*field)(Scenario& scenario, std::string_view key) = nullptr;
    bool& (*enabled_flag)(Scenario& scenario) = nullptr;
};

// The replication in flight, as a hook sees it.
class MechanismContext {
  public:
    // `first_series` and `first_cost`: where the mechanism's series and costs are among all
    // declared series (first_series_of, first_cost_of).
    MechanismContext(Population& customers, Ledger& ledger, std::uint64_t key, int this_month,
                     int horizon_months, std::size_t first_series, std::size_t first_cost)
        : population(customers),
          replication_key(key),
          month(this_month),
          horizon(horizon_months),
          ledger_(ledger),
          first_series_(first_series),
          first_cost_(first_cost) {}

    Population& population;
    const std::uint64_t replication_key;
    const int month;
    const int horizon;

    // Adds `amount` to this month's value of the mechanism's series `series` (its index in
    // MechanismSpec::series).
    void count(std::size_t series, double amount) {
        ledger_.count_mechanism_series(first_series_ + series, month, amount);
    }
    // Adds `amount` (currency) to this month's value of its cost `cost` (its index in
    // MechanismSpec::costs).
    void spend(std::size_t cost, double amount) {
        ledger_.count_mechanism_series(first_cost_ + cost, month, amount);
    }
    // Books a change of customer i's MRR (MRR after minus before) as this month's movement.
    void move_mrr(MrrMovement movement, std::size_t i, double change) {
        ledger_.move(movement, population.cohort[i], change, month);
    }
    // The month's usage steps in bulk (Ledger::usage_change, usage_month): each customer's
    // change, then the month's rises and falls.
    void move_usage(std::size_t i, double change) {
        ledger_.usage_change(population.cohort[i], change);
    }
    void close_usage(double expansion, double contraction) {
        ledger_.usage_month(expansion, contraction, month);
    }
    // Customer i, lost, is back this month at its (new) MRR.
    void reactivated(std::size_t i) {
        ledger_.reactivate(population.cohort[i], population.mrr[i], month);
    }
    // Customer i's hazard changed this month (Population::scale_propensity): the simulator plans
    // its churn again once the hook returns. Only month_step may call it.
    void hazard_changed(std::size_t i) {
        changed_hazards_->push_back(static_cast<std::uint32_t>(i));
    }
    void collect_hazard_changes(std::vector<std::uint32_t>& changed) {
        changed_hazards_ = &changed;
    }

  private:
    Ledger& ledger_;
    std::size_t first_series_;
    std::size_t first_cost_;
    std::vector<std::uint32_t>* changed_hazards_ = nullptr;
};

// Base of a mechanism that keeps nothing during a replication: its State and start().
struct Stateless {
    struct State {};
    void start(State&, int, std::size_t) const {}
};

// The stream purpose of a declared mechanism's draws: a hash of its table name with the top bit
// set, so that it never equals one of Purpose's numbered values, and adding a mechanism shifts
// no other stream.
constexpr Purpose mechanism_purpose(std::string_view table) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
    for (const char ch : table)
        hash = (hash ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
    return static_cast<Purpose>(hash | (std::uint64_t{1} << 63));
}

// The scenario's table of a declared mechanism; nullptr when it is absent or off.
inline const MechanismTable* enabled_table(const Scenario& scenario, std::string_view table) {
    const auto found = scenario.mechanism_tables.find(table);
    return found == scenario.mechanism_tables.end() || !found->second.enabled ? nullptr
                                                                              : &found->second;
}

template <class M>
concept DeclaredMechanism = requires(const M& mechanism, const Scenario& scenario) {
    { M::spec() } -> std::same_as<MechanismSpec>;
    M(scenario);
    { mechanism.enabled() } -> std::same_as<bool>;
    typename M::State;
    requires requires(typename M::State & state) {
        mechanism.start(state, 1, std::size_t{1});
    };
};

template <class M>
concept ReactsToChurn = requires(const M& mechanism, typename M::State& state,
                                 MechanismContext& context, std::size_t i, ChurnReason reason) {
    mechanism.on_churn(state, context, i, reason);
};

template <class M>
concept BringsLogos = requires(const M& mechanism, typename M::State& state,
                               MechanismContext& context, std::size_t segment) {
    { mechanism.new_logos(state, context, segment) } -> std::same_as<std::int64_t>;
};

template <class M>
concept ReactsToJoin = requires(const M& mechanism, typename M::State& state,
                                MechanismContext& context, std::size_t i, const Arrival& arrival) {
    mechanism.on_join(state, context, i, arrival);
};

template <class M>
concept StepsMonthly = requires(const M& mechanism, typename M::State& state,
                                MechanismContext& context) {
    mechanism.month_step(state, context);
};

template <class M>
concept KeepsLapsed = requires(const M& mechanism, ChurnReason reason) {
    { mechanism.lapse_months(reason) } -> std::same_as<int>;
};

template <class M>
concept Cures = requires(const M& mechanism, const MechanismContext& context, std::size_t i,
                         ChurnReason reason) {
    { mechanism.cures(context, i, reason) } -> std::same_as<bool>;
};

template <class M>
concept ReactsToReturn = requires(const M& mechanism, typename M::State& state,
                                  MechanismContext& context, std::size_t i) {
    mechanism.on_return(state, context, i);
};

template <class M>
concept Renumbers = requires(const M& mechanism, typename M::State& state,
                             const std::vector<std::uint32_t>& kept) {
    mechanism.renumber(state, kept, std::size_t{0}, 0);
};

template <class M>
concept OffersSaves = requires(const M& mechanism, const MechanismContext& context, std::size_t i) {
    { mechanism.save_probability(context, i) } -> std::same_as<double>;
};

template <class M>
concept BringsBack = requires(const M& mechanism, typename M::State& state,
                              MechanismContext& context, std::vector<std::uint32_t>& returned) {
    mechanism.bring_back(state, context, returned);
};

template <class M>
concept HoldsMemory = requires(const M& mechanism) {
    { mechanism.bytes_per_customer() } -> std::same_as<std::size_t>;
};

template <class M>
concept CountsSaveAttempts = OffersSaves<M> &&
    requires(const M& mechanism, typename M::State& state, MechanismContext& context, std::size_t i,
             bool saved) {
    mechanism.on_save_attempt(state, context, i, saved);
};

template <class M>
concept AddsCustomers = requires(const M& mechanism, double customers) {
    { mechanism.expected_added(customers) } -> std::same_as<double>;
};

}  // namespace cohortsim
