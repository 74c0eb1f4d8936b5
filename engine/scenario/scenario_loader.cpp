// TOML scenario files -> validated Scenario, in passes over one document (the file merged over the
// bases it extends, see scenario_document.hpp): apply the --set overrides, check every key against
// the parameter schema, then build the struct with the schema's defaults. Messages name the file
// and line, or the --set flag a value came from.

#include "cohortsim/scenario_loader.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>

#include "book_table.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "input_law.hpp"
#include "interventions.hpp"
#include "price_changes.hpp"
#include "registry.hpp"
#include "scenario_document.hpp"
#include "scenario_fields.hpp"
#include "scenario_schema.hpp"
#include "uncertainty_table.hpp"

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

// A derived number for a message: 6 significant digits.
std::string short_number(double value) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.6g", value);
    return text.data();
}

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

// Tables whose presence turns a mechanism on (absent table = mechanism off, docs/model.md 4), with
// what they turn on. --set and --sweep do not create them: a key set in an absent table would
// switch the mechanism on with every other key at its default, which is never what a flag meant.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> mechanism_tables = {{
    {"retention", "churn"},
    {"contract", "contract terms"},
    {"team", "the sales team"},
    {"team.funnel", "the lead funnel"},
    {"book", "a book of today's customers"},
}};

// Keys that moved to another table, with where they are now.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> moved_keys = {{
    {"team.gross_margin", "finance.gross_margin"},
}};
std::optional<std::string_view> moved_to(std::string_view pattern) {
    for (const auto& [old_key, new_key] : moved_keys)
        if (pattern == old_key) return new_key;
    return std::nullopt;
}

// What creating the table at `path` (pattern `pattern`) would turn on, with the tables whose
// absence means it is off ("[team]"), or nullopt when creating it turns nothing on. A segment's
// [retention] turns churn on for the segment only when the scenario has no [retention];
// otherwise it overrides the inherited one.
std::optional<std::pair<std::string, std::string>> turned_on_by(const toml::table& root,
                                                                const std::string& pattern,
                                                                const std::string& path) {
    if (pattern == "segments.*.retention") {
        if (root.contains("retention")) return std::nullopt;
        const std::string segment = path.substr(9, path.size() - 9 - 10);
        return std::pair("[retention] or [" + path + "]", "churn for segment '" + segment + "'");
    }
    for (const auto& [table, mechanism] : mechanism_tables)
        if (pattern == table) return std::pair("[" + path + "]", std::string(mechanism));
    for (const MechanismSpec& spec : declared_mechanism_specs())
        if (pattern == spec.table) return std::pair("[" + path + "]", std::string(spec.turns_on));
    return std::nullopt;
}

// The positive finite number at `key`, or nullopt.
std::optional<double> positive_number(const toml::table& table, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !node->is_number()) return std::nullopt;
    const double value = number_of(*node);
    return std::isfinite(value) && value > 0 ? std::optional(value) : std::nullopt;
}

// Before --set writes `key` into a retention table: a key of the pair the table does not use
// switches it to that pair. When the table has the other pair whole, it is converted, so that
// the key's partner keeps the value the table implies (--set retention.mean_monthly_churn=0.05
// over alpha and beta keeps their polarization); otherwise the other pair's keys are dropped.
void switch_pair(toml::table& retention, std::string_view key) {
    const RetentionPair* pair = retention_pair_of(key);
    if (pair == nullptr) return;
    const RetentionPair& other = other_pair(*pair);
    const auto first = positive_number(retention, other[0]);
    const auto second = positive_number(retention, other[1]);
    drop_other_pair(retention, key);
    if (!first || !second || retention.contains((*pair)[0]) || retention.contains((*pair)[1]))
        return;
    const auto [a, b] = pair == &mean_pair ? std::pair(mean_churn_of(*first, *second),
                                                       polarization_of(*first, *second))
                                           : beta_prior_from_mean(*first, *second);
    retention.insert_or_assign((*pair)[0], a);
    retention.insert_or_assign((*pair)[1], b);
}

class ScenarioReader {
  public:
    ScenarioReader(const std::string& source, const std::vector<Override>& overrides)
        : sources_(source), overrides_(overrides) {}

    Scenario read(std::string_view text, const std::string& default_name);
    // What one replication of an uncertain scenario simulates: its [uncertainty] left out.
    void leave_out_uncertainty() { reads_uncertainty_ = false; }

  private:
    using Items = std::vector<std::pair<std::string, const toml::table*>>;

