#pragma once
// Schema entries in one line each: what every mechanism's spec and the loader's schema are made
// of (cohortsim/params.hpp).

#include <cstddef>
#include <string>
#include <string_view>

#include "cohortsim/params.hpp"
#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

// default_value of the keys a user must set.
inline constexpr std::string_view required_default = "required";

// Scenario and item names become HDF5 group names, hence the restricted alphabets.
struct NameRule {
    std::size_t max_length;
    bool upper_and_dash;       // A-Z and '-' allowed besides a-z 0-9 _
    std::string_view pattern;  // what error messages and the parameter table show
};
inline constexpr NameRule scenario_name_rule{64, true, "[A-Za-z0-9_-]{1,64}"};
inline constexpr NameRule segment_name_rule{32, false, "[a-z0-9_]{1,32}"};
inline constexpr NameRule item_name_rule = segment_name_rule;  // terms, tiers, products

// Shortest text that reads back as the same double, always a TOML float ("1.0", "0.3", "1e-07").
std::string format_real(double value);

// "tiers are named [a-z0-9_]{1,32}, at most 8": how a key's meaning names a list's items.
std::string names_text(std::string_view nouns, std::size_t max_items);

// A real or integer key with inclusive bounds, or a string key (no bounds).
ParamInfo real_key(std::string key, std::string default_value, std::string unit, double min,
                   double max, std::string meaning);
ParamInfo integer_key(std::string key, std::string default_value, std::string unit, double min,
                      double max, std::string meaning);
ParamInfo string_key(std::string key, std::string default_value, std::string meaning);

// The same entry with its bounds exclusive where asked ("> 0", "< 1").
ParamInfo exclusive(ParamInfo info, bool min_exclusive, bool max_exclusive);

// When a lever acts (docs/model.md 11.5): its start_month and end_month keys, and the field of
// each in `window`.
// `acts`: what happens only within the window ("save attempts at renewals").
// `prefix`: where the keys stand below the table ("products.*." for each product's window).
std::vector<ParamInfo> window_keys(const std::string& acts, const std::string& prefix = "");
std::vector<ParamInfo> with_window(std::vector<ParamInfo> keys, const std::string& acts);
int* window_field(LeverWindow& window, std::string_view key);  // nullptr: not a window key

// What a lever costs (docs/model.md 11.2): a key in `unit` ("currency" per event,
// "currency/month"), 0 by default so that a scenario without it means what it meant before, and
// the lever's cost series "cost_<table>" in currency/month.
ParamInfo cost_key(std::string key, std::string unit, std::string meaning);
MetricInfo cost_series(std::string_view table, std::string description);

}  // namespace cohortsim
