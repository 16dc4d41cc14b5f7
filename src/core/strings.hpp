#pragma once
// Small string helpers over std::string_view. (Debian's Abseil is built with its own
// string_view type, so absl's string functions do not take std::string_view.)
#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace faro {

namespace strings_detail {
inline void Append(std::string& out, std::string_view s) { out.append(s); }
inline void Append(std::string& out, char c) { out.push_back(c); }
template <typename T>
  requires(std::is_arithmetic_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, bool>)
void Append(std::string& out, T value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}
}  // namespace strings_detail

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (strings_detail::Append(out, args), ...);
  return out;
}

template <typename... Args>
void StrAppend(std::string& out, const Args&... args) {
  (strings_detail::Append(out, args), ...);
}

// Splits on any of `separators`; empty pieces are dropped when `skip_empty`.
std::vector<std::string_view> Split(std::string_view text, std::string_view separators, bool skip_empty = false);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string_view Trim(std::string_view text);
std::string ToLower(std::string_view text);  // ASCII only
bool Contains(std::string_view text, std::string_view piece);
bool ContainsIgnoreCase(std::string_view text, std::string_view piece);  // ASCII only
// ASCII only. Inline: asked of every mention's author.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

// Text made safe inside HTML elements and quoted attributes: & < > " ' become entities
// (' as &#39;, which HTML 4 also knows).
std::string EscapeHtml(std::string_view text);
// Text made safe inside XML elements and quoted attributes (TwiML): & < > " ' become entities,
// and the control characters XML 1.0 forbids (all below 0x20 but tab, line feed and carriage
// return) become spaces.
std::string EscapeXml(std::string_view text);

}  // namespace faro
