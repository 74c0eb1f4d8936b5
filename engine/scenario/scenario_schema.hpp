#pragma once
// Schema helpers shared by params.cpp (the schema and `cohortsim params`) and the scenario loader.
// Internal to the engine: the public view of the schema is params.hpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cohortsim/params.hpp"
#include "param_keys.hpp"  // real_key, integer_key, string_key

namespace cohortsim {

bool follows(const NameRule& rule, std::string_view name);

inline constexpr std::size_t max_segments = 16;
// Segment, reason and contract-term shares must sum to 1 within this.
inline constexpr double share_sum_tolerance = 1e-6;

// The only lengths a contract term may have (docs/model.md section 5).
inline constexpr std::array<std::int64_t, 6> contract_term_months = {1, 3, 6, 12, 24, 36};

// A table of named items: a schema key segment "*" after `pattern` stands for any name that
// follows `rule` ("segments.*.share", "upsell.tiers.*.multiplier").
struct NamedTable {
    std::string_view pattern;  // "contract.terms", "segments.*.contract.terms", ...
    std::string_view noun;     // one item, for messages: "term"
    std::string_view nouns;
    NameRule rule;
    std::size_t max_items;
    // The parent table is an error without this one ([upsell] needs [upsell.tiers]).
    bool required_in_parent;
    // A list of named items is one value: a file that `extends` another and gives this table
    // replaces the base's table whole instead of merging item by item.
    bool replaced_by_extends;
};
inline constexpr std::array<NamedTable, 8> named_tables = {{
    {"segments", "segment", "segments", segment_name_rule, max_segments, false, false},
    {"contract.terms", "term", "terms", item_name_rule, 8, true, true},
    {"segments.*.contract.terms", "term", "terms", item_name_rule, 8, true, true},
    {"upsell.tiers", "tier", "tiers", item_name_rule, 8, true, true},
    {"cross_sell.products", "product", "products", item_name_rule, 8, true, true},
    {"team.hiring", "hire", "hires", item_name_rule, 24, false, true},
    {"interventions", "intervention", "interventions", item_name_rule, 7, false, false},
    {"pricing.changes", "price change", "price changes", item_name_rule, 8, true, true},
}};

// The named table at a pattern ("segments.*.contract.terms"), or nullptr when the pattern is not
// one. Throws std::logic_error when the schema has a "*" below a pattern this list lacks.
const NamedTable* find_named_table(std::string_view pattern);

// The schema pattern of a dotted key: every item name becomes '*'
// ("segments.smb.contract.terms.annual.months" -> "segments.*.contract.terms.*.months").
std::string pattern_of(std::string_view key);

// The entry for a key pattern such as "segments.*.share"; nullptr when there is none.
const ParamInfo* find_param(std::string_view pattern);

// A currency label goes into every money unit ("EUR/month").
inline constexpr std::string_view currency_label_rule =
    "1 to 16 characters, none of them a space, a control character, '/', '\\' or a quote";
bool is_currency_label(std::string_view label);

// The words a string key is limited to; empty when any string will do.
std::span<const std::string_view> allowed_words(const ParamInfo& info);

// The two ways of giving the Beta prior of a retention table ("retention" or
// "segments.*.retention"): alpha and beta, or mean_monthly_churn and polarization, one pair or the
// other. A layer (a file over its base, a segment over the scenario, a --set) that gives a key of
// one pair replaces the other pair it inherits; within a pair, keys are inherited one by one.
using RetentionPair = std::array<std::string_view, 2>;
inline constexpr RetentionPair beta_pair = {"alpha", "beta"};
inline constexpr RetentionPair mean_pair = {"mean_monthly_churn", "polarization"};
// The pair a key of a retention table belongs to, or nullptr.
const RetentionPair* retention_pair_of(std::string_view key);
// The pair other than `pair`.
const RetentionPair& other_pair(const RetentionPair& pair);
// True for the patterns of retention tables: "retention" and "segments.*.retention".
bool is_retention_table(std::string_view pattern);

// The values an integer key is limited to within its range; empty when any value in range will do.
std::span<const std::int64_t> allowed_values(const ParamInfo& info);

const char* param_type_name(ParamType type);

// What a key accepts, in words, for error messages: "real > 0 and <= 10000".
std::string allowed_text(const ParamInfo& info);

}  // namespace cohortsim
