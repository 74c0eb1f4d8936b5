// Scenario loading: defaults, segment semantics, --set overrides, resolved TOML, and one broken
// file per kind of mistake in tests/data/bad_scenarios (each names the message it must produce).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/scenario_loader.hpp"

using namespace cohortsim;
namespace fs = std::filesystem;

namespace {

const fs::path test_data = COHORTSIM_TEST_DATA;

std::vector<fs::path> toml_files(const fs::path& directory) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// The InputError message `action` throws, or "" when it throws nothing.
std::string input_error(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

Scenario load(const std::string& text, const std::vector<Override>& overrides = {}) {
    return load_scenario_text(text, "test.toml", "test", overrides);
}

void check_same(const RetentionParams& a, const RetentionParams& b) {
    CHECK(a.enabled == b.enabled);
    CHECK(a.alpha == b.alpha);
    CHECK(a.beta == b.beta);
    CHECK(a.c == b.c);
    CHECK(a.unavoidable_monthly == b.unavoidable_monthly);
    CHECK(a.reason_shares == b.reason_shares);
}

void check_same(const Scenario& a, const Scenario& b) {
    CHECK(a.name == b.name);
    CHECK(a.description == b.description);
    CHECK(a.simulation.horizon_months == b.simulation.horizon_months);
    CHECK(a.simulation.replications == b.simulation.replications);
    CHECK(a.simulation.seed == b.simulation.seed);
    CHECK(a.acquisition.initial_customers == b.acquisition.initial_customers);
    CHECK(a.acquisition.new_per_month == b.acquisition.new_per_month);
    CHECK(a.acquisition.growth_per_month == b.acquisition.growth_per_month);
    CHECK(a.onboarding.enabled == b.onboarding.enabled);
    CHECK(a.onboarding.months == b.onboarding.months);
    CHECK(a.onboarding.activation_per_month == b.onboarding.activation_per_month);
    CHECK(a.onboarding.stalled_hazard == b.onboarding.stalled_hazard);
    CHECK(a.onboarding.low_adoption_multiplier == b.onboarding.low_adoption_multiplier);
    REQUIRE(a.segments.size() == b.segments.size());
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
        CAPTURE(i);
        CHECK(a.segments[i].name == b.segments[i].name);
        CHECK(a.segments[i].share == b.segments[i].share);
        CHECK(a.segments[i].mrr_median == b.segments[i].mrr_median);
        CHECK(a.segments[i].mrr_sigma == b.segments[i].mrr_sigma);
        check_same(a.segments[i].retention, b.segments[i].retention);
    }
}

// Line of the "# <-- error" marker in a bad scenario, 0 when the error has no line.
int marked_line(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number)
        if (line.find("# <-- error") != std::string::npos) return number;
    return 0;
}

}  // namespace

