#include "core/query_params.hpp"

#include <charconv>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro {

std::string QueryText(const QueryParams& query, const std::string& key) {
  const auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

absl::StatusOr<int64_t> QueryInt(const QueryParams& query, const std::string& key, int64_t fallback, int64_t min,
                                 int64_t max) {
  const std::string text = QueryText(query, key);
  if (text.empty()) return fallback;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return absl::InvalidArgumentError(
        StrCat(key, ": expected a whole number from ", min, " to ", max, ", got \"", ClipUtf8(text, 40), "\""));
  return value;
}

}  // namespace faro
