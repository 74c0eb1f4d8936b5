// Today's book from CSV: one row per account, or customer counts by segment and tenure. The
// columns are read by name, in any order; every message names file, line, column, value and
// what is allowed.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>

#include "cohortsim/book.hpp"
#include "cohortsim/error.hpp"
#include "csv_text.hpp"

namespace cohortsim {

namespace {

enum class Column {
    segment,
    tenure,
    mrr,
    customers,
    term,
    renewal,
    activated,
    products,
    usage_priced
};

struct ColumnInfo {
    Column column;
    const char* name;
    bool required;  // the segment column only with two or more segments
};

constexpr std::array<ColumnInfo, 8> account_columns = {{
    {Column::segment, "segment", true},
    {Column::tenure, "tenure_months", true},
    {Column::mrr, "mrr", true},
    {Column::term, "term_months", false},
    {Column::renewal, "months_to_renewal", false},
    {Column::activated, "activated", false},
    {Column::products, "products", false},
    {Column::usage_priced, "usage_priced", false},
}};
constexpr std::array<ColumnInfo, 3> cohort_columns = {{
    {Column::segment, "segment", true},
    {Column::tenure, "tenure_months", true},
    {Column::customers, "customers", true},
}};

std::string join_names(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

class BookReader {
  public:
    BookReader(BookFormat format, std::string source, const std::vector<SegmentParams>& segments,
               const std::vector<CrossSellProduct>& products)
        : format_(format), source_(std::move(source)), segments_(segments), products_(products) {
        if (format == BookFormat::accounts)
            columns_.assign(account_columns.begin(), account_columns.end());
        else
            columns_.assign(cohort_columns.begin(), cohort_columns.end());
    }

    std::vector<BookEntry> read(std::string_view text);

  private:
    [[noreturn]] void fail(std::size_t line, const std::string& problem) const {
        csv::fail(source_, line, problem);
    }
    [[noreturn]] void fail_value(std::size_t line, Column column, std::string_view value,
                                 const std::string& problem) const {
        fail(line, "column '" + std::string(name_of(column)) + "': value '" + std::string(value) +
                       "' " + problem);
    }
    const char* name_of(Column column) const;
    std::string expected_header() const;
    void read_header(const std::vector<std::string>& fields, std::string_view text,
                     std::size_t line);
    BookEntry read_row(const std::vector<std::string>& fields, std::size_t line);
    std::uint8_t read_segment(const std::string& text, std::size_t line) const;
    std::int64_t read_whole(Column column, const std::string& text, std::size_t line,
                            std::int64_t low, std::int64_t high, const std::string& allowed) const;
    double read_mrr(const std::string& text, std::size_t line) const;
    std::uint8_t read_products(const std::string& text, std::size_t line) const;
    const std::string* field(const std::vector<std::string>& fields, Column column) const {
        const auto at = position_.find(column);
        return at == position_.end() ? nullptr : &fields[at->second];
    }

    BookFormat format_;
    std::string source_;
    const std::vector<SegmentParams>& segments_;
    const std::vector<CrossSellProduct>& products_;
    std::vector<ColumnInfo> columns_;
    std::map<Column, std::size_t> position_;  // column -> field index, for those in the header
    std::size_t field_count_ = 0;
    std::int64_t customers_ = 0;
    // Cohorts file: the line of each (segment, tenure) already read.
    std::map<std::pair<int, int>, std::size_t> seen_;
};

const char* BookReader::name_of(Column column) const {
    for (const ColumnInfo& info : columns_)
        if (info.column == column) return info.name;
    return "?";
}

std::string BookReader::expected_header() const {
    std::string text =
        format_ == BookFormat::accounts
            ? "expected a header naming segment, tenure_months and mrr, and "
              "optionally term_months, months_to_renewal, activated, products, usage_priced"
            : "expected a header 'segment,tenure_months,customers'";
    if (segments_.size() == 1) text += " (segment may be left out: the scenario has one segment)";
    return text;
}

void BookReader::read_header(const std::vector<std::string>& fields, std::string_view text,
                             std::size_t line) {
    // A header names some column; a first line that names none is data (an export without one).
    const bool names_a_column =
        std::any_of(fields.begin(), fields.end(), [&](const std::string& f) {
            return std::any_of(columns_.begin(), columns_.end(),
                               [&](const ColumnInfo& c) { return csv::lowercase(f) == c.name; });
        });
    if (!names_a_column)
        fail(line, "missing header: the first line '" + std::string(text) +
                       "' names none of the columns; " + expected_header());
    std::vector<std::string> allowed;
    for (const ColumnInfo& info : columns_)
        allowed.emplace_back(info.name);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name = csv::lowercase(fields[i]);
        const auto info = std::find_if(columns_.begin(), columns_.end(),
                                       [&](const ColumnInfo& c) { return name == c.name; });
        if (info == columns_.end())
            fail(line, "unknown column '" + fields[i] + "' in the header; allowed: " +
                           join_names(allowed) + "; " + expected_header());
        if (!position_.emplace(info->column, i).second)
            fail(line, "column '" + name + "' appears twice in the header");
    }
    for (const ColumnInfo& info : columns_) {
        const bool optional_segment = info.column == Column::segment && segments_.size() == 1;
        if (info.required && !optional_segment && !position_.contains(info.column))
            fail(line,
                 "the header has no '" + std::string(info.name) + "' column; " + expected_header());
    }
    field_count_ = fields.size();
}

std::uint8_t BookReader::read_segment(const std::string& text, std::size_t line) const {
    std::vector<std::string> names;
    for (std::size_t s = 0; s < segments_.size(); ++s) {
        if (csv::lowercase(text) == segments_[s].name) return static_cast<std::uint8_t>(s);
        names.push_back(segments_[s].name);
    }
    fail_value(line, Column::segment, text,
               (text.empty() ? std::string("is empty") : "is not a segment of the scenario") +
                   "; allowed: " + join_names(names));
}

std::int64_t BookReader::read_whole(Column column, const std::string& text, std::size_t line,
                                    std::int64_t low, std::int64_t high,
                                    const std::string& allowed) const {
    const std::string expected = "; expected " + allowed;
    if (text.empty()) fail_value(line, column, text, "is empty" + expected);
    const std::optional<double> value = csv::parse_number(text);
    if (!value) fail_value(line, column, text, "is not a number" + expected);
    if (*value < 0) fail_value(line, column, text, "is negative" + expected);
    if (*value != std::floor(*value)) fail_value(line, column, text, "is not whole" + expected);
    if (*value < static_cast<double>(low) || *value > static_cast<double>(high))
        fail_value(line, column, text, "is out of range" + expected);
    return static_cast<std::int64_t>(*value);
}

double BookReader::read_mrr(const std::string& text, std::size_t line) const {
    const std::string expected = "; expected the account's MRR, a number > 0";
    if (text.empty()) fail_value(line, Column::mrr, text, "is empty" + expected);
    const std::optional<double> value = csv::parse_number(text);
    if (!value) fail_value(line, Column::mrr, text, "is not a number" + expected);
    if (*value < 0) fail_value(line, Column::mrr, text, "is negative" + expected);
    if (*value == 0 || *value > 1e12)
        fail_value(line, Column::mrr, text, "is out of range" + expected);
    return *value;
}

std::uint8_t BookReader::read_products(const std::string& text, std::size_t line) const {
    std::vector<std::string> names;
    for (const CrossSellProduct& product : products_)
        names.push_back(product.name);
    const std::string allowed =
        products_.empty()
            ? "; allowed: empty (the scenario has no [cross_sell.products])"
            : "; allowed: names of cross-sell products separated by ';': " + join_names(names);
    std::uint8_t mask = 0;
    std::string_view rest = text;
    while (!csv::trimmed(rest).empty()) {
        const std::size_t end = std::min(rest.find(';'), rest.size());
        const std::string name = csv::lowercase(csv::trimmed(rest.substr(0, end)));
        rest.remove_prefix(std::min(end + 1, rest.size()));
        const auto at = std::find(names.begin(), names.end(), name);
        if (name.empty())
            fail_value(line, Column::products, text, "names an empty product" + allowed);
        if (at == names.end())
            fail_value(line, Column::products, text,
                       "names '" + name + "', not a cross-sell product of the scenario" + allowed);
        const auto bit = static_cast<std::uint8_t>(1U << (at - names.begin()));
        if ((mask & bit) != 0)
            fail_value(line, Column::products, text,
                       "names '" + name + "' twice; each product is owned once");
        mask |= bit;
    }
    return mask;
}

BookEntry BookReader::read_row(const std::vector<std::string>& fields, std::size_t line) {
    if (fields.size() != field_count_) {
        fail(line, std::to_string(fields.size()) + " field" + (fields.size() == 1 ? "" : "s") +
                       " but the header names " + std::to_string(field_count_) + " columns");
    }
    BookEntry entry;
    if (const std::string* segment = field(fields, Column::segment))
        entry.segment = read_segment(*segment, line);
    entry.tenure_months = static_cast<int>(read_whole(
        Column::tenure, *field(fields, Column::tenure), line, 0, max_book_tenure_months,
        "whole months since the customer joined, 0 to " + std::to_string(max_book_tenure_months)));
    if (format_ == BookFormat::cohorts) {
        entry.customers = read_whole(
            Column::customers, *field(fields, Column::customers), line, 0, max_book_customers,
            "a count of customers, 0 to " + std::to_string(max_book_customers));
        const auto [at, inserted] = seen_.try_emplace({entry.segment, entry.tenure_months}, line);
        if (!inserted)
            fail_value(line, Column::tenure, *field(fields, Column::tenure),
                       "of segment '" + segments_[entry.segment].name +
                           "' is repeated (also on line " + std::to_string(at->second) +
                           "); each segment and tenure appears once");
    } else {
        entry.mrr = read_mrr(*field(fields, Column::mrr), line);
        if (const std::string* term = field(fields, Column::term))
            entry.term_months = static_cast<int>(
                read_whole(Column::term, *term, line, 1, max_book_term_months,
                           "whole months, 1 to " + std::to_string(max_book_term_months)));
        // By default the contract renews on the anniversaries of the customer's join date.
        entry.months_to_renewal = entry.term_months - entry.tenure_months % entry.term_months;
        if (const std::string* renewal = field(fields, Column::renewal))
            entry.months_to_renewal = static_cast<int>(read_whole(
                Column::renewal, *renewal, line, 1, entry.term_months,
                "1 to the term, " + std::to_string(entry.term_months) +
                    " (1 = the first renewal decision is in month 1 of the simulation)"));
        if (const std::string* activated = field(fields, Column::activated))
            entry.activated =
                read_whole(Column::activated, *activated, line, 0, 1,
                           "1 (activated) or 0 (never activated: low adoption for life)") == 1;
        if (const std::string* usage = field(fields, Column::usage_priced))
            entry.usage_priced =
                read_whole(Column::usage_priced, *usage, line, 0, 1,
                           "1 (its MRR follows usage, [usage_pricing]) or 0 (a fixed price)") == 1;
        if (const std::string* products = field(fields, Column::products)) {
            entry.products = read_products(*products, line);
            double add_ons = 0.0;
            for (std::size_t p = 0; p < products_.size(); ++p)
                if ((entry.products >> p) & 1U) add_ons += products_[p].mrr;
            if (*entry.mrr < add_ons)
                fail_value(line, Column::mrr, *field(fields, Column::mrr),
                           "is below " + csv::number_text(add_ons) +
                               ", the MRR of its products; expected the account's whole MRR, "
                               "add-ons included");
        }
    }
    customers_ += entry.customers;
    if (customers_ > max_book_customers)
        fail(line, "the book holds more than " + std::to_string(max_book_customers) +
                       " customers by this line; allowed: at most that many");
    return entry;
}

std::vector<BookEntry> BookReader::read(std::string_view text) {
    std::vector<BookEntry> entries;
    const std::size_t header_line = csv::for_each_row(
        text, source_,
        [&](const std::vector<std::string>& fields, std::string_view line, std::size_t number) {
            read_header(fields, line, number);
        },
        [&](const std::vector<std::string>& fields, std::size_t number) {
            entries.push_back(read_row(fields, number));
        });
    if (header_line == 0) throw InputError(source_ + ": empty file; " + expected_header());
    if (entries.empty()) fail(header_line, "no data rows after the header");
    // Rows of no customers (a cohort that has all gone) cost nothing downstream.
    std::erase_if(entries, [](const BookEntry& entry) { return entry.customers == 0; });
    return entries;
}

}  // namespace

std::vector<BookEntry> parse_book_csv(std::string_view text, BookFormat format,
                                      const std::string& source,
                                      const std::vector<SegmentParams>& segments,
                                      const std::vector<CrossSellProduct>& products) {
    return BookReader(format, source, segments, products).read(text);
}

std::vector<BookEntry> read_book_csv(const std::filesystem::path& path, BookFormat format,
                                     const std::vector<SegmentParams>& segments,
                                     const std::vector<CrossSellProduct>& products) {
    return parse_book_csv(csv::read_data_file(path), format, path.string(), segments, products);
}

}  // namespace cohortsim
