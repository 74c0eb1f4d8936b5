// Observed cohorts from CSV (CONTRACT.md, "Calibration input"): every message names the file,
// the line, the column and the value, so that a user can fix a spreadsheet export by hand.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"

namespace cohortsim {

namespace {

constexpr const char* expected_header =
    "expected a header 'period,active' (one cohort) or "
    "'cohort,period,active' (several cohorts)";

struct Row {
    std::string cohort;
    long long period = 0;
    double active = 0.0;
    std::size_t line = 0;
};

std::string_view trimmed(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string lowercase(std::string_view text) {
    std::string result(text);
    for (char& c : result)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
}

std::string number_text(double value) {
    std::ostringstream text;
    text.precision(15);
    text << value;
    return text.str();
}

// A finite decimal number, the whole field (from_chars alone would accept "nan" and "inf").
std::optional<double> parse_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value))
        return std::nullopt;
    return value;
}

class CsvReader {
  public:
    explicit CsvReader(std::string source) : source_(std::move(source)) {}

    CohortData read(std::string_view text);

  private:
    [[noreturn]] void fail(std::size_t line, const std::string& problem) const {
        throw InputError(source_ + ":" + std::to_string(line) + ": " + problem);
    }
    [[noreturn]] void fail_value(std::size_t line, std::string_view column, std::string_view value,
                                 const std::string& problem) const {
        fail(line,
             "column '" + std::string(column) + "': value '" + std::string(value) + "' " + problem);
    }

    std::vector<std::string> split(std::string_view line, std::size_t number) const;
    void read_header(const std::vector<std::string>& fields, std::string_view text,
                     std::size_t line);
    Row read_row(const std::vector<std::string>& fields, std::size_t line) const;
    ObservedCohort assemble(std::vector<Row> rows) const;
    // " of cohort 'A'" in a multi-cohort file, nothing in a single-cohort one.
    std::string cohort_label(const std::string& name, const char* preposition = "of") const {
        return has_cohort_column() ? " " + std::string(preposition) + " cohort '" + name + "'" : "";
    }
    bool has_cohort_column() const { return cohort_column_.has_value(); }

    std::string source_;
    std::vector<std::string> columns_;
    std::optional<std::size_t> cohort_column_;
    std::size_t period_column_ = 0;
    std::size_t active_column_ = 0;
};

// One CSV record of a line: comma-separated, fields optionally in double quotes with ""
// for a quote, surrounding blanks ignored (spreadsheets write "2024-01" for cohort labels).
std::vector<std::string> CsvReader::split(std::string_view line, std::size_t number) const {
    std::vector<std::string> fields;
    std::size_t at = 0;
    while (true) {
        std::string field;
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t'))
            ++at;
        if (at < line.size() && line[at] == '"') {
            ++at;
            while (true) {
                if (at >= line.size()) fail(number, "unterminated quoted field");
                if (line[at] == '"') {
                    if (at + 1 < line.size() && line[at + 1] == '"') {
                        field += '"';
                        at += 2;
                        continue;
                    }
                    ++at;
                    break;
                }
                field += line[at++];
            }
            while (at < line.size() && line[at] != ',') {
                if (!trimmed(line.substr(at, 1)).empty())
                    fail(number, "text after a closing quote in field " +
                                     std::to_string(fields.size() + 1));
                ++at;
            }
        } else {
            const std::size_t end = std::min(line.find(',', at), line.size());
            field = trimmed(line.substr(at, end - at));
            at = end;
        }
        fields.push_back(std::move(field));
        if (at >= line.size()) break;
        ++at;  // the comma
    }
    return fields;
}

void CsvReader::read_header(const std::vector<std::string>& fields, std::string_view text,
                            std::size_t line) {
    const bool all_numbers = std::all_of(fields.begin(), fields.end(), [&](const std::string& f) {
        return parse_number(f).has_value();
    });
    if (all_numbers) {
        fail(line, "missing header: the first line '" + std::string(text) + "' holds numbers; " +
                       expected_header);
    }
    std::optional<std::size_t> period;
    std::optional<std::size_t> active;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name = lowercase(fields[i]);
        std::optional<std::size_t>* slot = name == "cohort"   ? &cohort_column_
                                           : name == "period" ? &period
                                           : name == "active" ? &active
                                                              : nullptr;
        if (slot == nullptr) {
            fail(line, "unknown column '" + fields[i] +
                           "' in the header; allowed: cohort, "
                           "period, active; " +
                           expected_header);
        }
        if (slot->has_value()) fail(line, "column '" + name + "' appears twice in the header");
        *slot = i;
        columns_.push_back(name);
    }
    if (!period) fail(line, "the header has no 'period' column; " + std::string(expected_header));
    if (!active) fail(line, "the header has no 'active' column; " + std::string(expected_header));
    period_column_ = *period;
    active_column_ = *active;
}

