#include "uncertainty_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "input_law.hpp"
#include "param_keys.hpp"
#include "scenario_fields.hpp"
#include "scenario_schema.hpp"

namespace cohortsim {

namespace {

// The parameters a law may name.
constexpr std::array<std::string_view, 10> parameter_names = {
    "mean", "sd", "median", "sigma", "low", "high", "mode", "a", "b", "distribution"};

std::string words(std::span<const std::string_view> list) {
    std::string text;
    for (const std::string_view word : list)
        text += (text.empty() ? "" : ", ") + std::string(word);
    return text;
}

const ParamInfo& numeric_key(const std::string& key) {
    const ParamInfo* info = find_param(pattern_of(key));
    if (info == nullptr || (info->type != ParamType::real && info->type != ParamType::integer))
        throw std::logic_error("not a numeric scenario key: " + key);
    return *info;
}

}  // namespace

InputLaw input_law_of(const UncertainInput& input) {
    const ParamInfo& info = numeric_key(input.key);
    return InputLaw(input.distribution, input.parameters, info.min, info.max,
                    info.type == ParamType::integer, info.min_exclusive, info.max_exclusive);
}

bool is_integer_key(const std::string& key) {
    return numeric_key(key).type == ParamType::integer;
}

std::vector<UncertainInput> read_uncertainty_table(const toml::table& table, const FailAt& fail) {
    std::vector<UncertainInput> inputs;
    for (auto&& [name, node] : table) {
        const std::string key(name.str());
        const std::string path = "uncertainty.\"" + key + "\"";
        const ParamInfo* info = find_param(pattern_of(key));
        if (info == nullptr ||
            (info->type != ParamType::real && info->type != ParamType::integer)) {
            fail(node, path,
                 "'" + key +
                     "' is not a numeric key of a scenario; allowed: a real or integer key "
                     "as `cohortsim params` lists it, with names for its '*' "
                     "(\"segments.smb.mrr_median\")");
            continue;
        }
        // The run's shape (horizon, replications, seed) is what the draws are made in; a key of a
        // few values (a term's months) has no law.
        if (key.starts_with("simulation.") || !allowed_values(*info).empty()) {
            fail(node, path,
                 "'" + key +
                     "' cannot be uncertain; allowed: a key outside [simulation] that "
                     "takes a range of values");
            continue;
        }
        const toml::table* law = node.as_table();
        if (law == nullptr) {
            fail(node, path,
                 "expected an inline table such as { distribution = \"uniform\", low = 0.6, "
                 "high = 1.4 }");
            continue;
        }
        UncertainInput input{.key = key};
        const toml::node* distribution = law->get("distribution");
        const auto word = std::find(
            input_distribution_words.begin(), input_distribution_words.end(),
            distribution != nullptr && distribution->is_string() ? distribution->as_string()->get()
                                                                 : std::string());
        if (word == input_distribution_words.end()) {
            fail(distribution != nullptr ? *distribution : node, path + ".distribution",
                 "not a distribution; allowed: " + words(input_distribution_words));
            continue;
        }
        input.distribution =
            static_cast<InputDistribution>(word - input_distribution_words.begin());
        for (auto&& [parameter, value] : *law) {
            const std::string parameter_name(parameter.str());
            if (parameter_name == "distribution") continue;
            if (std::find(parameter_names.begin(), parameter_names.end(), parameter_name) ==
                    parameter_names.end() ||
                !value.is_number()) {
                fail(value, path + "." + parameter_name,
                     "not a parameter of this law, or not a number; allowed: " +
                         InputLaw::parameters_of(input.distribution));
                continue;
            }
            input.parameters.emplace_back(parameter_name, number_of(value));
        }
        try {
            static_cast<void>(input_law_of(input));  // throws when the law does not fit
        } catch (const std::invalid_argument& problem) {
            fail(node, path, problem.what());
            continue;
        }
        inputs.push_back(std::move(input));
    }
    return inputs;
}

std::string uncertainty_toml(const std::vector<UncertainInput>& inputs) {
    if (inputs.empty()) return "";
    std::string text = "\n[uncertainty]\n";
    for (const UncertainInput& input : inputs) {
        text += quote_toml(input.key) + " = { distribution = " +
                quote_toml(input_distribution_words[static_cast<std::size_t>(input.distribution)]);
        for (const auto& [name, value] : input.parameters)
            text += ", " + name + " = " + format_real(value);
        text += " }\n";
    }
    return text;
}

}  // namespace cohortsim
