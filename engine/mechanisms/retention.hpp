#pragma once
// Retention: the competing monthly hazards of docs/model.md section 4, accrued against each
// customer's exponential budget.
//
// Convention: every hazard is a monthly *cumulative* hazard H = -log(survival probability), so
// hazards add across competing risks and a multiplier m turns a survival probability q into
// q^m (about m times the churn probability when it is small, and never above 1). Survival of a
// customer with propensity theta over its first t months is (1 - theta)^(t^c) (BdW; sBG for
// c = 1), i.e. a cumulative hazard lambda * t^c with lambda = -log(1 - theta).

#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "arrival.hpp"
#include "book_posterior.hpp"
#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "hazard_cover.hpp"
#include "population.hpp"
#include "propensity_sampler.hpp"

namespace cohortsim {

// This month's hazard of one customer, split by where it comes from (for churn reasons).
struct HazardParts {
    double baseline = 0.0;      // propensity x duration, split across baseline reasons by share
    double low_adoption = 0.0;  // the extra that the low-adoption multiplier adds
    double stalled = 0.0;       // stalled onboarding
    double unavoidable = 0.0;
    double total() const { return baseline + low_adoption + stalled + unavoidable; }
};

class RetentionModel {
  public:
    // `months_of_life`: the oldest month of life a customer reaches (the horizon, plus the
    // tenure of today's oldest customer). `covers`: the sources of coverage, source k at bit k
    // of Population::covered.
    // `risk_bits`: the sources that are part of an account's risk rather than something done
    // about it (the price shocks): the health signal sees them.
    RetentionModel(const Scenario& scenario, int months_of_life, std::vector<HazardCover> covers,
                   std::uint8_t risk_bits = 0);

    // Draws the customer's propensity (from the prior, or for a customer of today's book from
    // the posterior its survival so far implies) and its budget; called once when it joins.
    void on_join(Population& population, std::size_t i, std::uint64_t customer_key,
                 const Arrival& arrival) const {
        // The book's posterior out of line: the prior's draw stays inlined in the join loop,
        // where it is most of the work of a run of one large cohort (measured).
        if (arrival.kind == Arrival::Kind::book)
            return on_join_book(population, i, customer_key, arrival);
        const Segment& segment = segments_[population.segment[i]];
        // Without [retention] the propensity is 0; the budget is still drawn, because stalled
        // onboarding can end the customer on its own.
        population.propensity_hazard[i] = 0.0;
        if (segment.churns) {
            KeyedStream propensity_stream(stream_key(customer_key, Purpose::propensity));
            population.propensity_hazard[i] = segment.propensity.monthly_hazard(propensity_stream);
        }
        population.budget[i] = initial_budget(customer_key);
    }

    // Month `month_of_life` (1 = the first month after joining) of customer i. The flags
    // let the month loop compile away what a scenario does not use; they must agree with
    // has_onboarding() and is_duration_dependent().
    template <bool Onboarding, bool DurationDependent>
    HazardParts parts(const Population& population, std::size_t i, int month_of_life) const {
        const Segment& segment = segments_[population.segment[i]];
        HazardParts parts;
        // A customer that intends to leave at its next renewal has spent its avoidable hazards:
        // only unavoidable churn can reach it first.
        const double propensity = population.propensity_hazard[i];
        const bool paused = Population::avoidable_spent(propensity);
        parts.baseline = paused ? 0.0 : propensity;
        if constexpr (DurationDependent) parts.baseline *= segment.duration_weight[month_of_life];
        parts.unavoidable = segment.unavoidable;
        if constexpr (Onboarding) {
            const int activation = population.activation_month[i];
            if (month_of_life <= onboarding_.months) {
                // Stalled onboarding is avoidable like any other reason (docs/model.md 5): the
                // add-ons a customer adopted make it stickier too.
                if (activation > month_of_life && !paused)
                    parts.stalled = onboarding_.stalled * stickiness_[population.products[i]] *
                                    cover_stalled_[population.covered[i]];
            } else if (activation > onboarding_.months) {
                // Never activated during onboarding: low adoption for life.
                const double scaled = parts.baseline * onboarding_.low_adoption_multiplier;
                parts.low_adoption = scaled > parts.baseline ? scaled - parts.baseline : 0.0;
                parts.baseline = scaled < parts.baseline ? scaled : parts.baseline;
            }
        }
        return parts;
    }

