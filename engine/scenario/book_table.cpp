#include "book_table.hpp"

#include <filesystem>

#include "cohortsim/book.hpp"
#include "cohortsim/error.hpp"
#include "csv_text.hpp"
#include "scenario_fields.hpp"

namespace cohortsim {

BookParams read_book_table(const toml::table& book, const ScenarioSources& sources,
                           const Scenario& scenario, const NodeLocation& location) {
    const auto given = [&](const char* key) -> const toml::node* {
        const toml::node* node = book.get(key);
        return node != nullptr && !node->as_string()->get().empty() ? node : nullptr;
    };
    const toml::node* accounts = given("accounts");
    const toml::node* cohorts = given("cohorts");
    const std::string allowed =
        "; allowed: accounts = \"FILE.csv\" (one row per account) or cohorts = \"FILE.csv\" "
        "(counts by segment and tenure), a path relative to this file's folder";
    if (accounts != nullptr && cohorts != nullptr)
        throw InputError(location(cohorts, "book.cohorts") +
                         ": table 'book' gives both accounts and cohorts" + allowed);
    if (accounts == nullptr && cohorts == nullptr)
        throw InputError(location(&book, "book") + ": table 'book' names no file" + allowed);

    const toml::node& node = accounts != nullptr ? *accounts : *cohorts;
    const std::string key = accounts != nullptr ? "book.accounts" : "book.cohorts";
    const std::filesystem::path written = node.as_string()->get();
    const std::filesystem::path path =
        (std::filesystem::path(sources.file_of(node)).parent_path() / written).lexically_normal();
    std::string text;
    try {
        text = csv::read_data_file(path);
    } catch (const InputError& error) {
        throw InputError(location(&node, key) + ": key '" + key +
                         "' = " + quote_toml(written.string()) + ": " + error.what() + allowed);
    }
    const BookFormat format = accounts != nullptr ? BookFormat::accounts : BookFormat::cohorts;
    BookParams params;
    // Stored resolved, so that the resolved scenario names the file that was read.
    (accounts != nullptr ? params.accounts : params.cohorts) = path.string();
    params.entries = std::make_shared<const std::vector<BookEntry>>(
        parse_book_csv(text, format, path.string(), scenario.segments, scenario.cross_sell));
    return params;
}

}  // namespace cohortsim
