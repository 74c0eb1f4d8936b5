// The parameter schema: the one place that lists every scenario key. The loader validates against
// it, reads defaults from it and writes resolved scenarios in its order; `cohortsim params` prints
// it.

#include "cohortsim/params.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "cohortsim/scenario.hpp"
#include "contracts.hpp"
#include "interventions.hpp"
#include "price_changes.hpp"
#include "registry.hpp"
#include "sales_team.hpp"
#include "scenario_schema.hpp"

namespace cohortsim {

std::span<const std::string_view> allowed_words(const ParamInfo& info) {
    if (info.key == "team.mode") return team_mode_words;
    if (info.key == "team.targeting") return targeting_words;
    if (info.key == "interventions.*.targeting") return programme_targeting_words;
    if (info.key == "acquisition.initial_plans") return initial_plans_words;
    if (info.key.ends_with("contract.terms.*.billing")) return billing_words;
    return {};
}

bool is_currency_label(std::string_view label) {
    if (label.empty() || label.size() > 16) return false;
    for (const char ch : label) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte <= 0x20 || byte == 0x7f || ch == '/' || ch == '\\' || ch == '"' || ch == '\'')
            return false;
    }
    return true;
}

namespace {

constexpr double int64_max = 9223372036854775807.0;  // rounds to 2^63, above every int64

// Baseline reason shares when a scenario gives no [retention.reasons] table, indexed like
// baseline_reasons (seed 004's causes, weighted towards value not delivered).
constexpr std::array<const char*, baseline_reasons.size()> default_reason_shares = {
    "0.30", "0.20", "0.10", "0.15", "0.15", "0.10"};

std::vector<ParamInfo> retention_params() {
    std::vector<ParamInfo> params = {
        {.key = "retention.alpha",
         .type = ParamType::real,
         .default_value = std::string(required_default),
         .unit = "",
         .min = 0,
         .max = 1e4,
         .min_exclusive = true,
         .meaning =
             "Beta(alpha, beta) prior of each customer's churn propensity theta (docs/model.md "
             "4.1); "
             "required in [retention], whose presence turns churn on, unless mean_monthly_churn "
             "and polarization are given instead."},
        {.key = "retention.beta",
         .type = ParamType::real,
         .default_value = std::string(required_default),
         .unit = "",
         .min = 0,
         .max = 1e4,
         .min_exclusive = true,
         .meaning = "Second Beta parameter; mean monthly churn propensity is alpha/(alpha+beta)."},
        {.key = "retention.mean_monthly_churn",
         .type = ParamType::real,
         .default_value = "none",
         .unit = "1/month",
         .min = 0,
         .max = 1,
         .min_exclusive = true,
         .max_exclusive = true,
         .meaning = "Given with polarization instead of alpha and beta (one pair or the other, "
                    "never both): m, the mean of the churn propensity theta, i.e. the expected "
                    "first-month churn of a new cohort. They replace alpha and beta: alpha = "
                    "m(1/phi - 1), beta = (1 - m)(1/phi - 1), which must lie in alpha's and beta's "
                    "ranges; `check` shows the alpha and beta in use."},
        {.key = "retention.polarization",
         .type = ParamType::real,
         .default_value = "none",
         .unit = "",
         .min = 0,
         .max = 1,
         .min_exclusive = true,
         .max_exclusive = true,
         .meaning = "Fader & Hardie's polarization index phi = 1/(alpha+beta+1), given with "
                    "mean_monthly_churn instead of alpha and beta: near 0 every customer has "
                    "about the same churn propensity, near 1 customers are either loyal or gone "
                    "within months."},
        {.key = "retention.c",
         .type = ParamType::real,
         .default_value = "1.0",
         .unit = "",
         .min = 0,
         .max = 10,
         .min_exclusive = true,
         .meaning = "BdW duration exponent: survival (1-theta)^(t^c); 1 = shifted-beta-geometric, "
                    "< 1 = individual churn falls with tenure (docs/model.md 4.1)."},
        {.key = "retention.unavoidable_monthly",
         .type = ParamType::real,
         .default_value = "0.0",
         .unit = "1/month",
         .min = 0,
         .max = 1,
         .max_exclusive = true,
         .meaning = "Monthly probability of unavoidable churn: business closed, acquired, cash "
                    "trouble (seed 000); ignores contracts (docs/model.md 4.3)."},
    };
    for (std::size_t i = 0; i < baseline_reasons.size(); ++i) {
        const std::string reason = churn_reason_name(baseline_reasons[i]);
        params.push_back(real_key("retention.reasons." + reason, default_reason_shares[i], "", 0, 1,
                                  "Share of avoidable churn due to " + reason +
                                      " (seed 004); a given [reasons] table sums to 1."));
    }
    return params;
}

// Twelve monthly factors of the logos' mean, January first (month m is month (m - 1) mod 12 of
// the year).
ParamInfo seasonality_key() {
    ParamInfo info = real_key("acquisition.seasonality", "[]", "1", 0, 10,
                              "Acquisition seasonality: 12 factors of mean 1 on the Poisson mean "
                              "of inbound new logos, month 1 taking the first, month 13 the first "
                              "again; [] = none (docs/model.md 3).");
    info.type = ParamType::real_list;
    info.list_length = 12;
    return info;
}

std::vector<ParamInfo> build_schema() {
    std::vector<ParamInfo> schema = {
        string_key("name", "file stem",
                   "Scenario name, by default the file name without .toml; becomes the results "
                   "group /scenarios/<name>."),
        string_key("description", "\"\"", "Free text stored with the results."),
        string_key(
            "extends", "none",
            "Base scenario file, relative to this file's directory (it may extend another): "
            "this file's tables are merged over the base's key by key, this file winning. A "
            "list of named items is one value: a [contract.terms], [segments.*.contract.terms], "
            "[upsell.tiers] or [cross_sell.products] table given here replaces the base's whole, "
            "while [segments] merge segment by segment. name and description are not inherited; "
            "--set applies after the merge."),
        integer_key("simulation.horizon_months", "36", "months", 1, 600,
                    "Months simulated after the starting state at month 0 (docs/model.md 2)."),
        integer_key("simulation.replications", "200", "", 1, 1e6,
                    "Independent Monte Carlo replications (docs/model.md 9)."),
        integer_key("simulation.seed", "20070101", "", 0, int64_max,
                    "Master seed: same seed, scenario and engine version give identical results "
                    "(docs/model.md 9)."),
        integer_key("acquisition.initial_customers", "0", "customers", 0, 1e8,
                    "Customers alive at month 0, one cohort of age 0 (docs/model.md 3)."),
        real_key("acquisition.new_per_month", "0.0", "logos/month", 0, 1e7,
                 "Poisson mean of new logos in month 1 (docs/model.md 3)."),
        real_key("acquisition.growth_per_month", "0.0", "1/month", -0.5, 1,
                 "Relative growth of that mean: month m has new_per_month*(1+g)^(m-1)."),
        seasonality_key(),
        string_key("acquisition.initial_plans", "\"monthly\"",
                   "Plans of the initial customers: monthly = they stay on monthly list-price "
                   "plans (contract terms and usage pricing are offers to new customers); "
                   "like_new = they get the segment's contract term mix (with its discount, "
                   "renewal dates spread evenly over the term) and usage pricing like new "
                   "customers."),
        string_key("finance.currency", "\"currency\"",
                   "Label of the currency, written in every money unit of the results and the "
                   "summary (\"EUR\" gives EUR/month); 1 to 16 characters, no space, '/' or "
                   "quote (docs/model.md 11.1)."),
        real_key("finance.gross_margin", "0.8", "1", 0, 1,
                 "Gross margin on revenue before the cost to serve: cost of revenue = revenue x "
                 "(1 - gross_margin) + cost_to_serve_per_customer_month x customers paying; "
                 "also for CAC payback and LTV."),
        real_key("finance.cost_to_serve_per_customer_month", "0.0", "currency/month", 0, 1e9,
                 "Cost of serving one paying customer for a month (support, hosting), on top of "
                 "revenue x (1 - gross_margin)."),
        real_key("finance.discount_rate", "0.1", "1/year", 0, 1,
                 "Annual discount rate of the NPV: a month-k cash flow counts 1 / (1 + "
                 "discount_rate)^(k/12)."),
        string_key("book.accounts", "\"\"",
                   "Today's customers, one row per account: a CSV file, relative to the scenario "
                   "file's folder, with a header naming segment, tenure_months (months since "
                   "the account joined, 0-600) and mrr (add-ons included), and optionally "
                   "term_months (1-60, default 1), months_to_renewal (1-term; default: the "
                   "anniversary of the join date), activated (1, or 0 = not activated: within its "
                   "onboarding it may still activate, after it low adoption for life; default "
                   "1), products (cross-sell product names, separated by ';') and usage_priced "
                   "(1 = its MRR follows [usage_pricing]; default 0). segment may be left out with "
                   "one segment. They are the "
                   "stock at month 0 (cohort 0, not new logos), besides any initial_customers, "
                   "each with its churn propensity drawn given its survival so far. A [book] "
                   "table gives accounts or cohorts."),
        string_key("book.cohorts", "\"\"",
                   "Today's customers as counts: a CSV file, relative to the scenario file's "
                   "folder, with the header segment,tenure_months,customers, one row per "
                   "segment and tenure (a cohort as it is today, not its history), on monthly "
                   "terms, activated, MRR drawn from the segment's lognormal."),
    };
    const std::vector<ParamInfo> retention = retention_params();
    schema.insert(schema.end(), retention.begin(), retention.end());
    const std::vector<ParamInfo> terms = Contracts::term_keys();
    schema.insert(schema.end(), terms.begin(), terms.end());
    // The declared mechanisms' keys, as each declares them below its table.
    for (const MechanismSpec& spec : declared_mechanism_specs()) {
        for (ParamInfo info : spec.keys) {
            info.key = std::string(spec.table) + "." + info.key;
            schema.push_back(std::move(info));
        }
    }
    const std::vector<ParamInfo> team = SalesTeam::keys();
    schema.insert(schema.end(), team.begin(), team.end());
    for (ParamInfo info : Interventions::keys()) {
        info.key = "interventions.*." + info.key;
        schema.push_back(std::move(info));
    }
    for (ParamInfo info : PriceChanges::keys()) {
        info.key = "pricing.changes.*." + info.key;
        schema.push_back(std::move(info));
    }

    const std::string segment_names = "segment names match " +
                                      std::string(segment_name_rule.pattern) + ", at most " +
                                      std::to_string(max_segments) + " segments";
    schema.push_back(real_key("segments.*.share", "1.0", "", 0, 1,
                              "Segment's share of new and initial customers; required with two "
                              "or more segments, shares sum to 1 (docs/model.md 2)."));
    schema.push_back({.key = "segments.*.mrr_median",
                      .type = ParamType::real,
                      .default_value = "100.0",
                      .unit = "currency/month",
                      .min = 0,
                      .max = 1e9,
                      .min_exclusive = true,
                      .meaning = "Median starting MRR of the segment's customers; " +
                                 segment_names + "; no [segments]: one segment \"all\"."});
    schema.push_back(real_key("segments.*.mrr_sigma", "0.0", "", 0, 5,
                              "Log-scale standard deviation of starting MRR (lognormal; 0 = "
                              "everyone pays the median)."));
    // Small customers churn more than large ones (seed 002, item 5.7): every retention key can be
    // set per segment.
    for (ParamInfo param : retention) {
        param.meaning = "Overrides " + param.key + " for this segment (seed 002, item 5.7).";
        param.key = "segments.*." + param.key;
        param.default_value = "inherited";
        schema.push_back(std::move(param));
    }
    // A mix of terms per segment (docs/model.md 5): the segment's list replaces the scenario's
    // whole.
    for (ParamInfo param : terms) {
        param.meaning = "As " + param.key +
                        ", for this segment's own term mix, which replaces the scenario's "
                        "[contract.terms] whole (seed 002 item 6).";
        param.key = "segments.*." + param.key;
        schema.push_back(std::move(param));
    }
    return schema;
}

// A bound as the user would type it; whole numbers without exponent or decimals.
std::string format_bound(double value) {
    if (value >= int64_max) return "2^63-1";
    if (value == std::trunc(value) && std::abs(value) < 1e15)
        return std::to_string(static_cast<std::int64_t>(value));
    return format_real(value);
}

// "1, 3, 6" for a key limited to some values.
std::string values_text(std::span<const std::int64_t> values, std::string_view separator = ", ") {
    std::string text;
    for (const std::int64_t value : values)
        text += (text.empty() ? "" : std::string(separator)) + std::to_string(value);
    return text;
}

// "none, split" for a string key limited to some words.
std::string words_text(std::span<const std::string_view> words, std::string_view separator) {
    std::string text;
    for (const std::string_view word : words)
        text += (text.empty() ? "" : std::string(separator)) + std::string(word);
    return text;
}

// "[0, 1)" style, for the parameter table.
std::string interval_text(const ParamInfo& info) {
    if (info.type == ParamType::string) {
        if (const auto words = allowed_words(info); !words.empty())
            return "{" + words_text(words, ",") + "}";
        if (info.key == "name") return std::string(scenario_name_rule.pattern);
        if (info.key.starts_with("book.")) return "CSV file path";
        return info.key == "extends" ? "file path" : "any text";
    }
    if (info.type == ParamType::boolean) return "true, false";
    if (info.type == ParamType::name_list) return "[segment names]";
    if (const auto values = allowed_values(info); !values.empty())
        return "{" + values_text(values, ",") + "}";
    return (info.min_exclusive ? "(" : "[") + format_bound(info.min) + ", " +
           format_bound(info.max) + (info.max_exclusive ? ")" : "]");
}

// Greedy word wrap; every line starts with `indent`.
std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
    std::istringstream words(text);
    std::string out;
    std::string line;
    std::string word;
    while (words >> word) {
        if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
            out += std::string(indent, ' ') + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
    return out;
}

// The group a key is listed under in the table: its table, with segment retention and contract
// terms kept apart.
std::string table_group(const std::string& key) {
    if (key.starts_with("segments.*.retention.")) return "segments.*.retention";
    if (key.starts_with("segments.*.contract.")) return "segments.*.contract";
    const auto dot = key.find('.');
    return dot == std::string::npos ? "" : key.substr(0, dot);
}

// "no [onboarding], [save_desk] or [champion_moves] = none of that either": the declared
// mechanisms' tables.
std::string declared_tables_text() {
    const auto& specs = declared_mechanism_specs();
    std::string tables;
    for (std::size_t k = 0; k < specs.size(); ++k)
        tables += std::string(k == 0                  ? ""
                              : k + 1 == specs.size() ? " or "
                                                      : ", ") +
                  "[" + std::string(specs[k].table) + "]";
    return tables.empty() ? "" : "no " + tables + " = none of that either";
}

}  // namespace

