#include "catalog/expectation.hpp"

#include <charconv>

#include "core/strings.hpp"

namespace faro {

bool Expectation::StatusOk(int status) const {
  if (any_status) return true;
  if (statuses.empty()) return status >= 200 && status <= 399;
  for (const auto& [lo, hi] : statuses)
    if (status >= lo && status <= hi) return true;
  return false;
}

absl::StatusOr<Expectation> ParseExpectedStatus(std::string_view text) {
  Expectation out;
  text = Trim(text);
  if (text == "any") {
    out.any_status = true;
    return out;
  }
  auto parse_code = [](std::string_view s, int& code) {
    s = Trim(s);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), code);
    return ec == std::errc() && p == s.data() + s.size() && code >= 100 && code <= 999;
  };
  for (std::string_view part : Split(text, ",")) {
    const auto dash = part.find('-');
    const bool range = dash != std::string_view::npos;
    int lo = 0, hi = 0;
    if (!parse_code(part.substr(0, dash), lo) || (range && !parse_code(part.substr(dash + 1), hi)))
      return absl::InvalidArgumentError(StrCat(
          "expected HTTP statuses like \"200-399\", \"204\", \"200-399,999\" or \"any\", got \"",
          text, "\""));
    if (!range) hi = lo;
    if (hi < lo)
      return absl::InvalidArgumentError(StrCat("status range \"", part, "\" ends before it starts"));
    out.statuses.emplace_back(lo, hi);
  }
  return out;
}

std::string FormatExpectedStatus(const Expectation& e) {
  if (e.any_status) return "any";
  if (e.statuses.empty()) return "200-399";
  std::string out;
  for (const auto& [lo, hi] : e.statuses) {
    if (!out.empty()) out.push_back(',');
    StrAppend(out, lo);
    if (hi != lo) StrAppend(out, "-", hi);
  }
  return out;
}

}  // namespace faro
