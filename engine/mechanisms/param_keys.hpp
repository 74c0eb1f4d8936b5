#pragma once
// Schema entries in one line each: what every mechanism's spec and the loader's schema are made
// of (cohortsim/params.hpp).

#include <string>

#include "cohortsim/params.hpp"

namespace cohortsim {

// A real or integer key with inclusive bounds, or a string key (no bounds).
ParamInfo real_key(std::string key, std::string default_value, std::string unit, double min,
                   double max, std::string meaning);
ParamInfo integer_key(std::string key, std::string default_value, std::string unit, double min,
                      double max, std::string meaning);
ParamInfo string_key(std::string key, std::string default_value, std::string meaning);

// The same entry with its bounds exclusive where asked ("> 0", "< 1").
ParamInfo exclusive(ParamInfo info, bool min_exclusive, bool max_exclusive);

}  // namespace cohortsim