    // The first month of life after `month_of_life` from which customer i's hazard changes by
    // itself (it activates, or onboarding ends without activation); 0 if it never does.
    int next_change(const Population& population, std::size_t i, int month_of_life) const {
        if (!onboarding_.enabled) return 0;
        const int activation = population.activation_month[i];
        // Activates during onboarding: stalled until then, the baseline for life after.
        if (activation <= onboarding_.months) return activation > month_of_life ? activation : 0;
        // Never activates: low adoption for life once onboarding is over.
        return onboarding_.months + 1 > month_of_life ? onboarding_.months + 1 : 0;
    }

    bool has_onboarding() const { return onboarding_.enabled; }
    bool is_duration_dependent() const { return duration_dependent_; }

    // Which competing risk caused a churn, with probability proportional to its share of the
    // month's hazard (exact for risks that accrue in proportion within the month). A covered
    // account's baseline splits by the reasons' shares times the multipliers of what covers it
    // (`cover_mask`).
    ChurnReason pick_reason(const HazardParts& parts, std::uint8_t segment, std::uint8_t cover_mask,
                            double uniform) const;

    // Customer i's cover mask becomes `mask`: its propensity is divided by the factor of the
    // mask it had and multiplied by the new one's (the share-weighted product of the covering
    // sources' multipliers), which is how the per-reason multipliers act on the month loop at no
    // cost to it.
    void set_cover(Population& population, std::size_t i, std::uint8_t mask) const;

    // Probability that customer i would leave in month `month_of_life` for an avoidable reason
    // without the farmers' or programmes' coverage (a price shock counts); 1 for a customer that
    // intends to leave. The truth an at-risk health signal measures.
    double uncovered_churn_probability(const Population& population, std::size_t i,
                                       int month_of_life) const;

  private:
    void on_join_book(Population& population, std::size_t i, std::uint64_t customer_key,
                      const Arrival& arrival) const;
    // The Exp(1) budget a customer joins with.
    static double initial_budget(std::uint64_t customer_key) {
        KeyedStream stream(stream_key(customer_key, Purpose::churn_budget));
        return boost::random::exponential_distribution<double>(1.0)(stream);
    }

    // How the baseline hazard splits across baseline_reasons.
    struct ReasonSplit {
        std::array<double, baseline_reasons.size()> shares{};
        std::array<double, baseline_reasons.size()> cumulative{};
        std::size_t last_with_share = 0;
        explicit ReasonSplit(const std::array<double, baseline_reasons.size()>& weights);
        ReasonSplit() = default;
    };
    struct Segment {
        bool churns = false;
        double unavoidable = 0.0;
        std::vector<double> duration_weight;  // t^c - (t-1)^c for month of life t (index t)
        // By cover mask (index 0: not covered): how the baseline splits, and its factor over an
        // uncovered account's.
        std::vector<ReasonSplit> cover_reasons;
        std::vector<double> cover_factor;
        PropensitySampler propensity{1.0, 1.0};
    };
    struct Onboarding {
        bool enabled = false;
        int months = 0;
        double stalled = 0.0;
        double low_adoption_multiplier = 1.0;
    };
    std::vector<Segment> segments_;
    Onboarding onboarding_;
    // The product of the hazard multipliers of the cross-sell products adopted, by the bits of
    // Population::products (the baseline carries them in the propensity).
    std::array<double, 256> stickiness_{};
    // By cover mask: the product of the covering sources' factors on the stalled hazard.
    std::uint8_t risk_bits_ = 0;  // covers the health signal sees (price shocks)
    std::vector<double> cover_stalled_{1.0};
    bool duration_dependent_ = false;  // some segment has c != 1
    BookPosterior book_;
};

}  // namespace cohortsim
