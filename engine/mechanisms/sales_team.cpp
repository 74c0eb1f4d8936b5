#include "sales_team.hpp"

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "cohortsim/random.hpp"

namespace cohortsim {

namespace {

// Productivity of a rep `months` after it was hired: linear up to full at ramp_months.
double ramp(int months, int ramp_months) {
    if (months < 0) return 0.0;
    if (ramp_months == 0) return 1.0;
    return std::min(1.0, static_cast<double>(months) / ramp_months);
}

// Reps of one kind at a month: paid (from the hire month) and ramped (productive equivalents).
struct Headcount {
    double paid = 0.0;
    double ramped = 0.0;
};

Headcount headcount(const TeamParams& team, double initial, double TeamHire::*kind, int month) {
    Headcount count{initial, initial};
    for (const TeamHire& hire : team.hiring) {
        if (hire.month > month) continue;
        count.paid += hire.*kind;
        count.ramped += hire.*kind * ramp(month - hire.month, team.ramp_months);
    }
    return count;
}

bool is_generalist(const TeamParams& team) {
    return team.mode == TeamMode::generalist;
}

template <typename Count>
Count binomial(Count trials, double p, KeyedStream& stream) {
    if (trials <= 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return trials;
    return boost::random::binomial_distribution<Count, double>(trials, p)(stream);
}

}  // namespace

CoverageEffect coverage_effect(const TeamParams& team) {
    CoverageEffect effect;
    if (!team.enabled || team.accounts_per_farmer == 0) return effect;
    const bool generalist = is_generalist(team);
    double farmers = generalist ? team.reps : team.reps * (1.0 - team.hunter_share);
    for (const TeamHire& hire : team.hiring)
        farmers += generalist ? hire.generalists : hire.farmers;
    if (generalist && team.existing_bias == 0.0) farmers = 0.0;
    if (!(farmers > 0.0)) return effect;
    const double strength = generalist ? team.farming_effectiveness : 1.0;
    effect.possible = true;
    for (std::size_t r = 0; r < effect.hazard.size(); ++r)
        effect.hazard[r] = std::pow(team.covered_hazard[r], strength);
    effect.stalled_hazard = std::pow(team.covered_stalled_hazard, strength);
    effect.save_rate = team.covered_save_rate * strength;
    effect.upsell_multiplier = 1.0 + (team.covered_upsell_multiplier - 1.0) * strength;
    effect.cross_sell_multiplier = 1.0 + (team.covered_cross_sell_multiplier - 1.0) * strength;
    return effect;
}

SalesTeam::SalesTeam(const Scenario& scenario, const Contracts& contracts)
    : enabled_(scenario.team.enabled), team_(scenario.team), coverage_(coverage_effect(team_)) {
    for (std::size_t s = 0; s < scenario.segments.size(); ++s)
        segment_shares_.push_back(scenario.segments[s].share);
    // By month and segment: the terms offered may change (docs/model.md 11.5).
    for (int month = 0; month <= scenario.simulation.horizon_months; ++month)
        for (std::size_t s = 0; s < scenario.segments.size(); ++s)
            signing_rates_.push_back(contracts.signing_rate(s, month));
    months_.resize(static_cast<std::size_t>(scenario.simulation.horizon_months) + 1);
    if (!enabled_) return;
    const bool generalist = is_generalist(team_);
    if (generalist) hunting_effectiveness_ = team_.hunting_effectiveness;
    for (int m = 1; m < static_cast<int>(months_.size()); ++m) {
        // A generalist's time splits by existing_bias; a specialist's is all one kind.
        Headcount hunting;
        Headcount farming;
        if (generalist) {
            const Headcount reps = headcount(team_, team_.reps, &TeamHire::generalists, m);
            const double hunt_share = 1.0 - team_.existing_bias;
            hunting = {reps.paid * hunt_share, reps.ramped * hunt_share};
            farming = {reps.paid * team_.existing_bias, reps.ramped * team_.existing_bias};
        } else {
            hunting = headcount(team_, team_.reps * team_.hunter_share, &TeamHire::hunters, m);
            farming =
                headcount(team_, team_.reps * (1.0 - team_.hunter_share), &TeamHire::farmers, m);
        }
        Month& month = months_[m];
        month.hunter_cost = hunting.paid * team_.cost_per_rep_month;
        month.farmer_cost = farming.paid * team_.cost_per_rep_month;
        month.hunting_time = hunting.ramped;
        month.farmer_capacity =
            coverage_.possible
                ? static_cast<std::int64_t>(
                      std::floor(farming.ramped * static_cast<double>(team_.accounts_per_farmer)))
                : 0;
    }
}

double SalesTeam::expected_hunted(int month, std::size_t segment) const {
    if (!enabled_) return 0.0;
    return months_[month].hunting_time * hunting_effectiveness_ * team_.logos_per_hunter_month *
           segment_shares_[segment] * signing_rate(month, segment);
}

void SalesTeam::hunt(int month, std::uint64_t replication_key, std::vector<std::int64_t>& counts,
                     Ledger& ledger) const {
    if (!enabled_) return;
    ledger.team_costs(months_[month].hunter_cost, months_[month].farmer_cost, month);
    if (team_.funnel.enabled) return hunt_funnel(month, replication_key, counts, ledger);
    for (std::size_t s = 0; s < counts.size(); ++s) {
        const double mean = expected_hunted(month, s);
        if (!(mean > 0.0)) continue;
        const CustomerId month_and_segment{static_cast<std::uint32_t>(month),
                                           static_cast<std::uint32_t>(s), 0};
        KeyedStream stream(
            stream_key(customer_key(replication_key, month_and_segment), Purpose::hunted_logos));
        const auto won = boost::random::poisson_distribution<std::int64_t, double>(mean)(stream);
        counts[s] += won;
    }
}

// Leads -> MQL -> SQL within the month; the hunters work as many SQLs as their ramped time
// allows and win each with sql_to_won (times a generalist's effectiveness); a won deal lands in
// a segment by share and, facing that segment's contract terms, may still refuse to sign.
void SalesTeam::hunt_funnel(int month, std::uint64_t replication_key,
                            std::vector<std::int64_t>& counts, Ledger& ledger) const {
    const FunnelParams& funnel = team_.funnel;
    KeyedStream stream(monthly_stream_key(replication_key, Purpose::lead_funnel, month));
    const double mean = funnel.leads_per_month * std::pow(1.0 + funnel.growth_per_month, month - 1);
    const std::int64_t leads =
        mean > 0.0 ? boost::random::poisson_distribution<std::int64_t, double>(mean)(stream) : 0;
    const std::int64_t mqls = binomial(leads, funnel.lead_to_mql, stream);
    const std::int64_t sqls = binomial(mqls, funnel.mql_to_sql, stream);
    const auto capacity = static_cast<std::int64_t>(
        std::floor(months_[month].hunting_time * funnel.sqls_per_hunter_month));
    const std::int64_t worked = std::min(sqls, capacity);
    std::int64_t won = binomial(worked, funnel.sql_to_won * hunting_effectiveness_, stream);
    ledger.funnel(leads, mqls, sqls, month);
    double share_left = 1.0;
    for (std::size_t s = 0; s < counts.size(); ++s) {
        const bool last = s + 1 == counts.size();
        const std::int64_t in_segment =
            last ? won : binomial(won, segment_shares_[s] / share_left, stream);
        won -= in_segment;
        share_left -= segment_shares_[s];
        const std::int64_t signed_up = binomial(in_segment, signing_rate(month, s), stream);
        counts[s] += signed_up;
    }
}

}  // namespace cohortsim
