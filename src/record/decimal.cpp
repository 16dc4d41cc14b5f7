#include "record/decimal.hpp"

#include "core/strings.hpp"

namespace faro::record {

absl::StatusOr<int64_t> ParseDecimalMicros(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("\"", text, "\" is not a decimal number (", why, ")"));
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  __int128 units = 0;
  int int_digits = 0, frac_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    units = units * 10 + (text[i] - '0');
    if (units > INT64_MAX / 1000000) return bad("too large");
  }
  __int128 frac = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits == 6) return bad("more than 6 decimals");
      frac = frac * 10 + (text[i] - '0');
    }
  }
  if (i != text.size()) return bad("unexpected character");
  if (int_digits == 0 && frac_digits == 0) return bad("no digits");
  for (int d = frac_digits; d < 6; ++d) frac *= 10;
  const __int128 micros = units * 1000000 + frac;
  if (micros > INT64_MAX) return bad("too large");
  return static_cast<int64_t>(negative ? -micros : micros);
}

__int128 DivRound(__int128 numerator, __int128 denominator) {
  if (denominator < 0) numerator = -numerator, denominator = -denominator;
  const __int128 half = denominator / 2;
  return numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
}

std::string FormatMicros(int64_t micros, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  __int128 scale = 1;
  for (int d = decimals; d < 6; ++d) scale *= 10;
  __int128 value = DivRound(micros, scale);  // in units of 10^-decimals
  std::string out;
  if (value < 0) out.push_back('-'), value = -value;
  __int128 one = 1;
  for (int d = 0; d < decimals; ++d) one *= 10;
  StrAppend(out, static_cast<int64_t>(value / one));
  if (decimals > 0) {
    std::string frac = std::to_string(static_cast<int64_t>(value % one));
    out.push_back('.');
    out.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
    out += frac;
  }
  return out;
}

}  // namespace faro::record