    void apply_override(toml::table& root, const Override& entry) const;
    void check_table(const toml::table& table, const std::string& pattern,
                     const std::string& path) const;
    void check_value(const toml::node& node, const std::string& path, const ParamInfo& info) const;
    void check_lever_windows(const toml::table& root) const;
    void check_window(const toml::table* table, const std::string& path) const;
    void check_names(const toml::node& node, const std::string& path,
                     const std::string& allowed) const;
    void check_list(const toml::node& node, const std::string& path, const ParamInfo& info,
                    const std::string& allowed) const;
    RetentionParams read_retention(const toml::table& table, const std::string& path,
                                   RetentionParams params, const char* prior_rule) const;
    void read_prior(const toml::table& table, const std::string& path, RetentionParams& params,
                    const char* prior_rule) const;
    std::vector<ContractTerm> read_terms(const toml::table& table, const std::string& path) const;
    std::vector<UpsellTier> read_tiers(const toml::table& table, const std::string& path) const;
    std::vector<CrossSellProduct> read_products(const toml::table& table,
                                                const std::string& path) const;
    void read_team(const toml::table& root, TeamParams& team) const;
    std::vector<InterventionParams> read_interventions(const toml::table& table) const;
    void check_programme_segments(const toml::table& root, const Scenario& scenario) const;
    std::vector<PriceChange> read_price_changes(const toml::table& table,
                                                std::size_t programmes) const;
    std::vector<SegmentParams> read_segments(const toml::table& root,
                                             const std::optional<RetentionParams>& shared,
                                             const std::vector<ContractTerm>& terms) const;
    void check_share_sum(double sum, const toml::node& table, const std::string& path) const;
    Items in_file_order(const toml::table& table) const;

    // Fills `item` from its table: the schema entries under `pattern`, defaults for what is absent.
    template <class Item>
    void read_item(Item& item, const toml::table& table, const std::string& path,
                   std::string_view pattern, Field (*field)(Item&, std::string_view),
                   std::string_view noun) const {
        for (const auto& [key, info] : entries_under(pattern)) {
            if (info->default_value == required_default && find_node(table, key) == nullptr)
                fail(&table, path,
                     "missing key '" + path + "." + std::string(key) + "', required in every " +
                         std::string(noun) + "; allowed: " + allowed_text(*info));
            read_value(field(item, key), &table, key, *info);
        }
    }

    const Override* override_for(const std::string& path) const;
    std::string location(const toml::node* node, const std::string& path) const;
    [[noreturn]] void fail(const toml::node* node, const std::string& path,
                           const std::string& problem) const;
    [[noreturn]] void fail_value(const toml::node& node, const std::string& path,
                                 const std::string& problem) const;

