#include "retention.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <cmath>

namespace cohortsim {

namespace {

double cumulative_hazard_of_probability(double monthly_probability) {
    return -std::log1p(-monthly_probability);
}

}  // namespace

RetentionModel::ReasonSplit::ReasonSplit(
    const std::array<double, baseline_reasons.size()>& weights) {
    double total = 0.0;
    for (const double weight : weights)
        total += weight;
    double running = 0.0;
    for (std::size_t r = 0; r < weights.size(); ++r) {
        shares[r] = weights[r] / total;
        running += shares[r];
        cumulative[r] = running;
        if (weights[r] > 0.0) last_with_share = r;
    }
}

RetentionModel::RetentionModel(const Scenario& scenario, int months_of_life,
                               std::vector<HazardCover> covers, std::uint8_t risk_bits)
    : risk_bits_(risk_bits), book_(scenario) {
    const std::size_t masks = std::size_t{1} << covers.size();
    // The product of the factors of the sources in each mask.
    std::vector<HazardCover> by_mask(masks);
    for (std::size_t mask = 1; mask < masks; ++mask) {
        for (std::size_t k = 0; k < covers.size(); ++k) {
            if (((mask >> k) & 1U) == 0) continue;
            for (std::size_t r = 0; r < baseline_reasons.size(); ++r)
                by_mask[mask].reasons[r] *= covers[k].reasons[r];
            by_mask[mask].stalled *= covers[k].stalled;
        }
    }
    cover_stalled_.resize(masks);
    for (std::size_t mask = 0; mask < masks; ++mask)
        cover_stalled_[mask] = by_mask[mask].stalled;
    for (const SegmentParams& params : scenario.segments) {
        const RetentionParams& retention = params.retention;
        Segment segment;
        segment.churns = retention.enabled;
        segment.duration_weight.assign(static_cast<std::size_t>(months_of_life) + 1, 0.0);
        segment.cover_reasons.assign(masks, ReasonSplit());
        segment.cover_factor.assign(masks, 1.0);
        if (retention.enabled) {
            segment.unavoidable = cumulative_hazard_of_probability(retention.unavoidable_monthly);
            for (int t = 1; t <= months_of_life; ++t) {
                segment.duration_weight[t] =
                    retention.c == 1.0 ? 1.0
                                       : std::pow(t, retention.c) - std::pow(t - 1, retention.c);
            }
            segment.cover_reasons[0] = ReasonSplit(retention.reason_shares);
            for (std::size_t mask = 1; mask < masks; ++mask) {
                std::array<double, baseline_reasons.size()> covered{};
                double factor = 0.0;
                for (std::size_t r = 0; r < covered.size(); ++r) {
                    covered[r] = retention.reason_shares[r] * by_mask[mask].reasons[r];
                    factor += covered[r];
                }
                // Without a share anywhere, coverage has nothing to act on.
                if (!(factor > 0.0)) {
                    factor = 1.0;
                    covered = retention.reason_shares;
                }
                segment.cover_reasons[mask] = ReasonSplit(covered);
                segment.cover_factor[mask] = factor;
            }
            duration_dependent_ = duration_dependent_ || retention.c != 1.0;
            segment.propensity = PropensitySampler(retention.alpha, retention.beta);
        }
        segments_.push_back(std::move(segment));
    }
    for (std::size_t products = 0; products < stickiness_.size(); ++products) {
        stickiness_[products] = 1.0;
        for (std::size_t p = 0; p < scenario.cross_sell.size(); ++p)
            if ((products >> p) & 1U)
                stickiness_[products] *= scenario.cross_sell[p].hazard_multiplier;
    }
    const OnboardingParams& onboarding = scenario.onboarding;
    onboarding_.enabled = onboarding.enabled;
    if (onboarding.enabled) {
        onboarding_.months = onboarding.months;
        onboarding_.stalled = cumulative_hazard_of_probability(onboarding.stalled_hazard);
        onboarding_.low_adoption_multiplier = onboarding.low_adoption_multiplier;
    }
}

void RetentionModel::on_join_book(Population& population, std::size_t i, std::uint64_t customer_key,
                                  const Arrival& arrival) const {
    population.propensity_hazard[i] =
        book_.propensity_hazard(*arrival.entry, arrival.entry_index, customer_key);
    population.budget[i] = initial_budget(customer_key);
}

void RetentionModel::set_cover(Population& population, std::size_t i, std::uint8_t mask) const {
    const std::vector<double>& factor = segments_[population.segment[i]].cover_factor;
    const std::uint8_t old = population.covered[i];
    if (old == mask) return;
    if (old != 0) population.unscale_propensity(i, factor[old]);
    if (mask != 0) population.scale_propensity(i, factor[mask]);
    population.covered[i] = mask;
}

double RetentionModel::uncovered_churn_probability(const Population& population, std::size_t i,
                                                   int month_of_life) const {
    if (Population::avoidable_spent(population.propensity_hazard[i])) return 1.0;
    HazardParts hazard;
    const bool duration = duration_dependent_;
    if (onboarding_.enabled && duration)
        hazard = parts<true, true>(population, i, month_of_life);
    else if (onboarding_.enabled)
        hazard = parts<true, false>(population, i, month_of_life);
    else if (duration)
        hazard = parts<false, true>(population, i, month_of_life);
    else
        hazard = parts<false, false>(population, i, month_of_life);
    // The hazard under its whole mask, over that mask's factor, times the factor of the risk
    // sources alone (exact: the stored propensity is the uncovered one times the mask's factor).
    const std::uint8_t mask = population.covered[i];
    const std::uint8_t risk = mask & risk_bits_;
    const std::vector<double>& factor = segments_[population.segment[i]].cover_factor;
    return -std::expm1(-(hazard.baseline + hazard.low_adoption) / factor[mask] * factor[risk] -
                       hazard.stalled / cover_stalled_[mask] * cover_stalled_[risk]);
}

ChurnReason RetentionModel::pick_reason(const HazardParts& parts, std::uint8_t segment,
                                        std::uint8_t cover_mask, double uniform) const {
    double remaining = uniform * parts.total();
    if ((remaining -= parts.unavoidable) < 0.0) return ChurnReason::unavoidable;
    if ((remaining -= parts.stalled) < 0.0) return ChurnReason::stalled_onboarding;
    if ((remaining -= parts.low_adoption) < 0.0) return ChurnReason::low_adoption;
    // The baseline reason whose cumulative share first exceeds the point, counted without
    // branches (the outcome is random, so branches would mispredict).
    const ReasonSplit& split = segments_[segment].cover_reasons[cover_mask];
    const double point = parts.baseline > 0.0 ? remaining / parts.baseline : 1.0;
    std::size_t r = 0;
    for (std::size_t k = 0; k + 1 < baseline_reasons.size(); ++k) {
        r += static_cast<std::size_t>(point >= split.cumulative[k]);
    }
    // Rounding can land on a reason with no share: give it to the last one that has some.
    if (split.shares[r] <= 0.0) r = split.last_with_share;
    return baseline_reasons[r];
}

}  // namespace cohortsim
