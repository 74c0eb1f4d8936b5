#pragma once
// The validated scenario: a plain struct, built once by the scenario loader and then passed by
// const reference. Every field here has a key in the parameter schema (see params.hpp), which is
// the single place that documents defaults, units and allowed ranges.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cohortsim/churn_reason.hpp"

namespace cohortsim {

struct RetentionParams {
    bool enabled = false;  // no [retention] table (here or in the segment): nobody churns
    double alpha = 1.0;    // Beta prior of the churn propensity theta
    double beta = 1.0;
    double c = 1.0;                    // BdW duration exponent; 1 = shifted-beta-geometric
    double unavoidable_monthly = 0.0;  // monthly probability of unavoidable churn
    // Shares of the avoidable baseline hazard by reason, indexed like baseline_reasons; sum to 1.
    std::array<double, baseline_reasons.size()> reason_shares = {0.30, 0.20, 0.10,
                                                                 0.15, 0.15, 0.10};
    // The alternative parametrisation, when the scenario gave it instead of alpha and beta
    // (0 = not given; then alpha and beta are what the scenario gave). alpha and beta are always
    // the values in use, derived at load time by beta_prior_from_mean.
    double mean_monthly_churn = 0.0;  // m = alpha/(alpha+beta), expected first-month churn
    double polarization = 0.0;        // phi = 1/(alpha+beta+1) (Fader & Hardie)
};

// {alpha, beta} of the Beta prior with mean m and polarization phi: alpha = m(1/phi - 1),
// beta = (1 - m)(1/phi - 1). The loader uses exactly this, so tests can compare bit for bit.
inline std::pair<double, double> beta_prior_from_mean(double mean, double polarization) {
    const double total = 1.0 / polarization - 1.0;  // alpha + beta
    return {mean * total, (1.0 - mean) * total};
}
// The inverse: mean churn propensity alpha/(alpha+beta) and polarization 1/(alpha+beta+1).
inline double mean_churn_of(double alpha, double beta) {
    return alpha / (alpha + beta);
}
inline double polarization_of(double alpha, double beta) {
    return 1.0 / (alpha + beta + 1.0);
}

// How a contract term is billed (docs/model.md 11.1); the words a scenario file uses, in the
// enum's order.
enum class Billing : std::uint8_t {
    monthly,  // MRR every month
    upfront,  // term x MRR in the month the term starts (joining, then each renewal)
};
inline constexpr std::array<std::string_view, 2> billing_words = {"monthly", "upfront"};

// When a lever acts (docs/model.md 11.5): from start_month through end_month, 0 = to the
// horizon; by default from the start.
struct LeverWindow {
    int start_month = 0;
    int end_month = 0;
    bool covers(int month) const {
        return month >= start_month && (end_month == 0 || month <= end_month);
    }
    // The last month it acts within a horizon of `horizon` months.
    int last(int horizon) const { return end_month == 0 ? horizon : std::min(end_month, horizon); }
};

// A contract term offered to new customers (docs/model.md section 5, seed 002 item 6). Churn intent
// that arises during a term is executed only at its renewal dates.
struct ContractTerm {
    std::string name = "monthly";
    int months = 1;                    // length of the term: 1, 3, 6, 12, 24 or 36
    double share = 1.0;                // of prospects offered this term; shares sum to 1
    double discount = 0.0;             // off the list MRR
    double acquisition_penalty = 0.0;  // of those prospects who refuse to commit and never sign
    Billing billing = Billing::monthly;
    LeverWindow window = {};  // months it is offered to prospects in
};

struct SegmentParams {
    std::string name = "all";
    double share = 1.0;         // of new and initial customers
    double mrr_median = 100.0;  // currency units per month, list price
    double mrr_sigma = 0.0;     // log-scale standard deviation of starting MRR
    RetentionParams retention;  // the scenario's [retention], overridden by [segments.X.retention]
    // The scenario's [contract.terms.*], replaced by [segments.X.contract.terms.*]; no table: one
    // monthly term.
    std::vector<ContractTerm> contract_terms{ContractTerm{}};
};

// Save desk (seed 002 item 5): at renewal, a customer about to leave for an avoidable reason is
// saved with this probability; its intent is dropped and its hazards start afresh.
struct SaveDeskParams {
    bool enabled = false;
    double save_rate = 0.25;
    double cost_per_attempt = 0.0;  // currency, per customer offered a save
    double cost_per_save = 0.0;     // currency, per customer kept
    LeverWindow window;             // renewals it attends
};

// Win-back (seed 002): customers lost for an avoidable reason come back with a monthly
// probability during the months after they left, at a share of their last MRR.
struct WinBackParams {
    bool enabled = false;
    int months = 6;
    double monthly_probability = 0.03;
    double mrr_fraction = 1.0;
    double cost_per_lost_customer_month = 0.0;  // currency, per lost customer on file, per month
    double cost_per_return = 0.0;               // currency, per customer back
    LeverWindow window;                         // months customers may come back and are called
};

// Usage-based pricing (seed 002, the Dropbox example): a usage-priced customer's MRR moves by a
// lognormal step each month whose mean is 1 + drift_per_month.
struct UsagePricingParams {
    bool enabled = false;
    double share = 1.0;  // of new customers on usage pricing
    double drift_per_month = 0.02;
    double volatility = 0.05;  // log-scale standard deviation of the monthly step
    LeverWindow window;        // months new customers are offered it
};

struct UpsellTier {
    std::string name;
    double multiplier = 1.0;  // price relative to the entry tier
};

// Upsell (seeds 002, 003): a ladder of tiers above the entry tier; each month a customer below
// the top moves up one tier with monthly_probability.
struct UpsellParams {
    bool enabled = false;
    double monthly_probability = 0.01;
    std::vector<UpsellTier> tiers;  // ascending multipliers > 1
    double cost_per_upgrade = 0.0;  // currency, per customer moving up a tier
    LeverWindow window;             // months upgrades happen
};

// Cross-sell (seeds 002, 003): an add-on product; adopting it adds its MRR and, because the
// product becomes part of the daily workflow, multiplies the avoidable hazard for life.
struct CrossSellProduct {
    std::string name;
    double mrr = 20.0;
    double monthly_adoption = 0.01;
    double hazard_multiplier = 0.85;
    double cost_per_adoption = 0.0;  // currency, per customer adopting the product
    LeverWindow window = {};         // months it is sold in (a launch, a retirement)
};

// Contraction (seed 004: partial churn, downgrades): each month a customer loses `size` of its
// MRR with monthly_probability.
struct ContractionParams {
    bool enabled = false;
    double monthly_probability = 0.01;
    double size = 0.2;
};

// Plans of the initial customers (docs/model.md 3.1); the words a scenario file uses, in the
// enum's order.
enum class InitialPlans : std::uint8_t {
    monthly,   // monthly list-price plans: contract terms and usage pricing are offers to new ones
    like_new,  // the segment's term mix (renewal dates spread over the term) and usage pricing
};
inline constexpr std::array<std::string_view, 2> initial_plans_words = {"monthly", "like_new"};

struct AcquisitionParams {
    std::int64_t initial_customers = 0;  // one cohort of age 0 at month 0
    double new_per_month = 0.0;          // Poisson mean of new logos in month 1
    double growth_per_month = 0.0;       // relative monthly growth of that mean
    InitialPlans initial_plans = InitialPlans::monthly;
    std::vector<double> seasonality;  // 12 factors of mean 1, month 1 first; empty: none
};

// One row of today's book (docs/model.md section 3, README "Starting from today's customers"):
// `customers` existing customers alike in what is known about them. They are the stock at month 0
// (cohort 0, like the initial customers) and continue at month of life tenure_months + 1.
struct BookEntry {
    std::uint8_t segment = 0;    // index into Scenario::segments
    int tenure_months = 0;       // months of life at month 0
    std::int64_t customers = 1;  // 1 per account; a cohort's count
    std::optional<double> mrr;   // all products included; none: the segment's lognormal
    int term_months = 1;         // contract term
    int months_to_renewal = 1;   // 1..term_months: first renewal decision in this month
    bool activated = true;       // false: never activated, low adoption for life
    std::uint8_t products = 0;   // cross-sell products owned, one bit each
    bool usage_priced = false;   // on usage pricing (optional usage_priced column)
};

// [book]: existing customers read from one CSV file, `accounts` (one row per account) or
// `cohorts` (counts by segment and tenure). The path is stored resolved, as it was read.
struct BookParams {
    std::string accounts;
    std::string cohorts;
    // Shared: scenarios copied for sweeps and comparisons keep one copy of a large book.
    std::shared_ptr<const std::vector<BookEntry>> entries;
    bool enabled() const { return entries != nullptr; }
};

struct OnboardingParams {
    bool enabled = false;  // true when the scenario has an [onboarding] table
    int months = 3;
    double activation_per_month = 0.5;
    double stalled_hazard = 0.05;          // extra monthly churn probability until activated
    double low_adoption_multiplier = 2.0;  // on the baseline hazard, for never-activated customers
    double cost_per_new_customer = 0.0;    // currency, per new logo onboarded
};

struct SimulationParams {
    int horizon_months = 36;
    std::int64_t replications = 200;
    std::uint64_t seed = 20070101;
};

// The sales team's organisation (docs/model.md 7) and how farmers choose whom to cover; the
// words a scenario file uses, in each enum's order.
enum class TeamMode : std::uint8_t {
    none,        // no team
    split,       // hunters win new logos, farmers cover existing accounts
    generalist,  // every rep does both, drifting toward the farming work
};
inline constexpr std::array<std::string_view, 3> team_mode_words = {"none", "split", "generalist"};
enum class Targeting : std::uint8_t {
    largest,  // the largest accounts by MRR
    random,   // a fixed random order
    at_risk,  // the accounts most at risk by a noisy health signal
};
inline constexpr std::array<std::string_view, 3> targeting_words = {"largest", "random", "at_risk"};

// A step of the hiring plan: reps who join the team at the start of `month` and ramp up from
// there. Split teams hire hunters and farmers, generalist teams generalists.
struct TeamHire {
    std::string name;
    int month = 1;
    double hunters = 0.0;
    double farmers = 0.0;
    double generalists = 0.0;
};

// Lead funnel (seed 003): leads -> marketing-qualified -> sales-qualified -> won. The hunters
// work the sales-qualified leads, up to their capacity.
struct FunnelParams {
    bool enabled = false;
    double leads_per_month = 400.0;
    double growth_per_month = 0.0;
    double lead_to_mql = 0.25;
    double mql_to_sql = 0.4;
    double sql_to_won = 0.2;
    double sqls_per_hunter_month = 15.0;  // what one fully ramped hunter can work
};

// The sales team (docs/model.md section 7, seed 002 item 3): hunters win new logos, farmers cover
// existing accounts; generalists do both, drifting toward the easier farming work.
struct TeamParams {
    bool enabled = false;  // a [team] table whose mode is not "none"
    TeamMode mode = TeamMode::split;
    double reps = 4.0;                    // headcount at month 0 (full-time equivalents, ramped)
    double hunter_share = 0.5;            // split: share of the reps who hunt
    double existing_bias = 0.7;           // generalist: share of time spent on existing accounts
    double hunting_effectiveness = 0.8;   // generalist: of a specialist hunter's yield
    double farming_effectiveness = 0.8;   // generalist: of a specialist farmer's effect
    int ramp_months = 3;                  // a hire reaches full productivity linearly over these
    double cost_per_rep_month = 10000.0;  // fully loaded, currency per month
    double logos_per_hunter_month = 2.0;  // Poisson mean per fully ramped hunter (no funnel)
    std::int64_t accounts_per_farmer = 150;
    Targeting targeting = Targeting::largest;
    double signal_noise = 0.5;       // log-scale sd of the health signal (at_risk)
    double at_risk_threshold = 0.0;  // signalled monthly churn probability to be eligible
    double covered_save_rate = 0.4;  // at renewal, of a covered account about to leave
    double covered_upsell_multiplier = 2.0;
    double covered_cross_sell_multiplier = 2.0;
    // Multiplier on each baseline reason's hazard of a covered account, indexed like
    // baseline_reasons: farmers fix value and relationships, not product gaps.
    std::array<double, baseline_reasons.size()> covered_hazard = {0.6, 0.8, 0.6, 1.0, 0.9, 0.5};
    // The same for the stalled-onboarding hazard of a covered account still onboarding; 1 by
    // default: onboarding is a programme's work, not the farmers'.
    double covered_stalled_hazard = 1.0;
    std::vector<TeamHire> hiring;  // [team.hiring.*], in month order
    FunnelParams funnel;
};

// The table of a mechanism that declares its own keys (engine/mechanisms/<name>.hpp, listed in
// engine/mechanisms/registry.hpp; docs/architecture.md): present in the file = on. The loader
// fills every key the mechanism declares, given or default, with the type it declares.
using MechanismValue = std::variant<double, std::int64_t, std::string>;
struct MechanismTable {
    bool enabled = false;
    std::map<std::string, MechanismValue, std::less<>> values;  // by key below the table

