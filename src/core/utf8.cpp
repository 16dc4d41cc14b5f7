#include "core/utf8.hpp"

#include <utf8proc.h>

namespace faro {

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    if (*p < 0x80) {  // ASCII fast path
      ++p;
      --left;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

char32_t NextCodePoint(std::string_view utf8, std::size_t& pos) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data() + pos);
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(utf8.size() - pos), &cp);
  if (n <= 0) {
    ++pos;
    return U'\uFFFD';
  }
  pos += static_cast<std::size_t>(n);
  return static_cast<char32_t>(cp);
}

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string ClipUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;  // not inside a UTF-8 sequence
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  std::string out(text.substr(0, end));
  out += "…";
  return out;
}

}  // namespace faro
