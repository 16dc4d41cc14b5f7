#include "listen/mention_time.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace faro {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

// Reads exactly `n` digits at `pos`; false if any is not a digit or the text ends.
bool Digits(std::string_view s, std::size_t& pos, int n, unsigned& value) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  value = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned digit = static_cast<unsigned char>(s[pos + i]) - '0';
    if (digit > 9) return false;
    value = value * 10 + digit;
  }
  pos += static_cast<std::size_t>(n);
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// The Unix second at which the minute "YYYY-MM-DDTHH:MM" (the first 16 bytes of `s`, which has
// at least 16) starts, read at fixed places in one pass without a branch per digit. Empty when
// a place holds the wrong character or a field is out of range.
std::optional<int64_t> MinuteStart(std::string_view s) {
  unsigned bad = 0;
  auto digit = [&](std::size_t i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
    bad |= d > 9 ? 1u : 0u;
    return d;
  };
  const unsigned year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const unsigned month = digit(5) * 10 + digit(6);
  const unsigned day = digit(8) * 10 + digit(9);
  const unsigned hour = digit(11) * 10 + digit(12);
  const unsigned minute = digit(14) * 10 + digit(15);
  const char t = s[10];
  if (bad != 0 || s[4] != '-' || s[7] != '-' || (t != 'T' && t != 't' && t != ' ') || s[13] != ':')
    return std::nullopt;
  if (hour > 23 || minute > 59) return std::nullopt;
  // Within a minute the minute's own memory (below) answers; across minutes, mostly many a day,
  // the last valid date and its day number are kept, so the calendar arithmetic runs once a day.
  struct LastDate {
    char text[10] = {};
    int64_t days = 0;
  };
  thread_local LastDate last;
  int64_t days = 0;
  if (std::memcmp(last.text, s.data(), 10) == 0) {
    days = last.days;
  } else {
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
    days = DaysFromCivil(year, month, day);
    std::memcpy(last.text, s.data(), 10);
    last.days = days;
  }
  return days * 86400 + hour * 3600 + minute * 60;
}

// The first 16 bytes of `s` (at least 16) as two words, to compare a minute in two loads.
struct MinuteText {
  uint64_t a = 0, b = 0;
  explicit MinuteText(std::string_view s) {
    std::memcpy(&a, s.data(), 8);
    std::memcpy(&b, s.data() + 8, 8);
  }
  MinuteText() = default;
  bool operator==(const MinuteText&) const = default;
};

}  // namespace

bool ParseMentionTime(std::string_view s, TimePoint& at) {
  // "YYYY-MM-DDTHH:MM:SS" at fixed places, then an optional fraction and the offset.
  if (s.size() < 20) return false;  // the shortest valid time ends in "Z" at [19]
  // Records come in time order, mostly many a minute: the last valid "YYYY-MM-DDTHH:MM" and the
  // second its minute starts at are kept, so a record of the same minute reads only from its
  // seconds on (two compares instead of checking and reading a dozen digits). A minute is kept
  // only once checked, and no checked minute is all zero bytes, as the memory starts.
  struct LastMinute {
    MinuteText text;
    int64_t start = 0;
  };
  thread_local LastMinute last;
  const MinuteText text(s);
  int64_t minute_start = 0;
  if (text == last.text) {
    minute_start = last.start;
  } else {
    const std::optional<int64_t> start = MinuteStart(s);
    if (!start) return false;
    minute_start = *start;
    last = LastMinute{text, minute_start};
  }
  const unsigned s1 = static_cast<unsigned char>(s[17]) - static_cast<unsigned>('0');
  const unsigned s2 = static_cast<unsigned char>(s[18]) - static_cast<unsigned>('0');
  if (s[16] != ':' || s1 > 9 || s2 > 9) return false;
  unsigned second = s1 * 10 + s2;
  if (second > 60) return false;
  std::size_t pos = 19;
  if (second == 60) second = 59;  // a leap second is kept inside its minute
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (s[pos] - '0');  // finer digits are dropped
      ++pos;
    }
    if (pos == start) return false;
    for (std::size_t n = pos - start; n < 3; ++n) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos >= s.size()) return false;  // RFC 3339 requires the offset
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const bool negative = s[pos] == '-';
    ++pos;
    unsigned oh = 0, om = 0;
    if (!Digits(s, pos, 2, oh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, om) || oh > 23 || om > 59)
      return false;
    offset_minutes = (negative ? -1 : 1) * static_cast<int64_t>(oh * 60 + om);
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  const int64_t ms = (minute_start + second - offset_minutes * 60) * 1000 + millis;
  if (ms < kEarliestMentionMillis || ms > kLatestMentionMillis) return false;
  at = FromUnixMillis(ms);
  return true;
}

std::optional<TimePoint> MentionTimeFromNumber(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  const double millis = std::fabs(value) < 1e11 ? value * 1000.0 : value;
  const double whole = std::floor(millis);
  if (whole < static_cast<double>(kEarliestMentionMillis) || whole > static_cast<double>(kLatestMentionMillis))
    return std::nullopt;
  return FromUnixMillis(static_cast<int64_t>(whole));
}

}  // namespace faro
