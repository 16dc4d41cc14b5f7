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

}  // namespace

std::optional<TimePoint> ParseMentionTime(std::string_view s) {
  // "YYYY-MM-DDTHH:MM:SS" at fixed places, read in one pass without a branch per digit.
  if (s.size() < 20) return std::nullopt;  // the shortest valid time ends in "Z" at [19]
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
  unsigned second = digit(17) * 10 + digit(18);
  const char t = s[10];
  if (bad != 0 || s[4] != '-' || s[7] != '-' || (t != 'T' && t != 't' && t != ' ') || s[13] != ':' ||
      s[16] != ':')
    return std::nullopt;
  std::size_t pos = 19;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  // Records come in time order, mostly many a day: the last valid date and its day number are
  // kept, so the calendar arithmetic runs once a day, not once a record.
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
  if (second == 60) second = 59;  // a leap second is kept inside its minute
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (s[pos] - '0');  // finer digits are dropped
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos >= s.size()) return std::nullopt;  // RFC 3339 requires the offset
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const bool negative = s[pos] == '-';
    ++pos;
    unsigned oh = 0, om = 0;
    if (!Digits(s, pos, 2, oh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_minutes = (negative ? -1 : 1) * static_cast<int64_t>(oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second -
                          offset_minutes * 60;
  return FromUnixMillis(seconds * 1000 + millis);
}

std::optional<TimePoint> MentionTimeFromNumber(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  const double millis = std::fabs(value) < 1e11 ? value * 1000.0 : value;
  if (std::fabs(millis) > 1e15) return std::nullopt;
  return FromUnixMillis(static_cast<int64_t>(std::floor(millis)));
}

}  // namespace faro
