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

// Characters as providers count them (Twilio, WhatsApp): bytes that do not continue a sequence.
std::size_t CountCodePoints(std::string_view utf8);

// `text` cut to at most `max_bytes` bytes without splitting a character, followed by "…" when
// anything was cut; unchanged when it fits.
std::string ClipUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace faro
