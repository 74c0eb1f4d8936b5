#include "input_draws.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <string>

#include "cohortsim/error.hpp"
#include "mechanism.hpp"
#include "scenario_schema.hpp"
#include "uncertainty_table.hpp"

namespace cohortsim {

InputDraws::InputDraws(const Scenario& scenario) {
    for (const UncertainInput& input : scenario.uncertainty) {
        // The loader has checked that the key is a numeric key of the schema and the law fits.
        const ParamInfo& info = *find_param(pattern_of(input.key));
        const bool integer = is_integer_key(input.key);
        InputLaw law = input_law_of(input);
        const std::string law_text = law.describe();
        inputs_.push_back({input,
                           std::move(law),
                           integer,
                           mechanism_purpose("uncertainty." + input.key),
                           {input.key, info.unit.empty() ? "1" : info.unit,
                            "value of " + input.key + " drawn for each replication: " + law_text}});
    }
}

std::vector<double> InputDraws::values(std::uint64_t seed, std::uint64_t replication) const {
    std::vector<double> values;
    const std::uint64_t key = replication_key(seed, replication);
    for (const Input& input : inputs_) {
        KeyedStream stream(stream_key(key, input.purpose));
        values.push_back(input.law.quantile(uniform_open01(stream)));
    }
    return values;
}

Scenario InputDraws::scenario_of(const Scenario& scenario,
                                 const std::vector<double>& values) const {
    std::vector<Override> overrides;
    for (std::size_t k = 0; k < inputs_.size(); ++k)
        overrides.push_back(
            {inputs_[k].given.key, input_value_text(values[k], inputs_[k].integer)});
    return load_scenario_variant(scenario, overrides);
}

void InputDraws::check_every_replication(const Scenario& scenario) const {
    const auto replications = static_cast<std::size_t>(scenario.simulation.replications);
    std::vector<std::string> problems(replications);
    tbb::parallel_for(std::size_t{0}, replications, [&](std::size_t r) {
        try {
            static_cast<void>(scenario_of(scenario, values(scenario.simulation.seed, r)));
        } catch (const InputError& problem) {
            problems[r] = problem.what();
        }
    });
    for (std::size_t r = 0; r < replications; ++r) {
        if (problems[r].empty()) continue;
        const std::vector<double> drawn = values(scenario.simulation.seed, r);
        std::string draws;
        for (std::size_t k = 0; k < inputs_.size(); ++k)
            draws += (k == 0 ? "" : ", ") + inputs_[k].given.key + " = " +
                     input_value_text(drawn[k], inputs_[k].integer);
        throw InputError(scenario.source + ": [uncertainty] of scenario '" + scenario.name +
                         "': replication " + std::to_string(r) + " draws " + draws +
                         ", which the scenario cannot take (" + problems[r] +
                         "); allowed: laws whose every draw makes a valid scenario (narrow "
                         "them, or leave out a key that must agree with others)");
    }
}

std::vector<InputSample> InputDraws::samples(std::uint64_t seed, std::int64_t replications) const {
    std::vector<InputSample> samples;
    for (const Input& input : inputs_)
        samples.push_back({input.info, {}});
    for (std::int64_t r = 0; r < replications; ++r) {
        const std::vector<double> drawn = values(seed, static_cast<std::uint64_t>(r));
        for (std::size_t k = 0; k < drawn.size(); ++k)
            samples[k].values.push_back(drawn[k]);
    }
    return samples;
}

}  // namespace cohortsim
