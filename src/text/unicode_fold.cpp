#include "text/unicode_fold.hpp"

#include "core/utf8.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
  // The entry of the 2-byte character `lead` `trail` (a valid sequence: U+0080–U+07FF).
  const TableEntry& TwoByte(unsigned char lead, unsigned char trail) const {
    return entries_[((static_cast<std::size_t>(lead & 0x1F) << 6) | (trail & 0x3F)) - 0x80];
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

// Copies the ASCII bytes of `in` from `i` on to `o` (in[i] to o[0]) and returns where they end:
// at the first non-ASCII byte, or at n. Reads only bytes of [0, n). Stores whole 16-byte vectors
// or 8-byte words (for a span that starts less than 16 bytes before the end of the text): `o`
// must have room for n - i + 16 bytes; what is stored past the span is overwritten next or cut
// off by the caller.
[[gnu::always_inline]] inline std::size_t CopyAsciiSpan(const char* in, std::size_t i,
                                                        std::size_t n, char* o) {
  std::size_t j = i;
#if defined(__SSE2__)
  while (j + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + j));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + (j - i)), v);
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v));
    if (high != 0) return j + static_cast<unsigned>(__builtin_ctz(high));
    j += 16;
  }
  if (j == n) return n;
  if (n - i >= 16) {
    // The last bytes: the text's last 16, which overlap bytes of the span already copied
    // (stored again, the same) and so stay inside both the text and the span's output.
    const std::size_t back = n - 16;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + back));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + (back - i)), v);
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v)) >> (j - back);
    return high != 0 ? j + static_cast<unsigned>(__builtin_ctz(high)) : n;
  }
#endif
  // Little-endian words: the first byte is the lowest.
  while (j + 8 <= n) {
    std::uint64_t word;
    std::memcpy(&word, in + j, 8);
    std::memcpy(o + (j - i), &word, 8);
    const std::uint64_t high = word & 0x8080808080808080ULL;
    if (high != 0) return j + static_cast<std::size_t>(__builtin_ctzll(high)) / 8;
    j += 8;
  }
  if (j < n && n >= 8) {
    // The last 1–7 bytes: the text's last word, shifted so that byte j comes first; the zero
    // bytes shifted in are past the text, and read as ASCII, so the span ends at n at the latest.
    std::uint64_t word;
    std::memcpy(&word, in + (n - 8), 8);
    word >>= 8 * (j - (n - 8));
    std::memcpy(o + (j - i), &word, 8);
    const std::uint64_t high = word & 0x8080808080808080ULL;
    return high != 0 ? j + static_cast<std::size_t>(__builtin_ctzll(high)) / 8 : n;
  }
  while (j < n && static_cast<unsigned char>(in[j]) < 0x80) {  // a text shorter than 8 bytes
    o[j - i] = in[j];
    ++j;
  }
  return j;
}

}  // namespace

std::size_t FoldInto(std::string_view utf8, std::string& out, std::size_t w,
                     UnicodeFoldResult& result, bool use_tables) {
  const FoldTable& table = Table();
  const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
  std::size_t i = 0;
  const std::size_t n = utf8.size();
  // Writes go through a raw position `w` into `out`, sized ahead: whole vectors of ASCII and
  // whole table entries are stored, cheaper than many small appends. `room(k)` makes sure
  // k more bytes (plus a vector of slack) fit. The buffer's address and size, the last kept code point
  // and the accent count are locals, not members of `out` or `result`: the compiler must assume
  // that any store through a char pointer may change what is in memory, and would reload them
  // after every byte written.
  if (out.size() < w + 2 * n + 32) out.resize(w + 2 * n + 32);
  char* o = out.data();
  std::size_t capacity = out.size();
  utf8proc_int32_t last_kept = 0;  // FoldState::last_kept
  int accents = 0;
  const auto room = [&](std::size_t k) {
    if (w + k + 16 > capacity) [[unlikely]] {
      Grow(out, w + k + 32);
      o = out.data();
      capacity = out.size();
    }
  };
  // Appends a table entry (room for all of TableEntry::bytes must be there).
  const auto put = [&](const TableEntry& e) {
    std::memcpy(o + w, e.bytes, sizeof(e.bytes));
    w += e.len;
    accents += e.accents;
    if (e.len > 0) last_kept = static_cast<utf8proc_int32_t>(e.last);
  };
  while (i < n) {
    room(n - i);
    const std::size_t j = CopyAsciiSpan(utf8.data(), i, n, o + w);
    if (j > i) {
      // A combining mark right after ASCII belongs with the ASCII letter before it ("n" + ◌̃).
      const bool mark_follows = j < n && StartsWithMark(utf8, j, table);
      const std::size_t end = mark_follows ? j - 1 : j;
      w += end - i;
      if (end > i) last_kept = bytes[end - 1];
      i = end;
      if (!mark_follows) continue;
    }
    // One combining sequence: a base character (maybe ASCII) and the marks after it. There is
    // room for n - i + 16 bytes, enough for one table entry.
    const std::size_t start = i;
    if (use_tables) {
      // The commonest case first: a 2-byte character (Latin-1, Latin Extended, Greek,
      // Cyrillic...: "é", "ñ", "¿") followed by the end, ASCII or another character below
      // U+0300. Combining marks and variation selectors start with a byte of 0xCC or more, so
      // nothing after it changes its fold: the general path below would take the same table
      // entry, only after more questions.
      const unsigned char lead = bytes[i];
      if (lead >= 0xC2 && lead < 0xE0 && i + 1 < n && (bytes[i + 1] & 0xC0) == 0x80 &&
          (i + 2 == n || bytes[i + 2] < 0xCC)) {
        const TableEntry& e = table.TwoByte(lead, bytes[i + 1]);
        if (!e.slow && !e.mark) {
          put(e);
          i += 2;
          continue;
        }
      }
    }
    const char32_t cp = DecodeAt(utf8, i);
    if (use_tables) {
      if (IsPlainEmoji(cp)) {
        std::memcpy(o + w, bytes + start, 4);  // plain emoji are 4 bytes
        w += 4;
        last_kept = static_cast<utf8proc_int32_t>(cp);
        continue;
      }
      // Emoji variation selectors after the character are dropped and change nothing else
      // ("❤️" folds as "❤"): skipped here, as the reference path would drop them.
      std::size_t after = i;
      while (IsVariationSelectorAt(utf8, after)) after += 3;
      if (cp == kZwj) {
        // Kept only after an emoji, as in the reference path.
        if (!StartsWithMark(utf8, after, table)) {
          if (IsPictographic(last_kept)) {
            std::memcpy(o + w, "\xE2\x80\x8D", 3);
            w += 3;
            last_kept = static_cast<utf8proc_int32_t>(kZwj);
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
          put(*e);
          i = after;
          continue;
        }
      }
    }
    while (StartsWithMark(utf8, i, table)) DecodeAt(utf8, i);
    out.resize(w);
    FoldState state{last_kept};
    UnicodeFoldResult slow;
    FoldSequenceSlow(utf8.substr(start, i - start), out, state, slow);
    last_kept = state.last_kept;
    accents += slow.accented_vowels;
    w = out.size();
    out.resize(w + 2 * (n - i) + 32);
    o = out.data();
    capacity = out.size();
  }
  result.accented_vowels += accents;
  return w;
}

UnicodeFoldResult UnicodeFold(std::string_view utf8, std::string& out, bool use_tables) {
  UnicodeFoldResult result;
  out.resize(FoldInto(utf8, out, out.size(), result, use_tables));
  return result;
}

}  // namespace faro::text_internal
