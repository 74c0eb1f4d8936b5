#include "cohortsim/churn_reason.hpp"

namespace cohortsim {

const char* churn_reason_name(ChurnReason reason) {
    switch (reason) {
        case ChurnReason::unavoidable:
            return "unavoidable";
        case ChurnReason::no_roi:
            return "no_roi";
        case ChurnReason::stalled_onboarding:
            return "stalled_onboarding";
        case ChurnReason::sponsor_change:
            return "sponsor_change";
        case ChurnReason::low_adoption:
            return "low_adoption";
        case ChurnReason::product_gap:
            return "product_gap";
        case ChurnReason::performance:
            return "performance";
        case ChurnReason::human_factors:
            return "human_factors";
    }
    return "unknown";
}

}  // namespace cohortsim