    ScenarioSources sources_;
    const std::vector<Override>& overrides_;
    int horizon_ = 0;  // the scenario's, once read: the months a term mix must cover
    bool reads_uncertainty_ = true;
    void check_inputs_apply(const Scenario& scenario, const toml::table& uncertainty) const;
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

// "file:line" for what a file wrote (the base's name for a key from a base); the --set flag for
// what an override wrote (no position).
std::string ScenarioReader::location(const toml::node* node, const std::string& path) const {
    if (node != nullptr && node->source().begin.line > 0)
        return sources_.file_of(*node) + ":" + std::to_string(node->source().begin.line);
    if (const Override* entry = override_for(path)) return flag_text(*entry);
    return sources_.root();
}

void ScenarioReader::fail(const toml::node* node, const std::string& path,
                          const std::string& problem) const {
    const bool placed = node != nullptr && node->source().begin.line > 0;
    throw InputError(location(node, path) + ": " + problem +
                     (placed ? sources_.extended_by(sources_.file_of(*node)) : ""));
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
    // The merge of the files is done by now; a base named here would be ignored.
    if (parts.front() == "extends")
        throw InputError(flag + ": 'extends' cannot be set with --set; write it in the file");
    toml::table* table = &root;
    std::string path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        path += (path.empty() ? "" : ".") + parts[i];
        toml::node* child = table->get(parts[i]);
        if (child == nullptr) {
            if (const auto mechanism = turned_on_by(root, pattern_of(path), path))
                throw InputError(flag + ": the scenario has no " + mechanism->first +
                                 " table, so this would turn " + mechanism->second +
                                 " on with every other key at its default; add the table to the "
                                 "scenario file (or set a key of a table the scenario has)");
            child = &table->insert(parts[i], toml::table{}).first->second;
        }
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
    if (value == nullptr || (string_key && !value->is_string())) {
        // The text goes into the resolved TOML and the results file, so it must be what a TOML
        // string can hold (UTF-8), or the resolved scenario would not load back (found by
        // tests/fuzz/fuzz_scenario_loader). Quoted, only its encoding can fail to parse.
        try {
            static_cast<void>(toml::parse("v = " + quote_toml(entry.value)));
        } catch (const toml::parse_error&) {
            throw InputError(flag + ": the value is not valid UTF-8 text");
        }
        holder.insert_or_assign("v", entry.value);
    }
    if (is_retention_table(pattern_of(path))) switch_pair(*table, parts.back());
    table->insert_or_assign(parts.back(), *holder.get("v"));
}

// `pattern` and `path` name the table: "" for the root, "segments.*" and "segments.smb" for a
// segment. In a table of named items (NamedTable) every key is a name, '*' in the schema.
void ScenarioReader::check_table(const toml::table& table, const std::string& pattern,
                                 const std::string& path) const {
    const NamedTable* named = pattern.empty() ? nullptr : find_named_table(pattern);
    const std::string pattern_prefix = pattern.empty() ? "" : pattern + ".";
    const std::string path_prefix = path.empty() ? "" : path + ".";
    for (auto&& [key, node] : table) {
        const std::string name(key.str());
        const std::string child_path = path_prefix + name;
        const std::string child_pattern = pattern_prefix + (named != nullptr ? "*" : name);
        if (pattern.empty() && name == "uncertainty") continue;  // read apart
        if (named != nullptr && !follows(named->rule, name))
            fail(&node, child_path,
                 std::string(named->noun) + " name '" + name +
                     "' is not valid; allowed: " + std::string(named->rule.pattern));
        if (const ParamInfo* info = find_param(child_pattern)) {
            check_value(node, child_path, *info);
        } else if (is_table_pattern(child_pattern)) {
            if (!node.is_table())
                fail_value(node, child_path,
                           "expected a table [" + child_path + "]" +
                               (named != nullptr ? ", one " + std::string(named->noun) : ""));
            check_table(*node.as_table(), child_pattern, child_path);
        } else if (const auto moved = moved_to(child_pattern)) {
            fail(&node, child_path,
                 "key '" + child_path + "' has moved to '" + std::string(*moved) +
                     "' (docs/model.md 11.1); allowed here: " + join(children_of(pattern_prefix)));
        } else {
            const auto names = children_of(pattern_prefix);
            const auto suggestion = closest(name, names);
            fail(&node, child_path,
                 std::string(node.is_table() ? "unknown table '" : "unknown key '") + child_path +
                     "'" +
                     (suggestion ? "; did you mean '" + path_prefix + *suggestion + "'?"
                                 : "; allowed here: " + join(names)));
        }
    }
    if (named != nullptr && (table.empty() || table.size() > named->max_items))
        fail(&table, path,
             "table '" + path + "' has " + std::to_string(table.size()) + " " +
                 std::string(named->nouns) + "; allowed: 1 to " + std::to_string(named->max_items));
    // A table that is nothing without its items: [upsell] needs [upsell.tiers.<name>].
    for (const NamedTable& list : named_tables) {
        const auto dot = list.pattern.rfind('.');
        if (!list.required_in_parent || dot == std::string_view::npos ||
            list.pattern.substr(0, dot) != pattern)
            continue;
        const std::string child(list.pattern.substr(dot + 1));
        if (!table.contains(child))
            fail(&table, path,
                 "table '" + path + "' has no " + std::string(list.nouns) + "; allowed: 1 to " +
                     std::to_string(list.max_items) + " tables [" + path + "." + child +
                     ".<name>]");
    }
}

// A lever's end_month in `table` (at `path`), unless 0 (to the horizon), is not before its
// start_month.
void ScenarioReader::check_window(const toml::table* table, const std::string& path) const {
    const toml::node* end = table != nullptr ? table->get("end_month") : nullptr;
    if (end == nullptr || !end->is_integer()) return;
    const toml::node* start = table->get("start_month");
    const std::int64_t first =
        start != nullptr && start->is_integer() ? start->as_integer()->get() : 0;
    const std::int64_t last = end->as_integer()->get();
    if (last != 0 && last < first)
        fail_value(*end, path + ".end_month",
                   "before start_month " + std::to_string(first) +
                       "; allowed: 0 (to the horizon) or a month from start_month on");
}

void ScenarioReader::check_lever_windows(const toml::table& root) const {
    for (const MechanismSpec& spec : declared_mechanism_specs())
        check_window(root[spec.table].as_table(), std::string(spec.table));
}

void ScenarioReader::check_list(const toml::node& node, const std::string& path,
                                const ParamInfo& info, const std::string& allowed) const {
    const toml::array* values = node.as_array();
    if (values == nullptr) fail_value(node, path, "expected a list of numbers" + allowed);
    if (!values->empty() && values->size() != info.list_length)
        fail_value(node, path,
                   std::to_string(values->size()) + " values; expected " +
                       std::to_string(info.list_length) + allowed);
    double sum = 0.0;
    for (const toml::node& element : *values) {
        const double value = element.is_number() ? number_of(element) : -1.0;
        if (!element.is_number() || !std::isfinite(value) || value < info.min || value > info.max)
            fail_value(element, path, "a value out of range" + allowed);
        sum += value;
    }
    // Seasonality moves logos between months, never adds any: a year's factors average 1.
    if (info.key == "acquisition.seasonality" && !values->empty() &&
        std::abs(sum / static_cast<double>(values->size()) - 1.0) > 1e-6)
        fail_value(node, path,
                   "mean " + format_real(sum / static_cast<double>(values->size())) + allowed);
}

void ScenarioReader::check_names(const toml::node& node, const std::string& path,
                                 const std::string& allowed) const {
    const toml::array* names = node.as_array();
    if (names == nullptr) fail_value(node, path, "expected a list of names" + allowed);
    std::vector<std::string> seen;
    for (const toml::node& element : *names) {
        if (!element.is_string() || !follows(segment_name_rule, element.as_string()->get()))
            fail_value(element, path, "not a name" + allowed);
        const std::string& name = element.as_string()->get();
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            fail_value(element, path, "named twice" + allowed);
        seen.push_back(name);
    }
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
            if (info.key == "finance.currency" && !is_currency_label(node.as_string()->get()))
                fail_value(node, path,
                           "not a currency label; allowed: " + std::string(currency_label_rule));
            if (const auto words = allowed_words(info);
                !words.empty() &&
                std::find(words.begin(), words.end(), node.as_string()->get()) == words.end())
                fail_value(node, path, "not an allowed value" + allowed);
            return;
        case ParamType::boolean:
            if (!node.is_boolean()) fail_value(node, path, "expected true or false");
            return;
        case ParamType::real_list:
            check_list(node, path, info, allowed);
            return;
        case ParamType::name_list:
            check_names(node, path, allowed);
            return;
    }
    const bool below = info.min_exclusive ? number <= info.min : number < info.min;
    const bool above = info.max_exclusive ? number >= info.max : number > info.max;
    if (below || above) fail_value(node, path, "out of range" + allowed);
    const auto values = allowed_values(info);
    if (!values.empty() &&
        std::find(values.begin(), values.end(), node.as_integer()->get()) == values.end())
        fail_value(node, path, "not an allowed value" + allowed);
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

// The items of a named table in the order the files give them: a base's first, then those of the
// file extending it; items only --set made come last, by name.
ScenarioReader::Items ScenarioReader::in_file_order(const toml::table& table) const {
    Items items;
    for (auto&& [key, node] : table)
        items.emplace_back(key.str(), node.as_table());
    std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
        return sources_.order(*a.second) < sources_.order(*b.second);
    });
    return items;
}

