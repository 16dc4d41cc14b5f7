#include "text/unicode_fold.hpp"

#include "core/utf8.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "text/utf8_decode.hpp"

namespace faro::text_internal {
namespace {

constexpr char32_t kZwj = 0x200D;

// Applied to each code point before decomposition.
utf8proc_int32_t MapBeforeFold(utf8proc_int32_t cp, void* /*data*/) {
  switch (cp) {
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x02BC:  // ʼ modifier letter apostrophe
    case 0x00B4:  // ´ acute accent used as an apostrophe ("don´t"); NFKC would make it a space
      return '\'';
    default:
      return cp;
  }
}

bool IsStrippedMark(utf8proc_int32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool IsDropped(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00AD: case 0x180E: case 0x200B: case 0x200C: case 0x200E: case 0x200F:
    case 0x2060: case 0xFEFF: case 0xFE0E: case 0xFE0F:
      return true;
    default:
      return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }
}

bool IsPictographic(utf8proc_int32_t cp) {
  const auto bc = utf8proc_get_property(cp)->boundclass;
  return bc == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC || bc == UTF8PROC_BOUNDCLASS_E_BASE ||
         bc == UTF8PROC_BOUNDCLASS_E_BASE_GAZ || bc == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ ||
         bc == UTF8PROC_BOUNDCLASS_E_ZWG || bc == UTF8PROC_BOUNDCLASS_E_MODIFIER ||
         (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

bool IsMark(utf8proc_int32_t cp) {
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
         cat == UTF8PROC_CATEGORY_ME;
}

bool IsVowel(utf8proc_int32_t cp) {
  return cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u';
}

// State carried across characters: the last code point kept (for ñ and the zero-width joiner).
struct FoldState {
  utf8proc_int32_t last_kept = 0;
};

thread_local std::vector<utf8proc_int32_t> tls_codepoints;

// The reference path: one combining sequence (a base character and the marks after it)
// through utf8proc. Appends to `out`.
void FoldSequenceSlow(std::string_view seq, std::string& out, FoldState& state,
                      UnicodeFoldResult& result) {
  std::vector<utf8proc_int32_t>& buf = tls_codepoints;
  if (buf.size() < seq.size() * 4 + 32) buf.resize(seq.size() * 4 + 32);
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  auto n = utf8proc_decompose_custom(reinterpret_cast<const utf8proc_uint8_t*>(seq.data()),
                                     static_cast<utf8proc_ssize_t>(seq.size()), buf.data(),
                                     static_cast<utf8proc_ssize_t>(buf.size()), options,
                                     MapBeforeFold, nullptr);
  if (n > static_cast<utf8proc_ssize_t>(buf.size())) {
    buf.resize(static_cast<std::size_t>(n) + 1);
    n = utf8proc_decompose_custom(reinterpret_cast<const utf8proc_uint8_t*>(seq.data()),
                                  static_cast<utf8proc_ssize_t>(seq.size()), buf.data(),
                                  static_cast<utf8proc_ssize_t>(buf.size()), options,
                                  MapBeforeFold, nullptr);
  }
  if (n < 0) {  // cannot happen for valid UTF-8; keep the text rather than lose it
    out.append(seq);
    return;
  }
  utf8proc_ssize_t kept = 0;
  utf8proc_int32_t prev = state.last_kept;  // previous code point seen, kept or not
  for (utf8proc_ssize_t i = 0; i < n; ++i) {
    const utf8proc_int32_t cp = buf[i];
    if ((cp == 0x0301 && IsVowel(prev)) || (cp == 0x0308 && prev == 'u')) {
      ++result.accented_vowels;
    }
    prev = cp;
    bool keep = true;
    if (cp == 0x0303) {
      keep = state.last_kept == 'n';  // ñ keeps its tilde
    } else if (IsStrippedMark(cp) || IsDropped(cp)) {
      keep = false;
    } else if (cp == static_cast<utf8proc_int32_t>(kZwj)) {
      keep = IsPictographic(state.last_kept);
    }
    if (keep) {
      buf[kept++] = cp;
      state.last_kept = cp;
    }
  }
  if (kept == 0) return;
  // Re-encoding needs room for the UTF-8 bytes (up to 4 per code point) inside the buffer.
  if (buf.size() < static_cast<std::size_t>(kept) * 4 + 1) buf.resize(kept * 4 + 1);
  const auto bytes = utf8proc_reencode(
      buf.data(), kept, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  if (bytes < 0) {
    out.append(seq);
    return;
  }
  out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(bytes));
}

// Precomputed folds for the non-ASCII characters social text uses most, built once with the
// reference path so both paths agree by construction (a unit test checks every code point).
struct TableEntry {
  std::uint8_t len = 0;       // bytes in `bytes`
  char32_t last = 0;          // the last code point of `bytes`, if any
  std::uint8_t accents = 0;   // accented vowels counted
  bool slow = false;          // depends on context (marks, joiner): use the reference path
  bool mark = false;          // the code point is a combining mark
  char bytes[12] = {};
};

struct Range {
  char32_t first;
  char32_t last;  // exclusive
};
// Latin-1 to Arabic (2-byte UTF-8); general punctuation, super- and subscripts, letterlike
// symbols, arrows, math operators, technical and miscellaneous symbols and dingbats ("❤", "✅",
// "★"); fullwidth forms; and mathematical alphanumerics (the "styled letters" of social posts).
constexpr std::array<Range, 4> kTableRanges = {
    {{0x0080, 0x0800}, {0x2000, 0x2C00}, {0xFF00, 0xFFF0}, {0x1D400, 0x1D800}}};

class FoldTable {
 public:
  FoldTable() {
    std::size_t total = 0;
    for (const Range& r : kTableRanges) total += r.last - r.first;
    entries_.resize(total);
    std::size_t base = 0;
    std::string encoded, folded;
    for (const Range& r : kTableRanges) {
      for (char32_t cp = r.first; cp < r.last; ++cp) {
        TableEntry& e = entries_[base + (cp - r.first)];
        e.mark = IsMark(static_cast<utf8proc_int32_t>(cp));
        if (cp == kZwj || (cp >= 0xD800 && cp <= 0xDFFF)) {
          e.slow = true;
          continue;
        }
        encoded.clear();
        AppendUtf8(encoded, cp);
        folded.clear();
        FoldState state;
        UnicodeFoldResult result;
        FoldSequenceSlow(encoded, folded, state, result);
        if (folded.size() > sizeof(e.bytes)) {
          e.slow = true;
          continue;
        }
        e.len = static_cast<std::uint8_t>(folded.size());
        for (std::size_t p = 0; p < folded.size();) e.last = DecodeAt(folded, p);
        e.accents = static_cast<std::uint8_t>(result.accented_vowels);
        std::memcpy(e.bytes, folded.data(), folded.size());
      }
      base += r.last - r.first;
    }
  }

  const TableEntry* Find(char32_t cp) const {
    if (cp < 0x800) return cp >= 0x80 ? &entries_[cp - 0x80] : nullptr;  // the first range
    static_assert(kTableRanges[1].first == 0x2000);
    constexpr std::size_t kSecondBase = kTableRanges[0].last - kTableRanges[0].first;
    if (cp - 0x2000 < kTableRanges[1].last - 0x2000) return &entries_[kSecondBase + (cp - 0x2000)];
    std::size_t base = 0;
    for (const Range& r : kTableRanges) {
      if (cp >= r.first && cp < r.last) return &entries_[base + (cp - r.first)];
      base += r.last - r.first;
    }
    return nullptr;
  }


 private:
  std::vector<TableEntry> entries_;
};

const FoldTable& Table() {
  static const FoldTable table;
  return table;
}

// Emoji that NFKC, case folding and accent folding all leave alone, copied without lookups.
bool IsPlainEmoji(char32_t cp) {
  return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x1F1E6 && cp <= 0x1F1FF);
}

// Which code points below U+20000 are combining marks (IsMark), one bit each, so the question
// asked after every character costs a bit test instead of a utf8proc lookup.
class MarkBits {
 public:
  MarkBits() {
    for (char32_t cp = 0; cp < kSize; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (IsMark(static_cast<utf8proc_int32_t>(cp))) bits_[cp / 64] |= 1ULL << (cp % 64);
    }
  }
  static constexpr char32_t kSize = 0x20000;
  bool Test(char32_t cp) const { return (bits_[cp / 64] >> (cp % 64)) & 1; }

 private:
  std::array<std::uint64_t, kSize / 64> bits_{};
};

const MarkBits& Marks() {
  static const MarkBits marks;
  return marks;
}

// The character at `pos` is a combining mark (false at the end of the text). The table entries
// say the same (TableEntry::mark is IsMark too).
[[gnu::always_inline]] inline bool StartsWithMark(std::string_view utf8, std::size_t pos,
                                                  const FoldTable& /*table*/) {
  if (pos >= utf8.size()) return false;
  const unsigned char lead = static_cast<unsigned char>(utf8[pos]);
  // ASCII, code points below U+0300 (where no combining mark is) and stray bytes: no.
  if (lead < 0xCC) return false;
  // General punctuation (U+2000–U+207F) and the emoji planes (U+1F000–U+1FFFF) have none.
  if (pos + 1 < utf8.size()) {
    const unsigned char second = static_cast<unsigned char>(utf8[pos + 1]);
    if ((lead == 0xE2 && second <= 0x81) || (lead == 0xF0 && second == 0x9F)) return false;
  }
  std::size_t p = pos;
  const char32_t cp = DecodeAt(utf8, p);
  if (cp < MarkBits::kSize) return Marks().Test(cp);
  return IsMark(static_cast<utf8proc_int32_t>(cp));
}

// U+FE0E and U+FE0F (text and emoji presentation): dropped wherever they are.
inline bool IsVariationSelector(char32_t cp) { return cp == 0xFE0E || cp == 0xFE0F; }
inline bool IsVariationSelectorAt(std::string_view utf8, std::size_t pos) {
  return pos + 3 <= utf8.size() && utf8[pos] == '\xEF' && utf8[pos + 1] == '\xB8' &&
         (utf8[pos + 2] == '\x8E' || utf8[pos + 2] == '\x8F');
}

[[gnu::noinline]] void Grow(std::string& out, std::size_t at_least) {
  out.resize(std::max(out.size() * 2, at_least));
}

}  // namespace

UnicodeFoldResult UnicodeFold(std::string_view utf8, std::string& out, bool use_tables) {
  UnicodeFoldResult result;
  const FoldTable& table = Table();
  FoldState state;
  std::size_t i = 0;
  const std::size_t n = utf8.size();
  // Writes go through a raw position `w` into `out`, sized ahead: whole 8-byte words for ASCII
  // and whole table entries are stored, cheaper than many small appends. `Room(k)` makes sure
  // k more bytes (plus a word of slack) fit.
  std::size_t w = out.size();
  out.resize(w + 2 * n + 32);
  const auto room = [&out, &w](std::size_t k) {
    if (w + k + 16 > out.size()) [[unlikely]] Grow(out, w + k + 32);
  };
  while (i < n) {
    // ASCII span: copied as it is, 8 bytes at a time, while looking for its end (whole words
    // are stored; bytes past the span are overwritten next or cut off by the final resize).
    room(n - i);
    char* const o = out.data() + w;
    std::size_t j = i;
    for (;;) {
      if (j + 8 > n) {
        while (j < n && static_cast<unsigned char>(utf8[j]) < 0x80) {
          o[j - i] = utf8[j];
          ++j;
        }
        break;
      }
      std::uint64_t word;
      std::memcpy(&word, utf8.data() + j, 8);
      std::memcpy(o + (j - i), &word, 8);
      const std::uint64_t high = word & 0x8080808080808080ULL;
      if (high != 0) {
        j += static_cast<std::size_t>(__builtin_ctzll(high)) / 8;  // little-endian: first byte low
        break;
      }
      j += 8;
    }
    if (j > i) {
      // A combining mark right after ASCII belongs with the ASCII letter before it ("n" + ◌̃).
      const bool mark_follows = j < n && StartsWithMark(utf8, j, table);
      const std::size_t end = mark_follows ? j - 1 : j;
      w += end - i;
      if (end > i) state.last_kept = static_cast<unsigned char>(utf8[end - 1]);
      i = end;
      if (!mark_follows) continue;
    }
    // One combining sequence: a base character (maybe ASCII) and the marks after it.
    const std::size_t start = i;
    const char32_t cp = DecodeAt(utf8, i);
    if (use_tables) {
      if (IsPlainEmoji(cp)) {
        room(4);
        std::memcpy(out.data() + w, utf8.data() + start, 4);  // plain emoji are 4 bytes
        w += 4;
        state.last_kept = static_cast<utf8proc_int32_t>(cp);
        continue;
      }
      // Emoji variation selectors after the character are dropped and change nothing else
      // ("❤️" folds as "❤"): skipped here, as the reference path would drop them.
      std::size_t after = i;
      while (IsVariationSelectorAt(utf8, after)) after += 3;
      if (cp == kZwj) {
        // Kept only after an emoji, as in the reference path.
        if (!StartsWithMark(utf8, after, table)) {
          if (IsPictographic(state.last_kept)) {
            room(3);
            std::memcpy(out.data() + w, "\xE2\x80\x8D", 3);
            w += 3;
            state.last_kept = static_cast<utf8proc_int32_t>(kZwj);
          }
          i = after;
          continue;
        }
      } else if (IsVariationSelector(cp)) {
        if (!StartsWithMark(utf8, after, table)) {  // alone: dropped
          i = after;
          continue;
        }
      } else {
        const TableEntry* e = table.Find(cp);
        if (e != nullptr && !e->slow && !e->mark && !StartsWithMark(utf8, after, table)) {
          room(sizeof(e->bytes));
          std::memcpy(out.data() + w, e->bytes, sizeof(e->bytes));
          w += e->len;
          result.accented_vowels += e->accents;
          if (e->len > 0) state.last_kept = static_cast<utf8proc_int32_t>(e->last);
          i = after;
          continue;
        }
      }
    }
    while (StartsWithMark(utf8, i, table)) DecodeAt(utf8, i);
    out.resize(w);
    FoldSequenceSlow(utf8.substr(start, i - start), out, state, result);
    w = out.size();
    out.resize(w + 2 * (n - i) + 32);
  }
  out.resize(w);
  return result;
}

}  // namespace faro::text_internal
