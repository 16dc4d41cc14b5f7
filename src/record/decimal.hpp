#pragma once
// Money and ratios as exact decimals: millionths in an int64 ("412.50" → 412500000), the way ad
// platforms report them. Never double for money.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro::record {

// "412.50", "-3", "0.000001", "+7." are accepted: an optional sign, digits, an optional '.' and
// at most 6 fraction digits. Anything else (exponents, commas, more digits than fit) is an error
// that quotes the text.
absl::StatusOr<int64_t> ParseDecimalMicros(std::string_view text);

// `micros` written with exactly `decimals` fraction digits (0–6), rounded half away from zero:
// FormatMicros(412500000, 2) == "412.50".
std::string FormatMicros(int64_t micros, int decimals);

// numerator / denominator rounded half away from zero; denominator must not be 0.
__int128 DivRound(__int128 numerator, __int128 denominator);

}  // namespace faro::record
