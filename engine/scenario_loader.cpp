// TOML scenario files -> validated Scenario, in three passes over the parsed document: apply the
// --set overrides, check every key against the parameter schema, then build the struct with the
// schema's defaults. Messages name the file and line, or the --set flag a value came from.

#include "cohortsim/scenario_loader.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "scenario_fields.hpp"
#include "scenario_schema.hpp"

namespace cohortsim {
namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::vector<std::string> split_key(std::string_view key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot = key.find('.'); dot != std::string_view::npos;
         dot = key.find('.', start)) {
        parts.emplace_back(key.substr(start, dot - start));
        start = dot + 1;
    }
    parts.emplace_back(key.substr(start));
    return parts;
}

std::string flag_text(const Override& entry) {
    return "--set " + entry.key + "=" + entry.value;
}

// Throws unless the key is a dotted path of bare TOML keys.
void check_override_key(const std::string& key, std::string_view flag) {
    const auto bare = [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    };
    const auto parts = split_key(key);
    const bool valid = std::all_of(parts.begin(), parts.end(), [&](const std::string& part) {
        return !part.empty() && std::all_of(part.begin(), part.end(), bare);
    });
    if (!valid)
        throw InputError("invalid --set '" + std::string(flag) +
                         "': expected KEY=VALUE with a dotted KEY, e.g. --set retention.alpha=0.7");
}

// The schema pattern of a dotted key: the segment name becomes '*'.
std::string pattern_of(const std::string& key) {
    auto parts = split_key(key);
    if (parts.size() >= 2 && parts[0] == "segments") parts[1] = "*";
    std::string pattern;
    for (const auto& part : parts)
        pattern += (pattern.empty() ? "" : ".") + part;
    return pattern;
}

// Optimal string alignment distance: an edit or a swap of neighbours costs 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// The candidate a typo most likely meant: close in edits, or one the user typed the start of.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& names) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(1, typed.size() / 3) + 1;
    for (const auto& name : names) {
        std::size_t distance = edit_distance(typed, name);
        if (typed.size() >= 3 && name.starts_with(typed)) distance = 1;
        if (distance < best_distance) {
            best = name;
            best_distance = distance;
        }
    }
    return best;
}

