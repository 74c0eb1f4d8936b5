#include "csv_text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cohortsim/error.hpp"

namespace cohortsim::csv {

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

std::optional<double> parse_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string number_text(double value) {
    std::ostringstream text;
    text.precision(15);
    text << value;
    return text.str();
}

void fail(const std::string& source, std::size_t line, const std::string& problem) {
    throw InputError(source + ":" + std::to_string(line) + ": " + problem);
}

std::vector<std::string> split_record(std::string_view line, std::size_t number,
                                      const std::string& source) {
    std::vector<std::string> fields;
    std::size_t at = 0;
    while (true) {
        std::string field;
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t'))
            ++at;
        if (at < line.size() && line[at] == '"') {
            ++at;
            while (true) {
                if (at >= line.size()) fail(source, number, "unterminated quoted field");
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
                    fail(
                        source, number,
                        "text after a closing quote in field " + std::to_string(fields.size() + 1));
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

std::string read_data_file(const std::filesystem::path& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw InputError(path.string() + ": is a directory, not a CSV data file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot read data file: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(path.string() + ": cannot read data file");
    return text.str();
}

}  // namespace cohortsim::csv
