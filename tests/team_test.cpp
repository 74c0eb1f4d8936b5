// The sales team (docs/model.md section 7, seed 002 item 3): hunters, farmers and generalists, the
// farmers' coverage and its targeting, the lead funnel, and the unit economics of section 8.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

RunResults run_kept(const std::vector<Scenario>& scenarios, int threads = 0) {
    RunOptions options;
    options.keep_paths = true;
    options.threads = threads;
    return run_scenarios(scenarios, options);
}

std::size_t months_of(const ScenarioResults& results) {
    return static_cast<std::size_t>(results.horizon_months) + 1;
}

// A metric in replication r at month m (paths kept).
double at(const ScenarioResults& results, const std::string& name, std::size_t r, std::size_t m) {
    return metric_of(results, name).paths[r * months_of(results) + m];
}

// Per replication: the metric summed over months 1..H.
std::vector<double> totals(const ScenarioResults& results, const std::string& name) {
    std::vector<double> out(static_cast<std::size_t>(results.replications), 0.0);
    for (std::size_t r = 0; r < out.size(); ++r)
        for (std::size_t m = 1; m < months_of(results); ++m)
            out[r] += at(results, name, r, m);
    return out;
}

struct MeanSe {
    double mean = 0.0;
    double se = 0.0;
};

MeanSe mean_se(const std::vector<double>& values) {
    const auto n = static_cast<double>(values.size());
    double sum = 0.0;
    for (const double v : values)
        sum += v;
    const double mean = sum / n;
    double squares = 0.0;
    for (const double v : values)
        squares += (v - mean) * (v - mean);
    return {mean, std::sqrt(squares / (n - 1.0) / n)};
}

// Replication by replication b - a: the scenarios share their random numbers (CRN).
MeanSe paired(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> difference(a.size());
    for (std::size_t r = 0; r < a.size(); ++r)
        difference[r] = b[r] - a[r];
    return mean_se(difference);
}

// |difference| beyond k standard errors, in the expected direction, reported.
void check_below(const std::string& what, const MeanSe& difference, double k = 3.0) {
    INFO(what << ": paired difference " << difference.mean << ", standard error " << difference.se
              << ", required below " << -k * difference.se);
    CHECK(difference.mean < -k * difference.se);
}

void check_above(const std::string& what, const MeanSe& difference, double k = 3.0) {
    INFO(what << ": paired difference " << difference.mean << ", standard error " << difference.se
              << ", required above " << k * difference.se);
    CHECK(difference.mean > k * difference.se);
}

// Two per-replication series added replication by replication.
std::vector<double> sum_of(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> sum(a.size());
    for (std::size_t r = 0; r < a.size(); ++r)
        sum[r] = a[r] + b[r];
    return sum;
}

// A company whose churn a farmer can act on: heterogeneous propensity, no onboarding or
// unavoidable churn, lognormal MRR, an upsell ladder and an add-on; a split team of farmers
// only (hunter_share 0), so the customers are the same whatever the headcount.
Scenario farmed_company(std::int64_t customers, int horizon, std::int64_t replications,
                        double farmers, std::int64_t accounts_per_farmer) {
    Scenario scenario = pure_cohort(0.6, 8.0, customers, horizon, replications);
    scenario.segments[0].mrr_sigma = 0.8;
    scenario.upsell = {true, 0.02, {{"pro", 1.5}, {"business", 2.2}}};
    scenario.cross_sell = {{"analytics", 30.0, 0.01, 0.8}};
    scenario.team.enabled = true;
    scenario.team.mode = TeamMode::split;
    scenario.team.reps = farmers;
    scenario.team.hunter_share = 0.0;
    scenario.team.accounts_per_farmer = accounts_per_farmer;
    return scenario;
}

double ramp(int months_since_hire, int ramp_months) {
    return std::min(1.0, static_cast<double>(months_since_hire) / ramp_months);
}

}  // namespace

