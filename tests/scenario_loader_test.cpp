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

#include <unistd.h>

#include "cohortsim/error.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/scenario_loader.hpp"
#include "scenario_schema.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using cohortsim::testing::input_error;
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
    CHECK(a.mean_monthly_churn == b.mean_monthly_churn);
    CHECK(a.polarization == b.polarization);
}

void check_same(const ContractTerm& a, const ContractTerm& b) {
    CHECK(a.name == b.name);
    CHECK(a.months == b.months);
    CHECK(a.share == b.share);
    CHECK(a.discount == b.discount);
    CHECK(a.acquisition_penalty == b.acquisition_penalty);
}

void check_same(const std::vector<ContractTerm>& a, const std::vector<ContractTerm>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        check_same(a[i], b[i]);
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
    CHECK(a.acquisition.initial_plans == b.acquisition.initial_plans);
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
        check_same(a.segments[i].contract_terms, b.segments[i].contract_terms);
    }
    CHECK(a.save_desk.enabled == b.save_desk.enabled);
    CHECK(a.save_desk.save_rate == b.save_desk.save_rate);
    CHECK(a.win_back.enabled == b.win_back.enabled);
    CHECK(a.win_back.months == b.win_back.months);
    CHECK(a.win_back.monthly_probability == b.win_back.monthly_probability);
    CHECK(a.win_back.mrr_fraction == b.win_back.mrr_fraction);
    CHECK(a.usage_pricing.enabled == b.usage_pricing.enabled);
    CHECK(a.usage_pricing.share == b.usage_pricing.share);
    CHECK(a.usage_pricing.drift_per_month == b.usage_pricing.drift_per_month);
    CHECK(a.usage_pricing.volatility == b.usage_pricing.volatility);
    CHECK(a.upsell.enabled == b.upsell.enabled);
    CHECK(a.upsell.monthly_probability == b.upsell.monthly_probability);
    REQUIRE(a.upsell.tiers.size() == b.upsell.tiers.size());
    for (std::size_t i = 0; i < a.upsell.tiers.size(); ++i) {
        CHECK(a.upsell.tiers[i].name == b.upsell.tiers[i].name);
        CHECK(a.upsell.tiers[i].multiplier == b.upsell.tiers[i].multiplier);
    }
    REQUIRE(a.cross_sell.size() == b.cross_sell.size());
    for (std::size_t i = 0; i < a.cross_sell.size(); ++i) {
        CHECK(a.cross_sell[i].name == b.cross_sell[i].name);
        CHECK(a.cross_sell[i].mrr == b.cross_sell[i].mrr);
        CHECK(a.cross_sell[i].monthly_adoption == b.cross_sell[i].monthly_adoption);
        CHECK(a.cross_sell[i].hazard_multiplier == b.cross_sell[i].hazard_multiplier);
    }
    CHECK(a.contraction.enabled == b.contraction.enabled);
    CHECK(a.contraction.monthly_probability == b.contraction.monthly_probability);
    CHECK(a.contraction.size == b.contraction.size);
}