const std::vector<ParamInfo>& parameter_schema() {
    static const std::vector<ParamInfo> schema = build_schema();
    return schema;
}

const ParamInfo* find_param(std::string_view pattern) {
    const auto& schema = parameter_schema();
    const auto found = std::find_if(schema.begin(), schema.end(),
                                    [&](const ParamInfo& info) { return info.key == pattern; });
    return found == schema.end() ? nullptr : &*found;
}

const NamedTable* find_named_table(std::string_view pattern) {
    for (const NamedTable& table : named_tables)
        if (table.pattern == pattern) return &table;
    const std::string below = std::string(pattern) + ".*";
    for (const ParamInfo& info : parameter_schema())
        if (info.key.starts_with(below + ".") || info.key == below)
            throw std::logic_error("schema key " + info.key + " has a '*' below " +
                                   std::string(pattern) + ", which named_tables does not list");
    return nullptr;
}

std::string pattern_of(std::string_view key) {
    std::string pattern;
    std::size_t start = 0;
    while (start <= key.size()) {
        const auto dot = std::min(key.find('.', start), key.size());
        const bool named = !pattern.empty() && find_named_table(pattern) != nullptr;
        pattern += (pattern.empty() ? "" : ".") +
                   (named ? std::string("*") : std::string(key.substr(start, dot - start)));
        start = dot + 1;
    }
    return pattern;
}

