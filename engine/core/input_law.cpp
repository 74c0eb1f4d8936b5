#include "input_law.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace cohortsim {

namespace {

// Extreme parameters must give a refusal, never an exception from the library: errors become
// NaN or infinities, which the constructor checks.
using Quiet = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::underflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>,
    boost::math::policies::pole_error<boost::math::policies::errno_on_error>,
    boost::math::policies::rounding_error<boost::math::policies::errno_on_error>,
    boost::math::policies::indeterminate_result_error<boost::math::policies::errno_on_error>>;
using Normal = boost::math::normal_distribution<double, Quiet>;
using Lognormal = boost::math::lognormal_distribution<double, Quiet>;
using Beta = boost::math::beta_distribution<double, Quiet>;
using Triangular = boost::math::triangular_distribution<double, Quiet>;

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::optional<double> find(const InputParameters& given, const std::string& name) {
    for (const auto& [key, value] : given)
        if (key == name) return value;
    return std::nullopt;
}

[[noreturn]] void refuse(const std::string& problem, InputDistribution distribution) {
    throw std::invalid_argument(problem + "; allowed: " + InputLaw::parameters_of(distribution));
}

double need(const InputParameters& given, const std::string& name, InputDistribution distribution) {
    const std::optional<double> value = find(given, name);
    if (!value) refuse("missing parameter '" + name + "'", distribution);
    return *value;
}

}  // namespace

std::string InputLaw::parameters_of(InputDistribution distribution) {
    switch (distribution) {
        case InputDistribution::normal:
            return "normal: mean, sd > 0, optionally low and high (truncated to them and to the "
                   "key's range)";
        case InputDistribution::lognormal:
            return "lognormal: median > 0, sigma > 0, optionally low and high (truncated to them "
                   "and to the key's range)";
        case InputDistribution::uniform:
            return "uniform: low < high, within the key's range";
        case InputDistribution::triangular:
            return "triangular: low <= mode <= high, low < high, within the key's range";
        case InputDistribution::beta:
            return "beta: mean and sd (sd^2 < (mean - low)(high - mean)), or a > 0 and b > 0; on "
                   "[low, high] (default [0, 1]) within the key's range";
        case InputDistribution::pert:
            return "pert: low <= mode <= high, low < high, within the key's range";
    }
    return "";
}

InputLaw::InputLaw(InputDistribution distribution, const InputParameters& given, double min,
                   double max, bool integer, bool min_exclusive, bool max_exclusive)
    : distribution_(distribution),
      integer_(integer),
      min_(min),
      max_(max),
      min_exclusive_(min_exclusive),
      max_exclusive_(max_exclusive) {
    for (const auto& [name, value] : given)
        if (!std::isfinite(value)) refuse("parameter '" + name + "' is not finite", distribution);
    // The bounded laws: their support, which must lie within the key's range.
    const auto bounded = [&](double low, double high) {
        if (!(low < high))
            refuse("low " + number(low) + " is not below high " + number(high), distribution);
        if (low < min || high > max)
            refuse("support [" + number(low) + ", " + number(high) +
                       "] is not within the key's range [" + number(min) + ", " + number(max) + "]",
                   distribution);
        low_ = low;
        high_ = high;
    };
    const auto moded = [&] {
        p1_ = need(given, "low", distribution);
        p3_ = need(given, "high", distribution);
        p2_ = need(given, "mode", distribution);
        bounded(p1_, p3_);
        if (p2_ < p1_ || p2_ > p3_)
            refuse("mode " + number(p2_) + " is not within [low, high]", distribution);
    };
    switch (distribution) {
        case InputDistribution::uniform:
            p1_ = need(given, "low", distribution);
            p2_ = need(given, "high", distribution);
            bounded(p1_, p2_);
            break;
        case InputDistribution::triangular:
        case InputDistribution::pert:
            moded();
            if (distribution == InputDistribution::pert) {
                // PERT: a beta on [low, high] with shapes 1 + 4 (mode - low) / (high - low) and
                // 1 + 4 (high - mode) / (high - low).
                const double width = p3_ - p1_;
                p1_ = 1.0 + 4.0 * (p2_ - low_) / width;
                p2_ = 1.0 + 4.0 * (high_ - p2_) / width;
            }
            break;
        case InputDistribution::beta: {
            bounded(find(given, "low").value_or(0.0), find(given, "high").value_or(1.0));
            const double width = high_ - low_;
            if (find(given, "a") || find(given, "b")) {
                p1_ = need(given, "a", distribution);
                p2_ = need(given, "b", distribution);
                if (!(p1_ > 0.0 && p2_ > 0.0)) refuse("a and b must be above 0", distribution);
            } else {
                const double mean = (need(given, "mean", distribution) - low_) / width;
                const double sd = need(given, "sd", distribution) / width;
                if (!(mean > 0.0 && mean < 1.0 && sd > 0.0 && sd * sd < mean * (1.0 - mean)))
                    refuse("no beta on [" + number(low_) + ", " + number(high_) +
                               "] has this mean and sd",
                           distribution);
                const double common = mean * (1.0 - mean) / (sd * sd) - 1.0;
                p1_ = mean * common;
                p2_ = (1.0 - mean) * common;
            }
            break;
        }
        case InputDistribution::normal:
        case InputDistribution::lognormal: {
            const bool normal = distribution == InputDistribution::normal;
            p1_ = normal ? need(given, "mean", distribution) : need(given, "median", distribution);
            p2_ = normal ? need(given, "sd", distribution) : need(given, "sigma", distribution);
            if (!(p2_ > 0.0))
                refuse(std::string(normal ? "sd" : "sigma") + " must be above 0", distribution);
            if (!normal) {
                if (!(p1_ > 0.0)) refuse("median must be above 0", distribution);
                p1_ = std::log(p1_);
            }
            low_ = std::max(find(given, "low").value_or(min), min);
            high_ = std::min(find(given, "high").value_or(max), max);
            if (!normal) low_ = std::max(low_, 0.0);
            if (!(low_ < high_))
                refuse("nothing is left between low and high within the key's range [" +
                           number(min) + ", " + number(max) + "]",
                       distribution);
            const auto cdf = [&](double x) {
                if (normal) return boost::math::cdf(Normal(p1_, p2_), x);
                return x <= 0.0 ? 0.0 : boost::math::cdf(Lognormal(p1_, p2_), x);
            };
            cdf_low_ = std::isfinite(low_) ? cdf(low_) : 0.0;
            cdf_high_ = std::isfinite(high_) ? cdf(high_) : 1.0;
            if (!(cdf_high_ - cdf_low_ > 1e-9))
                refuse("the key's range [" + number(min) + ", " + number(max) +
                           "] holds almost none of it (probability " +
                           number(cdf_high_ - cdf_low_) + ")",
                       distribution);
            break;
        }
    }
    // Parameters so extreme that the law cannot be evaluated are refused here, not met later.
    for (const double u : {1e-12, 0.5, 1.0 - 1e-12})
        if (!std::isfinite(continuous_quantile(u)))
            refuse("the law cannot be evaluated at these parameters (too extreme)", distribution);
    median_ = quantile(0.5);
}

