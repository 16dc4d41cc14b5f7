#pragma once
// Times as people and JSON read them: RFC 3339 in UTC.
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro {

// "2021-10-04T15:39:00.250Z" (milliseconds always written).
std::string Rfc3339(TimePoint at);
// Accepts any RFC 3339 time with an offset ("Z", "+02:00") and optional fractions.
absl::StatusOr<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace faro
