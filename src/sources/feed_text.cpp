#include "sources/feed_text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::sources {
namespace {

struct Entity {
  std::string_view name;
  char32_t code;
};
// The named entities feeds carry in practice (HTML 4 Latin-1 letters used in Spanish and
// Portuguese, punctuation and a few symbols).
constexpr std::array<Entity, 52> kEntities{{
    {"amp", '&'},        {"lt", '<'},         {"gt", '>'},         {"quot", '"'},       {"apos", '\''},
    {"nbsp", 0xA0},      {"iexcl", 0xA1},     {"iquest", 0xBF},    {"laquo", 0xAB},     {"raquo", 0xBB},
    {"aacute", 0xE1},    {"eacute", 0xE9},    {"iacute", 0xED},    {"oacute", 0xF3},    {"uacute", 0xFA},
    {"Aacute", 0xC1},    {"Eacute", 0xC9},    {"Iacute", 0xCD},    {"Oacute", 0xD3},    {"Uacute", 0xDA},
    {"ntilde", 0xF1},    {"Ntilde", 0xD1},    {"uuml", 0xFC},      {"Uuml", 0xDC},      {"ccedil", 0xE7},
    {"Ccedil", 0xC7},    {"agrave", 0xE0},    {"egrave", 0xE8},    {"ograve", 0xF2},    {"atilde", 0xE3},
    {"otilde", 0xF5},    {"acirc", 0xE2},     {"ecirc", 0xEA},     {"ocirc", 0xF4},     {"ordf", 0xAA},
    {"ordm", 0xBA},      {"deg", 0xB0},       {"copy", 0xA9},      {"reg", 0xAE},       {"euro", 0x20AC},
    {"hellip", 0x2026},  {"mdash", 0x2014},   {"ndash", 0x2013},   {"lsquo", 0x2018},   {"rsquo", 0x2019},
    {"ldquo", 0x201C},   {"rdquo", 0x201D},   {"bull", 0x2022},    {"middot", 0xB7},    {"trade", 0x2122},
    {"times", 0xD7},     {"shy", 0xAD},
}};

// NUL is not text a person reads: it becomes U+FFFD like any other impossible character.
void AppendText(std::string& out, char32_t c) { AppendUtf8(out, c == 0 ? 0xFFFD : c); }

// Decodes the entity starting at html[i] == '&'; on success appends it and moves i past ';'.
bool DecodeEntity(std::string_view html, std::size_t& i, std::string& out) {
  const std::size_t semi = html.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12) return false;
  const std::string_view name = html.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t code = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
    if (digits.empty() || end != digits.data() + digits.size()) return false;
    AppendText(out, ec == std::errc() ? code : 0xFFFD);
    i = semi + 1;
    return true;
  }
  for (const Entity& e : kEntities) {
    if (e.name == name) {
      AppendText(out, e.code);
      i = semi + 1;
      return true;
    }
  }
  return false;
}

bool StartsWithTag(std::string_view html, std::size_t i, std::string_view tag) {
  if (html.size() < i + 1 + tag.size()) return false;
  for (std::size_t k = 0; k < tag.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(html[i + 1 + k])) != tag[k]) return false;
  const std::size_t after = i + 1 + tag.size();
  return after == html.size() || html[after] == '>' || html[after] == ' ' || html[after] == '/' ||
         html[after] == '\t' || html[after] == '\n' || html[after] == '\r';
}

// Finds "</tag" (any case) from i; npos when absent.
std::size_t FindClosing(std::string_view html, std::size_t i, std::string_view tag) {
  const std::string lower = ToLower(html.substr(i));
  const std::size_t at = lower.find(StrCat("</", tag));
  return at == std::string::npos ? std::string_view::npos : i + at;
}

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || nbsp) {
      space = true;
      i += nbsp ? 2 : 1;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

// Replaces ill-formed UTF-8 with U+FFFD.
std::string RepairUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) AppendText(out, NextCodePoint(text, pos));
  return out;
}

}  // namespace

