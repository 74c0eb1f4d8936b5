#pragma once
// [uncertainty] (docs/model.md 12.1): which numeric keys of the scenario are uncertain, and the law
// of each. Read apart from the scenario's own keys: its keys are other tables' keys, quoted.

#include <functional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "cohortsim/scenario.hpp"
#include "input_law.hpp"

namespace cohortsim {

// Throws (through `fail`: the node, its path, what is wrong and what is allowed) on a key that is
// not a numeric key of the schema, an unknown distribution or parameter, or a law that does not
// fit the key's range.
using FailAt = std::function<void(const toml::node& node, const std::string& path,
                                  const std::string& problem)>;
std::vector<UncertainInput> read_uncertainty_table(const toml::table& table, const FailAt& fail);

// The law of an input, within its key's range (throws std::invalid_argument when it does not fit,
// std::logic_error when the key is not a numeric key of the schema: read_uncertainty_table checks).
InputLaw input_law_of(const UncertainInput& input);
bool is_integer_key(const std::string& key);

// The [uncertainty] table as TOML, "" when there is no uncertain input.
std::string uncertainty_toml(const std::vector<UncertainInput>& inputs);

}  // namespace cohortsim
