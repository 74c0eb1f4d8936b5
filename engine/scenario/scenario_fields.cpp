// Schema keys <-> Scenario members, and the resolved TOML written through the same bindings.

#include "scenario_fields.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <type_traits>

#include "cohortsim/scenario_loader.hpp"
#include "interventions.hpp"
#include "price_changes.hpp"
#include "registry.hpp"
#include "scenario_schema.hpp"
#include "uncertainty_table.hpp"

namespace cohortsim {
namespace {

[[noreturn]] void no_field(std::string_view key) {
    throw std::logic_error("scenario schema key without a Scenario member: " + std::string(key));
}

std::string field_text(const Field& field) {
    if (const auto* words = std::get_if<WordField>(&field)) return quote_toml(words->word());
    return std::visit(
        [](const auto& target) -> std::string {
            if constexpr (std::is_same_v<std::remove_cvref_t<decltype(target)>, WordField>) {
                return {};  // handled above
            } else {
                using T = std::remove_cvref_t<decltype(*target)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    return quote_toml(*target);
                } else if constexpr (std::is_same_v<T, double>) {
                    return format_real(*target);
                } else if constexpr (std::is_same_v<T, std::vector<double>>) {
                    std::string text = "[";
                    for (std::size_t k = 0; k < target->size(); ++k)
                        text += (k == 0 ? "" : ", ") + format_real((*target)[k]);
                    return text + "]";
                } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                    std::string text = "[";
                    for (std::size_t k = 0; k < target->size(); ++k)
                        text += (k == 0 ? "" : ", ") + quote_toml((*target)[k]);
                    return text + "]";
                } else
                    return std::to_string(*target);
            }
        },
        field);
}

// "reasons.no_roi" -> ("reasons", "no_roi"); "alpha" -> ("", "alpha").
std::pair<std::string, std::string> split_last(std::string_view key) {
    const auto dot = key.rfind('.');
    if (dot == std::string_view::npos) return {"", std::string(key)};
    return {std::string(key.substr(0, dot)), std::string(key.substr(dot + 1))};
}

// Writes `key = value` lines, opening a [table] header whenever the table changes.
class TomlWriter {
  public:
    void value(const std::string& table, std::string_view key, const Field& field) {
        if (table != table_) {
            text_ += "\n[" + table + "]\n";
            table_ = table;
        }
        text_ += std::string(key) + " = " + field_text(field) + "\n";
    }
    // Writes the entries under `prefix` below the table `base`.
    template <class Object>
    void values(const std::string& base, Object& object, Field (*field)(Object&, std::string_view),
                std::string_view prefix, const std::vector<std::string_view>& skip = {}) {
        for (const auto& [key, info] : entries_under(prefix, skip)) {
            const auto [table, leaf] = split_last(key);
            const std::string full = base.empty()    ? table
                                     : table.empty() ? base
                                                     : base + "." + table;
            value(full, leaf, field(object, key));
        }
    }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    std::string table_;  // the root table has no header
};

// The pair the scenario gave (alpha and beta, or mean_monthly_churn and polarization); with the
// latter, a comment with the alpha and beta in use.
std::string retention_block(RetentionParams retention, const std::string& table) {
    const bool by_mean = retention.mean_monthly_churn > 0;
    const RetentionPair& omitted = by_mean ? beta_pair : mean_pair;
    const std::string skip_first = "retention." + std::string(omitted[0]);
    const std::string skip_second = "retention." + std::string(omitted[1]);
    TomlWriter writer;
    writer.values(table, retention, retention_field, "retention.", {skip_first, skip_second});
    std::string text = writer.text();
    if (by_mean) {
        const std::string line = "polarization = " + format_real(retention.polarization) + "\n";
        const auto at = text.find(line);
        if (at == std::string::npos)
            throw std::logic_error("resolved [retention] without polarization");
        text.insert(at + line.size(), "# in use: alpha = " + format_real(retention.alpha) +
                                          ", beta = " + format_real(retention.beta) + "\n");
    }
    return text;
}