// A folder of scenario files written by a test, removed with it.
class TempFiles {
  public:
    TempFiles() {
        static int count = 0;
        dir_ = fs::temp_directory_path() / ("cohortsim_loader_test_" + std::to_string(::getpid()) +
                                            "_" + std::to_string(count++));
        fs::create_directories(dir_);
    }
    ~TempFiles() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    TempFiles(const TempFiles&) = delete;
    TempFiles& operator=(const TempFiles&) = delete;

    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path path = dir_ / name;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
        return path;
    }
    fs::path path(const std::string& name) const { return dir_ / name; }

  private:
    fs::path dir_;
};

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
                                   .reason_shares = retention.reason_shares,
                                   .mean_monthly_churn = 0.0,
                                   .polarization = 0.0});
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
        CHECK(s.acquisition.initial_plans == acquisition.initial_plans);
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
            load("[retention]\nalpha = 0.7\nbeta = 3\n[onboarding]\n",
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
        // Without the top-level table, a segment's [retention] must bring both priors.
        CHECK(input_error([] {
                  load("[segments.smb.retention]\nc = 1\n",
                       {parse_override("segments.smb.retention.alpha=1")});
              }).starts_with("test.toml:1: missing key 'segments.smb.retention.beta'"));
    }

    TEST_CASE("scenario: every broken file in bad_scenarios gives its expected message") {
        // Line 1: "# expect: <text in the message>". For an error in a base file (in bases/, which
        // the CLI test does not glob), line 2 is "# located: bases/<file>.toml": the message names
        // that file and its "# <-- error" line, and the broken file itself later on.
        const auto files = toml_files(test_data / "bad_scenarios");
        CHECK(files.size() >= 60);
        const auto read = [](const fs::path& path) {
            std::ifstream in(path);
            return std::string((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        };
        const auto header = [](const std::string& text, std::size_t line, const std::string& key) {
            std::istringstream lines(text);
            std::string found;
            for (std::size_t i = 0; i <= line; ++i)
                std::getline(lines, found);
            return found.starts_with(key) ? found.substr(key.size()) : std::string();
        };
        for (const fs::path& path : files) {
            CAPTURE(path);
            const std::string text = read(path);
            const std::string expected = header(text, 0, "# expect: ");
            REQUIRE_FALSE(expected.empty());
            const std::string located = header(text, 1, "# located: ");
            const fs::path at =
                located.empty() ? path : (path.parent_path() / located).lexically_normal();
            const std::string message = input_error([&] { load_scenario_file(path); });
            CAPTURE(message);
            CHECK(message.starts_with(at.string() + ":"));
            CHECK(message.find(expected) != std::string::npos);
            CHECK(message.find(path.filename().string()) != std::string::npos);
            if (const int line = marked_line(read(at)); line > 0)
                CHECK(message.starts_with(at.string() + ":" + std::to_string(line) + ":"));
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
            CHECK((table.find(info.key + " ") != std::string::npos ||
                   table.find(info.key + "\n") != std::string::npos));
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

    TEST_CASE("mechanisms: absent tables leave every mechanism off and one monthly term") {
        const Scenario s = load(
            "[acquisition]\ninitial_customers = 10\n[retention]\nalpha = 1\n"
            "beta = 4\n[segments.a]\nshare = 0.5\n[segments.b]\nshare = 0.5\n");
        CHECK_FALSE(s.save_desk.enabled);
        CHECK_FALSE(s.win_back.enabled);
        CHECK_FALSE(s.usage_pricing.enabled);
        CHECK_FALSE(s.upsell.enabled);
        CHECK(s.upsell.tiers.empty());
        CHECK(s.cross_sell.empty());
        CHECK_FALSE(s.contraction.enabled);
        for (const SegmentParams& segment : s.segments)
            check_same(segment.contract_terms, {ContractTerm{}});
        for (const char* table : {"contract", "save_desk", "win_back", "usage_pricing", "upsell",
                                  "cross_sell", "contraction", "extends"}) {
            CAPTURE(table);
            CHECK(s.resolved_toml.find(table) == std::string::npos);
        }
    }

    TEST_CASE("mechanisms: schema defaults equal the struct defaults") {
        const Scenario s = load_scenario_file(test_data / "good_scenarios/mechanism_defaults.toml");
        CHECK(s.save_desk.enabled);
        CHECK(s.save_desk.save_rate == SaveDeskParams{}.save_rate);
        const WinBackParams win_back;
        CHECK(s.win_back.enabled);
        CHECK(s.win_back.months == win_back.months);
        CHECK(s.win_back.monthly_probability == win_back.monthly_probability);
        CHECK(s.win_back.mrr_fraction == win_back.mrr_fraction);
        const UsagePricingParams usage;
        CHECK(s.usage_pricing.enabled);
        CHECK(s.usage_pricing.share == usage.share);
        CHECK(s.usage_pricing.drift_per_month == usage.drift_per_month);
        CHECK(s.usage_pricing.volatility == usage.volatility);
        CHECK(s.upsell.enabled);
        CHECK(s.upsell.monthly_probability == UpsellParams{}.monthly_probability);
        REQUIRE(s.upsell.tiers.size() == 1);
        CHECK(s.upsell.tiers[0].name == "pro");
        CHECK(s.upsell.tiers[0].multiplier == 2.0);
        const CrossSellProduct product;
        REQUIRE(s.cross_sell.size() == 1);
        CHECK(s.cross_sell[0].name == "addon");
        CHECK(s.cross_sell[0].mrr == product.mrr);
        CHECK(s.cross_sell[0].monthly_adoption == product.monthly_adoption);
        CHECK(s.cross_sell[0].hazard_multiplier == product.hazard_multiplier);
        const ContractionParams contraction;
        CHECK(s.contraction.enabled);
        CHECK(s.contraction.monthly_probability == contraction.monthly_probability);
        CHECK(s.contraction.size == contraction.size);
        // One term: its share is 1 without saying so; the other keys take the struct's defaults.
        REQUIRE(s.segments.size() == 1);
        ContractTerm annual;
        annual.name = "annual";
        annual.months = 12;
        check_same(s.segments[0].contract_terms, {annual});
    }

    TEST_CASE("mechanisms: every key of every new table is read") {
        const Scenario s = load_scenario_file(test_data / "good_scenarios/revenue_mechanisms.toml");
        CHECK(s.save_desk.save_rate == 0.4);
        CHECK(s.win_back.months == 9);
        CHECK(s.win_back.monthly_probability == 0.05);
        CHECK(s.win_back.mrr_fraction == 0.8);
        CHECK(s.usage_pricing.share == 0.3);
        CHECK(s.usage_pricing.drift_per_month == -0.01);
        CHECK(s.usage_pricing.volatility == 0.12);
        CHECK(s.upsell.monthly_probability == 0.02);
        // Tiers are climbed by price: sorted by multiplier, not file order.
        REQUIRE(s.upsell.tiers.size() == 2);
        CHECK(s.upsell.tiers[0].name == "pro");
        CHECK(s.upsell.tiers[0].multiplier == 2.5);
        CHECK(s.upsell.tiers[1].name == "enterprise");
        CHECK(s.upsell.tiers[1].multiplier == 6.0);
        // Products keep file order.
        REQUIRE(s.cross_sell.size() == 2);
        CHECK(s.cross_sell[0].name == "analytics");
        CHECK(s.cross_sell[0].mrr == 35.5);
        CHECK(s.cross_sell[0].monthly_adoption == 0.02);
        CHECK(s.cross_sell[0].hazard_multiplier == 0.7);
        CHECK(s.cross_sell[1].name == "backup");
        CHECK(s.cross_sell[1].hazard_multiplier == 1.1);
        CHECK(s.contraction.monthly_probability == 0.015);
        CHECK(s.contraction.size == 0.25);

        // [contract.terms] in file order for every segment, except where a segment has its own.
        REQUIRE(s.segments.size() == 2);
        const auto& smb = s.segments[0].contract_terms;
        REQUIRE(smb.size() == 3);
        CHECK(smb[0].name == "monthly");
        CHECK(smb[1].name == "annual");
        CHECK(smb[1].months == 12);
        CHECK(smb[1].share == 0.3);
        CHECK(smb[1].discount == 0.15);
        CHECK(smb[1].acquisition_penalty == 0.1);
        CHECK(smb[2].name == "triennial");
        CHECK(smb[2].months == 36);
        const auto& ent = s.segments[1].contract_terms;
        REQUIRE(ent.size() == 2);
        CHECK(ent[0].name == "biennial");
        CHECK(ent[0].months == 24);
        CHECK(ent[0].share == 0.6);
        CHECK(ent[0].discount == 0.2);
        CHECK(ent[0].acquisition_penalty == 0.0);  // the schema default, not the scenario's term
        CHECK(ent[1].name == "annual");
        CHECK(ent[1].discount == 0.0);
    }

    TEST_CASE("mechanisms: contract terms in resolved_toml only when not one monthly term") {
        // Same mix everywhere: one scenario-wide table.
        const Scenario shared = load(
            "[contract.terms.annual]\nmonths = 12\n[segments.a]\nshare = 0.5\n"
            "[segments.b]\nshare = 0.5\n");
        CHECK(shared.resolved_toml.find("[contract.terms.annual]") != std::string::npos);
        CHECK(shared.resolved_toml.find("segments.a.contract") == std::string::npos);
        // Only one segment differs from a monthly term: only it gets a table.
        const Scenario own =
            load_scenario_file(test_data / "good_scenarios/segment_terms_only.toml");
        check_same(own.segments[0].contract_terms, {ContractTerm{}});
        REQUIRE(own.segments[1].contract_terms.size() == 1);
        CHECK(own.segments[1].contract_terms[0].months == 12);
        CHECK(own.resolved_toml.find("[segments.ent.contract.terms.annual]") != std::string::npos);
        CHECK(own.resolved_toml.find("[contract.terms") == std::string::npos);
        CHECK(own.resolved_toml.find("segments.smb.contract") == std::string::npos);
        // A monthly term written out is the default: nothing to write.
        CHECK(load("[contract.terms.monthly]\nmonths = 1\n").resolved_toml.find("contract") ==
              std::string::npos);
    }

    TEST_CASE("mechanisms: --set reaches named items and can create them") {
        const Scenario s =
            load_scenario_file(test_data / "good_scenarios/revenue_mechanisms.toml",
                               {parse_override("contract.terms.annual.discount=0.2"),
                                parse_override("segments.ent.contract.terms.biennial.months=36"),
                                parse_override("upsell.tiers.pro.multiplier=7"),
                                parse_override("cross_sell.products.support.mrr=5")});
        CHECK(s.segments[0].contract_terms[1].discount == 0.2);
        CHECK(s.segments[1].contract_terms[0].months == 36);
        // Re-sorted: pro now costs more than enterprise.
        CHECK(s.upsell.tiers.back().name == "pro");
        // An item made by --set only comes after the file's.
        REQUIRE(s.cross_sell.size() == 3);
        CHECK(s.cross_sell[2].name == "support");
        CHECK(s.cross_sell[2].mrr == 5.0);
        CHECK(input_error([] {
                  load("[contract.terms.monthly]\n",
                       {parse_override("contract.terms.annual.months=5")});
              }).starts_with("--set contract.terms.annual.months=5: not an allowed value"));
        CHECK(input_error([] {
                  load("[upsell.tiers.pro]\nmultiplier = 2\n",
                       {parse_override("upsell.tiers.Pro.multiplier=3")});
              }).starts_with("--set upsell.tiers.Pro.multiplier=3: tier name 'Pro' is not valid"));
        CHECK(input_error([] { load("[win_back]\n", {parse_override("win_back.monthz=2")}); }) ==
              "--set win_back.monthz=2: unknown key 'win_back.monthz'; did you mean "
              "'win_back.months'?");
        CHECK(input_error([] {
                  load("", {parse_override("extends=base.toml")});
              }).starts_with("--set extends=base.toml: 'extends' cannot be set with --set"));
    }

    TEST_CASE("schema: '*' matches a name wherever the schema has one") {
        CHECK(pattern_of("segments.smb.contract.terms.annual.months") ==
              "segments.*.contract.terms.*.months");
        CHECK(pattern_of("upsell.tiers.pro.multiplier") == "upsell.tiers.*.multiplier");
        CHECK(pattern_of("upsell.monthly_probability") == "upsell.monthly_probability");
        CHECK(pattern_of("cross_sell.products.x") == "cross_sell.products.*");
        CHECK(pattern_of("segments") == "segments");
        // Every '*' in the schema belongs to a named table the loader knows (nouns, limits).
        for (const ParamInfo& info : parameter_schema()) {
            CAPTURE(info.key);
            for (auto star = info.key.find(".*"); star != std::string::npos;
                 star = info.key.find(".*", star + 1))
                CHECK(find_named_table(info.key.substr(0, star)) != nullptr);
            CHECK_NOTHROW(pattern_of(info.key));
        }
        const std::string table = format_parameter_table();
        CHECK(table.find("{1,3,6,12,24,36}") != std::string::npos);
        CHECK(table.find("upsell.tiers.*.multiplier") != std::string::npos);
        CHECK(table.find("currency/month") != std::string::npos);
    }

    TEST_CASE("extends: tables merge key by key, the including file winning") {
        const Scenario s = load_scenario_file(test_data / "good_scenarios/extends_child.toml");
        // Not inherited: the name comes from this file's stem, the description is empty.
        CHECK(s.name == "extends_child");
        CHECK(s.description.empty());
        CHECK(s.acquisition.initial_customers == 1000);  // base
        CHECK(s.acquisition.new_per_month == 30.0);      // this file
        // Two levels down: bases/shared.toml through bases/company.toml.
        CHECK(s.save_desk.enabled);
        CHECK(s.save_desk.save_rate == 0.3);
        REQUIRE(s.segments.size() == 2);
        CHECK(s.segments[0].name == "smb");  // the base's order
        CHECK(s.segments[0].retention.alpha == 0.9);
        CHECK(s.segments[0].retention.beta == 5.0);
        CHECK(s.segments[1].retention.beta == 8.0);
        REQUIRE(s.segments[1].contract_terms.size() == 2);
        CHECK(s.segments[1].contract_terms[1].discount == 0.1);
        // A list of named items is one value: this file's tiers replace the base's.
        CHECK(s.upsell.monthly_probability == 0.03);
        REQUIRE(s.upsell.tiers.size() == 1);
        CHECK(s.upsell.tiers[0].name == "premium");
        CHECK(s.resolved_toml.find("extends =") == std::string::npos);
    }

    TEST_CASE("extends: replacement, order, chains and --set") {
        const TempFiles files;
        files.write("base.toml",
                    "name = \"base\"\n[acquisition]\ninitial_customers = 5\n"
                    "[contract.terms.monthly]\nshare = 0.5\n"
                    "[contract.terms.annual]\nmonths = 12\nshare = 0.5\n"
                    "[cross_sell.products.a]\nmrr = 1\n[cross_sell.products.b]\nmrr = 2\n"
                    "[segments.x]\nshare = 0.5\n[segments.y]\nshare = 0.5\n");
        files.write("sub/middle.toml",
                    "extends = \"../base.toml\"\n[segments.x.contract.terms.long]\nmonths = 36\n");
        const fs::path top = files.write("top.toml",
                                         "extends = \"sub/middle.toml\"\n"
                                         "[contract.terms.biennial]\nmonths = 24\n"
                                         "[cross_sell.products.c]\nmrr = 3\n"
                                         "[segments.z]\nshare = 0.0\n");
        const Scenario s = load_scenario_file(top, {parse_override("segments.z.mrr_median=7")});
        CHECK(s.name == "top");
        CHECK(s.acquisition.initial_customers == 5);
        // Replaced whole: one term, one product.
        REQUIRE(s.cross_sell.size() == 1);
        CHECK(s.cross_sell[0].name == "c");
        REQUIRE(s.segments.size() == 3);
        CHECK(s.segments[0].name == "x");
        CHECK(s.segments[1].name == "y");
        CHECK(s.segments[2].name == "z");  // the including file's after the base's
        CHECK(s.segments[2].mrr_median == 7.0);
        REQUIRE(s.segments[0].contract_terms.size() == 1);
        CHECK(s.segments[0].contract_terms[0].name == "long");  // the middle file's own mix
        REQUIRE(s.segments[1].contract_terms.size() == 1);
        CHECK(s.segments[1].contract_terms[0].name == "biennial");
        CHECK(s.segments[1].contract_terms[0].share == 1.0);

        // The resolved scenario stands alone.
        const Scenario again = load_scenario_text(s.resolved_toml, "resolved.toml", "top");
        check_same(s, again);
        CHECK(again.resolved_toml == s.resolved_toml);

        // load_scenario_text resolves extends relative to the source's folder too.
        const Scenario text = load_scenario_text("extends = \"base.toml\"\n",
                                                 files.path("inline.toml").string(), "inline");
        CHECK(text.name == "inline");
        CHECK(text.cross_sell.size() == 2);
    }

    TEST_CASE("extends: errors name the file they are in") {
        const TempFiles files;
        const std::string dir = files.path("").string();
        files.write("base.toml", "# base\n\n[retention]\nalpha = 0.5\nbeta = -2\n");
        files.write("middle.toml", "extends = \"base.toml\"\n");
        const fs::path top = files.write("top.toml", "extends = \"middle.toml\"\n");
        CHECK(input_error([&] { load_scenario_file(top); }) ==
              files.path("base.toml").string() +
                  ":5: key 'retention.beta' = -2: out of range; allowed: real > 0 and <= 10000 "
                  "(extended by " +
                  files.path("middle.toml").string() + ", extended by " + top.string() + ")");
        // A key from the including file is reported there.
        const fs::path fixed =
            files.write("fixed.toml", "extends = \"middle.toml\"\n[retention]\nbeta = 0\n");
        CHECK(input_error([&] {
                  load_scenario_file(fixed);
              }).starts_with(fixed.string() + ":3: key 'retention.beta' = 0: out of range"));
        // A value from --set is reported against the flag.
        CHECK(input_error([&] {
                  load_scenario_file(top, {parse_override("retention.beta=-3")});
              }).starts_with("--set retention.beta=-3: out of range"));
        // Keys only the merge completes: a base with alpha alone is fine when the file adds beta.
        files.write("alpha_only.toml", "[retention]\nalpha = 0.5\n");
        const fs::path completes =
            files.write("completes.toml", "extends = \"alpha_only.toml\"\n[retention]\nbeta = 3\n");
        CHECK(load_scenario_file(completes).segments[0].retention.beta == 3.0);

        // A missing base: the including file, the line of extends, the path tried.
        const fs::path missing = files.write("missing.toml", "\nextends = \"nowhere/base.toml\"\n");
        CHECK(input_error([&] { load_scenario_file(missing); }) ==
              missing.string() + ":2: key 'extends' = \"nowhere/base.toml\": base file '" +
                  files.path("nowhere/base.toml").string() +
                  "': cannot read scenario file: No such file or directory");

        // Not a device or a pipe, which could block.
        const fs::path device = files.write("device.toml", "extends = \"/dev/zero\"\n");
        CHECK(input_error([&] { load_scenario_file(device); }) ==
              device.string() +
                  ":1: key 'extends' = \"/dev/zero\": base file '/dev/zero': not a regular file");

        // Cycles, of one file or several.
        const fs::path self = files.write("self.toml", "extends = \"self.toml\"\n");
        CHECK(input_error([&] { load_scenario_file(self); }) ==
              self.string() + ":1: key 'extends' = \"self.toml\": extends cycle: " + self.string() +
                  " -> " + self.string());
        files.write("b.toml", "extends = \"c.toml\"\n");
        files.write("c.toml", "# c\nextends = \"b.toml\"\n");
        const fs::path a = files.write("a.toml", "extends = \"b.toml\"\n");
        CHECK(input_error([&] { load_scenario_file(a); }) ==
              files.path("c.toml").string() + ":2: key 'extends' = \"b.toml\": extends cycle: " +
                  a.string() + " -> " + files.path("b.toml").string() + " -> " +
                  files.path("c.toml").string() + " -> " + files.path("b.toml").string());

        // extends is a top-level string, and only there.
        const fs::path nested = files.write("nested.toml", "[simulation]\nextends = \"a.toml\"\n");
        CHECK(input_error([&] { load_scenario_file(nested); }) ==
              nested.string() +
                  ":2: unknown key 'simulation.extends'; allowed here: "
                  "horizon_months, replications, seed");
    }

    TEST_CASE("scenario: --set refuses to create a table whose presence turns a mechanism on") {
        const std::string file = "[acquisition]\ninitial_customers = 10\n";
        CHECK(
            input_error([&] { load(file, {parse_override("team.cost_per_rep_month=7")}); }) ==
            "--set team.cost_per_rep_month=7: the scenario has no [team] table, so this would turn "
            "the sales team on with every other key at its default; add the table to the "
            "scenario file (or set a key of a table the scenario has)");
        const std::pair<const char*, const char*> refused[] = {
            {"retention.alpha=0.7", "[retention]"},
            {"onboarding.months=2", "[onboarding]"},
            {"contract.terms.annual.months=12", "[contract]"},
            {"save_desk.save_rate=0.3", "[save_desk]"},
            {"win_back.months=3", "[win_back]"},
            {"usage_pricing.share=0.5", "[usage_pricing]"},
            {"upsell.monthly_probability=0.02", "[upsell]"},
            {"cross_sell.products.x.mrr=5", "[cross_sell]"},
            {"contraction.size=0.1", "[contraction]"},
            {"team.mode=generalist", "[team]"},
            {"book.accounts=accounts.csv", "[book]"},
            {"segments.smb.retention.beta=3", "[retention] or [segments.smb.retention]"},
        };
        for (const auto& entry : refused) {
            // Named copies, not structured bindings: clang 14 cannot capture those (CAPTURE).
            const auto& flag = entry.first;
            const auto& table = entry.second;
            CAPTURE(flag);
            const std::string message = input_error([&] { load(file, {parse_override(flag)}); });
            CHECK(message.starts_with("--set " + std::string(flag) + ": the scenario has no " +
                                      table + " table, so this would turn "));
        }
        // [team.funnel] turns the funnel on inside an existing team.
        CHECK(input_error(
                  [] { load("[team]\n", {parse_override("team.funnel.leads_per_month=100")}); })
                  .starts_with("--set team.funnel.leads_per_month=100: the scenario has no "
                               "[team.funnel] table, so this would turn the lead funnel on"));
        // Tables whose absence does not mean "off" are still created.
        const Scenario created = load("", {parse_override("acquisition.new_per_month=5"),
                                           parse_override("simulation.horizon_months=12"),
                                           parse_override("segments.smb.mrr_median=50")});
        CHECK(created.acquisition.new_per_month == 5.0);
        CHECK(created.simulation.horizon_months == 12);
        CHECK(created.segments.at(0).name == "smb");
        // Existing tables take any key, and a segment's retention overrides the scenario's.
        const Scenario existing = load("[retention]\nalpha = 1\nbeta = 3\n[team]\n[segments.smb]\n",
                                       {parse_override("team.cost_per_rep_month=7"),
                                        parse_override("segments.smb.retention.beta=9")});
        CHECK(existing.team.enabled);
        CHECK(existing.team.cost_per_rep_month == 7.0);
        CHECK(existing.segments.at(0).retention.beta == 9.0);
        CHECK(existing.segments.at(0).retention.alpha == 1.0);
    }

    TEST_CASE("scenario: acquisition.initial_plans is monthly or like_new, monthly by default") {
        CHECK(load("").acquisition.initial_plans == InitialPlans::monthly);
        CHECK(load("").resolved_toml.find("initial_plans = \"monthly\"") != std::string::npos);
        for (const InitialPlans plans : {InitialPlans::monthly, InitialPlans::like_new}) {
            const std::string word(initial_plans_words[static_cast<std::size_t>(plans)]);
            CAPTURE(word);
            const Scenario s = load("[acquisition]\ninitial_plans = \"" + word + "\"\n");
            CHECK(s.acquisition.initial_plans == plans);
            CHECK(load_scenario_text(s.resolved_toml, "r.toml", "r").acquisition.initial_plans ==
                  plans);
            CHECK(load("", {parse_override("acquisition.initial_plans=" + word)})
                      .acquisition.initial_plans == plans);
        }
        CHECK(input_error([] { load("[acquisition]\ninitial_plans = \"annual\"\n"); }) ==
              "test.toml:2: key 'acquisition.initial_plans' = \"annual\": not an allowed value; "
              "allowed: one of monthly, like_new");
        CHECK(input_error([] { load("[acquisition]\ninitial_plans = 1\n"); }) ==
              "test.toml:2: key 'acquisition.initial_plans' = 1: expected a string; allowed: one "
              "of monthly, like_new");
        CHECK(input_error([] { load("", {parse_override("acquisition.initial_plans=yearly")}); }) ==
              "--set acquisition.initial_plans=yearly: not an allowed value; allowed: one of "
              "monthly, like_new");
        CHECK(format_parameter_table().find("{monthly,like_new}") != std::string::npos);
        CHECK_FALSE(BookEntry{}.usage_priced);
    }
}
