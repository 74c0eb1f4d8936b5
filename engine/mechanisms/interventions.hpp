#pragma once
// Retention programmes as data (docs/model.md 11.6): each [interventions.<name>] is one source of
// coverage, at its own bit of the cover mask (hazard_cover.hpp; the farmers have bit 0), so the
// retention model composes its reason multipliers with whatever else covers an account. Each
// month it runs, it covers the accounts active at the month's start that are in its tenure window
// and in its share (a fixed draw per account), all of them or up to a capacity chosen as the
// farmers choose; it offers its save rate at their renewals; and it costs per covered account,
// per month and per new logo.

#include <cstdint>
#include <string_view>
#include <vector>

#include "cohortsim/params.hpp"
#include "cohortsim/random.hpp"
#include "cohortsim/scenario.hpp"
#include "hazard_cover.hpp"
#include "ledger.hpp"
#include "mechanism.hpp"
#include "population.hpp"
#include "retention.hpp"
#include "targeted_coverage.hpp"

namespace cohortsim {

inline constexpr std::size_t max_interventions = max_hazard_covers - 1;

class Interventions {
  public:
    // The keys below [interventions.<name>], relative to it ("save_rate", "reasons.no_roi").
    static std::vector<ParamInfo> keys();
    static ParamField field(InterventionParams& intervention, std::string_view key);

    // A programme writes the series cost_<name> and covered_<name>: names whose series would be
    // another metric (cost_save_desk, covered_accounts) are not allowed.
    static bool is_reserved_name(std::string_view name);

    // Bit s for segment s of the scenario when `names` has it; every segment when it is empty.
    static std::uint32_t segment_mask(const Scenario& scenario,
                                      const std::vector<std::string>& names);
    // Whether the account of `customer_key` is in a programme's share (a draw of its own, fixed
    // for life).
    static bool in_share(double coverage, Purpose purpose, std::uint64_t customer_key);

    explicit Interventions(const Scenario& scenario);
    bool enabled() const { return !programmes_.empty(); }
    std::size_t count() const { return programmes_.size(); }

    // Their effects on hazards, at bits 1, 2, ... of the cover mask (after the farmers').
    std::vector<HazardCover> covers() const;

    // Gives every active account the bits of the programmes that cover it this month, and books
    // the month's coverage and costs.
    void assign(Population& population, const RetentionModel& retention, int month, Ledger& ledger,
                CoverageScratch& scratch) const;
    // The best save rate of the programmes covering customer i (0: none).
    double save_rate(const Population& population, std::size_t i) const;
    // Customers first.. joined this month (new logos): what the running programmes charge for
    // those in their segments and share.
    void on_new_logos(const Population& population, std::size_t first, int month,
                      Ledger& ledger) const;

  private:
    struct Programme {
        InterventionParams params;
        std::uint8_t bit;
        Purpose purpose;  // of the draw that says whether an account is in its share
        int min_tenure = 0;
        int max_tenure = 1 << 20;
        TargetedCoverage aim;    // with a capacity: how it chooses among the eligible
        std::uint32_t segments;  // bit s: accounts of segment s are eligible
    };
    // Whether account i may be covered this month: in its segments, in the tenure window and in
    // the share.
    bool eligible(const Programme& programme, const Population& population, std::size_t i,
                  int month) const;
    std::vector<Programme> programmes_;
};

// Onboarding programmes (docs/model.md 11.6): the programmes with an activation_multiplier help
// the new logos joining while they run, in their segments and share, to activate; the activation
// month is drawn when a customer joins (Onboarding), at the activation probability times the
// product of the helping programmes' factors.
class ActivationHelp {
  public:
    explicit ActivationHelp(const Scenario& scenario);
    bool any() const { return !helpers_.empty(); }
    std::size_t count() const { return helpers_.size(); }
    // Which of them (a bit each) help new customer i, joining in `month`.
    std::uint8_t helping(const Population& population, std::size_t i, int month) const;
    // The factor of those on the activation probability.
    double factor(std::uint8_t helping) const;

  private:
    struct Helper {
        LeverWindow window;
        std::uint32_t segments;
        double coverage;
        Purpose purpose;
        double multiplier;
    };
    std::vector<Helper> helpers_;
};

}  // namespace cohortsim
