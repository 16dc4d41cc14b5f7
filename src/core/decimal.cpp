#include "core/decimal.hpp"

#include <limits>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int64_t Saturate(__int128 value) {
  if (value > kMax) return kMax;
  if (value < -kMax) return -kMax;
  return static_cast<int64_t>(value);
}

}  // namespace

std::string QuotedValue(std::string_view text) {
  std::string shown = ClipUtf8(text, 48);
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return StrCat("\"", shown, shown.size() < text.size() ? "…" : "", "\"");
}

absl::StatusOr<int64_t> ParseDecimalMicros(std::string_view text, std::string_view field) {
  const auto error = [&](std::string_view what) {
    return absl::InvalidArgumentError(StrCat(field, field.empty() ? "" : ": ", QuotedValue(text), " ", what));
  };
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const size_t int_start = i;
  __int128 units = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) {
    units = units * 10 + (text[i] - '0');
    if (units > kMax / kMicrosPerUnit) return error("is too large");
  }
  if (i == int_start) return error("is not a decimal");
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
    if (i == frac_start) return error("is not a decimal");
    if (round_up) ++micros;
  }
  if (i != text.size()) return error("is not a decimal");
  if (micros > kMax) return error("is too large");
  return static_cast<int64_t>(negative ? -micros : micros);
}

std::string FormatDecimal(int64_t micros, int min_places) {
  const bool negative = micros < 0;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  std::string out = negative ? "-" : "";
  StrAppend(out, magnitude / kMicrosPerUnit);
  std::string frac = std::to_string(magnitude % kMicrosPerUnit);
  frac.insert(0, 6 - frac.size(), '0');
  size_t keep = frac.size();
  while (keep > static_cast<size_t>(min_places < 0 ? 0 : min_places) && keep > 0 && frac[keep - 1] == '0') --keep;
  if (keep > 0) StrAppend(out, ".", std::string_view(frac).substr(0, keep));
  return out;
}

__int128 DivRound(__int128 numerator, __int128 denominator) {
  if (denominator < 0) numerator = -numerator, denominator = -denominator;
  const __int128 half = denominator / 2;
  return numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
}

std::string FormatFixed(int64_t micros, int places) {
  if (places < 0) places = 0;
  if (places > 6) places = 6;
  __int128 scale = 1;
  for (int d = places; d < 6; ++d) scale *= 10;
  __int128 value = DivRound(micros, scale);  // in units of 10^-places
  std::string out;
  if (value < 0) out.push_back('-'), value = -value;
  __int128 one = 1;
  for (int d = 0; d < places; ++d) one *= 10;
  StrAppend(out, static_cast<int64_t>(value / one));
  if (places > 0) {
    const std::string frac = std::to_string(static_cast<int64_t>(value % one));
    out.push_back('.');
    out.append(static_cast<std::size_t>(places) - frac.size(), '0');
    out += frac;
  }
  return out;
}

int64_t MulDivRound(int64_t numerator, int64_t scale, int64_t denominator) {
  if (denominator == 0) return 0;
  return Saturate(DivRound(static_cast<__int128>(numerator) * scale, denominator));
}

}  // namespace faro