std::string HtmlToText(std::string_view input) {
  const std::string repaired = RepairUtf8(input);
  const std::string_view html = repaired;
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      // Only something that looks like a tag is one: "a < b" stays text.
      const bool tag_like = i + 1 < html.size() &&
                            (std::isalpha(static_cast<unsigned char>(html[i + 1])) || html[i + 1] == '/' || html[i + 1] == '!');
      if (!tag_like) {
        out.push_back(c);
        ++i;
        continue;
      }
      for (std::string_view skip : {"script", "style"}) {
        if (StartsWithTag(html, i, skip)) {
          const std::size_t close = FindClosing(html, i, skip);
          i = close == std::string_view::npos ? html.size() : close;
          break;
        }
      }
      if (i >= html.size()) break;
      const std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      out.push_back(' ');  // a tag separates words (<br>, </p><p>); runs collapse below
      continue;
    }
    if (c == '&' && DecodeEntity(html, i, out)) continue;
    out.push_back(c);
    ++i;
  }
  std::string text = CollapseSpaces(out);
  // Soft hyphens are invisible.
  for (std::size_t at; (at = text.find("\xC2\xAD")) != std::string::npos;) text.erase(at, 2);
  return text;
}

namespace {

int MonthIndex(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = ToLower(name.substr(0, 3));
  for (int m = 0; m < 12; ++m)
    if (kMonths[m] == lower) return m + 1;
  return 0;
}

bool Number(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Offset of a zone from UTC in minutes; false when unknown.
bool ZoneOffset(std::string_view zone, int& minutes) {
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5) {
    int hhmm = 0;
    if (!Number(zone.substr(1), hhmm)) return false;
    const int value = (hhmm / 100) * 60 + hhmm % 100;
    if (hhmm % 100 >= 60) return false;
    minutes = zone[0] == '-' ? -value : value;
    return true;
  }
  const std::string z = ToLower(zone);
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr Named kZones[] = {{"gmt", 0}, {"ut", 0},  {"utc", 0}, {"z", 0},   {"est", -5}, {"edt", -4},
                                     {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
  for (const Named& n : kZones) {
    if (n.name == z) {
      minutes = n.hours * 60;
      return true;
    }
  }
  // RFC 1123 5.2.14: military single letters are unreliable; read as UTC.
  if (z.size() == 1 && z[0] >= 'a' && z[0] <= 'z' && z[0] != 'j') {
    minutes = 0;
    return true;
  }
  return false;
}

}  // namespace

std::optional<TimePoint> ParseRfc822(std::string_view text) {
  std::vector<std::string_view> parts = Split(Trim(text), " \t,", true);
  if (!parts.empty() && parts[0].size() >= 3 && std::isalpha(static_cast<unsigned char>(parts[0][0])) &&
      MonthIndex(parts[0]) == 0)
    parts.erase(parts.begin());  // the day name
  if (parts.size() < 4) return std::nullopt;
  int day = 0, year = 0;
  const int month = MonthIndex(parts[1]);
  if (!Number(parts[0], day) || month == 0 || parts[1].size() > 9 || !Number(parts[2], year)) return std::nullopt;
  if (parts[2].size() == 2) year += year < 50 ? 2000 : 1900;
  else if (parts[2].size() != 4) return std::nullopt;
  const std::vector<std::string_view> hms = Split(parts[3], ":", false);
  int hour = 0, minute = 0, second = 0;
  if (hms.size() < 2 || hms.size() > 3 || !Number(hms[0], hour) || !Number(hms[1], minute) ||
      (hms.size() == 3 && !Number(hms[2], second)))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int offset = 0;
  if (parts.size() >= 5 && !ZoneOffset(parts[4], offset)) return std::nullopt;
  if (parts.size() > 5) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                           std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  const sys_seconds at = sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) - minutes(offset);
  return TimePoint(duration_cast<TimePoint::duration>(at.time_since_epoch()));
}

}  // namespace faro::sources