// Names valid right below a pattern prefix ("" for the root, "retention." ...), in schema order.
std::vector<std::string> children_of(std::string_view prefix) {
    std::vector<std::string> names;
    for (const ParamInfo& info : parameter_schema()) {
        if (!std::string_view(info.key).starts_with(prefix)) continue;
        const std::string rest = info.key.substr(prefix.size());
        const std::string name = rest.substr(0, rest.find('.'));
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

bool is_table_pattern(const std::string& pattern) {
    return !children_of(pattern + ".").empty();
}

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

// A value as it would appear in the file, for messages.
std::string value_text(const toml::node& node) {
    if (const auto* text = node.as_string()) return quote_toml(text->get());
    if (const auto* integer = node.as_integer()) return std::to_string(integer->get());
    if (const auto* real = node.as_floating_point()) return format_real(real->get());
    std::ostringstream out;
    node.visit([&](const auto& value) { out << value; });
    return out.str();
}

class ScenarioReader {
  public:
    ScenarioReader(std::string source, const std::vector<Override>& overrides)
        : source_(std::move(source)), overrides_(overrides) {}

    Scenario read(std::string_view text, const std::string& default_name) const;

  private:
    void apply_override(toml::table& root, const Override& entry) const;
    void check_table(const toml::table& table, const std::string& pattern_prefix,
                     const std::string& path_prefix) const;
    void check_value(const toml::node& node, const std::string& path, const ParamInfo& info) const;
    RetentionParams read_retention(const toml::table& table, const std::string& path,
                                   RetentionParams params, const char* prior_rule) const;
    std::vector<SegmentParams> read_segments(const toml::table& root,
                                             const std::optional<RetentionParams>& shared) const;
    void check_share_sum(double sum, const toml::node& table, const std::string& path) const;

    const Override* override_for(const std::string& path) const;
    std::string location(const toml::node* node, const std::string& path) const;
    [[noreturn]] void fail(const toml::node* node, const std::string& path,
                           const std::string& problem) const;
    [[noreturn]] void fail_value(const toml::node& node, const std::string& path,
                                 const std::string& problem) const;

    std::string source_;
    const std::vector<Override>& overrides_;
};

// The last override that set this path, a table inside it, or a table on the way to it.
const Override* ScenarioReader::override_for(const std::string& path) const {
    for (auto entry = overrides_.rbegin(); entry != overrides_.rend(); ++entry) {
        const std::string& key = entry->key;
        if (key == path || key.starts_with(path + ".") || path.starts_with(key + "."))
            return &*entry;
    }
    return nullptr;
}

// "file:line" for what the file wrote; the --set flag for what an override wrote (no position).
std::string ScenarioReader::location(const toml::node* node, const std::string& path) const {
    if (node != nullptr && node->source().begin.line > 0)
        return source_ + ":" + std::to_string(node->source().begin.line);
    if (const Override* entry = override_for(path)) return flag_text(*entry);
    return source_;
}

void ScenarioReader::fail(const toml::node* node, const std::string& path,
                          const std::string& problem) const {
    throw InputError(location(node, path) + ": " + problem);
}

void ScenarioReader::fail_value(const toml::node& node, const std::string& path,
                                const std::string& problem) const {
    const Override* entry = node.source().begin.line > 0 ? nullptr : override_for(path);
    if (entry != nullptr && entry->key == path)
        throw InputError(flag_text(*entry) + ": " + problem);
    const std::string what = node.is_table()   ? "key '" + path + "' is a table"
                             : node.is_array() ? "key '" + path + "' is an array"
                                               : "key '" + path + "' = " + value_text(node);
    fail(&node, path, what + ": " + problem);
}

void ScenarioReader::apply_override(toml::table& root, const Override& entry) const {
    const std::string flag = flag_text(entry);
    check_override_key(entry.key, entry.key + "=" + entry.value);
    const auto parts = split_key(entry.key);
    toml::table* table = &root;
    std::string path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        path += (path.empty() ? "" : ".") + parts[i];
        toml::node* child = table->get(parts[i]);
        if (child == nullptr) child = &table->insert(parts[i], toml::table{}).first->second;
        if (!child->is_table())
            throw InputError(flag + ": key '" + path + "' is not a table, so '" + entry.key +
                             "' cannot be set");
        table = child->as_table();
    }
    // VALUE is TOML; a bare word (or anything for a string key) is taken as text.
    const ParamInfo* info = find_param(pattern_of(entry.key));
    const bool string_key = info != nullptr && info->type == ParamType::string;
    toml::table holder;
    try {
        holder = toml::parse("v = " + entry.value);
    } catch (const toml::parse_error&) {
        // Not a TOML value: stored as text below.
    }
    const toml::node* value = holder.size() == 1 ? holder.get("v") : nullptr;
    if (value == nullptr || (string_key && !value->is_string()))
        holder.insert_or_assign("v", entry.value);
    table->insert_or_assign(parts.back(), *holder.get("v"));
}

void ScenarioReader::check_table(const toml::table& table, const std::string& pattern_prefix,
                                 const std::string& path_prefix) const {
    const bool segments = pattern_prefix == "segments.";
    for (auto&& [key, node] : table) {
        const std::string name(key.str());
        const std::string path = path_prefix + name;
        const std::string pattern = segments ? "segments.*" : pattern_prefix + name;
        if (segments && !follows(segment_name_rule, name))
            fail(&node, path,
                 "segment name '" + name +
                     "' is not valid; allowed: " + std::string(segment_name_rule.pattern));
        if (const ParamInfo* info = find_param(pattern)) {
            check_value(node, path, *info);
        } else if (is_table_pattern(pattern)) {
            if (!node.is_table()) fail_value(node, path, "expected a table [" + path + "]");
            check_table(*node.as_table(), pattern + ".", path + ".");
        } else {
            const auto names = children_of(pattern_prefix);
            const auto suggestion = closest(name, names);
            fail(&node, path,
                 std::string(node.is_table() ? "unknown table '" : "unknown key '") + path + "'" +
                     (suggestion ? "; did you mean '" + path_prefix + *suggestion + "'?"
                                 : "; allowed here: " + join(names)));
        }
    }
    if (segments && (table.empty() || table.size() > max_segments))
        fail(&table, "segments",
             "table 'segments' has " + std::to_string(table.size()) + " segments; allowed: 1 to " +
                 std::to_string(max_segments));
}

void ScenarioReader::check_value(const toml::node& node, const std::string& path,
                                 const ParamInfo& info) const {
    const std::string allowed = "; allowed: " + allowed_text(info);
    double number = 0;
    switch (info.type) {
        case ParamType::integer:
            if (!node.is_integer()) {
                const auto* real = node.as_floating_point();
                const bool whole = real != nullptr && std::isfinite(real->get()) &&
                                   real->get() == std::trunc(real->get());
                fail_value(node, path,
                           std::string("expected an integer") +
                               (whole ? " (write it without a decimal point)" : "") + allowed);
            }
            number = static_cast<double>(node.as_integer()->get());
            break;
        case ParamType::real:
            if (!node.is_number()) fail_value(node, path, "expected a real number" + allowed);
            number = number_of(node);
            if (!std::isfinite(number)) fail_value(node, path, "not a finite number" + allowed);
            break;
        case ParamType::string:
            if (!node.is_string()) fail_value(node, path, "expected a string" + allowed);
            if (info.key == "name" && !follows(scenario_name_rule, node.as_string()->get()))
                fail_value(node, path, "not a valid name (it becomes an HDF5 group)" + allowed);
            return;
        case ParamType::boolean:
            if (!node.is_boolean()) fail_value(node, path, "expected true or false");
            return;
    }
    const bool below = info.min_exclusive ? number <= info.min : number < info.min;
    const bool above = info.max_exclusive ? number >= info.max : number > info.max;
    if (below || above) fail_value(node, path, "out of range" + allowed);
}

void ScenarioReader::check_share_sum(double sum, const toml::node& table,
                                     const std::string& path) const {
    if (std::abs(sum - 1.0) <= share_sum_tolerance) return;
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.10g", sum);
    fail(&table, path,
         "shares in '" + path + "' sum to " + text.data() + "; allowed: a sum of 1 (within " +
             format_real(share_sum_tolerance) + ")");
}

// `prior_rule` says why alpha and beta are required here, or is null when `params` has them.
RetentionParams ScenarioReader::read_retention(const toml::table& table, const std::string& path,
                                               RetentionParams params,
                                               const char* prior_rule) const {
    params.enabled = true;
    const toml::node* reasons = table.get("reasons");
    // A reasons table states the whole split: what it omits does not happen.
    if (reasons != nullptr) params.reason_shares.fill(0.0);
    for (const auto& [key, info] : entries_under("retention.")) {
        if (const toml::node* node = find_node(table, key)) {
            assign(retention_field(params, key), *node);
        } else if (prior_rule != nullptr && info->default_value == required_default) {
            fail(&table, path,
                 "missing key '" + path + "." + std::string(key) + "', required " + prior_rule +
                     "; allowed: " + allowed_text(*info));
        }
    }
    if (reasons != nullptr) {
        double sum = 0;
        for (double share : params.reason_shares)
            sum += share;
        check_share_sum(sum, *reasons, path + ".reasons");
    }
    return params;
}

std::vector<SegmentParams> ScenarioReader::read_segments(
    const toml::table& root, const std::optional<RetentionParams>& shared) const {
    RetentionParams inherited = shared.value_or(default_retention());
    const auto read_fields = [&](SegmentParams& segment, const toml::table* table) {
        for (const auto& [key, info] : entries_under("segments.*.", {"segments.*.retention."}))
            read_value(segment_field(segment, key), table, key, *info);
        segment.retention = inherited;
    };
    const toml::table* segments = root["segments"].as_table();
    if (segments == nullptr) {
        SegmentParams all;
        read_fields(all, nullptr);
        return {all};
    }

    // In the order the file gives them (tables from --set only, after them, by name).
    std::vector<std::pair<std::string, const toml::table*>> order;
    for (auto&& [key, node] : *segments)
        order.emplace_back(key.str(), node.as_table());
    const auto line = [](const toml::table* table) {
        const auto begin = table->source().begin.line;
        return begin == 0 ? std::numeric_limits<toml::source_index>::max() : begin;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](const auto& a, const auto& b) { return line(a.second) < line(b.second); });

    std::vector<SegmentParams> result;
    double share_sum = 0;
    for (const auto& [name, table] : order) {
        const std::string path = "segments." + name;
        SegmentParams segment;
        segment.name = name;
        read_fields(segment, table);
        if (order.size() > 1 && !table->contains("share"))
            fail(table, path,
                 "missing key '" + path + ".share', required with two or more segments; allowed: " +
                     allowed_text(*find_param("segments.*.share")));
        if (const toml::table* retention = (*table)["retention"].as_table())
            segment.retention =
                read_retention(*retention, path + ".retention", inherited,
                               shared ? nullptr : "when there is no top-level [retention]");
        share_sum += segment.share;
        result.push_back(std::move(segment));
    }
    check_share_sum(share_sum, *segments, "segments");
    return result;
}