// `params` is what the table inherits (a segment's, the scenario's [retention]); `prior_rule` says
// why the prior is required here, or is null when `params` has one. The prior is one pair of keys
// or the other (RetentionPair): the pair the table names replaces the other pair it inherits, and
// keys of the pair it inherits are inherited one by one.
RetentionParams ScenarioReader::read_retention(const toml::table& table, const std::string& path,
                                               RetentionParams params,
                                               const char* prior_rule) const {
    params.enabled = true;
    const toml::node* reasons = table.get("reasons");
    // A reasons table states the whole split: what it omits does not happen.
    if (reasons != nullptr) params.reason_shares.fill(0.0);
    for (const auto& [key, info] : entries_under("retention."))
        if (retention_pair_of(key) == nullptr)
            if (const toml::node* node = find_node(table, key))
                assign(retention_field(params, key), *node);
    read_prior(table, path, params, prior_rule);
    if (reasons != nullptr) {
        double sum = 0;
        for (double share : params.reason_shares)
            sum += share;
        check_share_sum(sum, *reasons, path + ".reasons");
    }
    return params;
}

void ScenarioReader::read_prior(const toml::table& table, const std::string& path,
                                RetentionParams& params, const char* prior_rule) const {
    const auto key_path = [&](std::string_view key) { return path + "." + std::string(key); };
    const auto first_of = [&](const RetentionPair& pair) -> const toml::node* {
        for (const std::string_view key : pair)
            if (const toml::node* node = table.get(key)) return node;
        return nullptr;
    };
    const toml::node* by_beta = first_of(beta_pair);
    const toml::node* by_mean = first_of(mean_pair);
    if (by_beta != nullptr && by_mean != nullptr) {
        const std::string_view mean_key =
            table.contains(mean_pair[0]) ? mean_pair[0] : mean_pair[1];
        const std::string_view beta_key =
            table.contains(beta_pair[0]) ? beta_pair[0] : beta_pair[1];
        fail_value(*by_mean, key_path(mean_key),
                   "given with '" + key_path(beta_key) +
                       "'; allowed: alpha and beta, or "
                       "mean_monthly_churn and polarization instead, not keys of both pairs");
    }
    const bool inherited_by_mean = params.mean_monthly_churn > 0;
    const RetentionPair* given = by_mean != nullptr      ? &mean_pair
                                 : by_beta != nullptr    ? &beta_pair
                                 : prior_rule != nullptr ? &beta_pair
                                                         : nullptr;
    if (given == nullptr) return;  // the inherited prior, whole
    // Keys of the inherited pair are inherited one by one; the other pair is not inherited.
    const bool inherits = prior_rule == nullptr && (given == &mean_pair) == inherited_by_mean;
    for (const std::string_view key : *given) {
        if (const toml::node* node = table.get(key)) {
            assign(retention_field(params, key), *node);
            continue;
        }
        if (inherits) continue;
        const ParamInfo& info = *find_param("retention." + std::string(key));
        const std::string alternative =
            given == &beta_pair
                ? " (or mean_monthly_churn and polarization instead of alpha and beta)"
                : " (or alpha and beta instead of mean_monthly_churn and "
                  "polarization)";
        const std::string_view partner = (*given)[0] == key ? (*given)[1] : (*given)[0];
        const std::string why = prior_rule != nullptr
                                    ? std::string("required ") + prior_rule
                                    : "required with '" + key_path(partner) +
                                          "', which replaces the inherited " +
                                          (inherited_by_mean ? "mean_monthly_churn and polarization"
                                                             : "alpha and beta");
        fail(&table, path,
             "missing key '" + key_path(key) + "', " + why + "; allowed: " + allowed_text(info) +
                 alternative);
    }
    if (given == &beta_pair) {
        params.mean_monthly_churn = 0.0;
        params.polarization = 0.0;
        return;
    }
    // alpha and beta derived from the mean and the polarization must lie in their own ranges.
    const auto [alpha, beta] = beta_prior_from_mean(params.mean_monthly_churn, params.polarization);
    params.alpha = alpha;
    params.beta = beta;
    const std::string_view blamed = table.contains("polarization") ? "polarization" : mean_pair[0];
    const std::string_view other = blamed == "polarization" ? mean_pair[0] : "polarization";
    const double other_value =
        other == "polarization" ? params.polarization : params.mean_monthly_churn;
    const std::pair<std::string_view, double> derived[] = {{"alpha", alpha}, {"beta", beta}};
    for (const auto& [name, value] : derived) {
        const ParamInfo& info = *find_param("retention." + std::string(name));
        const bool below = info.min_exclusive ? value <= info.min : value < info.min;
        const bool above = info.max_exclusive ? value >= info.max : value > info.max;
        if (!below && !above) continue;
        const bool is_alpha = name == "alpha";
        const std::string formula = is_alpha ? "m(1/phi - 1)" : "(1 - m)(1/phi - 1)";
        // Above the maximum: phi too small for this m; say how small phi may be.
        const double share = is_alpha ? params.mean_monthly_churn : 1.0 - params.mean_monthly_churn;
        const std::string hint =
            above ? ", so polarization >= " + short_number(1.0 / (1.0 + info.max / share)) +
                        " with this mean_monthly_churn"
                  : "";
        fail_value(*table.get(blamed), key_path(blamed),
                   "with " + key_path(other) + " = " + format_real(other_value) + " it gives " +
                       std::string(name) + " = " + formula + " = " + short_number(value) +
                       ", out of range; allowed: " + std::string(name) + " " + allowed_text(info) +
                       hint);
    }
}

