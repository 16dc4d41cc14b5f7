#pragma once
#include <cstddef>
#include <string_view>

namespace faro {

// Levenshtein distance, case-insensitive for ASCII; used to suggest the nearest known name.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace faro