// One [<table>.<name>] table per item, in the given order.
template <class Item>
std::string items_block(std::vector<Item> items, const std::string& table,
                        Field (*field)(Item&, std::string_view), std::string_view pattern) {
    TomlWriter writer;
    for (Item& item : items)
        writer.values(table + "." + item.name, item, field, pattern);
    return writer.text();
}

std::string terms_block(const std::vector<ContractTerm>& terms, const std::string& table) {
    return items_block(terms, table, term_field, "contract.terms.*.");
}

// One block at the top level when every segment has the same value, else one per segment; "" for
// a segment that has the default (mechanism off).
struct SegmentBlocks {
    std::string shared;
    std::vector<std::string> own;
};
SegmentBlocks segment_blocks(const std::vector<std::string>& top,
                             const std::vector<std::string>& per_segment) {
    const bool shared = !top.empty() && !top.front().empty() &&
                        std::all_of(top.begin(), top.end(),
                                    [&](const std::string& block) { return block == top.front(); });
    if (shared) return {top.front(), std::vector<std::string>(top.size())};
    return {"", per_segment};
}

Field funnel_field(FunnelParams& funnel, std::string_view key) {
    if (key == "leads_per_month") return &funnel.leads_per_month;
    if (key == "growth_per_month") return &funnel.growth_per_month;
    if (key == "lead_to_mql") return &funnel.lead_to_mql;
    if (key == "mql_to_sql") return &funnel.mql_to_sql;
    if (key == "sql_to_won") return &funnel.sql_to_won;
    if (key == "sqls_per_hunter_month") return &funnel.sqls_per_hunter_month;
    no_field(key);
}

// Keys below "team." ("reps", "covered_hazard.no_roi", "funnel.lead_to_mql").
Field team_field(TeamParams& team, std::string_view key) {
    if (key == "mode") return word_field(team.mode, team_mode_words);
    if (key == "reps") return &team.reps;
    if (key == "hunter_share") return &team.hunter_share;
    if (key == "existing_bias") return &team.existing_bias;
    if (key == "hunting_effectiveness") return &team.hunting_effectiveness;
    if (key == "farming_effectiveness") return &team.farming_effectiveness;
    if (key == "ramp_months") return &team.ramp_months;
    if (key == "cost_per_rep_month") return &team.cost_per_rep_month;
    if (key == "logos_per_hunter_month") return &team.logos_per_hunter_month;
    if (key == "accounts_per_farmer") return &team.accounts_per_farmer;
    if (key == "targeting") return word_field(team.targeting, targeting_words);
    if (key == "signal_noise") return &team.signal_noise;
    if (key == "at_risk_threshold") return &team.at_risk_threshold;
    if (key == "covered_save_rate") return &team.covered_save_rate;
    if (key == "covered_upsell_multiplier") return &team.covered_upsell_multiplier;
    if (key == "covered_cross_sell_multiplier") return &team.covered_cross_sell_multiplier;
    constexpr std::string_view covered = "covered_hazard.";
    if (key.starts_with(covered)) {
        if (key.substr(covered.size()) == "stalled_onboarding") return &team.covered_stalled_hazard;
        for (std::size_t i = 0; i < baseline_reasons.size(); ++i)
            if (key.substr(covered.size()) == churn_reason_name(baseline_reasons[i]))
                return &team.covered_hazard[i];
    }
    constexpr std::string_view funnel = "funnel.";
    if (key.starts_with(funnel)) return funnel_field(team.funnel, key.substr(funnel.size()));
    no_field(key);
}

// A key below a declared mechanism's table ("delay_months"), bound to the value the loader filled.
Field mechanism_field(MechanismTable& table, std::string_view key) {
    const auto found = table.values.find(key);
    if (found == table.values.end()) no_field(key);
    return std::visit([](auto& value) -> Field { return &value; }, found->second);
}

}  // namespace

