#include "ads/decimal.hpp"

#include <limits>

#include "core/strings.hpp"

namespace faro::ads {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<int64_t> ParseCount(std::string_view text, std::string_view field) {
  if (text.empty()) return absl::InvalidArgumentError(StrCat(field, ": ", QuotedValue(text), " is not a whole number"));
  __int128 value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return absl::InvalidArgumentError(StrCat(field, ": ", QuotedValue(text), " is not a whole number"));
    value = value * 10 + (c - '0');
    if (value > kMax) return absl::InvalidArgumentError(StrCat(field, ": ", QuotedValue(text), " is too large"));
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<Money> ParseMoney(std::string_view text, std::string_view field) {
  const size_t space = text.find(' ');
  const auto bad = [&] {
    return absl::InvalidArgumentError(
        StrCat(field, ": ", QuotedValue(text), " is not an amount with its currency, like \"150.00 USD\""));
  };
  if (space == std::string_view::npos) return bad();
  const std::string_view currency = text.substr(space + 1);
  if (currency.size() != 3) return bad();
  for (char c : currency)
    if (c < 'A' || c > 'Z') return bad();
  FARO_ASSIGN_OR_RETURN(const Decimal amount, ParseDecimal(text.substr(0, space), field));
  if (amount.micros <= 0)
    return absl::InvalidArgumentError(StrCat(field, ": ", QuotedValue(text), " must be more than zero"));
  return Money{amount.micros, std::string(currency)};
}

std::string FormatMoney(const Money& money) {
  std::string out = FormatDecimal(Decimal{money.micros}, 2);
  if (!money.currency.empty()) StrAppend(out, " ", money.currency);
  return out;
}

int64_t MicrosPerMinorUnit(std::string_view currency) {
  static constexpr std::string_view kWhole[] = {"CLP", "COP", "CRC", "HUF", "ISK", "IDR",
                                                "JPY", "KRW", "PYG", "TWD", "VND"};
  for (std::string_view c : kWhole)
    if (c == currency) return kMicrosPerUnit;
  return kMicrosPerUnit / 100;
}

Decimal CtrPercent(int64_t clicks, int64_t impressions) {
  // clicks / impressions * 100 %, in micros: clicks * 100'000'000 / impressions.
  return Decimal{MulDivMicros(clicks, 100 * kMicrosPerUnit, impressions)};
}

Money CostPerMille(const Money& spend, int64_t impressions) {
  return Money{MulDivMicros(spend.micros, 1000, impressions), spend.currency};
}

}  // namespace faro::ads
