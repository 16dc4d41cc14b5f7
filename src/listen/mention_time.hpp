#pragma once
// Mention times as collectors write them: RFC 3339 text, or a number of seconds or
// milliseconds since the Unix epoch. Fast enough to run on every record of a large stream.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace faro {

// "2021-10-04T15:39:00Z", "2021-10-04T12:39:00.250-03:00", "2021-10-04 15:39:00+00:00"
// (a space or 't' for 'T', 'z' for 'Z', any number of fraction digits, milliseconds kept).
// Empty when the text is not such a time, a field is out of range (month 13, 31 April...), or
// the time is outside the years a TimePoint holds (kEarliestMentionMillis..kLatestMentionMillis).
// Sets `at` and returns true, or returns false leaving `at` as it was.
bool ParseMentionTime(std::string_view text, TimePoint& at);
// The same as an optional. (The reader, on every record, uses the form above: an optional
// returned from a function that is not inlined comes back through memory, its flag stored as
// a byte and read back as part of a word, which the processor cannot forward.)
inline std::optional<TimePoint> ParseMentionTime(std::string_view text) {
  TimePoint at;
  if (!ParseMentionTime(text, at)) return std::nullopt;
  return at;
}

// Numbers whose magnitude is below 100,000,000,000 are seconds, larger ones milliseconds.
// Fractions of a second are kept to the millisecond. Empty outside the years a TimePoint holds.
std::optional<TimePoint> MentionTimeFromNumber(double value);

// TimePoint counts nanoseconds in 64 bits, so it holds about 1677-2262: mention times are
// accepted from 1678-01-01T00:00:00Z up to, not including, 2262-01-01T00:00:00Z.
inline constexpr int64_t kEarliestMentionMillis = -9'214'560'000'000;
inline constexpr int64_t kLatestMentionMillis = 9'214'646'400'000 - 1;

}  // namespace faro
