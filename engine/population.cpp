#include "population.hpp"

namespace cohortsim {

void Population::reserve(std::size_t n) {
    budget.reserve(n);
    propensity_hazard.reserve(n);
    mrr.reserve(n);
    cohort.reserve(n);
    segment.reserve(n);
    activation_month.reserve(n);
    key.reserve(n);
}

void Population::clear() {
    budget.clear();
    propensity_hazard.clear();
    mrr.clear();
    cohort.clear();
    segment.clear();
    activation_month.clear();
    key.clear();
    churned_unswept = 0;
}

void Population::sweep_if_worthwhile() {
    if (churned_unswept == 0 || churned_unswept * 2 < size()) return;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size(); ++i) {
        if (is_churned(i)) continue;
        budget[kept] = budget[i];
        propensity_hazard[kept] = propensity_hazard[i];
        mrr[kept] = mrr[i];
        cohort[kept] = cohort[i];
        segment[kept] = segment[i];
        activation_month[kept] = activation_month[i];
        key[kept] = key[i];
        ++kept;
    }
    budget.resize(kept);
    propensity_hazard.resize(kept);
    mrr.resize(kept);
    cohort.resize(kept);
    segment.resize(kept);
    activation_month.resize(kept);
    key.resize(kept);
    churned_unswept = 0;
}

}  // namespace cohortsim