Field scenario_field(Scenario& scenario, std::string_view key) {
    // A declared mechanism's key: its typed member's field, or its generic table's value.
    if (const auto dot = key.find('.'); dot != std::string_view::npos) {
        for (const MechanismSpec& spec : declared_mechanism_specs())
            if (spec.field != nullptr && key.substr(0, dot) == spec.table)
                return spec.field(scenario, key.substr(dot + 1));
        const auto table = scenario.mechanism_tables.find(key.substr(0, dot));
        if (table != scenario.mechanism_tables.end())
            return mechanism_field(table->second, key.substr(dot + 1));
    }
    if (key == "name") return &scenario.name;
    if (key == "description") return &scenario.description;
    if (key == "simulation.horizon_months") return &scenario.simulation.horizon_months;
    if (key == "simulation.replications") return &scenario.simulation.replications;
    if (key == "simulation.seed") return &scenario.simulation.seed;
    if (key == "acquisition.initial_customers") return &scenario.acquisition.initial_customers;
    if (key == "acquisition.new_per_month") return &scenario.acquisition.new_per_month;
    if (key == "acquisition.growth_per_month") return &scenario.acquisition.growth_per_month;
    if (key == "acquisition.seasonality") return &scenario.acquisition.seasonality;
    if (key == "acquisition.initial_plans")
        return word_field(scenario.acquisition.initial_plans, initial_plans_words);
    if (key == "finance.currency") return &scenario.finance.currency;
    if (key == "finance.gross_margin") return &scenario.finance.gross_margin;
    if (key == "finance.cost_to_serve_per_customer_month")
        return &scenario.finance.cost_to_serve_per_customer_month;
    if (key == "finance.discount_rate") return &scenario.finance.discount_rate;
    if (key == "book.accounts") return &scenario.book.accounts;
    if (key == "book.cohorts") return &scenario.book.cohorts;
    if (key.starts_with("team.")) return team_field(scenario.team, key.substr(5));
    no_field(key);
}

Field term_field(ContractTerm& term, std::string_view key) {
    if (key == "months") return &term.months;
    if (key == "share") return &term.share;
    if (key == "discount") return &term.discount;
    if (key == "acquisition_penalty") return &term.acquisition_penalty;
    if (key == "billing") return word_field(term.billing, billing_words);
    if (int* month = window_field(term.window, key)) return month;
    no_field(key);
}

Field hire_field(TeamHire& hire, std::string_view key) {
    if (key == "month") return &hire.month;
    if (key == "hunters") return &hire.hunters;
    if (key == "farmers") return &hire.farmers;
    if (key == "generalists") return &hire.generalists;
    no_field(key);
}

Field segment_field(SegmentParams& segment, std::string_view key) {
    if (key == "share") return &segment.share;
    if (key == "mrr_median") return &segment.mrr_median;
    if (key == "mrr_sigma") return &segment.mrr_sigma;
    no_field(key);
}

Field retention_field(RetentionParams& retention, std::string_view key) {
    if (key == "alpha") return &retention.alpha;
    if (key == "beta") return &retention.beta;
    if (key == "mean_monthly_churn") return &retention.mean_monthly_churn;
    if (key == "polarization") return &retention.polarization;
    if (key == "c") return &retention.c;
    if (key == "unavoidable_monthly") return &retention.unavoidable_monthly;
    constexpr std::string_view reasons = "reasons.";
    if (key.starts_with(reasons)) {
        for (std::size_t i = 0; i < baseline_reasons.size(); ++i)
            if (key.substr(reasons.size()) == churn_reason_name(baseline_reasons[i]))
                return &retention.reason_shares[i];
    }
    no_field(key);
}

std::vector<SchemaEntry> entries_under(std::string_view prefix,
                                       const std::vector<std::string_view>& skip) {
    std::vector<SchemaEntry> entries;
    for (const ParamInfo& info : parameter_schema()) {
        const std::string_view key = info.key;
        const bool skipped = std::any_of(skip.begin(), skip.end(),
                                         [&](std::string_view s) { return key.starts_with(s); });
        if (key.starts_with(prefix) && !skipped)
            entries.emplace_back(key.substr(prefix.size()), &info);
    }
    return entries;
}

