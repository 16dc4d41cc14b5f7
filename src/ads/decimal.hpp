#pragma once
// Exact decimals for ad money and ratios. Ad platforms report spend, CPM and CTR as decimal text
// (Meta sends "123.45" as a JSON string) or as whole millionths (Google's cost_micros); Faro keeps
// them as int64 millionths ("micros") and never as binary floating point, so a report's totals
// add up to the cent.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/status.hpp"

namespace faro::ads {

// A decimal number with six places: 12.345 is {12'345'000}.
struct Decimal {
  int64_t micros = 0;
  friend auto operator<=>(const Decimal&, const Decimal&) = default;
};

// An amount of money: micros of one unit of `currency` (ISO 4217, "USD"); an empty currency
// means the platform did not say.
struct Money {
  int64_t micros = 0;
  std::string currency;
  friend bool operator==(const Money&, const Money&) = default;
};

// Decimal text as core/decimal.hpp's ParseDecimalMicros reads it (Meta's "123.45"; beyond six
// places rounded); `field` names the value in the error: `spend: "12,5" is not a decimal`.
inline absl::StatusOr<Decimal> ParseDecimal(std::string_view text, std::string_view field) {
  FARO_ASSIGN_OR_RETURN(const int64_t micros, ParseDecimalMicros(text, field));
  return Decimal{micros};
}

// A count such as impressions or clicks: digits only, at most int64. Error like
// `impressions: "1e4" is not a whole number`.
absl::StatusOr<int64_t> ParseCount(std::string_view text, std::string_view field);

// "150.00 USD" (amount, one space, a three-letter upper-case currency code); the amount must be
// above zero. Used for budget caps in plans.
absl::StatusOr<Money> ParseMoney(std::string_view text, std::string_view field);

// "12.345", "-0.5", "7"; at least `min_places` decimal places ("12.00" with 2).
inline std::string FormatDecimal(Decimal value, int min_places = 0) {
  return faro::FormatDecimal(value.micros, min_places);
}
// "150.00 USD" (two places at least; the currency is left out when empty).
std::string FormatMoney(const Money& money);

// Ad figures' MulDivRound (core/decimal.hpp): numerator * scale / denominator, 0 when the
// denominator is 0 (no impressions: no CPM, no CTR).
inline int64_t MulDivMicros(int64_t numerator, int64_t scale, int64_t denominator) {
  return MulDivRound(numerator, scale, denominator);
}

// Micros in the smallest unit of `currency` that platforms bill in: 10'000 (a cent) for most,
// 1'000'000 for currencies counted without decimals (JPY, KRW, CLP, COP, ...).
int64_t MicrosPerMinorUnit(std::string_view currency);

// CTR in percent: clicks * 100 / impressions (2.5 means 2.5 %).
Decimal CtrPercent(int64_t clicks, int64_t impressions);
// CPM: spend per thousand impressions, in the spend's currency.
Money CostPerMille(const Money& spend, int64_t impressions);

}  // namespace faro::ads
