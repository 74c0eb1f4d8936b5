#include "cohortsim/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

#include "cohortsim/error.hpp"

namespace cohortsim {

namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.push_back(trim(text.substr(start, end - start)));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// A finite number written in full (a leading '+' allowed), else nothing.
std::optional<double> number_of(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

// Twelve significant digits: start + i * step without its binary noise (0.30000000000000004).
std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", value);
    return text;
}

std::vector<std::string> range_values(const SweepAxis& axis, std::string_view range) {
    const std::vector<std::string> parts = split(range, ':');
    const auto fail = [&](const std::string& problem) {
        throw InputError(axis.flag + ": " + problem +
                         "; expected KEY=start:stop:step with numbers, e.g. "
                         "--sweep retention.alpha=0.5:1.5:0.25");
    };
    if (parts.size() != 3) fail("a range has three parts");
    std::optional<double> bounds[3];
    for (std::size_t i = 0; i < 3; ++i) {
        bounds[i] = number_of(parts[i]);
        if (!bounds[i]) fail("'" + parts[i] + "' is not a finite number");
    }
    const double start = *bounds[0];
    const double stop = *bounds[1];
    const double step = *bounds[2];
    if (step == 0.0) fail("the step is 0");
    const double steps = (stop - start) / step;
    const double tolerance = 1e-6;  // of a step: stop counts when this close to a multiple
    if (steps < -tolerance) fail("the step " + parts[2] + " leads away from stop " + parts[1]);
    const double whole_steps = std::floor(steps + tolerance);
    if (whole_steps + 1.0 > static_cast<double>(max_sweep_variants)) {
        throw InputError(axis.flag + ": more than " + std::to_string(max_sweep_variants) +
                         " values; use a larger step");
    }
    const auto count = static_cast<std::size_t>(whole_steps) + 1;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < count; ++i) {
        double value = start + static_cast<double>(i) * step;
        if (std::abs(value) < std::abs(step) * 1e-9) value = 0.0;  // not 1.4e-17
        values.push_back(number_text(value));
    }
    return values;
}

// Keys every scenario of one run must share.
constexpr std::string_view shared_keys[] = {"simulation.horizon_months", "simulation.replications",
                                            "simulation.seed"};

}  // namespace

SweepAxis parse_sweep(std::string_view text) {
    SweepAxis axis;
    axis.flag = "--sweep " + std::string(text);
    // "NAME,NAME:KEY=...": scenario names never hold ':' (a key never does before its '=').
    if (const auto colon = text.find(':');
        colon != std::string_view::npos && colon < text.find('=')) {
        std::string_view names = text.substr(0, colon);
        text = text.substr(colon + 1);
        for (bool more = true; more;) {
            const auto comma = names.find(',');
            more = comma != std::string_view::npos;
            const std::string name = trim(names.substr(0, comma));
            if (name.empty())
                throw InputError(axis.flag +
                                 ": an empty scenario name before ':'; expected "
                                 "NAME[,NAME...]:KEY=VALUES, e.g. --sweep "
                                 "save_desk:save_desk.save_rate=0.1,0.3");
            axis.scenarios.push_back(name);
            if (more) names = names.substr(comma + 1);
        }
    }
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
        throw InputError(axis.flag +
                         ": expected KEY=v1,v2,... or KEY=start:stop:step, e.g. "
                         "--sweep retention.alpha=0.7,0.9");
    }
    // The key's syntax is checked as --set checks it; whether the scenario has it, when loaded.
    try {
        axis.key = parse_override(std::string(text.substr(0, equals)) + "=0").key;
    } catch (const InputError&) {
        throw InputError(axis.flag + ": '" + trim(text.substr(0, equals)) +
                         "' is not a dotted scenario key, e.g. retention.alpha");
    }
    if (axis.key == "name") {
        throw InputError(axis.flag +
                         ": 'name' cannot be swept: a variant is named after its "
                         "values, '<scenario>__<key>=<value>'");
    }
    if (std::find(std::begin(shared_keys), std::end(shared_keys), axis.key) !=
        std::end(shared_keys)) {
        throw InputError(axis.flag + ": '" + axis.key +
                         "' cannot be swept: every scenario of a run shares the horizon, "
                         "replications and seed (to be compared); run each value separately");
    }
    const std::string_view given = text.substr(equals + 1);
    if (given.find(':') != std::string_view::npos && given.find(',') == std::string_view::npos) {
        axis.values = range_values(axis, given);
    } else {
        axis.values = split(given, ',');
    }
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (axis.values[i].empty()) {
            throw InputError(axis.flag + ": value " + std::to_string(i + 1) +
                             " is empty; expected KEY=v1,v2,...");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (axis.values[j] == axis.values[i]) {
                throw InputError(axis.flag + ": value '" + axis.values[i] + "' is given twice");
            }
        }
    }
    if (axis.values.size() > max_sweep_variants) {
        throw InputError(axis.flag + ": " + std::to_string(axis.values.size()) +
                         " values; at most " + std::to_string(max_sweep_variants) +
                         " variants are allowed");
    }
    return axis;
}

std::vector<SweepVariant> sweep_variants(const std::vector<SweepAxis>& axes) {
    std::size_t count = 1;
    for (std::size_t i = 0; i < axes.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (axes[j].key == axes[i].key) {
                throw InputError(axes[i].flag + ": key '" + axes[i].key + "' is also swept by " +
                                 axes[j].flag + "; give each key one --sweep");
            }
        }
        count *= axes[i].values.size();
        if (count > max_sweep_variants) {
            throw InputError(axes[i].flag + ": the --sweep grid has more than " +
                             std::to_string(max_sweep_variants) +
                             " variants; sweep fewer values or keys");
        }
    }
    std::vector<SweepVariant> variants(1);
    for (const SweepAxis& axis : axes) {
        std::vector<SweepVariant> grown;
        grown.reserve(variants.size() * axis.values.size());
        for (const SweepVariant& variant : variants) {
            for (const std::string& value : axis.values) {
                SweepVariant next = variant;
                std::string label = "__" + axis.key + "=" + value;
                std::replace(label.begin(), label.end(), '/', '_');  // '/' would nest groups
                next.suffix += label;
                next.overrides.push_back({axis.key, value});
                next.values.push_back({axis.key, value, number_of(value)});
                grown.push_back(std::move(next));
            }
        }
        variants = std::move(grown);
    }
    return variants;
}

bool SweepAxis::varies(std::string_view scenario) const {
    return scenarios.empty() ||
           std::find(scenarios.begin(), scenarios.end(), scenario) != scenarios.end();
}

std::vector<SweepVariant> sweep_variants_of(const std::vector<SweepAxis>& axes,
                                            std::string_view scenario) {
    std::vector<SweepAxis> varying;
    for (const SweepAxis& axis : axes)
        if (axis.varies(scenario)) varying.push_back(axis);
    return sweep_variants(varying);
}

void check_swept_scenarios(const std::vector<SweepAxis>& axes,
                           const std::vector<std::string>& names) {
    for (const SweepAxis& axis : axes) {
        for (const std::string& scenario : axis.scenarios) {
            if (std::find(names.begin(), names.end(), scenario) != names.end()) continue;
            std::string known;
            for (const std::string& name : names)
                known += (known.empty() ? "" : ", ") + name;
            throw InputError(axis.flag + ": no scenario named '" + scenario +
                             "' in this run; its scenarios: " + known);
        }
    }
}

}  // namespace cohortsim
