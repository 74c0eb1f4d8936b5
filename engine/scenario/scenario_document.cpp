// Scenario files -> one TOML document: a file and the chain of bases it `extends`, merged with the
// including file's keys winning. Nodes are moved, never copied, so each keeps its file and line.

#include "scenario_document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cohortsim/error.hpp"
#include "scenario_fields.hpp"
#include "scenario_schema.hpp"

namespace cohortsim {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_at(const ScenarioSources& sources, const toml::node& node,
                          const std::string& problem) {
    const std::string file = sources.file_of(node);
    throw InputError(file + ":" + std::to_string(node.source().begin.line) + ": " + problem +
                     sources.extended_by(file));
}

toml::table parse(std::string_view text, const std::string& file, const ScenarioSources& sources) {
    try {
        return toml::parse(text, std::string_view(file));
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw InputError(
            file + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
            ": TOML syntax error: " + std::string(error.description()) + sources.extended_by(file));
    }
}

// Moves the keys of `top` into `base`. Tables merge key by key, except lists of named items, which
// `top` replaces whole: [contract.terms] in a file is the whole mix, not additions to its base's.
// In a retention table, the pair of prior keys `top` names replaces the other pair of the base's:
// a file giving mean_monthly_churn and polarization over a base with alpha and beta.
void merge(toml::table& base, toml::table& top, const std::string& pattern_prefix) {
    const std::string_view table_pattern =
        pattern_prefix.empty()
            ? std::string_view()
            : std::string_view(pattern_prefix).substr(0, pattern_prefix.size() - 1);
    const bool named = !table_pattern.empty() && find_named_table(table_pattern);
    if (is_retention_table(table_pattern))
        for (auto&& [key, node] : top)
            drop_other_pair(base, key.str());
    for (auto&& [key, node] : top) {
        const std::string name(key.str());
        const std::string pattern = pattern_prefix + (named ? "*" : name);
        const NamedTable* list = find_named_table(pattern);
        toml::node* below = base.get(name);
        if (below != nullptr && below->is_table() && node.is_table() &&
            !(list != nullptr && list->replaced_by_extends))
            merge(*below->as_table(), *node.as_table(), pattern + ".");
        else
            base.insert_or_assign(name, std::move(node));
    }
}

fs::path identity(const fs::path& path) {
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(path, error);
    return error ? fs::absolute(path, error).lexically_normal() : canonical;
}

// `ids` holds the identity of every file in the chain so far, to catch cycles.
toml::table read_chain(std::string_view text, const std::string& file, std::vector<fs::path>& ids,
                       ScenarioSources& sources) {
    toml::table document = parse(text, file, sources);
    const toml::node* extends = document.get("extends");
    if (extends == nullptr) return document;
    const std::string key_text = "key 'extends' = " + value_text(*extends) + ": ";
    if (!extends->is_string())
        fail_at(sources, *extends,
                key_text + "expected a string; allowed: " + allowed_text(*find_param("extends")));

    const fs::path path =
        (fs::path(file).parent_path() / extends->as_string()->get()).lexically_normal();
    const std::string base_file = path.string();
    const fs::path id = identity(path);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        std::string chain;
        for (const std::string& shown : sources.files())
            chain += shown + " -> ";
        throw InputError(file + ":" + std::to_string(extends->source().begin.line) + ": " +
                         key_text + "extends cycle: " + chain + base_file);
    }
    std::string problem;
    std::error_code error;
    // Not a device or a pipe, which could block or never end.
    if (fs::exists(path, error) && !fs::is_regular_file(path, error) &&
        !fs::is_directory(path, error))
        fail_at(sources, *extends, key_text + "base file '" + base_file + "': not a regular file");
    const std::optional<std::string> base_text = read_text_file(path, problem);
    if (!base_text)
        fail_at(sources, *extends, key_text + "base file '" + base_file + "': " + problem);

    sources.add_base(base_file);
    ids.push_back(id);
    toml::table base = read_chain(*base_text, base_file, ids, sources);
    // Each file is its own scenario: its name and description are its own.
    base.erase("name");
    base.erase("description");
    document.erase("extends");
    merge(base, document, "");
    return base;
}

}  // namespace

std::string ScenarioSources::file_of(const toml::node& node) const {
    const auto& path = node.source().path;
    return path ? *path : root();
}

std::string ScenarioSources::extended_by(std::string_view file) const {
    const auto found = std::find(files_.begin(), files_.end(), file);
    if (found == files_.end() || found == files_.begin()) return "";
    std::string text;
    for (auto including = found; including != files_.begin();) {
        --including;
        text += (text.empty() ? " (extended by " : ", extended by ") + *including;
    }
    return text + ")";
}

std::pair<std::size_t, std::size_t> ScenarioSources::order(const toml::node& node) const {
    const auto& source = node.source();
    if (!source.path || source.begin.line == 0) return {files_.size(), 0};
    const auto found = std::find(files_.begin(), files_.end(), *source.path);
    if (found == files_.end()) return {files_.size(), 0};
    const auto index = static_cast<std::size_t>(found - files_.begin());
    return {files_.size() - 1 - index, source.begin.line};
}

toml::table read_scenario_document(std::string_view text, ScenarioSources& sources) {
    std::vector<fs::path> ids{identity(sources.root())};
    return read_chain(text, sources.root(), ids, sources);
}

std::optional<std::string> read_text_file(const fs::path& path, std::string& problem) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
        problem = "is a directory, not a scenario file";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problem = std::string("cannot read scenario file: ") + std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        problem = "cannot read scenario file";
        return std::nullopt;
    }
    return text.str();
}

std::string value_text(const toml::node& node) {
    if (const auto* text = node.as_string()) return quote_toml(text->get());
    if (const auto* integer = node.as_integer()) return std::to_string(integer->get());
    if (const auto* real = node.as_floating_point()) return format_real(real->get());
    std::ostringstream out;
    node.visit([&](const auto& value) { out << value; });
    return out.str();
}

}  // namespace cohortsim
