// libFuzzer target: any text given to the [book] CSV reader either parses into entries that keep
// its promises (known segment and products, tenure and term in range, first renewal within the
// term, at least one customer) or is refused with cohortsim::InputError. The first byte picks the
// format (even: accounts, odd: cohorts). Any other exception, a broken promise, a crash or a
// sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "cohortsim/book.hpp"
#include "cohortsim/error.hpp"

namespace {

std::vector<cohortsim::SegmentParams> segments() {
    std::vector<cohortsim::SegmentParams> result(2);
    result[0].name = "smb";
    result[1].name = "enterprise";
    return result;
}

const std::vector<cohortsim::SegmentParams> book_segments = segments();
const std::vector<cohortsim::CrossSellProduct> book_products = {{"analytics", 40.0, 0.01, 0.8},
                                                                {"api", 10.0, 0.01, 0.9}};

[[noreturn]] void bug(const char* what) {
    std::fprintf(stderr, "fuzz_book_csv: %s\n", what);
    std::abort();  // libFuzzer saves the input as crash-<sha1>
}

void check(const cohortsim::BookEntry& entry) {
    if (entry.segment >= book_segments.size()) bug("segment out of range");
    if (entry.tenure_months < 0 || entry.tenure_months > cohortsim::max_book_tenure_months)
        bug("tenure out of range");
    if (entry.customers < 1 || entry.customers > cohortsim::max_book_customers)
        bug("customers out of range");
    if (entry.term_months < 1 || entry.term_months > cohortsim::max_book_term_months)
        bug("term out of range");
    if (entry.months_to_renewal < 1 || entry.months_to_renewal > entry.term_months)
        bug("months_to_renewal outside 1..term");
    if (entry.products >= 1U << book_products.size()) bug("unknown product bit");
    if (entry.mrr && !(*entry.mrr > 0.0)) bug("MRR not positive");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto format =
        data[0] % 2 == 0 ? cohortsim::BookFormat::accounts : cohortsim::BookFormat::cohorts;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        for (const cohortsim::BookEntry& entry :
             cohortsim::parse_book_csv(text, format, "book.csv", book_segments, book_products))
            check(entry);
    } catch (const cohortsim::InputError&) {
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fuzz_book_csv: parse_book_csv threw %s: %s\n", typeid(error).name(),
                     error.what());
        std::abort();
    }
    return 0;
}
