// libFuzzer target: any text given to the calibration CSV reader (`cohortsim fit`) either parses
// into cohorts that keep its promises (each starts at period 0 with a positive size, counts are
// finite, non-negative and never increase) or is refused with cohortsim::InputError. Any other
// exception, a broken promise, a crash or a sanitizer report is a bug.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <typeinfo>

#include "cohortsim/error.hpp"
#include "cohortsim/fit.hpp"

namespace {

[[noreturn]] void bug(const char* what) {
    std::fprintf(stderr, "fuzz_fit_csv: %s\n", what);
    std::abort();  // libFuzzer saves the input as crash-<sha1>
}

void check(const cohortsim::ObservedCohort& cohort) {
    if (cohort.active.empty()) bug("a cohort without period 0");
    double previous = cohort.active.front();
    for (const double active : cohort.active) {
        if (!std::isfinite(active) || active < 0.0) bug("a count that is not finite and >= 0");
        if (active > previous) bug("survivors that increase");
        previous = active;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const cohortsim::CohortData parsed = cohortsim::parse_cohort_csv(text, "cohorts.csv");
        if (parsed.cohorts.empty()) bug("no cohort and no error");
        for (const cohortsim::ObservedCohort& cohort : parsed.cohorts)
            check(cohort);
    } catch (const cohortsim::InputError&) {
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fuzz_fit_csv: parse_cohort_csv threw %s: %s\n", typeid(error).name(),
                     error.what());
        std::abort();
    }
    return 0;
}