std::vector<ContractTerm> ScenarioReader::read_terms(const toml::table& table,
                                                     const std::string& path) const {
    const Items items = in_file_order(table);
    std::vector<ContractTerm> terms;
    double share_sum = 0;
    for (const auto& [name, item] : items) {
        const std::string item_path = path + "." + name;
        ContractTerm term = default_term(name);
        read_item(term, *item, item_path, "contract.terms.*.", term_field, "term");
        if (items.size() > 1 && !item->contains("share"))
            fail(item, item_path,
                 "missing key '" + item_path +
                     ".share', required with two or more terms; allowed: " +
                     allowed_text(*find_param("contract.terms.*.share")));
        check_window(item, item_path);
        share_sum += term.share;
        terms.push_back(std::move(term));
    }
    check_share_sum(share_sum, table, path);
    // Terms on a calendar (docs/model.md 11.5): every month some term is offered, or nobody
    // could sign in it.
    for (int month = 0; month <= horizon_; ++month) {
        double offered = 0.0;
        for (const ContractTerm& term : terms)
            if (term.window.covers(month)) offered += term.share;
        if (!(offered > 0.0))
            fail(&table, path,
                 "no term of '" + path + "' with a share above 0 is offered in month " +
                     std::to_string(month) +
                     "; allowed: start_month and end_month that leave such a term offered in "
                     "every month from 0 to the horizon (" +
                     std::to_string(horizon_) + ")");
    }
    return terms;
}

