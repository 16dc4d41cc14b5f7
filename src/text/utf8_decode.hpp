#pragma once
// A UTF-8 decoder for the normaliser's inner loops (internal to src/text): inline, and safe on
// any bytes. Valid sequences decode as usual; a bad or cut-off sequence reads as one U+FFFD and
// advances by one byte, so loops always end and never read past the text.
#include <cstddef>
#include <string_view>

namespace faro::text_internal {

[[gnu::always_inline]] inline char32_t DecodeAt(std::string_view s, std::size_t& pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  const std::size_t left = s.size() - pos;
  const unsigned char c = p[0];
  if (c < 0x80) {
    pos += 1;
    return c;
  }
  if (c >= 0xC2 && c < 0xE0 && left >= 2 && (p[1] & 0xC0) == 0x80) {
    pos += 2;
    return (static_cast<char32_t>(c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c >= 0xE0 && c < 0xF0 && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
    const char32_t cp = (static_cast<char32_t>(c & 0x0F) << 12) |
                        (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      pos += 3;
      return cp;
    }
  } else if (c >= 0xF0 && c < 0xF5 && left >= 4 && (p[1] & 0xC0) == 0x80 &&
             (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
    const char32_t cp = (static_cast<char32_t>(c & 0x07) << 18) |
                        (static_cast<char32_t>(p[1] & 0x3F) << 12) |
                        (static_cast<char32_t>(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      pos += 4;
      return cp;
    }
  }
  pos += 1;
  return 0xFFFD;
}

[[gnu::always_inline]] inline char32_t PeekAt(std::string_view s, std::size_t pos) {
  return pos < s.size() ? DecodeAt(s, pos) : 0;
}

}  // namespace faro::text_internal
