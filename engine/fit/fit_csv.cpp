// Observed cohorts from CSV (CONTRACT.md, "Calibration input"): every message names the file,
// the line, the column and the value, so that a user can fix a spreadsheet export by hand.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"
#include "csv_text.hpp"

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

using csv::lowercase;
using csv::number_text;
using csv::parse_number;

class CsvReader {
  public:
    explicit CsvReader(std::string source) : source_(std::move(source)) {}

    CohortData read(std::string_view text);

  private:
    [[noreturn]] void fail(std::size_t line, const std::string& problem) const {
        csv::fail(source_, line, problem);
    }
    [[noreturn]] void fail_value(std::size_t line, std::string_view column, std::string_view value,
                                 const std::string& problem) const {
        fail(line,
             "column '" + std::string(column) + "': value '" + std::string(value) + "' " + problem);
    }

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
    std::vector<Row> rows;
    const std::size_t header_line = csv::for_each_row(
        text, source_,
        [&](const std::vector<std::string>& fields, std::string_view line, std::size_t number) {
            read_header(fields, line, number);
        },
        [&](const std::vector<std::string>& fields, std::size_t number) {
            rows.push_back(read_row(fields, number));
        });
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
    return parse_cohort_csv(csv::read_data_file(path), path.string());
}

}  // namespace cohortsim