const toml::node* find_node(const toml::table& table, std::string_view key) {
    const auto dot = key.find('.');
    const toml::node* node = table.get(key.substr(0, dot));
    if (node == nullptr || dot == std::string_view::npos) return node;
    const toml::table* child = node->as_table();
    return child == nullptr ? nullptr : find_node(*child, key.substr(dot + 1));
}

double number_of(const toml::node& node) {
    if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
    return node.as_floating_point()->get();
}

void assign(const Field& field, const toml::node& node) {
    std::visit(
        [&](const auto& target) {
            using F = std::remove_cvref_t<decltype(target)>;
            if constexpr (std::is_same_v<F, WordField>) {
                if (!target.assign(node.as_string()->get()))
                    throw std::logic_error("a word the schema does not allow reached a field");
            } else {
                using T = std::remove_pointer_t<F>;
                if constexpr (std::is_same_v<T, std::string>)
                    *target = node.as_string()->get();
                else if constexpr (std::is_same_v<T, double>)
                    *target = number_of(node);
                else if constexpr (std::is_same_v<T, std::vector<double>>) {
                    target->clear();
                    for (const toml::node& element : *node.as_array())
                        target->push_back(number_of(element));
                } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                    target->clear();
                    for (const toml::node& element : *node.as_array())
                        target->push_back(element.as_string()->get());
                } else
                    *target = static_cast<T>(node.as_integer()->get());
            }
        },
        field);
}

void read_value(const Field& field, const toml::table* table, std::string_view key,
                const ParamInfo& info) {
    if (const toml::node* node = table == nullptr ? nullptr : find_node(*table, key)) {
        assign(field, *node);
        return;
    }
    // Defaults in words ("required", "(file stem)") are not TOML and have no value to store.
    try {
        const toml::table parsed = toml::parse("v = " + info.default_value);
        assign(field, *parsed.get("v"));
    } catch (const toml::parse_error&) {
    }
}

void drop_other_pair(toml::table& retention, std::string_view key) {
    if (const RetentionPair* pair = retention_pair_of(key))
        for (const std::string_view other : other_pair(*pair))
            retention.erase(other);
}

ContractTerm default_term(std::string name) {
    ContractTerm term;
    term.name = std::move(name);
    for (const auto& [key, info] : entries_under("contract.terms.*."))
        read_value(term_field(term, key), nullptr, key, *info);
    return term;
}

RetentionParams default_retention() {
    RetentionParams retention;
    for (const auto& [key, info] : entries_under("retention."))
        read_value(retention_field(retention, key), nullptr, key, *info);
    retention.enabled = false;
    return retention;
}

std::map<std::string, MechanismTable, std::less<>> default_mechanism_tables() {
    std::map<std::string, MechanismTable, std::less<>> tables;
    for (const MechanismSpec& spec : declared_mechanism_specs()) {
        if (spec.field != nullptr) continue;  // a typed member of Scenario holds its values
        MechanismTable& table = tables[std::string(spec.table)];
        for (const ParamInfo& info : spec.keys) {
            const toml::table parsed = toml::parse("v = " + info.default_value);
            const toml::node& node = *parsed.get("v");
            if (info.type == ParamType::real)
                table.values[info.key] = number_of(node);
            else if (info.type == ParamType::integer)
                table.values[info.key] = node.as_integer()->get();
            else
                table.values[info.key] = node.as_string()->get();
        }
    }
    return tables;
}

std::string quote_toml(std::string_view text) {
    std::string quoted = "\"";
    for (const char ch : text) {
        switch (ch) {
            case '"':
                quoted += "\\\"";
                break;
            case '\\':
                quoted += "\\\\";
                break;
            case '\n':
                quoted += "\\n";
                break;
            case '\t':
                quoted += "\\t";
                break;
            case '\r':
                quoted += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
                    std::array<char, 8> escape{};
                    std::snprintf(escape.data(), escape.size(), "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(ch)));
                    quoted += escape.data();
                } else {
                    quoted += ch;
                }
        }
    }
    return quoted + "\"";
}

