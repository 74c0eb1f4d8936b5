#pragma once
// A scenario file as one TOML document: the file parsed, with the chain of files it `extends`
// merged under it. Every node keeps the file and line it came from, so the loader's messages name
// the right file even for keys that came from a base. Internal to the engine.

#include <toml++/toml.h>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cohortsim {

// The files a scenario was read from: the file itself first, then each base after the file that
// extends it.
class ScenarioSources {
  public:
    explicit ScenarioSources(std::string root) : files_{std::move(root)} {}

    const std::string& root() const { return files_.front(); }
    const std::vector<std::string>& files() const { return files_; }
    void add_base(std::string file) { files_.push_back(std::move(file)); }

    // The file a node came from; root() for a node without one.
    std::string file_of(const toml::node& node) const;
    // " (extended by b.toml, extended by a.toml)" for a base; "" for the root and other files.
    std::string extended_by(std::string_view file) const;
    // Sort key putting items in file order: a base's before those of the files extending it, by
    // line within a file, and last the nodes with no position (made by --set).
    std::pair<std::size_t, std::size_t> order(const toml::node& node) const;

  private:
    std::vector<std::string> files_;
};

// Parses `text` (the file sources.root()), reads the files it extends, and returns the merged
// document without `extends`. Keys in a file win over its base's; a table that is a list of named
// items (NamedTable::replaced_by_extends) replaces the base's whole; a base's name and description
// are dropped. Throws InputError naming the file and line on a syntax error, a missing base or a
// cycle.
toml::table read_scenario_document(std::string_view text, ScenarioSources& sources);

// The text of a file, or nullopt with `problem` saying why not ("cannot read scenario file: No such
// file or directory").
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string& problem);

// A value as it would appear in the file, for messages.
std::string value_text(const toml::node& node);

}  // namespace cohortsim
