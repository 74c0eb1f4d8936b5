// Schema keys <-> Scenario members, and the resolved TOML written through the same bindings.

#include "scenario_fields.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <type_traits>

#include "cohortsim/scenario_loader.hpp"
#include "scenario_schema.hpp"

namespace cohortsim {
namespace {

[[noreturn]] void no_field(std::string_view key) {
    throw std::logic_error("scenario schema key without a Scenario member: " + std::string(key));
}

std::string field_text(const Field& field) {
    return std::visit(
        [](const auto* value) -> std::string {
            using T = std::remove_cvref_t<decltype(*value)>;
            if constexpr (std::is_same_v<T, std::string>)
                return quote_toml(*value);
            else if constexpr (std::is_same_v<T, double>)
                return format_real(*value);
            else
                return std::to_string(*value);
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
                std::string_view prefix, std::initializer_list<std::string_view> skip = {}) {
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

std::string retention_block(RetentionParams retention, const std::string& table) {
    TomlWriter writer;
    writer.values(table, retention, retention_field, "retention.");
    return writer.text();
}

}  // namespace

Field scenario_field(Scenario& scenario, std::string_view key) {
    if (key == "name") return &scenario.name;
    if (key == "description") return &scenario.description;
    if (key == "simulation.horizon_months") return &scenario.simulation.horizon_months;
    if (key == "simulation.replications") return &scenario.simulation.replications;
    if (key == "simulation.seed") return &scenario.simulation.seed;
    if (key == "acquisition.initial_customers") return &scenario.acquisition.initial_customers;
    if (key == "acquisition.new_per_month") return &scenario.acquisition.new_per_month;
    if (key == "acquisition.growth_per_month") return &scenario.acquisition.growth_per_month;
    if (key == "onboarding.months") return &scenario.onboarding.months;
    if (key == "onboarding.activation_per_month") return &scenario.onboarding.activation_per_month;
    if (key == "onboarding.stalled_hazard") return &scenario.onboarding.stalled_hazard;
    if (key == "onboarding.low_adoption_multiplier")
        return &scenario.onboarding.low_adoption_multiplier;
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
                                       std::initializer_list<std::string_view> skip) {
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
        [&](auto* target) {
            using T = std::remove_pointer_t<decltype(target)>;
            if constexpr (std::is_same_v<T, std::string>)
                *target = node.as_string()->get();
            else if constexpr (std::is_same_v<T, double>)
                *target = number_of(node);
            else
                *target = static_cast<T>(node.as_integer()->get());
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

RetentionParams default_retention() {
    RetentionParams retention;
    for (const auto& [key, info] : entries_under("retention."))
        read_value(retention_field(retention, key), nullptr, key, *info);
    retention.enabled = false;
    return retention;
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
    TomlWriter writer;
    // Absent stays absent: no [onboarding] table unless the mechanism is on.
    if (copy.onboarding.enabled)
        writer.values("", copy, scenario_field, "", {"retention.", "segments."});
    else
        writer.values("", copy, scenario_field, "", {"retention.", "segments.", "onboarding."});
    std::string text = writer.text();

    // One [retention] table when every segment has the same retention, else one per segment.
    std::vector<std::string> blocks;
    for (const SegmentParams& segment : copy.segments)
        blocks.push_back(segment.retention.enabled ? retention_block(segment.retention, "retention")
                                                   : "");
    const bool shared = !blocks.empty() && !blocks.front().empty() &&
                        std::all_of(blocks.begin(), blocks.end(), [&](const std::string& block) {
                            return block == blocks.front();
                        });
    if (shared) text += blocks.front();

    for (SegmentParams& segment : copy.segments) {
        const std::string table = "segments." + segment.name;
        TomlWriter segment_writer;
        segment_writer.values(table, segment, segment_field, "segments.*.",
                              {"segments.*.retention."});
        text += segment_writer.text();
        if (!shared && segment.retention.enabled)
            text += retention_block(segment.retention, table + ".retention");
    }
    return text;
}

}  // namespace cohortsim