std::vector<UpsellTier> ScenarioReader::read_tiers(const toml::table& table,
                                                   const std::string& path) const {
    std::vector<std::pair<UpsellTier, const toml::table*>> tiers;
    for (const auto& [name, item] : in_file_order(table)) {
        UpsellTier tier{.name = name};
        read_item(tier, *item, path + "." + name, "upsell.tiers.*.", Upsell::tier_field, "tier");
        tiers.emplace_back(std::move(tier), item);
    }
    // Customers climb the ladder by price; two tiers at one price would be one rung.
    std::stable_sort(tiers.begin(), tiers.end(), [](const auto& a, const auto& b) {
        return a.first.multiplier < b.first.multiplier;
    });
    std::vector<UpsellTier> ladder;
    for (const auto& [tier, item] : tiers) {
        if (!ladder.empty() && ladder.back().multiplier == tier.multiplier)
            fail_value(*item->get("multiplier"), path + "." + tier.name + ".multiplier",
                       "the same multiplier as tier '" + ladder.back().name +
                           "'; allowed: a different multiplier for every tier");
        ladder.push_back(tier);
    }
    return ladder;
}

std::vector<InterventionParams> ScenarioReader::read_interventions(const toml::table& table) const {
    std::vector<InterventionParams> interventions;
    for (const auto& [name, item] : in_file_order(table)) {
        InterventionParams intervention;
        intervention.name = name;
        const std::string path = "interventions." + name;
        if (Interventions::is_reserved_name(name))
            fail_value(*item, path,
                       "a programme named '" + name + "' would write cost_" + name +
                           " or covered_" + name +
                           ", which another metric already is; allowed: any other name");
        read_item(intervention, *item, path, "interventions.*.", Interventions::field,
                  "intervention");
        // Months of life lo..hi: whole months, lo first.
        const std::vector<double>& tenure = intervention.tenure_months;
        if (tenure.size() == 2 && (tenure[0] != std::trunc(tenure[0]) ||
                                   tenure[1] != std::trunc(tenure[1]) || tenure[0] > tenure[1]))
            fail_value(*item->get("tenure_months"), path + ".tenure_months",
                       "not a range of months; allowed: [lo, hi], whole months 0-600, lo <= hi");
        check_window(item, path);
        // A capacity is what aimed targeting chooses up to (0 covers nobody: a sweep's start);
        // "share" covers all it may.
        const bool aimed = intervention.targeting != ProgrammeTargeting::share;
        if (aimed && !item->contains("capacity_accounts"))
            fail_value(*item->get("targeting"), path + ".targeting",
                       "needs capacity_accounts (accounts covered each month); allowed: share, or "
                       "this with capacity_accounts");
        // Its new logos' activation is drawn when they join, before any month's choice.
        if (aimed && intervention.activation_multiplier != 1.0)
            fail_value(*item->get("activation_multiplier"), path + ".activation_multiplier",
                       "needs targeting share (an aimed programme chooses its accounts month by "
                       "month, after the activation is drawn); allowed: 1.0 here");
        if (!aimed && intervention.capacity_accounts != 0)
            fail_value(*item->get("capacity_accounts"), path + ".capacity_accounts",
                       "applies only with targeting largest, random or at_risk; allowed: set "
                       "targeting too, or leave it out");
        interventions.push_back(std::move(intervention));
    }
    return interventions;
}

// A programme names segments the scenario has.
void ScenarioReader::check_programme_segments(const toml::table& root,
                                              const Scenario& scenario) const {
    std::string known;
    for (const SegmentParams& segment : scenario.segments)
        known += (known.empty() ? "" : ", ") + segment.name;
    for (const InterventionParams& programme : scenario.interventions) {
        const toml::node* names = root["interventions"][programme.name]["segments"].node();
        if (names == nullptr || !names->is_array()) continue;
        for (const toml::node& name : *names->as_array()) {
            const std::string& text = name.as_string()->get();
            if (std::none_of(scenario.segments.begin(), scenario.segments.end(),
                             [&](const SegmentParams& s) { return s.name == text; }))
                fail_value(name, "interventions." + programme.name + ".segments",
                           "names no segment of the scenario; allowed: " + known);
        }
    }
}