const RetentionPair* retention_pair_of(std::string_view key) {
    for (const RetentionPair* pair : {&beta_pair, &mean_pair})
        if (key == (*pair)[0] || key == (*pair)[1]) return pair;
    return nullptr;
}

const RetentionPair& other_pair(const RetentionPair& pair) {
    return &pair == &beta_pair ? mean_pair : beta_pair;
}

bool is_retention_table(std::string_view pattern) {
    return pattern == "retention" || pattern == "segments.*.retention";
}

std::span<const std::int64_t> allowed_values(const ParamInfo& info) {
    if (info.key.ends_with("contract.terms.*.months")) return contract_term_months;
    return {};
}

bool follows(const NameRule& rule, std::string_view name) {
    const auto allowed = [&](char ch) {
        const bool lower = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        return lower || (rule.upper_and_dash && ((ch >= 'A' && ch <= 'Z') || ch == '-'));
    };
    return !name.empty() && name.size() <= rule.max_length &&
           std::all_of(name.begin(), name.end(), allowed);
}

const char* param_type_name(ParamType type) {
    switch (type) {
        case ParamType::integer:
            return "integer";
        case ParamType::real:
            return "real";
        case ParamType::boolean:
            return "boolean";
        case ParamType::string:
            return "string";
        case ParamType::real_list:
            return "real list";
        case ParamType::name_list:
            return "name list";
    }
    return "unknown";
}

