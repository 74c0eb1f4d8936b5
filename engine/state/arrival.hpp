#pragma once
// How a customer comes to be one: what each mechanism's draws at joining start from. A new logo
// and an initial customer draw everything from the scenario's priors (an initial one gets the
// offers of new ones only when the scenario says so, docs/model.md 3.1); a customer of today's
// book starts from what the book knows of it (docs/model.md 3.2).

#include <cstddef>
#include <cstdint>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

struct Arrival {
    enum class Kind : std::uint8_t { new_logo, initial, book };
    Kind kind = Kind::new_logo;
    const BookEntry* entry = nullptr;  // book: what is known of the customer
    std::size_t entry_index = 0;       // book: its row
};

}  // namespace cohortsim
