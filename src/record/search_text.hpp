#pragma once
// Text folded for searching the crisis log, the way listening folds mentions (src/text): case
// and accents do not matter ("CAÍDO", "caído" and "caido" are the same word; ñ stays ñ), and
// every folded byte remembers where it came from, so a hit can be shown in the original text.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace faro::record {

struct FoldedText {
  std::string folded;
  std::vector<uint32_t> source;  // for each byte of `folded`, the byte of the original it came from
};

// One code point at a time: ASCII letters lowercased, any whitespace a single ' ', anything
// else through FoldText (src/text/normalise.hpp). Invalid UTF-8 is read as U+FFFD.
FoldedText FoldForSearch(std::string_view utf8);

// The query's words, folded; empty words dropped. "  Caído  WhatsApp" → {"caido", "whatsapp"}.
std::vector<std::string> SearchWords(std::string_view query);

// A piece of `text` around bytes [begin, begin + length): about `context` characters on each
// side, cut at character boundaries, with "…" where something was cut. `match_begin` receives
// where the hit starts inside the snippet.
std::string Snippet(std::string_view text, std::size_t begin, std::size_t length, std::size_t context,
                    std::size_t* match_begin);

}  // namespace faro::record