    double real(std::string_view key) const { return std::get<double>(value(key)); }
    std::int64_t integer(std::string_view key) const { return std::get<std::int64_t>(value(key)); }
    const MechanismValue& value(std::string_view key) const {
        const auto found = values.find(key);
        if (found == values.end())
            throw std::logic_error("mechanism table without key " + std::string(key));
        return found->second;
    }
};

// A retention programme as data (docs/model.md 11.6): multipliers on the hazards of the accounts
// it covers, by churn reason, and a save rate at their renewals; who it covers (a share of the
// accounts, within a tenure window), when, and at what cost.
// Whom a retention programme covers among the eligible accounts: all of them (in its share), or
// a capacity aimed as the farmers' is.
enum class ProgrammeTargeting : std::uint8_t { share, largest, random, at_risk };
inline constexpr std::array<std::string_view, 4> programme_targeting_words = {"share", "largest",
                                                                              "random", "at_risk"};

struct InterventionParams {
    std::string name;
    // On each baseline reason's hazard (indexed like baseline_reasons), and on the
    // stalled-onboarding hazard.
    std::array<double, baseline_reasons.size()> reasons{1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    double stalled_onboarding = 1.0;
    double save_rate = 0.0;              // at renewal, for a covered account about to leave
    double activation_multiplier = 1.0;  // on onboarding.activation_per_month of its new logos
    double upsell_multiplier = 1.0;      // on upsell.monthly_probability while covered
    double cross_sell_multiplier = 1.0;  // on every product's monthly_adoption while covered
    double coverage = 1.0;  // share of the eligible accounts covered (a fixed draw per account)
    std::vector<double> tenure_months = {};  // [lo, hi]: months of life eligible; empty: all
    std::vector<std::string> segments = {};  // eligible segments, by name; empty: all
    // Everyone eligible (share), or at most capacity_accounts of them chosen every month.
    ProgrammeTargeting targeting = ProgrammeTargeting::share;
    std::int64_t capacity_accounts = 0;
    double signal_noise = 0.5;       // at_risk: as the team's
    double at_risk_threshold = 0.0;  // at_risk: as the team's
    LeverWindow window = {};
    double cost_per_account_month = 0.0;  // currency, per covered account, per month
    double cost_per_month = 0.0;          // currency, per month it runs
    double cost_per_new_customer = 0.0;   // currency, per new logo joining while it runs
};

// A change of list prices (docs/model.md 11.5): from `month`, every price is (1 + increase) times
// what it was; a customer pays it from its first renewal in or after that month (every month on
// a monthly term), a new customer from the start. Those who paid the old price react: their
// avoidable hazards are churn_multiplier times as high for shock_months from `month`.
struct PriceChange {
    std::string name;
    int month = 1;
    double increase = 0.0;  // relative: 0.1 = +10%
    double churn_multiplier = 1.0;
    int shock_months = 3;
};

// What money means in the results (docs/model.md 11): the currency's label, the margin and cost to
// serve that turn revenue into profit, and the rate that discounts cash into NPV.
struct FinanceParams {
    std::string currency = "currency";              // every money unit says it: "EUR/month"
    double gross_margin = 0.8;                      // of revenue
    double cost_to_serve_per_customer_month = 0.0;  // currency, per customer paying that month
    double discount_rate = 0.1;                     // annual, for NPV
};

// An input whose value is uncertain (docs/model.md 12.1, [uncertainty]): drawn once per
// replication from its distribution, from a stream keyed by the seed, the replication and the key.
enum class InputDistribution : std::uint8_t { normal, lognormal, uniform, triangular, beta, pert };
inline constexpr std::array<std::string_view, 6> input_distribution_words = {
    "normal", "lognormal", "uniform", "triangular", "beta", "pert"};
// Its parameters as the scenario gives them ("mean", "sd", "low", ...).
using InputParameters = std::vector<std::pair<std::string, double>>;
struct UncertainInput {
    std::string key;  // a numeric scenario key: "retention.alpha", "segments.smb.mrr_median"
    InputDistribution distribution = InputDistribution::uniform;
    InputParameters parameters = {};
};

struct Scenario {
    std::string name;         // defaults to the file's stem
    std::string description;  // free text, written to the results file
    std::string source;       // file the scenario came from, for messages
    SimulationParams simulation;
    AcquisitionParams acquisition;
    FinanceParams finance;
    BookParams book;  // [book]: today's customers
    OnboardingParams onboarding;
    std::vector<SegmentParams> segments;  // at least one; shares sum to 1
    SaveDeskParams save_desk;
    WinBackParams win_back;
    UsagePricingParams usage_pricing;
    UpsellParams upsell;
    std::vector<CrossSellProduct> cross_sell;  // [cross_sell.products.*]
    ContractionParams contraction;
    TeamParams team;
    std::vector<InterventionParams> interventions;  // [interventions.*], at most 7
    std::vector<PriceChange> price_changes;         // [pricing.changes.*], by month
    std::vector<UncertainInput> uncertainty;        // [uncertainty], by key
    // The declared mechanisms' tables, by table name; one a scenario built in code leaves out is
    // off.
    std::map<std::string, MechanismTable, std::less<>> mechanism_tables;
    std::string resolved_toml;  // every key with its effective value, as TOML
};

}  // namespace cohortsim
