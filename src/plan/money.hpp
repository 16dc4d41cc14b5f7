#pragma once
// Amounts of money as decimals, never doubles: "412.50" ⇄ 412500000 micros (millionths of the
// currency unit), so sums of spend are exact.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro::plan {

// "412.5", "412.50", "-3", "0.000001"; at most 6 decimals.
absl::StatusOr<int64_t> ParseMicros(std::string_view text);
// At least two decimals, more only when needed: 412500000 → "412.50", 1 → "0.000001".
std::string MicrosText(int64_t micros);

}  // namespace faro::plan
