// validate(): a Scenario built in code meets every rule a loaded one does. Its resolved TOML is
// loaded back, so the loader's checks (ranges, names, item counts, share sums, words) are the
// only copy of the rules; the book's entries, which the TOML only names a file for, are checked
// here against the limits its CSV reader applies.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "cohortsim/book.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/scenario_loader.hpp"

namespace cohortsim {
namespace {

void check_book(const Scenario& scenario, const std::string& source) {
    if (!scenario.book.enabled()) return;
    const auto fail = [&](std::size_t row, const std::string& field, const std::string& value,
                          const std::string& allowed) {
        throw InputError(source + ": book entry " + std::to_string(row) + ": " + field + " = " +
                         value + " is out of range; allowed: " + allowed);
    };
    const std::size_t products = scenario.cross_sell.size();
    std::int64_t customers = 0;
    std::size_t row = 0;
    for (const BookEntry& entry : *scenario.book.entries) {
        if (entry.segment >= scenario.segments.size())
            fail(
                row, "segment", std::to_string(entry.segment),
                "0 to " + std::to_string(scenario.segments.size() - 1) + " (an index of segments)");
        if (entry.tenure_months < 0 || entry.tenure_months > max_book_tenure_months)
            fail(row, "tenure_months", std::to_string(entry.tenure_months),
                 "0 to " + std::to_string(max_book_tenure_months));
        if (entry.customers < 1 || entry.customers > max_book_customers)
            fail(row, "customers", std::to_string(entry.customers),
                 "1 to " + std::to_string(max_book_customers));
        if (entry.mrr && !(*entry.mrr > 0.0 && *entry.mrr <= 1e12))
            fail(row, "mrr", std::to_string(*entry.mrr), "a number > 0 and <= 1e12");
        if (entry.term_months < 1 || entry.term_months > max_book_term_months)
            fail(row, "term_months", std::to_string(entry.term_months),
                 "1 to " + std::to_string(max_book_term_months));
        if (entry.months_to_renewal < 1 || entry.months_to_renewal > entry.term_months)
            fail(row, "months_to_renewal", std::to_string(entry.months_to_renewal),
                 "1 to term_months (" + std::to_string(entry.term_months) + ")");
        if (products < 8 && entry.products >= (1u << products))
            fail(row, "products", std::to_string(entry.products),
                 "bits of the " + std::to_string(products) + " cross-sell products");
        customers += entry.customers;
        if (customers > max_book_customers)
            fail(row, "customers (running total)", std::to_string(customers),
                 "at most " + std::to_string(max_book_customers) + " in the book");
        ++row;
    }
}

// A scenario's name is an HDF5 group's: the loader allows [A-Za-z0-9_-] in files, and the names
// it makes for sweep variants add '.', '=' and ','; a '/' would nest groups.
void check_name(const std::string& name) {
    const bool valid =
        !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
        std::all_of(name.begin(), name.end(), [](char ch) { return ch != '/' && ch >= 0x20; });
    if (!valid)
        throw InputError("scenario name '" + name +
                         "' is not valid; allowed: 1 to 255 printable characters without '/'");
}

}  // namespace

void validate(const Scenario& scenario) {
    check_name(scenario.name);
    const std::string source = "scenario '" + scenario.name + "' (its resolved TOML)";
    Scenario checked = scenario;
    checked.name = "validated";  // checked above, by the rule for names the engine makes too
    checked.book = {};           // its entries are checked below; the TOML only names a file
    load_scenario_text(format_resolved_toml(checked), source, checked.name);
    check_book(scenario, "scenario '" + scenario.name + "'");
}

}  // namespace cohortsim