TEST_SUITE("scenario_loader") {
    TEST_CASE("scenario: initial customers and alpha, beta alone give a pure sBG") {
        const Scenario s = load(
            "[acquisition]\ninitial_customers = 1000\n"
            "[retention]\nalpha = 0.7\nbeta = 3\n");
        CHECK(s.name == "test");
        CHECK(s.source == "test.toml");
        CHECK(s.acquisition.initial_customers == 1000);
        CHECK(s.acquisition.new_per_month == 0.0);
        CHECK_FALSE(s.onboarding.enabled);
        REQUIRE(s.segments.size() == 1);
        const SegmentParams& all = s.segments[0];
        CHECK(all.name == "all");
        CHECK(all.share == 1.0);
        CHECK(all.mrr_median == 100.0);
        CHECK(all.mrr_sigma == 0.0);
        CHECK(all.retention.enabled);
        CHECK(all.retention.alpha == 0.7);
        CHECK(all.retention.beta == 3.0);
        CHECK(all.retention.c == 1.0);
        CHECK(all.retention.unavoidable_monthly == 0.0);
        CHECK(all.retention.reason_shares == std::array{0.30, 0.20, 0.10, 0.15, 0.15, 0.10});
        CHECK(s.simulation.horizon_months == 36);
        CHECK(s.simulation.replications == 200);
        CHECK(s.simulation.seed == 20070101u);
    }

    TEST_CASE("scenario: an absent [retention] means nobody churns") {
        const Scenario s = load("[acquisition]\ninitial_customers = 10\n");
        REQUIRE(s.segments.size() == 1);
        CHECK_FALSE(s.segments[0].retention.enabled);
        CHECK_FALSE(s.onboarding.enabled);
        CHECK(s.resolved_toml.find("retention") == std::string::npos);
        CHECK(s.resolved_toml.find("onboarding") == std::string::npos);
    }

    TEST_CASE("scenario: schema defaults equal the struct defaults") {
        // The loader takes defaults from the schema; code that builds structs directly must agree.
        const Scenario s = load("[onboarding]\n[retention]\nalpha = 1\nbeta = 1\n");
        const RetentionParams retention;
        check_same(s.segments[0].retention,
                   RetentionParams{.enabled = true,
                                   .alpha = 1,
                                   .beta = 1,
                                   .c = retention.c,
                                   .unavoidable_monthly = retention.unavoidable_monthly,
                                   .reason_shares = retention.reason_shares});
        const OnboardingParams onboarding;
        CHECK(s.onboarding.enabled);
        CHECK(s.onboarding.months == onboarding.months);
        CHECK(s.onboarding.activation_per_month == onboarding.activation_per_month);
        CHECK(s.onboarding.stalled_hazard == onboarding.stalled_hazard);
        CHECK(s.onboarding.low_adoption_multiplier == onboarding.low_adoption_multiplier);
        const SimulationParams simulation;
        CHECK(s.simulation.horizon_months == simulation.horizon_months);
        CHECK(s.simulation.replications == simulation.replications);
        CHECK(s.simulation.seed == simulation.seed);
        const AcquisitionParams acquisition;
        CHECK(s.acquisition.initial_customers == acquisition.initial_customers);
        CHECK(s.acquisition.new_per_month == acquisition.new_per_month);
        CHECK(s.acquisition.growth_per_month == acquisition.growth_per_month);
        const SegmentParams segment;
        CHECK(s.segments[0].name == segment.name);
        CHECK(s.segments[0].share == segment.share);
        CHECK(s.segments[0].mrr_median == segment.mrr_median);
        CHECK(s.segments[0].mrr_sigma == segment.mrr_sigma);
    }

    TEST_CASE("scenario: segments inherit [retention] and override it key by key") {
        const Scenario s = load_scenario_file(test_data / "good_scenarios/three_segments.toml");
        REQUIRE(s.segments.size() == 3);
        // File order, not alphabetical.
        CHECK(s.segments[0].name == "smb");
        CHECK(s.segments[1].name == "mid");
        CHECK(s.segments[2].name == "ent");
        CHECK(s.segments[0].share == 0.6);
        CHECK(s.segments[0].mrr_median == 50.0);
        CHECK(s.segments[0].retention.alpha == 0.9);  // inherited
        CHECK(s.segments[0].retention.beta == 4.0);   // overridden
        CHECK(s.segments[1].retention.alpha == 0.9);
        CHECK(s.segments[1].retention.beta == 8.0);
        CHECK(s.segments[2].retention.alpha == 0.5);
        CHECK(s.segments[2].retention.beta == 30.0);
        CHECK(s.segments[2].mrr_sigma == 0.7);
        for (const SegmentParams& segment : s.segments)
            CHECK(segment.retention.enabled);
    }

    TEST_CASE("scenario: a [reasons] table replaces the default split, omitted reasons are 0") {
        const Scenario s = load_scenario_file(test_data / "good_scenarios/every_key.toml");
        REQUIRE(s.segments.size() == 2);
        const SegmentParams& smb = s.segments[0];
        const SegmentParams& enterprise = s.segments[1];
        CHECK(smb.retention.reason_shares == std::array{0.4, 0.0, 0.6, 0.0, 0.0, 0.0});
        CHECK(enterprise.retention.reason_shares ==
              std::array{0.25, 0.25, 0.1, 0.1, 0.2, 0.1});  // the top-level table, inherited
        CHECK(enterprise.retention.alpha == 1.2);
        CHECK(enterprise.retention.beta == 60.0);
        CHECK(enterprise.retention.c == 0.85);
        CHECK(smb.retention.unavoidable_monthly == 0.005);
        CHECK(s.simulation.seed == 9223372036854775807u);
        CHECK(s.description == "Every key set explicitly, with a \"quoted\" word.\nSecond line.");
    }

    TEST_CASE("scenario: segment retention without a top-level table") {
        const Scenario s =
            load_scenario_file(test_data / "good_scenarios/segment_retention_only.toml");
        REQUIRE(s.segments.size() == 2);
        CHECK(s.segments[0].retention.enabled);
        CHECK(s.segments[0].retention.alpha == 1.0);
        CHECK(s.segments[0].retention.beta == 5.0);
        CHECK(s.segments[0].retention.c == 1.0);
        CHECK_FALSE(s.segments[1].retention.enabled);
    }

    TEST_CASE("scenario: resolved_toml loads back to the same scenario") {
        for (const fs::path& path : toml_files(test_data / "good_scenarios")) {
            CAPTURE(path);
            const Scenario first = load_scenario_file(path, {{"simulation.replications", "7"}});
            const Scenario second =
                load_scenario_text(first.resolved_toml, "resolved.toml", "other_name");
            check_same(first, second);
            CHECK(second.resolved_toml == first.resolved_toml);
            CHECK(format_resolved_toml(second) == first.resolved_toml);
        }
    }

    TEST_CASE("scenario: resolved_toml lists every key with its effective value") {
        const Scenario s = load("[retention]\nalpha = 0.7\nbeta = 3\n");
        for (const char* line :
             {"name = \"test\"", "description = \"\"", "horizon_months = 36", "seed = 20070101",
              "initial_customers = 0", "[retention]", "c = 1.0", "unavoidable_monthly = 0.0",
              "[retention.reasons]", "no_roi = 0.3", "[segments.all]", "share = 1.0",
              "mrr_median = 100.0"}) {
            CAPTURE(line);
            CHECK(s.resolved_toml.find(line) != std::string::npos);
        }
        CHECK(s.resolved_toml.find("[onboarding]") == std::string::npos);
    }

    TEST_CASE("scenario: --set overrides apply before validation") {
        const Scenario s =
            load("[retention]\nalpha = 0.7\nbeta = 3\n",
                 {parse_override("retention.alpha=1.5"), parse_override("onboarding.months=2"),
                  parse_override("name=foo"), parse_override("description=two words"),
                  parse_override("segments.smb.retention.beta = 9")});
        CHECK(s.name == "foo");
        CHECK(s.description == "two words");
        CHECK(s.onboarding.enabled);
        CHECK(s.onboarding.months == 2);
        REQUIRE(s.segments.size() == 1);
        CHECK(s.segments[0].name == "smb");
        CHECK(s.segments[0].retention.alpha == 1.5);
        CHECK(s.segments[0].retention.beta == 9.0);
        // A string key takes the text as written, even when it reads as a number.
        CHECK(load("", {parse_override("name=2024")}).name == "2024");
        // The last of repeated overrides wins.
        CHECK(load("", {parse_override("simulation.seed=1"), parse_override("simulation.seed=2")})
                  .simulation.seed == 2u);
    }

    TEST_CASE("scenario: malformed --set flags are rejected naming the flag") {
        for (const char* flag :
             {"retention.alpha", "=3", "", "retention..alpha=1", ".alpha=1", "retention alpha=1"}) {
            CAPTURE(flag);
            const std::string message = input_error([&] { parse_override(flag); });
            CHECK(message.find("--set") != std::string::npos);
            CHECK(message.find("'" + std::string(flag) + "'") != std::string::npos);
        }
        const Override parsed = parse_override("retention.alpha=0.7");
        CHECK(parsed.key == "retention.alpha");
        CHECK(parsed.value == "0.7");
    }

    TEST_CASE("scenario: bad --set values are reported against the flag") {
        const std::string file = "[retention]\nalpha = 0.7\nbeta = 3\n";
        const auto message = [&](const char* flag) {
            return input_error([&] { load(file, {parse_override(flag)}); });
        };
        CHECK(message("retention.alpha=-1") ==
              "--set retention.alpha=-1: out of range; allowed: real > 0 and <= 10000");
        CHECK(message("retention.alpah=1") ==
              "--set retention.alpah=1: unknown key 'retention.alpah'; did you mean "
              "'retention.alpha'?");
        CHECK(message("retension.alpha=1") ==
              "--set retension.alpha=1: unknown table 'retension'; did you mean 'retention'?");
        CHECK(message("simulation.horizon_months=abc")
                  .starts_with("--set simulation.horizon_months=abc: expected an integer"));
        CHECK(message("retention.alpha.x=1")
                  .starts_with("--set retention.alpha.x=1: key "
                               "'retention.alpha' is not a table"));
        CHECK(message("segments.Big.share=1")
                  .starts_with("--set segments.Big.share=1: segment "
                               "name 'Big' is not valid"));
        // Without the top-level table, a segment override must bring both priors.
        CHECK(input_error([] { load("", {parse_override("segments.smb.retention.alpha=1")}); })
                  .starts_with("--set segments.smb.retention.alpha=1: missing key "
                               "'segments.smb.retention.beta'"));
    }

    TEST_CASE("scenario: every broken file in bad_scenarios gives its expected message") {
        const auto files = toml_files(test_data / "bad_scenarios");
        CHECK(files.size() >= 22);
        for (const fs::path& path : files) {
            CAPTURE(path);
            std::ifstream in(path);
            const std::string text((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
            const std::string header = "# expect: ";
            REQUIRE(text.starts_with(header));
            const std::string expected =
                text.substr(header.size(), text.find('\n') - header.size());
            const std::string message = input_error([&] { load_scenario_file(path); });
            CAPTURE(message);
            CHECK(message.starts_with(path.string() + ":"));
            CHECK(message.find(expected) != std::string::npos);
            if (const int line = marked_line(text); line > 0)
                CHECK(message.starts_with(path.string() + ":" + std::to_string(line) + ":"));
        }
    }

    TEST_CASE("scenario: every file in good_scenarios loads") {
        const auto files = toml_files(test_data / "good_scenarios");
        CHECK(files.size() >= 5);
        for (const fs::path& path : files) {
            CAPTURE(path);
            CHECK_NOTHROW(load_scenario_file(path));
        }
        const Scenario inline_tables =
            load_scenario_file(test_data / "good_scenarios/inline_and_dotted.toml");
        CHECK(inline_tables.name == "inline_and_dotted");
        CHECK(inline_tables.onboarding.enabled);
        REQUIRE(inline_tables.segments.size() == 2);
        CHECK(inline_tables.segments[1].name == "big");
        CHECK(inline_tables.segments[1].retention.reason_shares ==
              std::array{0.5, 0.0, 0.0, 0.0, 0.5, 0.0});
    }

    TEST_CASE("scenario: unreadable files are named in the message") {
        const fs::path missing = test_data / "no_such_scenario.toml";
        CHECK(input_error([&] {
                  load_scenario_file(missing);
              }).starts_with(missing.string() + ": cannot read scenario file"));
        CHECK(input_error([&] {
                  load_scenario_file(test_data);
              }).starts_with(test_data.string() + ": is a directory"));
    }

    TEST_CASE("scenario: the parameter table lists every key within 100 columns") {
        const std::string table = format_parameter_table();
        for (const ParamInfo& info : parameter_schema()) {
            CAPTURE(info.key);
            CHECK(table.find(info.key + " ") != std::string::npos);
            CHECK_FALSE(info.meaning.empty());
        }
        std::istringstream lines(table);
        std::string line;
        while (std::getline(lines, line)) {
            CAPTURE(line);
            CHECK(line.size() <= 100);
        }
        CHECK(table.find("(0, 10000]") != std::string::npos);
        CHECK(table.find("retention.reasons.human_factors") != std::string::npos);
    }
}