Row CsvReader::read_row(const std::vector<std::string>& fields, std::size_t line) const {
    if (fields.size() != columns_.size()) {
        fail(line, std::to_string(fields.size()) + " field" + (fields.size() == 1 ? "" : "s") +
                       " but the header names " + std::to_string(columns_.size()) + " columns");
    }
    Row row;
    row.line = line;
    if (cohort_column_) {
        row.cohort = fields[*cohort_column_];
        if (row.cohort.empty()) fail_value(line, "cohort", "", "is empty; name the cohort");
    }

    const std::string& period_text = fields[period_column_];
    if (period_text.empty()) fail_value(line, "period", "", "is empty; expected 0, 1, 2, ...");
    const std::optional<double> period = parse_number(period_text);
    if (!period) fail_value(line, "period", period_text, "is not a number; expected 0, 1, 2, ...");
    if (*period < 0) fail_value(line, "period", period_text, "is negative; expected 0, 1, 2, ...");
    if (*period != std::floor(*period) || *period > 1e9)
        fail_value(line, "period", period_text, "is not a whole number; expected 0, 1, 2, ...");
    row.period = static_cast<long long>(*period);

    const std::string& active_text = fields[active_column_];
    if (active_text.empty())
        fail_value(line, "active", "", "is empty; expected a count of customers >= 0");
    const std::optional<double> active = parse_number(active_text);
    if (!active) {
        fail_value(line, "active", active_text,
                   "is not a number; expected a count of customers >= 0");
    }
    if (*active < 0) {
        fail_value(line, "active", active_text, "is negative; expected a count of customers >= 0");
    }
    row.active = *active;
    return row;
}

// Rows of one cohort, in file order, to its survivor curve: periods 0..T exactly once each,
// and never more customers than the period before (nobody joins a cohort after it starts).
ObservedCohort CsvReader::assemble(std::vector<Row> rows) const {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.period < b.period; });
    const std::string of = cohort_label(rows.front().cohort);
    if (rows.front().period != 0) {
        fail_value(rows.front().line, "period", std::to_string(rows.front().period),
                   "is the first period" + of +
                       ": there is no period 0, whose count is the cohort's size");
    }
    if (rows.front().active <= 0) {
        fail_value(rows.front().line, "active", number_text(rows.front().active),
                   "at period 0" + of + " means an empty cohort; the size must be > 0");
    }
    ObservedCohort cohort;
    cohort.name = rows.front().cohort;
    cohort.first_line = std::min_element(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
                            return a.line < b.line;
                        })->line;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& row = rows[i];
        if (i > 0) {
            const Row& previous = rows[i - 1];
            if (row.period == previous.period) {
                fail_value(row.line, "period", std::to_string(row.period),
                           "is duplicated" + cohort_label(row.cohort, "in") + " (also on line " +
                               std::to_string(previous.line) + "); each period appears once");
            }
            if (row.period != previous.period + 1) {
                fail_value(row.line, "period", std::to_string(row.period),
                           "follows period " + std::to_string(previous.period) + of +
                               ": periods must be consecutive (missing " +
                               std::to_string(previous.period + 1) + ")");
            }
            if (row.active > previous.active) {
                fail_value(row.line, "active", number_text(row.active),
                           "at period " + std::to_string(row.period) + of + " is more than " +
                               number_text(previous.active) + " at period " +
                               std::to_string(previous.period) + " (line " +
                               std::to_string(previous.line) +
                               "); active customers of a cohort cannot increase");
            }
        }
        cohort.active.push_back(row.active);
    }
    return cohort;
}

CohortData CsvReader::read(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
    std::vector<Row> rows;
    std::size_t header_line = 0;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (trimmed(line).empty()) continue;  // blank lines, e.g. at the end of a file
        const std::vector<std::string> fields = split(trimmed(line), number);
        if (header_line == 0) {
            read_header(fields, trimmed(line), number);
            header_line = number;
        } else {
            rows.push_back(read_row(fields, number));
        }
    }
    if (header_line == 0) throw InputError(source_ + ": empty file; " + expected_header);
    if (rows.empty()) fail(header_line, "no data rows after the header");

    // Cohorts in order of first appearance; a cohort's rows need not be adjacent.
    std::vector<std::vector<Row>> groups;
    std::map<std::string, std::size_t> index;
    for (Row& row : rows) {
        const auto [at, inserted] = index.try_emplace(row.cohort, groups.size());
        if (inserted) groups.emplace_back();
        groups[at->second].push_back(std::move(row));
    }
    CohortData data;
    data.source = source_;
    for (std::vector<Row>& group : groups)
        data.cohorts.push_back(assemble(std::move(group)));
    return data;
}

}  // namespace

CohortData parse_cohort_csv(std::string_view text, const std::string& source) {
    return CsvReader(source).read(text);
}

CohortData read_cohort_csv(const std::filesystem::path& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw InputError(path.string() + ": is a directory, not a CSV data file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot read data file: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(path.string() + ": cannot read data file");
    return parse_cohort_csv(text.str(), path.string());
}

}  // namespace cohortsim
