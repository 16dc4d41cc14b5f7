#pragma once
// Mention times as collectors write them: RFC 3339 text, or a number of seconds or
// milliseconds since the Unix epoch. Fast enough to run on every record of a large stream.
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace faro {

// "2021-10-04T15:39:00Z", "2021-10-04T12:39:00.250-03:00", "2021-10-04 15:39:00+00:00"
// (a space or 't' for 'T', 'z' for 'Z', any number of fraction digits, milliseconds kept).
// Empty when the text is not such a time or a field is out of range (month 13, 31 April...).
std::optional<TimePoint> ParseMentionTime(std::string_view text);

// Numbers whose magnitude is below 100,000,000,000 are seconds (that is up to the year 5138),
// larger ones milliseconds. Fractions of a second are kept to the millisecond.
// Empty for values no clock can hold (beyond ±1e15 ms, about ±31,000 years).
std::optional<TimePoint> MentionTimeFromNumber(double value);

}  // namespace faro