std::vector<PriceChange> ScenarioReader::read_price_changes(const toml::table& table,
                                                            std::size_t programmes) const {
    std::vector<PriceChange> changes;
    std::size_t shocks = 0;
    for (const auto& [name, item] : in_file_order(table)) {
        PriceChange change{.name = name};
        const std::string path = "pricing.changes." + name;
        read_item(change, *item, path, "pricing.changes.*.", PriceChanges::field, "price change");
        // A shock is a source of coverage: it shares the cover mask's bits with the programmes.
        if (change.churn_multiplier != 1.0 && change.shock_months > 0 &&
            programmes + ++shocks > max_interventions)
            fail_value(*item->get("churn_multiplier"), path + ".churn_multiplier",
                       "one shock too many: " + std::to_string(programmes) +
                           " retention programmes and " + std::to_string(shocks) +
                           " price changes with a churn_multiplier; allowed: at most " +
                           std::to_string(max_interventions) + " of them together");
        changes.push_back(std::move(change));
    }
    return changes;
}

std::vector<CrossSellProduct> ScenarioReader::read_products(const toml::table& table,
                                                            const std::string& path) const {
    std::vector<CrossSellProduct> products;
    for (const auto& [name, item] : in_file_order(table)) {
        CrossSellProduct product{.name = name};
        read_item(product, *item, path + "." + name, "cross_sell.products.*.",
                  CrossSell::product_field, "product");
        check_window(item, path + "." + name);
        products.push_back(std::move(product));
    }
    return products;
}

// [team]: on unless its mode is "none"; hires in month order, each of the mode's kind of rep.
void ScenarioReader::read_team(const toml::table& root, TeamParams& team) const {
    const toml::table* table = root["team"].as_table();
    team.enabled = table != nullptr && team.mode != TeamMode::none;
    team.funnel.enabled = table != nullptr && table->contains("funnel");
    const toml::table* hires = root["team"]["hiring"].as_table();
    if (hires == nullptr) return;
    const bool generalist = team.mode == TeamMode::generalist;
    for (const auto& [name, item] : in_file_order(*hires)) {
        TeamHire hire{.name = name};
        const std::string path = "team.hiring." + name;
        read_item(hire, *item, path, "team.hiring.*.", hire_field, "hire");
        const std::pair<std::string_view, double> wrong_kind[] = {
            {"generalists", generalist ? 0.0 : hire.generalists},
            {"hunters", generalist ? hire.hunters : 0.0},
            {"farmers", generalist ? hire.farmers : 0.0}};
        for (const auto& [key, value] : wrong_kind)
            if (value != 0.0)
                fail_value(
                    *item->get(key), path + "." + std::string(key),
                    "a " + std::string(team_mode_words[static_cast<std::size_t>(team.mode)]) +
                        " team hires " + (generalist ? "generalists" : "hunters and farmers") +
                        "; allowed: 0 (or set team.mode)");
        team.hiring.push_back(std::move(hire));
    }
    std::stable_sort(team.hiring.begin(), team.hiring.end(),
                     [](const TeamHire& a, const TeamHire& b) { return a.month < b.month; });
}

std::vector<SegmentParams> ScenarioReader::read_segments(
    const toml::table& root, const std::optional<RetentionParams>& shared,
    const std::vector<ContractTerm>& terms) const {
    RetentionParams inherited = shared.value_or(default_retention());
    const auto read_fields = [&](SegmentParams& segment, const toml::table* table) {
        for (const auto& [key, info] :
             entries_under("segments.*.", {"segments.*.retention.", "segments.*.contract."}))
            read_value(segment_field(segment, key), table, key, *info);
        segment.retention = inherited;
        segment.contract_terms = terms;
    };
    const toml::table* segments = root["segments"].as_table();
    if (segments == nullptr) {
        SegmentParams all;
        read_fields(all, nullptr);
        return {all};
    }

    std::vector<SegmentParams> result;
    double share_sum = 0;
    const Items order = in_file_order(*segments);
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
        // The segment's own mix replaces the scenario's whole (docs/model.md 5: a mix per segment).
        if (const toml::table* own = (*table)["contract"]["terms"].as_table())
            segment.contract_terms = read_terms(*own, path + ".contract.terms");
        share_sum += segment.share;
        result.push_back(std::move(segment));
    }
    check_share_sum(share_sum, *segments, "segments");
    return result;
}

