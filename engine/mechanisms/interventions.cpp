#include "interventions.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "param_keys.hpp"
#include "registry.hpp"

namespace cohortsim {

std::vector<ParamInfo> Interventions::keys() {
    std::vector<ParamInfo> keys;
    for (std::size_t r = 0; r < baseline_reasons.size(); ++r) {
        const std::string reason = churn_reason_name(baseline_reasons[r]);
        keys.push_back(exclusive(
            real_key("reasons." + reason, "1.0", "1", 0, 10,
                     r == 0 ? "Factor on the hazard of churning for this reason of the accounts "
                              "the programme covers (one key per reason: no_roi, sponsor_change, "
                              "low_adoption, product_gap, performance, human_factors, "
                              "stalled_onboarding); an [interventions.<name>] table is one "
                              "retention programme (docs/model.md 11.6), names " +
                                  std::string(item_name_rule.pattern) + ", at most 7."
                            : "As reasons.no_roi, for " + reason + "."),
            true, false));
    }
    keys.push_back(exclusive(real_key("reasons.stalled_onboarding", "1.0", "1", 0, 10,
                                      "As reasons.no_roi, for the stalled-onboarding hazard of a "
                                      "covered account still onboarding."),
                             true, false));
    keys.push_back(real_key("save_rate", "0.0", "1", 0, 1,
                            "At a renewal, probability that a covered account about to leave for "
                            "an avoidable reason is kept (with a save desk or farmer: the best "
                            "offer)."));
    keys.push_back(real_key("activation_multiplier", "1.0", "1", 0, 20,
                            "Factor on onboarding.activation_per_month of the new logos joining "
                            "while it runs, in its segments and share (an onboarding programme; "
                            "with several, the product); needs [onboarding] and targeting share."));
    keys.push_back(real_key("upsell_multiplier", "1.0", "1", 0, 20,
                            "Factor on upsell.monthly_probability while an account is covered "
                            "(with a farmer or another programme: the product of the factors)."));
    keys.push_back(real_key("cross_sell_multiplier", "1.0", "1", 0, 20,
                            "Factor on every product's monthly_adoption while an account is "
                            "covered (composed like upsell_multiplier)."));
    keys.push_back(real_key("coverage", "1.0", "1", 0, 1,
                            "Share of the eligible accounts the programme covers: each account "
                            "is in it or not for good (a draw of its own per programme)."));
    keys.push_back(string_key(
        "targeting", "\"share\"",
        "Whom it covers among the eligible accounts, each month: share (every one in its "
        "coverage share), or capacity_accounts of them, the largest (highest MRR), a fixed "
        "random order, or at_risk (highest churn risk by the health signal the team reads: "
        "one score per account and month)."));
    keys.push_back(integer_key("capacity_accounts", "0", "accounts", 0, 1e9,
                               "With targeting largest, random or at_risk: accounts it covers "
                               "each month (fewer when fewer are eligible); required there."));
    keys.push_back(real_key("signal_noise", "0.5", "1", 0, 10,
                            "at_risk: log-scale standard deviation of the health signal's error "
                            "(0 = perfect churn prediction; as team.signal_noise)."));
    keys.push_back(real_key("at_risk_threshold", "0.0", "1/month", 0, 1,
                            "at_risk: only accounts whose signalled monthly churn probability is "
                            "at least this are eligible; capacity beyond them stays idle."));
    ParamInfo segments = string_key("segments", "[]",
                                    "Segments whose accounts are eligible, by name (e.g. "
                                    "[\"enterprise\"]); [] = every segment.");
    segments.type = ParamType::name_list;
    keys.push_back(std::move(segments));
    ParamInfo tenure = real_key("tenure_months", "[]", "months", 0, 600,
                                "[lo, hi]: only accounts in their months of life lo..hi are "
                                "eligible (e.g. [1, 3]: the first three months); [] = all.");
    tenure.type = ParamType::real_list;
    tenure.list_length = 2;
    keys.push_back(std::move(tenure));
    for (ParamInfo& key : window_keys("coverage and costs"))
        keys.push_back(std::move(key));
    keys.push_back(cost_key("cost_per_account_month", "currency/month",
                            "Cost of covering one account for a month."));
    keys.push_back(cost_key("cost_per_month", "currency/month",
                            "Fixed cost of each month the programme runs."));
    keys.push_back(cost_key("cost_per_new_customer", "currency",
                            "Cost per new logo joining while the programme runs (an "
                            "integration, a set-up)."));
    return keys;
}

ParamField Interventions::field(InterventionParams& intervention, std::string_view key) {
    constexpr std::string_view reasons = "reasons.";
    if (key.starts_with(reasons)) {
        const std::string_view reason = key.substr(reasons.size());
        if (reason == "stalled_onboarding") return &intervention.stalled_onboarding;
        for (std::size_t r = 0; r < baseline_reasons.size(); ++r)
            if (reason == churn_reason_name(baseline_reasons[r])) return &intervention.reasons[r];
    }
    if (key == "save_rate") return &intervention.save_rate;
    if (key == "coverage") return &intervention.coverage;
    if (key == "activation_multiplier") return &intervention.activation_multiplier;
    if (key == "upsell_multiplier") return &intervention.upsell_multiplier;
    if (key == "cross_sell_multiplier") return &intervention.cross_sell_multiplier;
    if (key == "tenure_months") return &intervention.tenure_months;
    if (key == "segments") return &intervention.segments;
    if (key == "targeting") return word_field(intervention.targeting, programme_targeting_words);
    if (key == "capacity_accounts") return &intervention.capacity_accounts;
    if (key == "signal_noise") return &intervention.signal_noise;
    if (key == "at_risk_threshold") return &intervention.at_risk_threshold;
    if (int* month = window_field(intervention.window, key)) return month;
    if (key == "cost_per_account_month") return &intervention.cost_per_account_month;
    if (key == "cost_per_month") return &intervention.cost_per_month;
    if (key == "cost_per_new_customer") return &intervention.cost_per_new_customer;
    throw std::logic_error("intervention key without a field: " + std::string(key));
}

bool Interventions::is_reserved_name(std::string_view name) {
    // The other series named cost_* or covered_* (metrics_test checks that this is all of them).
    static const std::vector<std::string> reserved = [] {
        std::vector<std::string> names = {"interventions", "by_interventions", "of_revenue",
                                          "accounts"};
        for (const DeclaredSeries& series : declared_series())
            for (const std::string_view prefix : {"cost_", "covered_"})
                if (series.info.name.starts_with(prefix))
                    names.push_back(series.info.name.substr(prefix.size()));
        return names;
    }();
    return std::find(reserved.begin(), reserved.end(), name) != reserved.end();
}

std::uint32_t Interventions::segment_mask(const Scenario& scenario,
                                          const std::vector<std::string>& names) {
    std::uint32_t mask = 0;
    for (std::size_t s = 0; s < scenario.segments.size(); ++s)
        if (names.empty() ||
            std::find(names.begin(), names.end(), scenario.segments[s].name) != names.end())
            mask |= 1U << s;
    return mask;
}

bool Interventions::in_share(double coverage, Purpose purpose, std::uint64_t customer_key) {
    if (coverage >= 1.0) return true;
    KeyedStream stream(stream_key(customer_key, purpose));
    return uniform_open01(stream) < coverage;
}

Interventions::Interventions(const Scenario& scenario) {
    for (std::size_t k = 0; k < scenario.interventions.size() && k < max_interventions; ++k) {
        const InterventionParams& params = scenario.interventions[k];
        const Purpose purpose = mechanism_purpose("interventions." + params.name);
        // A random order reads the share's draw again: the accounts in the share have it below
        // `coverage`, uniformly, so their order by it is a uniform random order.
        const TargetingRule rule{
            params.targeting == ProgrammeTargeting::largest  ? Targeting::largest
            : params.targeting == ProgrammeTargeting::random ? Targeting::random
                                                             : Targeting::at_risk,
            params.signal_noise, params.at_risk_threshold, purpose};
        Programme programme{params,
                            programme_cover_bit(k),
                            purpose,
                            0,
                            1 << 20,
                            TargetedCoverage(rule),
                            segment_mask(scenario, params.segments)};
        const std::vector<double>& tenure = programme.params.tenure_months;
        if (tenure.size() == 2) {
            programme.min_tenure = static_cast<int>(std::lround(tenure[0]));
            programme.max_tenure = static_cast<int>(std::lround(tenure[1]));
        }
        programmes_.push_back(std::move(programme));
    }
}

std::vector<HazardCover> Interventions::covers() const {
    std::vector<HazardCover> covers;
    for (const Programme& programme : programmes_)
        covers.push_back({programme.params.reasons, programme.params.stalled_onboarding});
    return covers;
}

bool Interventions::eligible(const Programme& programme, const Population& population,
                             std::size_t i, int month) const {
    if (((programme.segments >> population.segment[i]) & 1U) == 0) return false;
    const int tenure = population.month_of_life(i, month);
    if (tenure < programme.min_tenure || tenure > programme.max_tenure) return false;
    return in_share(programme.params.coverage, programme.purpose, population.key[i]);
}

void Interventions::assign(Population& population, const RetentionModel& retention, int month,
                           Ledger& ledger, CoverageScratch& scratch) const {
    // Programme by programme, the bits each active account gets; then one walk that sets every
    // account's mask (its other sources' bits kept), each change of cover in index order.
    std::vector<std::uint8_t>& bits = scratch.bits;
    bits.assign(population.size(), 0);
    std::uint8_t all_bits = 0;
    double cost = 0.0;
    std::int64_t accounts = 0;
    for (std::size_t k = 0; k < programmes_.size(); ++k) {
        const Programme& programme = programmes_[k];
        all_bits = static_cast<std::uint8_t>(all_bits | programme.bit);
        if (!programme.params.window.covers(month)) continue;
        std::int64_t covered = 0;
        if (programme.params.targeting == ProgrammeTargeting::share) {
            for (std::size_t i = 0; i < population.size(); ++i)
                if (!population.is_churned(i) && eligible(programme, population, i, month)) {
                    bits[i] = static_cast<std::uint8_t>(bits[i] | programme.bit);
                    ++covered;
                }
        } else {
            covered = programme.aim.choose(
                population, retention, programme.params.capacity_accounts, month,
                [&](std::size_t i) { return eligible(programme, population, i, month); }, scratch);
            for (std::size_t i = 0; i < population.size(); ++i)
                if (scratch.chosen[i] != 0)
                    bits[i] = static_cast<std::uint8_t>(bits[i] | programme.bit);
        }
        const InterventionParams& params = programme.params;
        const double spent =
            static_cast<double>(covered) * params.cost_per_account_month + params.cost_per_month;
        ledger.programme(k, spent, covered, month);
        cost += spent;
        accounts += covered;
    }
    ledger.interventions(cost, accounts, month);
    // The lost too lose the bits (none is theirs): one won back starts uncovered.
    for (std::size_t i = 0; i < population.size(); ++i) {
        retention.set_cover(
            population, i,
            static_cast<std::uint8_t>(
                (population.covered[i] & static_cast<std::uint8_t>(~all_bits)) | bits[i]));
    }
}

double Interventions::save_rate(const Population& population, std::size_t i) const {
    double best = 0.0;
    for (const Programme& programme : programmes_)
        if ((population.covered[i] & programme.bit) != 0)
            best = std::max(best, programme.params.save_rate);
    return best;
}

void Interventions::on_new_logos(const Population& population, std::size_t first, int month,
                                 Ledger& ledger) const {
    double cost = 0.0;
    for (std::size_t k = 0; k < programmes_.size(); ++k) {
        const Programme& programme = programmes_[k];
        const InterventionParams& params = programme.params;
        if (!params.window.covers(month) || params.cost_per_new_customer == 0.0) continue;
        // The logos in its segments and its share.
        std::int64_t logos = 0;
        for (std::size_t i = first; i < population.size(); ++i)
            logos += ((programme.segments >> population.segment[i]) & 1U) != 0 &&
                     in_share(params.coverage, programme.purpose, population.key[i]);
        if (logos == 0) continue;
        const double spent = static_cast<double>(logos) * params.cost_per_new_customer;
        ledger.programme(k, spent, 0, month);
        cost += spent;
    }
    if (cost != 0.0) ledger.interventions(cost, 0, month);
}

}  // namespace cohortsim

namespace cohortsim {

ActivationHelp::ActivationHelp(const Scenario& scenario) {
    for (const InterventionParams& params : scenario.interventions)
        if (params.activation_multiplier != 1.0)
            helpers_.push_back({params.window,
                                Interventions::segment_mask(scenario, params.segments),
                                params.coverage, mechanism_purpose("interventions." + params.name),
                                params.activation_multiplier});
}

std::uint8_t ActivationHelp::helping(const Population& population, std::size_t i, int month) const {
    std::uint8_t helping = 0;
    for (std::size_t h = 0; h < helpers_.size(); ++h) {
        const Helper& helper = helpers_[h];
        if (helper.window.covers(month) && ((helper.segments >> population.segment[i]) & 1U) != 0 &&
            Interventions::in_share(helper.coverage, helper.purpose, population.key[i]))
            helping = static_cast<std::uint8_t>(helping | (1U << h));
    }
    return helping;
}

double ActivationHelp::factor(std::uint8_t helping) const {
    double factor = 1.0;
    for (std::size_t h = 0; h < helpers_.size(); ++h)
        if ((helping >> h) & 1U) factor *= helpers_[h].multiplier;
    return factor;
}

}  // namespace cohortsim
