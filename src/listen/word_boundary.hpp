#pragma once
// Word boundaries, as the rules see them in folded text. Hyperscan rejects \b in Unicode (UCP)
// mode and Unicode classes (\p{L}) make compiling take seconds, so the patterns are plain
// literals (fast to compile and to run) and each match is checked with these: the character
// before and after the term must not be a word character. Folded text has no accents left, so
// a byte-level view is close enough: word characters are ASCII letters, digits and '_', and
// every character outside the blocks where punctuation, symbols and emoji live (U+0080-U+00BF:
// ¡ ¿ « » and the no-break space; U+2000-U+2FFF: … " " – and other symbols; U+10000 and up:
// emoji). So ñ, ç, Cyrillic or CJK letters are word characters.
#include <cstddef>
#include <string_view>

namespace faro {

inline bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

// Whether the character whose first byte is `lead` is a word character.
inline bool IsWordLead(unsigned char lead) {
  if (lead < 0x80) return IsWordByte(lead);
  return !(lead == 0xC2 || lead == 0xE2 || lead >= 0xF0);
}

// A boundary before byte `pos` of `text` (the start, or a non-word character before it).
inline bool BoundaryBefore(std::string_view text, std::size_t pos) {
  if (pos == 0) return true;
  std::size_t p = pos - 1;
  while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
  return !IsWordLead(static_cast<unsigned char>(text[p]));
}

// A boundary at byte `pos` (the end, or a non-word character starting there).
inline bool BoundaryAt(std::string_view text, std::size_t pos) {
  return pos >= text.size() || !IsWordLead(static_cast<unsigned char>(text[pos]));
}

}  // namespace faro