std::string format_resolved_toml(const Scenario& scenario) {
    // The bindings hand out mutable pointers; a copy lets one binding serve reading and writing.
    Scenario copy = scenario;
    // Absent stays absent: a mechanism's table is written only when the mechanism is on.
    std::vector<std::string_view> skip(not_scenario_fields.begin(), not_scenario_fields.end());
    if (!copy.book.enabled()) skip.push_back("book.");
    const std::pair<bool, std::string_view> mechanisms[] = {
        {copy.team.enabled, "team."},
        {copy.team.funnel.enabled, "team.funnel."},
    };
    for (const auto& [enabled, prefix] : mechanisms)
        if (!enabled) skip.push_back(prefix);
    std::vector<std::string> declared_off;  // holds the prefixes `skip` points into
    for (const MechanismSpec& spec : declared_mechanism_specs()) {
        const bool enabled = spec.enabled_flag != nullptr
                                 ? spec.enabled_flag(copy)
                                 : enabled_table(copy, spec.table) != nullptr;
        if (!enabled) declared_off.push_back(std::string(spec.table) + ".");
    }
    skip.insert(skip.end(), declared_off.begin(), declared_off.end());
    TomlWriter writer;
    writer.values("", copy, scenario_field, "", skip);
    std::string text = writer.text();
    if (copy.upsell.enabled)
        text +=
            items_block(copy.upsell.tiers, "upsell.tiers", Upsell::tier_field, "upsell.tiers.*.");
    text += items_block(copy.cross_sell, "cross_sell.products", CrossSell::product_field,
                        "cross_sell.products.*.");
    text += items_block(copy.team.hiring, "team.hiring", hire_field, "team.hiring.*.");
    text +=
        items_block(copy.interventions, "interventions", Interventions::field, "interventions.*.");
    text += items_block(copy.price_changes, "pricing.changes", PriceChanges::field,
                        "pricing.changes.*.");

    // One [retention] table when every segment has the same retention, else one per segment;
    // likewise [contract.terms], written only when some segment has another mix than one
    // monthly term.
    const std::string default_terms = terms_block({default_term("monthly")}, "t");
    std::vector<std::string> retention;
    std::vector<std::string> terms;
    std::vector<std::string> own_retention;
    std::vector<std::string> own_terms;
    for (const SegmentParams& segment : copy.segments) {
        const std::string table = "segments." + segment.name;
        const bool enabled = segment.retention.enabled;
        const bool default_mix = terms_block(segment.contract_terms, "t") == default_terms;
        retention.push_back(enabled ? retention_block(segment.retention, "retention") : "");
        own_retention.push_back(enabled ? retention_block(segment.retention, table + ".retention")
                                        : "");
        terms.push_back(default_mix ? "" : terms_block(segment.contract_terms, "contract.terms"));
        own_terms.push_back(
            default_mix ? "" : terms_block(segment.contract_terms, table + ".contract.terms"));
    }
    const SegmentBlocks retention_blocks = segment_blocks(retention, own_retention);
    const SegmentBlocks term_blocks = segment_blocks(terms, own_terms);
    text += retention_blocks.shared + term_blocks.shared;

    for (std::size_t i = 0; i < copy.segments.size(); ++i) {
        SegmentParams& segment = copy.segments[i];
        TomlWriter segment_writer;
        segment_writer.values("segments." + segment.name, segment, segment_field, "segments.*.",
                              {"segments.*.retention.", "segments.*.contract."});
        text += segment_writer.text() + retention_blocks.own[i] + term_blocks.own[i];
    }
    return text + uncertainty_toml(copy.uncertainty);
}

}  // namespace cohortsim
