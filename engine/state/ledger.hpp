#pragma once
// The books of one replication: every event a mechanism causes (a customer joins, churns, comes
// back, its MRR moves) is entered here, which keeps the running stocks and the month's flows.
// Entering each event once is what makes the MRR identity of docs/model.md section 8 hold.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cohortsim/churn_reason.hpp"
#include "replication_record.hpp"

namespace cohortsim {

// usage is signed (growth is expansion, decline is contraction), and so is a price change (a
// rise is expansion, a cut contraction); the others have fixed signs. Usage steps, every month for
// most customers, go in bulk (usage_change, usage_month).
enum class MrrMovement { upsell, cross_sell, contraction, price };

class Ledger {
  public:
    Ledger(int horizon, std::size_t mechanism_series, std::size_t programmes = 0)
        : record_(horizon, mechanism_series, programmes),
          active_by_cohort_(record_.months(), 0),
          mrr_by_cohort_(record_.months(), 0.0),
          window_churners_change_(record_.months() + 1, 0) {}

    void join(int cohort, double mrr, int month) {
        add_customer(cohort, mrr);
        if (cohort > 0) {
            ++record_.new_customers[month];
            record_.new_mrr[month] += mrr;
        }
    }
    void churn(int cohort, double mrr, ChurnReason reason, int month) {
        ++record_.churned[month];
        ++record_.churned_by_reason[static_cast<std::size_t>(reason)][month];
        record_.churned_mrr[month] += mrr;
        --active_;
        --active_by_cohort_[cohort];
        mrr_ -= mrr;
        mrr_by_cohort_[cohort] -= mrr;
    }
    void reactivate(int cohort, double mrr, int month) {
        add_customer(cohort, mrr);
        ++record_.reactivated[month];
        record_.reactivation_mrr[month] += mrr;
    }
    // `change` is signed: MRR after minus MRR before.
    void move(MrrMovement movement, int cohort, double change, int month);
    // The month's usage steps in bulk, for the pass that moves most customers every month:
    // each customer's change to its cohort, then the month's totals (rises are expansion,
    // falls contraction, as the SaaS-metrics vendors count them).
    void usage_change(int cohort, double change) { mrr_by_cohort_[cohort] += change; }
    void usage_month(double expansion, double contraction, int month) {
        mrr_ += expansion - contraction;
        record_.expansion_mrr[month] += expansion;
        record_.contraction_mrr[month] += contraction;
    }
    void saved(int month) { ++record_.saved[month]; }
    void cured(int month) { ++record_.cured[month]; }
    void bad_debt(double amount, int month) { record_.bad_debt[month] += amount; }
    void team_costs(double hunters, double farmers, int month) {
        record_.hunter_cost[month] = hunters;
        record_.farmer_cost[month] = farmers;
    }
    // Of the month's new logos (already joined), those the hunters won and their MRR.
    void hunted(std::int64_t customers, double mrr, int month) {
        record_.hunted_customers[month] += customers;
        record_.hunted_mrr[month] += mrr;
    }
    void funnel(std::int64_t leads, std::int64_t mqls, std::int64_t sqls, int month) {
        record_.leads[month] = leads;
        record_.mqls[month] = mqls;
        record_.sqls[month] = sqls;
    }
    void covered(std::int64_t accounts, int month) { record_.covered_accounts[month] = accounts; }
    void finance(double gross_margin, double cost_to_serve, double discount_rate) {
        record_.gross_margin = gross_margin;
        record_.cost_to_serve = cost_to_serve;
        record_.discount_rate = discount_rate;
    }
    // Upfront billing: `amount` invoiced this month; revenue of `month` paid by an invoice (month
    // 0: before the run).
    void bill_upfront(double amount, int month) { record_.upfront_billings[month] += amount; }
    void prepay(double mrr, int month) { record_.prepaid_revenue[month] += mrr; }
    void prepaid_before_run(double amount) { record_.opening_deferred_revenue += amount; }
    // The retention programmes covered `covered` accounts and cost `cost` this month...
    void interventions(double cost, std::int64_t covered, int month) {
        record_.intervention_cost[month] += cost;
        record_.intervention_covered[month] += covered;
    }
    // ...of which programme k these.
    void programme(std::size_t k, double cost, std::int64_t covered, int month) {
        record_.programme_cost[k][static_cast<std::size_t>(month)] += cost;
        record_.programme_covered[k][static_cast<std::size_t>(month)] += covered;
    }
    void count_mechanism_series(std::size_t series, int month, double amount) {
        record_.mechanism_series[series][static_cast<std::size_t>(month)] += amount;
    }
    void count_renewal_decisions(std::int64_t customers) { record_.customer_months += customers; }

    // End-of-month stocks; the NRR/GRR numerators are entered by whoever can compute them.
    void close_month(int month);
    void retention_12m(int month, double retained, double capped) {
        record_.retained_mrr_12m[month] = retained;
        record_.capped_mrr_12m[month] = capped;
    }

    std::int64_t active() const { return active_; }
    const ReplicationRecord& record() const { return record_; }
    ReplicationRecord take_record() { return std::move(record_); }

    // The trailing-12-month logo churn counts, of the customers active at a window's start, those
    // who churned at least once inside it (docs/model.md 8). Without win-backs nobody comes back,
    // so that is who is gone by the window's end, which the cohort stocks tell; with them the
    // ledger must be told, at every churn, since when the customer had been one without a break
    // (it joined, or came back): call counts_returns() first, then count_window_churn().
    void counts_returns() { counts_returns_ = true; }

    // A customer who churns in month k, a customer since month a, was active at the end of every
    // month from a to k - 1, and had not churned since: it is one of the window's churners for
    // each month m >= k whose trailing window starts in [a, k - 1], i.e. max(0, m - 12) in
    // [a, k - 1]: m from max(k, a + 12 if a > 0) to k + 11. Counted as a range (+1 at its first
    // month, -1 after its last), summed as the months close.
    void count_window_churn(int month, int since) {
        if (!counts_returns_) return;  // read from the cohort stocks instead
        const int window = static_cast<int>(trailing_window_months);
        const int first = since > 0 ? std::max(month, since + window) : month;
        const int last = std::min(month + window - 1, record_.horizon);
        if (first > last) return;
        ++window_churners_change_[static_cast<std::size_t>(first)];
        --window_churners_change_[static_cast<std::size_t>(last) + 1];
    }

  private:
    void add_customer(int cohort, double mrr) {
        ++active_;
        ++active_by_cohort_[cohort];
        mrr_ += mrr;
        mrr_by_cohort_[cohort] += mrr;
    }

    ReplicationRecord record_;
    std::vector<std::int64_t> active_by_cohort_;
    std::vector<double> mrr_by_cohort_;
    std::vector<std::int64_t> window_churners_change_;  // see count_in_windows
    std::int64_t window_churners_ = 0;
    bool counts_returns_ = false;
    std::int64_t active_ = 0;
    double mrr_ = 0.0;
};

}  // namespace cohortsim
