#pragma once
// CSV data files as spreadsheets and CRMs export them, shared by the readers of `cohortsim fit`
// and of [book]: records split into fields, numbers read strictly, and messages that start with
// "file:line". Internal to the engine.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cohortsim::csv {

// Without surrounding blanks (spaces, tabs, CR, LF).
std::string_view trimmed(std::string_view text);
std::string lowercase(std::string_view text);
// A finite decimal number, the whole field (from_chars alone would accept "nan" and "inf").
std::optional<double> parse_number(std::string_view text);
// Up to 15 significant digits, for messages.
std::string number_text(double value);

// Throws InputError "source:line: problem".
[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& problem);

// One record of a line: comma-separated, fields optionally in double quotes with "" for a
// quote, surrounding blanks ignored. Throws InputError on an unterminated quoted field or text
// after a closing quote.
std::vector<std::string> split_record(std::string_view line, std::size_t number,
                                      const std::string& source);

// Calls visit(fields, line, number) for every line that is not blank, in order, after a UTF-8
// byte-order mark; `line` is the trimmed text, `number` counts from 1.
template <class Visit>
void for_each_record(std::string_view text, const std::string& source, Visit&& visit) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trimmed(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (line.empty()) continue;  // blank lines, e.g. at the end of a file
        visit(split_record(line, number, source), line, number);
    }
}

// A CSV with a header: header(fields, line, number) for its first record, row(fields, number)
// for every other. Returns the header's line number; 0 when the file has no record at all.
template <class Header, class Row>
std::size_t for_each_row(std::string_view text, const std::string& source, Header&& header,
                         Row&& row) {
    std::size_t header_line = 0;
    for_each_record(
        text, source,
        [&](const std::vector<std::string>& fields, std::string_view line, std::size_t number) {
            if (header_line != 0) return row(fields, number);
            header(fields, line, number);
            header_line = number;
        });
    return header_line;
}

// The whole file; throws InputError naming it when it is a directory or cannot be read.
std::string read_data_file(const std::filesystem::path& path);

}  // namespace cohortsim::csv
