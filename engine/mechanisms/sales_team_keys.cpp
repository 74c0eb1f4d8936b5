// The [team] keys of the parameter schema (docs/model.md section 7, seed 002 item 3; funnel: seed
// 003).

#include <string>
#include <vector>

#include "cohortsim/params.hpp"
#include "cohortsim/scenario.hpp"
#include "param_keys.hpp"
#include "sales_team.hpp"

namespace cohortsim {

namespace {

// Per-reason multipliers on a covered account's hazard, with their defaults.
std::vector<ParamInfo> covered_hazard_params() {
    const TeamParams defaults;
    std::vector<ParamInfo> params;
    for (std::size_t r = 0; r < baseline_reasons.size(); ++r) {
        const std::string reason = churn_reason_name(baseline_reasons[r]);
        // Above 0: a covered account's propensity is divided by the factor when coverage ends.
        ParamInfo& param = params.emplace_back(real_key(
            "team.covered_hazard." + reason, format_real(defaults.covered_hazard[r]), "1", 0, 1,
            r == 0 ? "Factor on a farmer-covered account's hazard of churning for this reason "
                     "(one key per baseline reason: no_roi, sponsor_change, low_adoption, "
                     "product_gap, performance, human_factors). Farmers fix value and "
                     "relationships; they cannot close a product gap."
                   : "As team.covered_hazard.no_roi, for " + reason + "."));
        param.min_exclusive = true;
    }
    // Stalled onboarding is avoidable too (docs/model.md 5.4); not a baseline reason, so a key
    // of its own in the same table.
    ParamInfo& stalled = params.emplace_back(real_key(
        "team.covered_hazard.stalled_onboarding", format_real(defaults.covered_stalled_hazard), "1",
        0, 1,
        "Factor on the stalled-onboarding hazard of a farmer-covered account that has not "
        "activated yet; 1 by default: onboarding is a programme's work (an [onboarding] table), "
        "not the farmers'."));
    stalled.min_exclusive = true;
    return params;
}

}  // namespace

std::vector<ParamInfo> SalesTeam::keys() {
    std::vector<ParamInfo> params = {
        string_key(
            "team.mode", "\"split\"",
            "none = acquisition from acquisition.new_per_month only; split = hunters win "
            "new logos and farmers cover existing accounts; generalist = every rep does "
            "both (docs/model.md 7, seed 002 item 3). A [team] table turns the team on. Hunted "
            "logos come on top of acquisition.new_per_month (inbound)."),
        real_key("team.reps", "4.0", "reps", 0, 1e5,
                 "Headcount at month 0, already ramped (full-time equivalents)."),
        real_key("team.hunter_share", "0.5", "1", 0, 1,
                 "Split teams: share of the month-0 reps who hunt; the rest farm (hires say "
                 "how many of each they are)."),
        real_key("team.existing_bias", "0.7", "1", 0, 1,
                 "Generalist teams: share of a rep's time spent on existing accounts, the easier "
                 "work they drift toward (seed 002)."),
        real_key("team.hunting_effectiveness", "0.8", "1", 0, 1,
                 "Generalist teams: a generalist's hunting yield per hunting hour, as a share of "
                 "a specialist hunter's."),
        real_key("team.farming_effectiveness", "0.8", "1", 0, 1,
                 "Generalist teams: strength of a generalist's farming effects, as a share of a "
                 "specialist farmer's (each covered-account multiplier m acts as m^effectiveness, "
                 "each boost k as 1 + (k-1) effectiveness, the covered save rate times it)."),
        integer_key("team.ramp_months", "3", "months", 0, 36,
                    "A hire is paid from its month and productive at k/ramp_months of a full "
                    "rep k months later, fully from ramp_months on (0 = at once)."),
        real_key("team.cost_per_rep_month", "10000.0", "currency/month", 0, 1e9,
                 "Fully loaded cost of a rep, ramped or not."),
        real_key("team.logos_per_hunter_month", "2.0", "logos/month", 0, 1e4,
                 "New logos a fully ramped hunter wins per month (Poisson mean), split over "
                 "segments by share; without [team.funnel]."),
        integer_key("team.accounts_per_farmer", "150", "accounts", 0, 1e7,
                    "Accounts a fully ramped farmer covers; coverage = min(1, capacity / active "
                    "accounts)."),
        string_key("team.targeting", "\"largest\"",
                   "Which accounts farmer capacity goes to, re-chosen every month: largest "
                   "(highest MRR), random (a fixed random order), or at_risk (highest churn "
                   "risk by a noisy health signal: seeds 001, 002, 004's early warning)."),
        real_key("team.signal_noise", "0.5", "1", 0, 10,
                 "at_risk: log-scale standard deviation of the health signal's error around an "
                 "account's true monthly churn probability (0 = perfect churn prediction)."),
        real_key("team.at_risk_threshold", "0.0", "1/month", 0, 1,
                 "at_risk: an account is eligible only when its signalled monthly churn "
                 "probability is at least this; capacity beyond the eligible stays idle."),
        real_key("team.covered_save_rate", "0.4", "1", 0, 1,
                 "At renewal, probability that a covered account about to leave for an avoidable "
                 "reason is saved; with a [save_desk], covered accounts get the larger of the "
                 "two rates."),
        real_key("team.covered_upsell_multiplier", "2.0", "1", 1, 20,
                 "Factor on upsell.monthly_probability while an account is covered."),
        real_key("team.covered_cross_sell_multiplier", "2.0", "1", 1, 20,
                 "Factor on every product's monthly_adoption while an account is covered "
                 "(selling to an existing customer is far likelier: seed 003)."),
    };
    const std::vector<ParamInfo> covered = covered_hazard_params();
    params.insert(params.end(), covered.begin(), covered.end());
    const std::vector<ParamInfo> hiring = {
        integer_key("team.hiring.*.month", std::string(required_default), "month", 1, 600,
                    "Hiring plan: month the hire starts (paid from it, ramping from it); at most "
                    "24 hires named [a-z0-9_]{1,32}."),
        real_key("team.hiring.*.hunters", "0.0", "reps", 0, 1e5, "Split teams: hunters hired."),
        real_key("team.hiring.*.farmers", "0.0", "reps", 0, 1e5, "Split teams: farmers hired."),
        real_key("team.hiring.*.generalists", "0.0", "reps", 0, 1e5,
                 "Generalist teams: generalists hired."),
        real_key("team.funnel.leads_per_month", "400.0", "leads/month", 0, 1e8,
                 "Poisson mean of leads in month 1; a [team.funnel] table makes hunters work "
                 "sales-qualified leads instead of team.logos_per_hunter_month (seed 003)."),
        real_key("team.funnel.growth_per_month", "0.0", "1/month", -0.5, 1,
                 "Relative monthly growth of the leads' mean."),
        real_key("team.funnel.lead_to_mql", "0.25", "1", 0, 1,
                 "Share of leads that become marketing-qualified."),
        real_key("team.funnel.mql_to_sql", "0.4", "1", 0, 1,
                 "Share of marketing-qualified leads that become sales-qualified."),
        real_key("team.funnel.sql_to_won", "0.2", "1", 0, 1,
                 "Share of the worked sales-qualified leads a specialist hunter wins."),
        real_key("team.funnel.sqls_per_hunter_month", "15.0", "leads/month", 0, 1e6,
                 "Sales-qualified leads a fully ramped hunter can work in a month; the rest are "
                 "lost."),
    };
    params.insert(params.end(), hiring.begin(), hiring.end());
    return params;
}

}  // namespace cohortsim
