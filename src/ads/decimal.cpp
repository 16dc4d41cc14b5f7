#include "ads/decimal.hpp"

#include <limits>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::ads {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The value as it appears in an error: quoted, clipped, control characters shown as '?'.
std::string Quoted(std::string_view text) {
  std::string shown = ClipUtf8(text, 48);
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return StrCat("\"", shown, shown.size() < text.size() ? "…" : "", "\"");
}

int64_t Saturate(__int128 value) {
  if (value > kMax) return kMax;
  if (value < -kMax) return -kMax;
  return static_cast<int64_t>(value);
}

}  // namespace

absl::StatusOr<Decimal> ParseDecimal(std::string_view text, std::string_view field) {
  const auto not_decimal = [&] {
    return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is not a decimal"));
  };
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const size_t int_start = i;
  __int128 units = 0;
  while (i < text.size() && IsDigit(text[i])) {
    units = units * 10 + (text[i] - '0');
    if (units > kMax / kMicrosPerUnit)
      return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is too large"));
    ++i;
  }
  if (i == int_start) return not_decimal();
  __int128 micros = units * kMicrosPerUnit;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const size_t frac_start = i;
    int64_t place = kMicrosPerUnit / 10;
    bool round_up = false;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      const int digit = text[i] - '0';
      if (place > 0) {
        micros += digit * place;
        place /= 10;
      } else if (i - frac_start == 6) {
        round_up = digit >= 5;  // the seventh place decides: at least half a millionth rounds up
      }
    }
    if (i == frac_start) return not_decimal();
    if (round_up) ++micros;
  }
  if (i != text.size()) return not_decimal();
  if (micros > kMax) return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is too large"));
  return Decimal{static_cast<int64_t>(negative ? -micros : micros)};
}

absl::StatusOr<int64_t> ParseCount(std::string_view text, std::string_view field) {
  if (text.empty()) return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is not a whole number"));
  __int128 value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is not a whole number"));
    value = value * 10 + (c - '0');
    if (value > kMax) return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " is too large"));
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<Money> ParseMoney(std::string_view text, std::string_view field) {
  const size_t space = text.find(' ');
  const auto bad = [&] {
    return absl::InvalidArgumentError(
        StrCat(field, ": ", Quoted(text), " is not an amount with its currency, like \"150.00 USD\""));
  };
  if (space == std::string_view::npos) return bad();
  const std::string_view currency = text.substr(space + 1);
  if (currency.size() != 3) return bad();
  for (char c : currency)
    if (c < 'A' || c > 'Z') return bad();
  FARO_ASSIGN_OR_RETURN(const Decimal amount, ParseDecimal(text.substr(0, space), field));
  if (amount.micros <= 0)
    return absl::InvalidArgumentError(StrCat(field, ": ", Quoted(text), " must be more than zero"));
  return Money{amount.micros, std::string(currency)};
}

std::string FormatDecimal(Decimal value, int min_places) {
  const bool negative = value.micros < 0;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value.micros) : static_cast<uint64_t>(value.micros);
  std::string out = negative ? "-" : "";
  StrAppend(out, magnitude / kMicrosPerUnit);
  std::string frac = std::to_string(magnitude % kMicrosPerUnit);
  frac.insert(0, 6 - frac.size(), '0');
  size_t keep = frac.size();
  while (keep > static_cast<size_t>(min_places < 0 ? 0 : min_places) && keep > 0 && frac[keep - 1] == '0') --keep;
  if (keep > 0) StrAppend(out, ".", std::string_view(frac).substr(0, keep));
  return out;
}

std::string FormatMoney(const Money& money) {
  std::string out = FormatDecimal(Decimal{money.micros}, 2);
  if (!money.currency.empty()) StrAppend(out, " ", money.currency);
  return out;
}

int64_t MulDivMicros(int64_t numerator, int64_t scale, int64_t denominator) {
  if (denominator == 0) return 0;
  __int128 product = static_cast<__int128>(numerator) * scale;
  const bool negative = (product < 0) != (denominator < 0);
  if (product < 0) product = -product;
  const __int128 den = denominator < 0 ? -static_cast<__int128>(denominator) : denominator;
  __int128 quotient = product / den;
  if ((product % den) * 2 >= den) ++quotient;  // halves away from zero
  return Saturate(negative ? -quotient : quotient);
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
