#include "core/time_text.hpp"

#include <absl/time/time.h>

#include "core/strings.hpp"

namespace faro {

std::string Rfc3339(TimePoint at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(at), absl::UTCTimeZone());
}

absl::StatusOr<TimePoint> ParseRfc3339(std::string_view text) {
  absl::Time parsed;
  std::string error;
  const std::string owned(text);
  if (!absl::ParseTime(absl::RFC3339_full, owned, &parsed, &error))
    return absl::InvalidArgumentError(StrCat("\"", owned, "\" is not an RFC 3339 time (", error, ")"));
  return std::chrono::time_point_cast<TimePoint::duration>(absl::ToChronoTime(parsed));
}

}  // namespace faro
