#pragma once
// The sales team of docs/model.md section 7 (seed 002 item 3): headcount month by month from the
// initial reps and the hiring plan, with ramp-up; what the hunters win (directly, or by
// working the lead funnel of seed 003); what the farmers can cover; and what it all costs.
// Hunters' and farmers' costs are kept apart so that CAC counts only the hunters (Bessemer).

#include <cstdint>
#include <vector>

#include "acquisition.hpp"
#include "cohortsim/params.hpp"
#include "cohortsim/scenario.hpp"
#include "contracts.hpp"
#include "coverage_effect.hpp"
#include "ledger.hpp"

namespace cohortsim {

class SalesTeam {
  public:
    // Its keys below [team] (sales_team_keys.cpp).
    static std::vector<ParamInfo> keys();

    SalesTeam(const Scenario& scenario, const Contracts& contracts);

    bool enabled() const { return enabled_; }
    const CoverageEffect& coverage() const { return coverage_; }

    // Accounts the farmers (or the generalists' farming time) can cover in `month` (1..H).
    std::int64_t farmer_capacity(int month) const { return months_[month].farmer_capacity; }

    // Adds the logos the hunters win in `month` to `counts` (one per segment), enters the
    // funnel's stages and the month's costs in the ledger.
    void hunt(int month, std::uint64_t replication_key, std::vector<std::int64_t>& counts,
              Ledger& ledger) const;

    // Poisson mean of the logos hunted in `month` for a segment, without a funnel.
    double expected_hunted(int month, std::size_t segment) const;

  private:
    struct Month {
        double hunter_cost = 0.0;   // currency: paid hunting time
        double farmer_cost = 0.0;   // currency: paid farming time
        double hunting_time = 0.0;  // ramped full-time equivalents spent hunting
        std::int64_t farmer_capacity = 0;
    };
    void hunt_funnel(int month, std::uint64_t replication_key, std::vector<std::int64_t>& counts,
                     Ledger& ledger) const;

    bool enabled_ = false;
    TeamParams team_;
    double hunting_effectiveness_ = 1.0;  // of a specialist; below 1 for generalists
    std::vector<double> segment_shares_;
    // Of the prospects of each segment, who sign a term: (month, segment).
    std::vector<double> signing_rates_;
    double signing_rate(int month, std::size_t segment) const {
        return signing_rates_[static_cast<std::size_t>(month) * segment_shares_.size() + segment];
    }
    std::vector<Month> months_;  // 0..H
    CoverageEffect coverage_;
};

}  // namespace cohortsim
