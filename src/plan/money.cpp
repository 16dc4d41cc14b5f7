#include "plan/money.hpp"

#include "core/strings.hpp"

namespace faro::plan {

absl::StatusOr<int64_t> ParseMicros(std::string_view text) {
  const std::string expected = StrCat("expected a decimal amount such as \"412.50\", got \"", text, "\"");
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 12 || fraction.size() > 6 || (dot != std::string_view::npos && fraction.empty()))
    return absl::InvalidArgumentError(expected);
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return absl::InvalidArgumentError(expected);
    value = value * 10 + (c - '0');
  }
  for (size_t i = 0; i < 6; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return absl::InvalidArgumentError(expected);
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::string MicrosText(int64_t micros) {
  const bool negative = micros < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  std::string fraction = std::to_string(magnitude % 1000000);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  return StrCat(negative ? "-" : "", std::to_string(magnitude / 1000000), ".", fraction);
}

}  // namespace faro::plan
