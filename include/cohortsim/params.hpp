#pragma once
// The parameter schema: every scenario key with its type, default, unit, allowed range and
// meaning. The loader validates against it and `cohortsim params` prints it, so the two never
// disagree.

#include <cstddef>
#include <string>
#include <vector>

namespace cohortsim {

// real_list: a TOML array of reals, each within [min, max], with ParamInfo::list_length of them
// or none ([]). name_list: a TOML array of distinct names ([a-z0-9_]{1,32}: segments), or none.
enum class ParamType { integer, real, boolean, string, real_list, name_list };

struct ParamInfo {
    std::string key;  // dotted path; "*" stands for a segment name, e.g. "segments.*.share"
    ParamType type;
    std::string default_value;  // as TOML text
    std::string unit;
    double min;  // bounds for numbers
    double max;
    bool min_exclusive = false;
    bool max_exclusive = false;
    std::string meaning;
    std::size_t list_length = 0;  // real_list: how many values, when given
};

const std::vector<ParamInfo>& parameter_schema();

// Aligned human-readable table of the schema, for `cohortsim params`.
// `selected` (one flag per key of parameter_schema(), in its order) keeps only those rows,
// aligned as in the full table, without its introduction; empty: every key.
std::string format_parameter_table(const std::vector<bool>& selected = {});

}  // namespace cohortsim
