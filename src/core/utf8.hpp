#pragma once
// UTF-8 helpers shared by adapters, templates and the CSV import, so every part of Faro agrees
// on what a character is and what counts as valid text.
#include <cstddef>
#include <string>
#include <string_view>

namespace faro {

// Well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates or code points past
// U+10FFFF. NUL is valid here; callers that refuse it check for it themselves.
bool IsValidUtf8(std::string_view text);

// Decodes the code point starting at byte `pos` and moves `pos` past it. An invalid sequence
// counts as one U+FFFD and `pos` moves by one byte, so a loop over any bytes always ends.
// `pos` must be less than `utf8.size()`.
char32_t NextCodePoint(std::string_view utf8, std::size_t& pos);

// Appends `c` as UTF-8. A surrogate or a value past U+10FFFF, which has no UTF-8 form, becomes
// U+FFFD. Inline: text folding calls it per character.
inline void AppendUtf8(std::string& out, char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Characters as providers count them (Twilio, WhatsApp): bytes that do not continue a sequence.
std::size_t CountCodePoints(std::string_view utf8);

// `text` cut to at most `max_bytes` bytes without splitting a character, followed by "…" when
// anything was cut; unchanged when it fits.
std::string ClipUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace faro
