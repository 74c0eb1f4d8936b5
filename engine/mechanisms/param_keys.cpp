#include "param_keys.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace cohortsim {
namespace {

ParamInfo number_key(ParamType type, std::string key, std::string default_value, std::string unit,
                     double min, double max, std::string meaning) {
    return {.key = std::move(key),
            .type = type,
            .default_value = std::move(default_value),
            .unit = std::move(unit),
            .min = min,
            .max = max,
            .meaning = std::move(meaning)};
}

}  // namespace

ParamInfo real_key(std::string key, std::string default_value, std::string unit, double min,
                   double max, std::string meaning) {
    return number_key(ParamType::real, std::move(key), std::move(default_value), std::move(unit),
                      min, max, std::move(meaning));
}

ParamInfo integer_key(std::string key, std::string default_value, std::string unit, double min,
                      double max, std::string meaning) {
    return number_key(ParamType::integer, std::move(key), std::move(default_value), std::move(unit),
                      min, max, std::move(meaning));
}

ParamInfo string_key(std::string key, std::string default_value, std::string meaning) {
    return {.key = std::move(key),
            .type = ParamType::string,
            .default_value = std::move(default_value),
            .unit = "",
            .min = 0,
            .max = 0,
            .meaning = std::move(meaning)};
}

ParamInfo exclusive(ParamInfo info, bool min_exclusive, bool max_exclusive) {
    info.min_exclusive = min_exclusive;
    info.max_exclusive = max_exclusive;
    return info;
}

std::string format_real(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    std::string text(buffer.data(), result.ptr);
    // TOML needs a '.' or an exponent to read a float back as a float.
    if (text.find_first_of(".eni") == std::string::npos) text += ".0";
    return text;
}

std::vector<ParamInfo> window_keys(const std::string& acts, const std::string& prefix) {
    return {integer_key(prefix + "start_month", "0", "month", 0, 600,
                        "First month of the lever: " + acts +
                            " only from this month on (docs/model.md 11.5; 0 = from the start)."),
            integer_key(prefix + "end_month", "0", "month", 0, 600,
                        "Last month of the lever (0 = to the horizon); at least start_month.")};
}

std::vector<ParamInfo> with_window(std::vector<ParamInfo> keys, const std::string& acts) {
    for (ParamInfo& key : window_keys(acts))
        keys.push_back(std::move(key));
    return keys;
}

int* window_field(LeverWindow& window, std::string_view key) {
    if (key == "start_month") return &window.start_month;
    if (key == "end_month") return &window.end_month;
    return nullptr;
}

ParamInfo cost_key(std::string key, std::string unit, std::string meaning) {
    return real_key(std::move(key), "0.0", std::move(unit), 0, 1e9, std::move(meaning));
}

MetricInfo cost_series(std::string_view table, std::string description) {
    return {"cost_" + std::string(table), "currency/month", std::move(description)};
}

std::string names_text(std::string_view nouns, std::size_t max_items) {
    return std::string(nouns) + " are named " + std::string(item_name_rule.pattern) + ", at most " +
           std::to_string(max_items);
}

}  // namespace cohortsim
