#pragma once
// The uncertain inputs of a scenario (docs/model.md 12.1): each drawn once per replication, by
// inversion of one uniform from a stream keyed by (seed, replication, key). Scenarios of a run
// share seeds, so two that share an input draw the same value in the same replication, and their
// paired comparison stays paired.

#include <cstdint>
#include <vector>

#include "cohortsim/random.hpp"
#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "input_law.hpp"

namespace cohortsim {

class InputDraws {
  public:
    explicit InputDraws(const Scenario& scenario);
    bool empty() const { return inputs_.empty(); }

    // Replication r's value of each input, in [uncertainty] order.
    std::vector<double> values(std::uint64_t seed, std::uint64_t replication) const;
    // The scenario that replication simulates.
    Scenario scenario_of(const Scenario& scenario, const std::vector<double>& values) const;
    // Throws InputError naming the first replication whose draws the scenario cannot take (a
    // share that no longer sums to 1 with the others, an end month before its start): found
    // before any work, in parallel.
    void check_every_replication(const Scenario& scenario) const;
    // Every replication's values, for the results file.
    std::vector<InputSample> samples(std::uint64_t seed, std::int64_t replications) const;

  private:
    struct Input {
        UncertainInput given;
        InputLaw law;
        bool integer;
        Purpose purpose;
        MetricInfo info;
    };
    std::vector<Input> inputs_;
};

}  // namespace cohortsim
