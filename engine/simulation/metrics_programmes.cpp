// Each retention programme's own series (docs/model.md 11.6): what it cost and how many accounts
// it covered, month by month, named after the programme. Their sums over the programmes are
// cost_interventions and covered_by_interventions.

#include "metrics.hpp"

namespace cohortsim {

std::vector<MetricDefinition> programme_metrics(const Scenario& scenario) {
    std::vector<MetricDefinition> metrics;
    for (std::size_t k = 0; k < scenario.interventions.size(); ++k) {
        const std::string& name = scenario.interventions[k].name;
        metrics.push_back({{"cost_" + name, "currency/month",
                            "what the retention programme '" + name +
                                "' cost in the month: covered accounts x cost_per_account_month + "
                                "cost_per_month while it runs + new logos x cost_per_new_customer"},
                           [k](const ReplicationRecord& r, std::span<double> out) {
                               std::copy(r.programme_cost[k].begin(), r.programme_cost[k].end(),
                                         out.begin());
                           }});
        metrics.push_back(
            {{"covered_" + name, "account-months",
              "accounts the retention programme '" + name +
                  "' covered in the month (active at its start)"},
             [k](const ReplicationRecord& r, std::span<double> out) {
                 std::transform(r.programme_covered[k].begin(), r.programme_covered[k].end(),
                                out.begin(), [](std::int64_t n) { return static_cast<double>(n); });
             }});
    }
    return metrics;
}

std::vector<MetricDefinition> metric_definitions(const Scenario& scenario) {
    std::vector<MetricDefinition> metrics = metric_definitions();
    const std::vector<MetricDefinition> programmes = programme_metrics(scenario);
    metrics.insert(metrics.end(), programmes.begin(), programmes.end());
    return metrics;
}

}  // namespace cohortsim