TEST_SUITE("sales team") {
    TEST_CASE("a team without reps changes nothing; hunters alone leave the initial cohort as is") {
        Scenario none = farmed_company(1500, 18, 12, 0.0, 150);
        none.team.enabled = false;
        none.acquisition.new_per_month = 40;
        none.save_desk = {true, 0.25};
        none.win_back = {true, 4, 0.05, 0.9};
        Scenario empty_team = none;
        empty_team.name = "empty_team";
        empty_team.team.enabled = true;
        empty_team.team.reps = 0.0;
        Scenario hunters = empty_team;
        hunters.name = "hunters";
        hunters.team.reps = 4.0;
        hunters.team.hunter_share = 1.0;
        const RunResults results = run_kept({none, empty_team, hunters});
        const ScenarioResults& base = results.scenarios[0];
        for (const MetricSummary& m : base.metrics) {
            INFO("metric " << m.info.name);
            CHECK(bitwise_equal(metric_of(results.scenarios[1], m.info.name).paths, m.paths));
        }
        // Hunted logos join later cohorts; the initial customers live exactly as without them.
        const CohortMatrix& with_hunters = results.scenarios[2].logo_retention;
        for (std::size_t age = 0; age < base.logo_retention.ages; ++age) {
            CHECK(with_hunters.values[age] == base.logo_retention.values[age]);
            CHECK(results.scenarios[2].revenue_retention.values[age] ==
                  base.revenue_retention.values[age]);
        }
        CHECK(metric_of(results.scenarios[2], "hunted_customers").mean[5] > 1.0);
    }

    TEST_CASE("coverage is min(1, capacity / accounts), capacity ramping with the hiring plan") {
        for (const Targeting targeting :
             {Targeting::largest, Targeting::random, Targeting::at_risk}) {
            Scenario scenario = farmed_company(2000, 14, 6, 4.0, 200);
            scenario.acquisition.new_per_month = 30;
            scenario.team.targeting = targeting;
            scenario.team.ramp_months = 3;
            scenario.team.hiring = {TeamHire{"h2", 6, 0.0, 6.0, 0.0}};
            const ScenarioResults results = run_kept({scenario}).scenarios.front();
            for (std::size_t r = 0; r < 6; ++r) {
                for (int m = 1; m <= 14; ++m) {
                    const double farmers = 4.0 + (m >= 6 ? 6.0 * ramp(m - 6, 3) : 0.0);
                    const double capacity = std::floor(farmers * 200.0);
                    const double accounts = at(results, "active_customers", r, m - 1);
                    INFO(targeting_words[static_cast<std::size_t>(targeting)]
                         << " replication " << r << " month " << m << ": capacity " << capacity
                         << ", accounts " << accounts);
                    CHECK(at(results, "covered_accounts", r, m) == std::min(capacity, accounts));
                    CHECK(at(results, "farmer_coverage", r, m) ==
                          doctest::Approx(std::min(1.0, capacity / accounts)).epsilon(1e-12));
                    CHECK(at(results, "farmer_cost", r, m) ==
                          10000.0 * (4.0 + (m >= 6 ? 6.0 : 0.0)));
                    CHECK(at(results, "hunter_cost", r, m) == 0.0);
                }
            }
        }
    }

    TEST_CASE("full coverage multiplies each reason's hazard: sBG survival and reason shares") {
        // Every account covered from month 1, no saves: a customer's hazard is
        // lambda x sum_r share_r m_r, so survival is B(alpha, beta + f t) / B(alpha, beta) with
        // f = sum_r share_r m_r, and reason r's share of the churn is share_r m_r / f.
        const double alpha = 0.9;
        const double beta = 6.0;
        const std::int64_t customers = 20000;
        const std::int64_t replications = 10;
        Scenario scenario = farmed_company(customers, 18, replications, 1.0, customers);
        scenario.segments[0].retention.alpha = alpha;
        scenario.segments[0].retention.beta = beta;
        scenario.upsell.enabled = false;
        scenario.cross_sell.clear();
        scenario.team.covered_save_rate = 0.0;
        scenario.team.covered_hazard = {0.2, 1.0, 0.5, 1.0, 0.9, 0.3};
        const auto& shares = scenario.segments[0].retention.reason_shares;
        double factor = 0.0;
        for (std::size_t r = 0; r < shares.size(); ++r)
            factor += shares[r] * scenario.team.covered_hazard[r];
        const ScenarioResults results = run_kept({scenario}).scenarios.front();
        const double n = static_cast<double>(customers * replications);
        for (int t = 1; t <= 18; ++t) {
            const double expected = beta_ratio(alpha, beta, factor * t);
            check_within(
                "covered survival at month " + std::to_string(t),
                metric_of(results, "active_customers").mean[t] / static_cast<double>(customers),
                expected, survival_se(expected, n));
        }
        double churned = 0.0;
        for (const ReasonSeries& reason : results.churn_reasons)
            for (const double count : reason.mean)
                churned += count;
        for (std::size_t r = 0; r < shares.size(); ++r) {
            const std::string name = churn_reason_name(baseline_reasons[r]);
            double count = 0.0;
            for (const ReasonSeries& reason : results.churn_reasons)
                if (reason.info.name == name)
                    for (const double c : reason.mean)
                        count += c;
            const double expected = shares[r] * scenario.team.covered_hazard[r] / factor;
            check_within("share of churn for " + name, count / churned, expected,
                         std::sqrt(expected * (1.0 - expected) / (churned * replications)));
        }
    }

    TEST_CASE("more farmers: less churn and more expansion, at every step of headcount") {
        std::vector<Scenario> scenarios;
        for (const double farmers : {0.0, 3.0, 6.0, 12.0}) {
            Scenario scenario = farmed_company(3000, 18, 60, farmers, 150);
            scenario.name = "farmers_" + std::to_string(static_cast<int>(farmers));
            scenarios.push_back(scenario);
        }
        const RunResults results = run_kept(scenarios);
        for (std::size_t k = 1; k < scenarios.size(); ++k) {
            const ScenarioResults& fewer = results.scenarios[k - 1];
            const ScenarioResults& more = results.scenarios[k];
            const std::string step = fewer.name + " -> " + more.name;
            check_below(step + ", churned customers", paired(totals(fewer, "churned_customers"),
                                                             totals(more, "churned_customers")));
            check_above(step + ", upsell + cross-sell MRR",
                        paired(sum_of(totals(fewer, "upsell_mrr"), totals(fewer, "cross_sell_mrr")),
                               sum_of(totals(more, "upsell_mrr"), totals(more, "cross_sell_mrr"))));
        }
    }

    TEST_CASE("generalist hunting = (1 - existing_bias) x effectiveness x the specialist rate") {
        const std::int64_t replications = 400;
        Scenario specialist = pure_cohort(0.9, 8.0, 100, 12, replications);
        specialist.team.enabled = true;
        specialist.team.mode = TeamMode::split;
        specialist.team.reps = 10.0;
        specialist.team.hunter_share = 1.0;
        specialist.team.logos_per_hunter_month = 3.0;
        specialist.team.ramp_months = 4;
        specialist.team.hiring = {TeamHire{"h2", 4, 5.0, 0.0, 0.0}};
        Scenario generalist = specialist;
        generalist.name = "generalist";
        generalist.team.mode = TeamMode::generalist;
        generalist.team.existing_bias = 0.6;
        generalist.team.hunting_effectiveness = 0.7;
        generalist.team.hiring = {TeamHire{"h2", 4, 0.0, 0.0, 5.0}};
        const RunResults results = run_kept({specialist, generalist});
        double specialist_expected = 0.0;
        for (int m = 1; m <= 12; ++m)
            specialist_expected += (10.0 + (m >= 4 ? 5.0 * ramp(m - 4, 4) : 0.0)) * 3.0;
        const double generalist_expected = specialist_expected * (1.0 - 0.6) * 0.7;
        for (const auto& [index, expected] :
             {std::pair{0, specialist_expected}, std::pair{1, generalist_expected}}) {
            const ScenarioResults& run = results.scenarios[index];
            // Poisson: the variance of the total is its mean.
            const double se = std::sqrt(expected / static_cast<double>(replications));
            check_within(run.name + ": hunted logos over 12 months",
                         mean_se(totals(run, "hunted_customers")).mean, expected, se);
        }
    }

    TEST_CASE("the lead funnel: conversions, and hunters' capacity caps the worked leads") {
        Scenario open = pure_cohort(0.9, 8.0, 100, 12, 300);
        open.team.enabled = true;
        open.team.reps = 10.0;
        open.team.hunter_share = 1.0;
        open.team.funnel = {true, 200.0, 0.0, 0.5, 0.5, 0.2, 100.0};
        Scenario capped = open;
        capped.name = "capped";
        capped.team.reps = 1.0;
        capped.team.funnel = {true, 400.0, 0.0, 0.5, 0.5, 0.2, 20.0};
        const RunResults results = run_kept({open, capped});
        const double n = 300.0 * 12.0;
        // Open: thinned Poisson stages; capped: 20 worked SQLs a month (of ~100), won 20 x 0.2.
        const std::pair<const char*, double> open_stages[] = {
            {"leads", 200.0}, {"mqls", 100.0}, {"sqls", 50.0}, {"hunted_customers", 10.0}};
        for (const auto& [name, mean] : open_stages)
            check_within(std::string("open funnel: ") + name + " per month",
                         mean_se(totals(results.scenarios[0], name)).mean / 12.0, mean,
                         std::sqrt(mean / n));
        check_within("capped funnel: hunted per month",
                     mean_se(totals(results.scenarios[1], "hunted_customers")).mean / 12.0, 4.0,
                     std::sqrt(20.0 * 0.2 * 0.8 / n));
    }

    TEST_CASE("CAC, CAC payback, LTV and profit follow their formulas (hand-computed case)") {
        // No churn, every customer at 100/month; 2 hunters and 2 farmers at 10,000 a month,
        // 75% gross margin. A month with h hunted logos: CAC = 20,000 / h, payback =
        // 20,000 / (100 h x 0.75) months (h = 6: 3,333 and 44.4), both undefined (NaN) without
        // hunted logos; LTV undefined (no churn observed: no lifetime, and no cap passed off as
        // one), so LTV:CAC too; operating profit = 0.75 x MRR at the month's start - 40,000.
        Scenario scenario;
        scenario.name = "hand";
        scenario.simulation = {6, 20, 99};
        scenario.acquisition.initial_customers = 100;
        scenario.segments.push_back(SegmentParams{});
        scenario.team.enabled = true;
        scenario.team.reps = 4.0;
        scenario.team.hunter_share = 0.5;
        scenario.team.cost_per_rep_month = 10000.0;
        scenario.finance.gross_margin = 0.75;
        scenario.team.logos_per_hunter_month = 3.0;
        const ScenarioResults results = run_kept({scenario}).scenarios.front();
        constexpr double undefined = undefined_number;
        const auto expect = [&](const char* name, std::size_t r, std::size_t m, double expected) {
            INFO(name);
            const double value = at(results, name, r, m);
            if (std::isnan(expected))
                CHECK(std::isnan(value));
            else
                CHECK(value == doctest::Approx(expected));
        };
        for (std::size_t r = 0; r < 20; ++r) {
            double cumulative = 0.0;
            double hunted_so_far = 0.0;
            for (std::size_t m = 1; m <= 6; ++m) {
                INFO("replication " << r << " month " << m);
                const double hunted = at(results, "hunted_customers", r, m);
                hunted_so_far += hunted;
                const double cost_so_far = 20000.0 * static_cast<double>(m);
                expect("cac_12m", r, m,
                       hunted_so_far > 0.0 ? cost_so_far / hunted_so_far : undefined);
                expect(
                    "cac_payback_months_12m", r, m,
                    hunted_so_far > 0.0 ? cost_so_far / (100.0 * hunted_so_far * 0.75) : undefined);
                const double cac = hunted > 0.0 ? 20000.0 / hunted : undefined;
                const double profit =
                    0.75 * 100.0 * at(results, "active_customers", r, m - 1) - 40000.0;
                cumulative += profit;
                CHECK(at(results, "sales_cost", r, m) == 40000.0);
                CHECK(at(results, "hunted_mrr", r, m) == doctest::Approx(100.0 * hunted));
                expect("cac", r, m, cac);
                expect("cac_payback_months", r, m,
                       hunted > 0.0 ? 20000.0 / (100.0 * hunted * 0.75) : undefined);
                expect("ltv", r, m, undefined);
                expect("ltv_to_cac", r, m, undefined);
                CHECK(at(results, "operating_profit", r, m) == doctest::Approx(profit));
                CHECK(at(results, "cumulative_operating_profit", r, m) ==
                      doctest::Approx(cumulative));
            }
        }
    }

    TEST_CASE("at-risk targeting beats random coverage, less so as the health signal blurs") {
        std::vector<Scenario> scenarios;
        Scenario random = farmed_company(4000, 12, 80, 4.0, 200);  // covers 20% of accounts
        random.segments[0].retention.alpha = 0.5;
        random.segments[0].retention.beta = 6.0;
        random.upsell.enabled = false;
        random.cross_sell.clear();
        random.team.covered_hazard.fill(0.5);
        random.team.targeting = Targeting::random;
        scenarios.push_back(random);
        for (const double noise : {0.0, 1.0, 3.0}) {
            Scenario at_risk = random;
            at_risk.name = "noise_" + std::to_string(static_cast<int>(noise));
            at_risk.team.targeting = Targeting::at_risk;
            at_risk.team.signal_noise = noise;
            scenarios.push_back(at_risk);
        }
        const RunResults results = run_kept(scenarios);
        const std::vector<double> random_churn = totals(results.scenarios[0], "churned_customers");
        check_below("perfect signal vs random, churned customers",
                    paired(random_churn, totals(results.scenarios[1], "churned_customers")), 4.0);
        for (std::size_t k = 2; k < scenarios.size(); ++k) {
            // The advantage over random shrinks: the noisier signal loses more customers.
            check_above(results.scenarios[k - 1].name + " -> " + results.scenarios[k].name +
                            ", churned customers",
                        paired(totals(results.scenarios[k - 1], "churned_customers"),
                               totals(results.scenarios[k], "churned_customers")));
        }
    }

    TEST_CASE("a team run is bit-identical for 1 and 2 threads") {
        Scenario scenario = farmed_company(1500, 15, 8, 6.0, 100);
        scenario.acquisition.new_per_month = 20;
        scenario.team.hunter_share = 0.5;
        scenario.team.targeting = Targeting::at_risk;
        scenario.team.hiring = {TeamHire{"later", 5, 1.0, 2.0, 0.0}};
        scenario.team.funnel = {true, 100.0, 0.01, 0.3, 0.4, 0.25, 12.0};
        scenario.save_desk = {true, 0.2};
        const ScenarioResults one = run_kept({scenario}, 1).scenarios.front();
        const ScenarioResults two = run_kept({scenario}, 2).scenarios.front();
        for (const MetricSummary& m : one.metrics) {
            INFO("metric " << m.info.name);
            CHECK(bitwise_equal(metric_of(two, m.info.name).paths, m.paths));
        }
    }
}
