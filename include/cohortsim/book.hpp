#pragma once
// Today's book from CSV (README "Starting from today's customers"): the customers a forecast
// starts from. Every message names the file, the line, the column, the value and what is
// allowed, so that a user can fix a CRM export by hand.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

enum class BookFormat {
    accounts,  // segment,tenure_months,mrr[,term_months,months_to_renewal,activated,products]
    cohorts,   // segment,tenure_months,customers: counts by age, MRR from the segment
};

// The oldest tenure a book may hold: 50 years of monthly renewals.
inline constexpr int max_book_tenure_months = 600;
// At most as many book customers as initial customers.
inline constexpr std::int64_t max_book_customers = 100'000'000;
// Longest contract term of an existing customer, in months.
inline constexpr int max_book_term_months = 60;

// Parses a book. `segments` and `products` are the scenario's, which the segment and products
// columns name. The segment column may be left out when there is one segment. Throws InputError
// naming `source`, the line, the column and the value on: an empty file, a missing header or
// required column, an unknown or repeated column, a wrong field count, a non-numeric, negative,
// fractional or too large value, an unknown segment or product, months_to_renewal outside
// 1..term_months, an MRR below the add-ons it includes, a (segment, tenure) repeated in a cohorts
// file, too many customers, or no data rows.
std::vector<BookEntry> parse_book_csv(std::string_view text, BookFormat format,
                                      const std::string& source,
                                      const std::vector<SegmentParams>& segments,
                                      const std::vector<CrossSellProduct>& products);

// The same from a file.
std::vector<BookEntry> read_book_csv(const std::filesystem::path& path, BookFormat format,
                                     const std::vector<SegmentParams>& segments,
                                     const std::vector<CrossSellProduct>& products);

}  // namespace cohortsim
