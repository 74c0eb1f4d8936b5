#pragma once
// Which Scenario member each schema key fills. The loader reads through these bindings and
// format_resolved_toml writes through them, so a key and its member are paired in one place.
// Internal to the engine.

#include <toml++/toml.h>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cohortsim/params.hpp"
#include "cohortsim/scenario.hpp"
#include "mechanism.hpp"

namespace cohortsim {

using Field = ParamField;  // mechanism.hpp

// Keys are relative: scenario_field takes "simulation.seed", segment_field "share" (of
// "segments.*.share"), retention_field "alpha" or "reasons.no_roi" (of "retention.*"), term_field
// "months" (of "contract.terms.*.months"), hire_field likewise (tiers and products:
// Upsell::tier_field and CrossSell::product_field).
Field scenario_field(Scenario& scenario, std::string_view key);
Field segment_field(SegmentParams& segment, std::string_view key);
Field retention_field(RetentionParams& retention, std::string_view key);
Field term_field(ContractTerm& term, std::string_view key);
Field hire_field(TeamHire& hire, std::string_view key);

// Prefixes of the schema keys that scenario_field does not bind: they have their own bindings.
inline constexpr std::array<std::string_view, 9> not_scenario_fields = {
    "extends",     "retention.",   "segments.",      "contract.", "upsell.tiers.",
    "cross_sell.", "team.hiring.", "interventions.", "pricing."};

// Schema entries whose key starts with `prefix`, keys made relative to it, in schema order;
// entries whose full key starts with one of `skip` are left out.
using SchemaEntry = std::pair<std::string_view, const ParamInfo*>;
std::vector<SchemaEntry> entries_under(std::string_view prefix,
                                       const std::vector<std::string_view>& skip = {});

// The node at a dotted path below `table`, or nullptr.
const toml::node* find_node(const toml::table& table, std::string_view key);

// An integer or float node as a double.
double number_of(const toml::node& node);

// Stores a node already checked against the field's schema entry.
void assign(const Field& field, const toml::node& node);

// Reads `key` from `table` (which may be null), or the schema default when absent and the
// default is a value rather than a word such as "required".
void read_value(const Field& field, const toml::table* table, std::string_view key,
                const ParamInfo& info);

// Every declared mechanism's table (engine/mechanisms/registry.hpp), off, each key at its declared
// default with its declared type: what the loader reads a scenario's values into.
std::map<std::string, MechanismTable, std::less<>> default_mechanism_tables();

// In a retention table, removes the keys of the pair other than `key`'s (nothing when `key` is in
// neither pair): a layer that gives mean_monthly_churn replaces an inherited alpha and beta.
void drop_other_pair(toml::table& retention, std::string_view key);

// One contract term of the given name with every schema default.
ContractTerm default_term(std::string name);

// Retention with every schema default (alpha and beta, which have none, left as constructed);
// enabled = false.
RetentionParams default_retention();

// A TOML basic string, quotes and escapes included.
std::string quote_toml(std::string_view text);

}  // namespace cohortsim