double InputLaw::continuous_quantile(double u) const {
    switch (distribution_) {
        case InputDistribution::uniform:
            return p1_ + u * (p2_ - p1_);
        case InputDistribution::triangular:
            return boost::math::quantile(Triangular(p1_, p2_, p3_), u);
        case InputDistribution::beta:
        case InputDistribution::pert:
            return low_ + (high_ - low_) * boost::math::quantile(Beta(p1_, p2_), u);
        case InputDistribution::normal:
        case InputDistribution::lognormal: {
            const double p = cdf_low_ + u * (cdf_high_ - cdf_low_);
            const double x = distribution_ == InputDistribution::normal
                                 ? boost::math::quantile(Normal(p1_, p2_), p)
                                 : boost::math::quantile(Lognormal(p1_, p2_), p);
            return std::clamp(x, low_, high_);  // the tails' last rounding
        }
    }
    return low_;
}

double InputLaw::quantile(double u) const {
    const double raw = continuous_quantile(u);
    double value = std::isnan(raw) ? median_ : std::clamp(raw, low_, high_);
    if (integer_) value = std::clamp(std::round(value), std::ceil(low_), std::floor(high_));
    // An end the key excludes (alpha > 0) is never drawn: the nearest value inside instead.
    const double step = integer_ ? 1.0 : 0.0;
    if (min_exclusive_ && value <= min_)
        value = integer_ ? min_ + step : std::nextafter(min_, std::numeric_limits<double>::max());
    if (max_exclusive_ && value >= max_)
        value =
            integer_ ? max_ - step : std::nextafter(max_, std::numeric_limits<double>::lowest());
    return value;
}

std::string InputLaw::describe() const {
    switch (distribution_) {
        case InputDistribution::uniform:
            return "uniform on [" + number(p1_) + ", " + number(p2_) + "]";
        case InputDistribution::triangular:
            return "triangular on [" + number(p1_) + ", " + number(p3_) + "], mode " + number(p2_);
        case InputDistribution::beta:
        case InputDistribution::pert:
            return std::string(distribution_ == InputDistribution::pert ? "PERT" : "beta") +
                   " (a = " + number(p1_) + ", b = " + number(p2_) + ") on [" + number(low_) +
                   ", " + number(high_) + "]";
        case InputDistribution::normal:
            return "normal (mean " + number(p1_) + ", sd " + number(p2_) + ") truncated to [" +
                   number(low_) + ", " + number(high_) + "]";
        case InputDistribution::lognormal:
            return "lognormal (median " + number(std::exp(p1_)) + ", sigma " + number(p2_) +
                   ") truncated to [" + number(low_) + ", " + number(high_) + "]";
    }
    return "";
}

}  // namespace cohortsim
