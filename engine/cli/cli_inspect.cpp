// `cohortsim check` and `cohortsim params`: look at scenarios without simulating them.

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string_view>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cli_scenarios.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"
#include "cohortsim/lever_reach.hpp"
#include "cohortsim/params.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

namespace {

// Survival and lifetime of a new cohort are summed up to this age.
constexpr int lifetime_cap_months = 600;

// S(t) of a new cohort without onboarding effects: the BdW survival (sBG when c = 1) times
// (1 - u)^t for the unavoidable churn.
double survival(const RetentionParams& retention, int t) {
    if (!retention.enabled) return 1.0;
    return retention_survival(retention.alpha, retention.beta, retention.c, t) *
           std::pow(1.0 - retention.unavoidable_monthly, t);
}

std::string number(const char* format, double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

// What the retention parameters of each segment mean for a new cohort, as TOML comments so that
// `check`'s output stays a valid scenario.
std::string retention_block(const Scenario& scenario) {
    std::string text =
        "# Retention of a new cohort, per segment (onboarding effects ignored; unavoidable churn\n"
        "# included in survival and lifetime as a factor (1 - u)^t):\n";
    for (const SegmentParams& segment : scenario.segments) {
        const RetentionParams& r = segment.retention;
        text += "# segment " + segment.name + ":";
        if (!r.enabled) {
            text += " no [retention]: nobody churns (survival 1, lifetime beyond " +
                    std::to_string(lifetime_cap_months) + " months)\n";
        } else {
            text += " alpha = " + number("%g", r.alpha) + ", beta = " + number("%g", r.beta) +
                    ", c = " + number("%g", r.c) + (r.c == 1.0 ? " (sBG)" : " (BdW)") +
                    ", unavoidable_monthly = " + number("%g", r.unavoidable_monthly) + "\n";
            const double first = r.alpha / (r.alpha + r.beta);
            text += "#   first-month churn E[theta] = alpha/(alpha+beta): " + number("%.4f", first);
            if (r.unavoidable_monthly > 0.0) {
                text += " (with unavoidable: " + number("%.4f", 1.0 - survival(r, 1)) + ")";
            }
            text += "\n#   12-month survival S(12): " + number("%.4f", survival(r, 12)) + "\n";
            double lifetime = 0.0;
            for (int t = 0; t < lifetime_cap_months; ++t)
                lifetime += survival(r, t);
            text += "#   expected lifetime: " + number("%.2f", lifetime) + " months";
            if (survival(r, lifetime_cap_months) > 0.001) {
                text += " (capped at " + std::to_string(lifetime_cap_months) + " months)";
            }
            text += "\n";
        }
        const double arpa =
            segment.mrr_median * std::exp(segment.mrr_sigma * segment.mrr_sigma / 2);
        text += "#   mean starting MRR (ARPA) = median * exp(sigma^2/2): " + number("%.2f", arpa) +
                " (list price)\n";
    }
    return text;
}

std::vector<std::string> components(std::string_view key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = key.find('.', start);
        parts.emplace_back(key.substr(start, dot - start));
        if (dot == std::string_view::npos) return parts;
        start = dot + 1;
    }
}

// `prefix` names `key` or a table above it, component by component ('*' in the key stands for
// any name: "segments.smb" selects segments.*.…). When `partial`, its last component may also be
// the start of one ("retention.al" selects retention.alpha).
bool selects(const std::string& prefix, const std::string& key, bool partial) {
    const auto wanted = components(prefix);
    const auto have = components(key);
    if (wanted.size() > have.size()) return false;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (have[i] == "*" || have[i] == wanted[i]) continue;
        if (partial && i + 1 == wanted.size() && have[i].starts_with(wanted[i])) continue;
        return false;
    }
    return true;
}

std::string top_level_names(bool tables) {
    std::vector<std::string> names;
    for (const ParamInfo& info : parameter_schema()) {
        const auto dot = info.key.find('.');
        if ((dot != std::string::npos) != tables) continue;
        const std::string name = info.key.substr(0, dot);
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    std::string text;
    for (const std::string& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

}  // namespace

int check_command(const Arguments& arguments) {
    std::vector<std::string> files;
    std::vector<std::string> assignments;
    po::options_description options("cohortsim check SCENARIO.toml ... [options]");
    options.add_options()("help,h", "show this help")(
        "set", po::value(&assignments)->composing()->value_name("KEY=VALUE"),
        "override a scenario key, as for run");
    po::options_description hidden;
    hidden.add_options()("scenario", po::value(&files));
    if (!parse_options(arguments, options, hidden, "scenario")) return 0;
    if (files.empty()) throw InputError("check: name at least one SCENARIO.toml");
    const std::vector<std::filesystem::path> paths(files.begin(), files.end());
    for (const Scenario& scenario : load_scenarios(paths, parse_overrides(assignments))) {
        std::cout << "# " << scenario.source << ": valid\n" << scenario.resolved_toml << '\n';
        std::cout << retention_block(scenario);
        // As comments, so that the output stays a valid scenario.
        for (const std::string& note : lever_reach_notes(scenario))
            std::cout << "# note: " << note << '\n';
        std::cout << '\n';
    }
    return 0;
}

int params_command(const Arguments& arguments) {
    std::string prefix;
    po::options_description options(
        "cohortsim params [PREFIX]\n\n"
        "Every scenario key, or those under PREFIX (a table such as save_desk or\n"
        "segments.smb.retention, a key, or the start of one such as retention.al)");
    options.add_options()("help,h", "show this help");
    po::options_description hidden;
    hidden.add_options()("prefix", po::value(&prefix));
    if (!parse_options(arguments, options, hidden, "prefix", 1)) return 0;
    if (prefix.empty()) {
        std::cout << format_parameter_table();
        return 0;
    }
    const auto& schema = parameter_schema();
    std::vector<bool> selected(schema.size(), false);
    bool any = false;
    // Whole names first; only when none matches, the start of a name.
    for (const bool partial : {false, true}) {
        for (std::size_t i = 0; i < schema.size(); ++i) {
            selected[i] = selects(prefix, schema[i].key, partial);
            any = any || selected[i];
        }
        if (any) break;
    }
    if (!any) {
        throw InputError("params: no scenario key starts with '" + prefix +
                         "'; top-level tables: " + top_level_names(true) + "; top-level keys: " +
                         top_level_names(false) + " (cohortsim params lists them all)");
    }
    std::cout << format_parameter_table(selected);
    return 0;
}

}  // namespace cohortsim::cli
