#pragma once
// The law of an uncertain input (docs/model.md 12.1): a distribution drawn once per replication by
// inversion (one uniform, its quantile), so a draw is a pure function of its stream, and the same
// uniform gives the same value in every scenario that shares the input. Normal and lognormal laws
// are truncated to their key's range (and to low/high when given); the bounded ones must lie in it.

#include <string>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

class InputLaw {
  public:
    // `min`, `max`: the key's range, each end excluded from the draws when the key excludes it.
    // Throws std::invalid_argument with what is wrong and what is allowed.
    InputLaw(InputDistribution distribution, const InputParameters& given, double min, double max,
             bool integer, bool min_exclusive = false, bool max_exclusive = false);

    // The value at probability u in (0, 1); an integer key's is rounded to the nearest whole.
    double quantile(double u) const;
    // The smallest and largest values it can take.
    double low() const { return low_; }
    double high() const { return high_; }
    // Its parameters in words, for the results file ("uniform on [0.6, 1.4]").
    std::string describe() const;

    // The parameters each distribution takes, for messages and the documentation.
    static std::string parameters_of(InputDistribution distribution);

  private:
    double continuous_quantile(double u) const;

    InputDistribution distribution_;
    double p1_ = 0.0, p2_ = 0.0, p3_ = 0.0;  // as each distribution reads them (input_law.cpp)
    double low_ = 0.0, high_ = 0.0;          // support after truncation
    double cdf_low_ = 0.0, cdf_high_ = 1.0;  // truncation, in probability
    bool integer_ = false;
    double median_ = 0.0;  // what a draw the library cannot evaluate falls back to (never met)
    double min_, max_;     // the key's range
    bool min_exclusive_, max_exclusive_;
};

}  // namespace cohortsim
