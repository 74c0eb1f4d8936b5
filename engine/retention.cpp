#include "retention.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <cmath>

namespace cohortsim {

namespace {

double cumulative_hazard_of_probability(double monthly_probability) {
    return -std::log1p(-monthly_probability);
}

}  // namespace

RetentionModel::RetentionModel(const Scenario& scenario) {
    const int horizon = scenario.simulation.horizon_months;
    for (const SegmentParams& params : scenario.segments) {
        const RetentionParams& retention = params.retention;
        Segment segment;
        segment.churns = retention.enabled;
        segment.duration_weight.assign(static_cast<std::size_t>(horizon) + 1, 0.0);
        if (retention.enabled) {
            segment.unavoidable = cumulative_hazard_of_probability(retention.unavoidable_monthly);
            for (int t = 1; t <= horizon; ++t) {
                segment.duration_weight[t] =
                    retention.c == 1.0 ? 1.0
                                       : std::pow(t, retention.c) - std::pow(t - 1, retention.c);
            }
            segment.reason_shares = retention.reason_shares;
            double cumulative = 0.0;
            for (std::size_t r = 0; r < baseline_reasons.size(); ++r) {
                cumulative += retention.reason_shares[r];
                segment.cumulative_shares[r] = cumulative;
                if (retention.reason_shares[r] > 0.0) segment.last_reason_with_share = r;
            }
            duration_dependent_ = duration_dependent_ || retention.c != 1.0;
            segment.propensity = PropensitySampler(retention.alpha, retention.beta);
        }
        segments_.push_back(std::move(segment));
    }
    const OnboardingParams& onboarding = scenario.onboarding;
    onboarding_.enabled = onboarding.enabled;
    if (onboarding.enabled) {
        onboarding_.months = onboarding.months;
        onboarding_.stalled = cumulative_hazard_of_probability(onboarding.stalled_hazard);
        onboarding_.low_adoption_multiplier = onboarding.low_adoption_multiplier;
    }
}

void RetentionModel::on_join(Population& population, std::size_t i,
                             std::uint64_t customer_key) const {
    const Segment& segment = segments_[population.segment[i]];
    // Without [retention] the propensity is 0; the budget is still drawn, because stalled
    // onboarding can end the customer on its own.
    population.propensity_hazard[i] = 0.0;
    if (segment.churns) {
        KeyedStream propensity_stream(stream_key(customer_key, Purpose::propensity));
        population.propensity_hazard[i] = segment.propensity.monthly_hazard(propensity_stream);
    }
    KeyedStream budget_stream(stream_key(customer_key, Purpose::churn_budget));
    population.budget[i] = boost::random::exponential_distribution<double>(1.0)(budget_stream);
}

double RetentionModel::fresh_budget(std::uint64_t customer_key, Purpose purpose, int month) {
    KeyedStream stream(monthly_stream_key(customer_key, purpose, month));
    return boost::random::exponential_distribution<double>(1.0)(stream);
}

ChurnReason RetentionModel::pick_reason(const HazardParts& parts, std::uint8_t segment,
                                        double uniform) const {
    double remaining = uniform * parts.total();
    if ((remaining -= parts.unavoidable) < 0.0) return ChurnReason::unavoidable;
    if ((remaining -= parts.stalled) < 0.0) return ChurnReason::stalled_onboarding;
    if ((remaining -= parts.low_adoption) < 0.0) return ChurnReason::low_adoption;
    // The baseline reason whose cumulative share first exceeds the point, counted without
    // branches (the outcome is random, so branches would mispredict).
    const Segment& params = segments_[segment];
    const double point = parts.baseline > 0.0 ? remaining / parts.baseline : 1.0;
    std::size_t r = 0;
    for (std::size_t k = 0; k + 1 < baseline_reasons.size(); ++k) {
        r += static_cast<std::size_t>(point >= params.cumulative_shares[k]);
    }
    // Rounding can land on a reason with no share: give it to the last one that has some.
    if (params.reason_shares[r] <= 0.0) r = params.last_reason_with_share;
    return baseline_reasons[r];
}

}  // namespace cohortsim
