#pragma once
// The Unicode half of normalisation (internal to src/text): NFKC, case folding and accent
// folding of every non-ASCII character, leaving ASCII bytes exactly as they were so that the
// tokeniser can still keep the case of URL paths. Pure ASCII text passes through as a copy,
// 16 bytes at a time.
#include <cstddef>
#include <string>
#include <string_view>

namespace faro::text_internal {

struct UnicodeFoldResult {
  int accented_vowels = 0;  // á é í ó ú ü (any case, precomposed or not) seen before folding
};

// Appends to `out` the folded form of `utf8` (valid UTF-8):
//   - NFKC compatibility mapping: fullwidth and mathematical styled letters become plain
//     letters ("ｗ", "𝐰" → "w"), ligatures split, "…" → "...", no-break spaces → " ";
//   - full case folding of non-ASCII characters ("Ñ" → "ñ", "ß" → "ss"); ASCII is copied
//     as it is (the tokeniser lowercases it, except in URL paths);
//   - accent folding: combining diacritical marks are removed ("í" → "i", "ü" → "u"), except
//     the tilde of ñ/Ñ, which stays, because Spanish ñ is a letter of its own ("año" is "year",
//     "ano" is "anus");
//   - typographic apostrophes (’ ‘ ʼ ´) become "'", so "don’t" reads "don't";
//   - invisible characters that only hide words from filters are dropped (soft hyphen,
//     zero-width space and non-joiner, word joiner, BOM, direction marks), and so are emoji
//     variation selectors (U+FE0E/U+FE0F: "❤️" and "❤" fold the same); a zero-width joiner is
//     kept only after an emoji, where it joins a sequence such as "👩‍💻".
// `use_tables` false forces the slow path (utf8proc for every character); tests compare both.
UnicodeFoldResult UnicodeFold(std::string_view utf8, std::string& out, bool use_tables = true);

// The same fold, written into `buffer` from position `at` on (what is before stays); returns
// where the folded text ends. `buffer` is grown as needed but never shrunk, and the bytes after
// the end are unspecified: a caller that reuses one buffer per thread pays neither for clearing
// it nor for zero-filling it again on every call (UnicodeFold is this plus the final resize).
// Adds the accented vowels seen to `result`.
std::size_t FoldInto(std::string_view utf8, std::string& buffer, std::size_t at,
                     UnicodeFoldResult& result, bool use_tables = true);

}  // namespace faro::text_internal