Scenario ScenarioReader::read(std::string_view text, const std::string& default_name) const {
    toml::table root;
    try {
        root = toml::parse(text, std::string_view(source_));
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw InputError(source_ + ":" + std::to_string(begin.line) + ":" +
                         std::to_string(begin.column) +
                         ": TOML syntax error: " + std::string(error.description()));
    }
    for (const Override& entry : overrides_)
        apply_override(root, entry);
    check_table(root, "", "");

    Scenario scenario;
    scenario.source = source_;
    for (const auto& [key, info] : entries_under("", {"retention.", "segments."}))
        read_value(scenario_field(scenario, key), &root, key, *info);
    if (!root.contains("name")) {
        if (!follows(scenario_name_rule, default_name))
            throw InputError(source_ + ": scenario name '" + default_name +
                             "' (from the file name) is not valid; allowed: " +
                             std::string(scenario_name_rule.pattern) + "; set name = \"...\"");
        scenario.name = default_name;
    }
    scenario.onboarding.enabled = root.contains("onboarding");
    std::optional<RetentionParams> shared;
    if (const toml::table* retention = root["retention"].as_table())
        shared = read_retention(*retention, "retention", default_retention(), "in [retention]");
    scenario.segments = read_segments(root, shared);
    scenario.resolved_toml = format_resolved_toml(scenario);
    return scenario;
}

}  // namespace

Override parse_override(std::string_view text) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos)
        throw InputError("invalid --set '" + std::string(text) +
                         "': expected KEY=VALUE, e.g. --set retention.alpha=0.7");
    Override entry{trim(text.substr(0, equals)), trim(text.substr(equals + 1))};
    check_override_key(entry.key, text);
    return entry;
}

Scenario load_scenario_text(std::string_view toml_text, const std::string& source,
                            const std::string& default_name,
                            const std::vector<Override>& overrides) {
    return ScenarioReader(source, overrides).read(toml_text, default_name);
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<Override>& overrides) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw InputError(path.string() + ": is a directory, not a scenario file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string() + ": cannot read scenario file: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(path.string() + ": cannot read scenario file");
    return load_scenario_text(text.str(), path.string(), path.stem().string(), overrides);
}

}  // namespace cohortsim
