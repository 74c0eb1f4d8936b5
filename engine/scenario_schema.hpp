#pragma once
// Schema helpers shared by params.cpp (the schema and `cohortsim params`) and the scenario loader.
// Internal to the engine: the public view of the schema is params.hpp.

#include <cstddef>
#include <string>
#include <string_view>

#include "cohortsim/params.hpp"

namespace cohortsim {

// default_value of the keys a user must set.
inline constexpr std::string_view required_default = "required";

// Scenario and segment names become HDF5 group names, hence the restricted alphabets.
struct NameRule {
    std::size_t max_length;
    bool upper_and_dash;       // A-Z and '-' allowed besides a-z 0-9 _
    std::string_view pattern;  // what error messages and the parameter table show
};
inline constexpr NameRule scenario_name_rule{64, true, "[A-Za-z0-9_-]{1,64}"};
inline constexpr NameRule segment_name_rule{32, false, "[a-z0-9_]{1,32}"};
bool follows(const NameRule& rule, std::string_view name);

inline constexpr std::size_t max_segments = 16;
// Segment shares and reason shares must sum to 1 within this.
inline constexpr double share_sum_tolerance = 1e-6;

// The entry for a key pattern such as "segments.*.share"; nullptr when there is none.
const ParamInfo* find_param(std::string_view pattern);

const char* param_type_name(ParamType type);

// What a key accepts, in words, for error messages: "real > 0 and <= 10000".
std::string allowed_text(const ParamInfo& info);

// Shortest text that reads back as the same double, always a TOML float ("1.0", "0.3", "1e-07").
std::string format_real(double value);

}  // namespace cohortsim