Scenario ScenarioReader::read(std::string_view text, const std::string& default_name) {
    toml::table root = read_scenario_document(text, sources_);
    for (const Override& entry : overrides_)
        apply_override(root, entry);
    // [uncertainty] names other tables' keys: read apart (uncertainty_table.hpp).
    static const toml::table no_uncertainty;
    const toml::table* uncertainty = &no_uncertainty;
    if (const toml::node* node = root.get("uncertainty")) {
        if (!node->is_table()) fail_value(*node, "uncertainty", "expected a table [uncertainty]");
        uncertainty = node->as_table();
    }
    check_table(root, "", "");

    Scenario scenario;
    scenario.source = sources_.root();
    scenario.mechanism_tables = default_mechanism_tables();
    const std::vector<std::string_view> skip(not_scenario_fields.begin(),
                                             not_scenario_fields.end());
    for (const auto& [key, info] : entries_under("", skip))
        read_value(scenario_field(scenario, key), &root, key, *info);
    horizon_ = scenario.simulation.horizon_months;
    if (!root.contains("name")) {
        if (!follows(scenario_name_rule, default_name))
            throw InputError(sources_.root() + ": scenario name '" + default_name +
                             "' (from the file name) is not valid; allowed: " +
                             std::string(scenario_name_rule.pattern) + "; set name = \"...\"");
        scenario.name = default_name;
    }
    // Absent table = mechanism off (docs/model.md 4).
    for (auto& [name, table] : scenario.mechanism_tables)
        table.enabled = root.contains(name);
    for (const MechanismSpec& spec : declared_mechanism_specs())
        if (spec.enabled_flag != nullptr) spec.enabled_flag(scenario) = root.contains(spec.table);
    check_lever_windows(root);
    if (const toml::table* tiers = root["upsell"]["tiers"].as_table())
        scenario.upsell.tiers = read_tiers(*tiers, "upsell.tiers");
    if (const toml::table* products = root["cross_sell"]["products"].as_table())
        scenario.cross_sell = read_products(*products, "cross_sell.products");
    read_team(root, scenario.team);
    if (const toml::table* interventions = root["interventions"].as_table())
        scenario.interventions = read_interventions(*interventions);
    for (const InterventionParams& programme : scenario.interventions)
        if (programme.activation_multiplier != 1.0 && !scenario.onboarding.enabled)
            fail_value(*root["interventions"][programme.name]["activation_multiplier"].node(),
                       "interventions." + programme.name + ".activation_multiplier",
                       "acts on onboarding, which the scenario does not have; allowed: 1.0, or "
                       "add an [onboarding] table");
    if (const toml::table* changes = root["pricing"]["changes"].as_table())
        scenario.price_changes = read_price_changes(*changes, scenario.interventions.size());

    std::optional<RetentionParams> shared;
    if (const toml::table* retention = root["retention"].as_table())
        shared = read_retention(*retention, "retention", default_retention(), "in [retention]");
    std::vector<ContractTerm> terms{default_term("monthly")};
    if (const toml::table* table = root["contract"]["terms"].as_table())
        terms = read_terms(*table, "contract.terms");
    scenario.segments = read_segments(root, shared, terms);
    check_programme_segments(root, scenario);
    if (const toml::table* book = root["book"].as_table())
        scenario.book = read_book_table(*book, sources_, scenario,
                                        [this](const toml::node* node, const std::string& path) {
                                            return location(node, path);
                                        });
    if (reads_uncertainty_)
        scenario.uncertainty = read_uncertainty_table(
            *uncertainty,
            [this](const toml::node& node, const std::string& path, const std::string& problem) {
                if (node.is_table()) fail(&node, path, "key '" + path + "': " + problem);
                fail_value(node, path, problem);
            });
    scenario.resolved_toml = format_resolved_toml(scenario);
    if (!scenario.uncertainty.empty()) check_inputs_apply(scenario, *uncertainty);
    return scenario;
}

// Each uncertain key is one this scenario has (a segment it names, a table it turns on): the
// scenario at a value of each law must load, or the file is refused before any work.
void ScenarioReader::check_inputs_apply(const Scenario& scenario,
                                        const toml::table& uncertainty) const {
    for (const UncertainInput& input : scenario.uncertainty) {
        try {
            load_scenario_variant(scenario,
                                  {{input.key, input_value_text(input_law_of(input).quantile(0.5),
                                                                is_integer_key(input.key))}});
        } catch (const InputError& problem) {
            const std::string path = "uncertainty.\"" + input.key + "\"";
            fail(uncertainty.get(input.key), path,
                 "key '" + path + "': the scenario cannot take this key (" + problem.what() + ")");
        }
    }
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

Scenario load_scenario_variant(const Scenario& scenario, const std::vector<Override>& values) {
    ScenarioReader reader(scenario.source, values);
    reader.leave_out_uncertainty();
    Scenario variant = reader.read(scenario.resolved_toml, scenario.name);
    variant.name = scenario.name;
    return variant;
}

std::string input_value_text(double value, bool integer) {
    return integer ? std::to_string(std::llround(value)) : format_real(value);
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<Override>& overrides) {
    std::string problem;
    const std::optional<std::string> text = read_text_file(path, problem);
    if (!text) throw InputError(path.string() + ": " + problem);
    return load_scenario_text(*text, path.string(), path.stem().string(), overrides);
}

}  // namespace cohortsim