std::string allowed_text(const ParamInfo& info) {
    if (info.type == ParamType::string) {
        if (const auto words = allowed_words(info); !words.empty())
            return "one of " + words_text(words, ", ");
        if (info.key == "name") return "a string matching " + interval_text(info);
        if (info.key.starts_with("book."))
            return "a path to a CSV file, relative to this file's folder; \"\" = none";
        return info.key == "extends" ? "a path to a scenario file, relative to this file's folder"
                                     : "any string";
    }
    if (info.type == ParamType::boolean) return "true or false";
    if (info.type == ParamType::name_list)
        return "a list of distinct segment names, or [] (every segment)";
    if (info.type == ParamType::real_list)
        return std::to_string(info.list_length) + " reals >= " + format_bound(info.min) +
               " and <= " + format_bound(info.max) +
               (info.key == "acquisition.seasonality" ? " whose mean is 1" : "") + ", or [] (none)";
    if (const auto values = allowed_values(info); !values.empty())
        return std::string(param_type_name(info.type)) + ", one of " + values_text(values);
    return std::string(param_type_name(info.type)) + (info.min_exclusive ? " > " : " >= ") +
           format_bound(info.min) + " and " + (info.max_exclusive ? "< " : "<= ") +
           format_bound(info.max);
}

std::string format_parameter_table(const std::vector<bool>& selected) {
    const auto& schema = parameter_schema();
    const std::array<std::string, 5> headers = {"KEY", "TYPE", "DEFAULT", "UNIT", "ALLOWED"};
    std::vector<std::array<std::string, 5>> rows;
    for (const ParamInfo& info : schema)
        rows.push_back({info.key, param_type_name(info.type), info.default_value,
                        info.unit.empty() ? "-" : info.unit, interval_text(info)});
    constexpr std::size_t width = 100;
    std::array<std::size_t, 5> widths{};
    for (std::size_t col = 0; col < widths.size(); ++col) {
        widths[col] = headers[col].size();
        for (const auto& row : rows)
            widths[col] = std::max(widths[col], row[col].size());
    }
    // A key too long for the line stands on a line of its own, the other columns below it.
    std::size_t others = widths[4];
    for (std::size_t col = 1; col < 4; ++col)
        others += widths[col] + 2;
    widths[0] = std::min(widths[0], width - others - 2);
    const auto format_row = [&](const std::array<std::string, 5>& cells) {
        std::string line;
        if (cells[0].size() > widths[0]) line = cells[0] + "\n" + std::string(widths[0] + 2, ' ');
        for (std::size_t col = line.empty() ? 0 : 1; col < cells.size(); ++col) {
            line += cells[col];
            if (col + 1 < cells.size())
                line += std::string(widths[col] + 2 - cells[col].size(), ' ');
        }
        return line + "\n";
    };

    const bool all = selected.empty();
    std::string out;
    if (all)
        out = wrap(
                  "Scenario keys (TOML). A table that is absent turns its mechanism off: no "
                  "[retention] = nobody churns, no [contract] = one monthly term, no [team] = "
                  "no sales team, no [team.funnel] = hunters without a "
                  "lead funnel, " +
                      declared_tables_text() +
                      "; --set cannot create such a table. [retention] takes alpha and beta or "
                      "mean_monthly_churn and polarization. A [retention.reasons] table replaces "
                      "the default split: reasons it omits are 0. '*' stands for a name: of a "
                      "segment, a contract term, an upsell tier, a cross-sell product or a hire.",
                  0, width) +
              "\n";
    out += format_row(headers);
    std::string group;
    bool first = true;
    for (std::size_t i = 0; i < schema.size(); ++i) {
        if (!all && !selected[i]) continue;
        const std::string row_group = table_group(schema[i].key);
        if (!first && row_group != group) out += "\n";
        first = false;
        group = row_group;
        out += format_row(rows[i]) + wrap(schema[i].meaning, 4, width);
    }
    return out;
}

}  // namespace cohortsim
