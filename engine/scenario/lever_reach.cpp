#include "cohortsim/lever_reach.hpp"

#include <algorithm>

namespace cohortsim {

namespace {

bool offers_long_terms(const Scenario& scenario) {
    return std::any_of(
        scenario.segments.begin(), scenario.segments.end(), [](const SegmentParams& segment) {
            return std::any_of(
                segment.contract_terms.begin(), segment.contract_terms.end(),
                [](const ContractTerm& term) { return term.months > 1 || term.discount > 0.0; });
        });
}

}  // namespace

std::vector<std::string> lever_reach_notes(const Scenario& scenario) {
    std::vector<std::string> notes;
    const bool long_terms = offers_long_terms(scenario);
    const bool usage = scenario.usage_pricing.enabled;
    const std::int64_t initial = scenario.acquisition.initial_customers;
    if (initial > 0 && scenario.acquisition.initial_plans == InitialPlans::monthly &&
        (long_terms || usage)) {
        const std::string levers = long_terms && usage ? "contract terms and usage pricing"
                                   : long_terms        ? "the contract terms"
                                                       : "usage pricing";
        const char* const verb = long_terms ? " do not" : " does not";
        notes.push_back(levers + verb + " reach the " + std::to_string(initial) +
                        " initial customers, who stay on monthly list-price plans; "
                        "acquisition.initial_plans = \"like_new\" gives them the offers of new "
                        "customers");
    }
    if (scenario.book.enabled()) {
        const std::vector<BookEntry>& book = *scenario.book.entries;
        if (usage && std::none_of(book.begin(), book.end(),
                                  [](const BookEntry& entry) { return entry.usage_priced; })) {
            notes.push_back(
                "usage pricing does not reach today's book: no account has "
                "usage_priced = 1 (an optional column of the [book] accounts CSV)");
        }
        if (long_terms && std::all_of(book.begin(), book.end(), [](const BookEntry& entry) {
                return entry.term_months == 1;
            })) {
            notes.push_back(
                "contract terms do not reach today's book, whose accounts are all on "
                "monthly terms (the term_months column of the [book] accounts CSV "
                "sets each account's term)");
        }
    }
    return notes;
}

}  // namespace cohortsim
