#include "record/search_text.hpp"

#include "core/utf8.hpp"
#include "text/normalise.hpp"

namespace faro::record {
namespace {

bool IsUnicodeSpace(char32_t c) {
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

FoldedText FoldForSearch(std::string_view utf8) {
  FoldedText out;
  out.folded.reserve(utf8.size());
  out.source.reserve(utf8.size());
  std::size_t pos = 0;
  std::string piece;
  while (pos < utf8.size()) {
    const std::size_t start = pos;
    const unsigned char b = static_cast<unsigned char>(utf8[pos]);
    if (b < 0x80) {
      ++pos;
      char c = static_cast<char>(b);
      if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') c = ' ';
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      out.folded.push_back(c);
      out.source.push_back(static_cast<uint32_t>(start));
      continue;
    }
    const char32_t cp = NextCodePoint(utf8, pos);
    if (IsUnicodeSpace(cp)) {
      out.folded.push_back(' ');
      out.source.push_back(static_cast<uint32_t>(start));
      continue;
    }
    std::string original;
    AppendUtf8(original, cp);
    piece = FoldText(original);
    for (char c : piece) {
      out.folded.push_back(c);
      out.source.push_back(static_cast<uint32_t>(start));
    }
  }
  return out;
}

std::vector<std::string> SearchWords(std::string_view query) {
  const FoldedText f = FoldForSearch(query);
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < f.folded.size()) {
    while (i < f.folded.size() && f.folded[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < f.folded.size() && f.folded[i] != ' ') ++i;
    if (i > start) words.push_back(f.folded.substr(start, i - start));
  }
  return words;
}

std::string Snippet(std::string_view text, std::size_t begin, std::size_t length, std::size_t context,
                    std::size_t* match_begin) {
  begin = std::min(begin, text.size());
  std::size_t end = std::min(begin + length, text.size());
  // Walk `context` characters out on each side, never splitting a character.
  std::size_t from = begin;
  for (std::size_t n = 0; from > 0 && n < context; ++n) {
    --from;
    while (from > 0 && IsContinuation(text[from])) --from;
  }
  std::size_t to = end;
  for (std::size_t n = 0; to < text.size() && n < context; ++n) {
    ++to;
    while (to < text.size() && IsContinuation(text[to])) ++to;
  }
  std::string out;
  if (from > 0) out += "…";
  if (match_begin != nullptr) *match_begin = out.size() + (begin - from);
  for (char c : text.substr(from, to - from)) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (to < text.size()) out += "…";
  return out;
}

}  // namespace faro::record
