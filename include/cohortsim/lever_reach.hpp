#pragma once
// Levers that do not reach every customer (docs/model.md 3.1): contract terms and usage pricing
// are offers to prospects, so the initial customers and today's book keep the plans they have
// unless the scenario says otherwise. Silence would let a user believe a lever acts on them.

#include <string>
#include <vector>

#include "cohortsim/scenario.hpp"

namespace cohortsim {

// One sentence per lever that some customers of `scenario` do not get, saying who and how to
// give it to them; empty when every lever reaches everyone it could.
std::vector<std::string> lever_reach_notes(const Scenario& scenario);

}  // namespace cohortsim
