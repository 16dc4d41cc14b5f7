#pragma once
// Exact decimals for money and ratios: an int64 of millionths ("micros"), never binary floating
// point, so sums of spend add up to the cent. Ad platforms report spend, CPM and CTR as decimal
// text (Meta sends "123.45" as a JSON string) or as whole millionths (Google's cost_micros);
// plans write budget caps, incident records spend protected. One parser and one set of
// formatters for all of them.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro {

inline constexpr int64_t kMicrosPerUnit = 1'000'000;

// Decimal text to micros: an optional '-', digits, and optionally '.' and more digits ("12",
// "0.5", "-123.450"). Nothing else: no '+', spaces, thousands separators, decimal commas,
// exponents, "NaN", "7." or ".5". Digits beyond the sixth decimal place are rounded to the
// nearest millionth, halves away from zero (Meta writes CTRs like "2.531645569620253").
// `field` names the value in the error: `spend: "12,5" is not a decimal`.
absl::StatusOr<int64_t> ParseDecimalMicros(std::string_view text, std::string_view field);

// The shortest text with at least `min_places` decimal places: (12'345'000, 0) → "12.345",
// (412'500'000, 2) → "412.50", (1, 2) → "0.000001", (-1'500'000, 2) → "-1.50".
std::string FormatDecimal(int64_t micros, int min_places = 0);

// Exactly `places` decimal places (0 to 6), rounded half away from zero:
// (1'005'000, 2) → "1.01", (2'500'000, 0) → "3".
std::string FormatFixed(int64_t micros, int places);

// numerator / denominator rounded half away from zero; the denominator must not be 0.
__int128 DivRound(__int128 numerator, __int128 denominator);

// numerator * scale / denominator, rounded half away from zero; 0 when the denominator is 0
// (no impressions: no CPM, no CTR). Exact for every int64 input (128-bit intermediate);
// saturates at the int64 range.
int64_t MulDivRound(int64_t numerator, int64_t scale, int64_t denominator);

// A value as errors show it: quoted, clipped to 48 bytes ("…" when clipped), control
// characters as '?'.
std::string QuotedValue(std::string_view text);

}  // namespace faro
