#include "text/normalise.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/unicode_fold.hpp"
#include "text/utf8_decode.hpp"

// Two passes. The first (unicode_fold.cpp) folds every non-ASCII character and copies ASCII as it
// is (pure ASCII text is only copied, 16 bytes at a time). The second, below, walks the text
// once, finds tokens, lowercases ASCII (URL paths excepted), collapses whitespace and reduces
// elongated words, writing straight into NormalisedText::folded. Its input is the first pass's
// per-thread output followed by zero bytes, so the common words, tags and links are read 16
// bytes at a time up to the very end of the text.
namespace faro {
namespace {

// Byte classes for the tokeniser; every byte of a multi-byte character is kNonAscii.
enum : std::uint8_t {
  kSpace = 1,   // ASCII whitespace and control characters
  kLower = 2,
  kUpper = 4,
  kDigit = 8,
  kHandle = 16,     // may continue a hashtag or a mention: letters, digits, '_'
  kNonAscii = 32,
  kSpecial = 64,    // may start a URL, an emoticon, a tag or a keycap: look closer
};
constexpr std::uint8_t kAlpha = kLower | kUpper;

constexpr std::array<std::uint8_t, 256> MakeClasses() {
  std::array<std::uint8_t, 256> c{};
  for (int i = 0; i < 0x20; ++i) c[i] = kSpace;
  c[' '] = kSpace;
  c[0x7F] = kSpace;
  for (int i = 'a'; i <= 'z'; ++i) c[i] = kLower | kHandle;
  for (int i = 'A'; i <= 'Z'; ++i) c[i] = kUpper | kHandle;
  for (int i = '0'; i <= '9'; ++i) c[i] = kDigit | kHandle;
  c['_'] = kHandle;
  for (int i = 0x80; i < 0x100; ++i) c[i] = kNonAscii;
  for (unsigned char s : {'h', 'H', 'w', 'W', 'x', 'X', 't', 'T'}) c[s] |= kSpecial;
  return c;
}
constexpr std::array<std::uint8_t, 256> kClasses = MakeClasses();

constexpr std::array<char, 256> MakeLower() {
  std::array<char, 256> l{};
  for (int i = 0; i < 256; ++i) l[i] = static_cast<char>(i >= 'A' && i <= 'Z' ? i + 32 : i);
  return l;
}
constexpr std::array<char, 256> kLowerTable = MakeLower();

inline std::uint8_t ClassOf(unsigned char c) { return kClasses[c]; }
inline bool IsAscii(unsigned char c) { return c < 0x80; }
inline bool IsAsciiAlpha(unsigned char c) { return (kClasses[c] & kAlpha) != 0; }
inline bool IsAsciiAlnum(unsigned char c) { return (kClasses[c] & (kAlpha | kDigit)) != 0; }
inline char Lower(unsigned char c) { return kLowerTable[c]; }

// What a non-ASCII code point is to the tokeniser.
enum class CpKind : std::uint8_t {
  kLetter, kMark, kDigit, kSpace, kEmoji, kRegional, kExtend, kJoiner, kOther
};

CpKind ComputeKind(char32_t cp) {
  if (cp == 0x200D) return CpKind::kJoiner;
  const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  switch (p->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
    case UTF8PROC_BOUNDCLASS_E_BASE:
    case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
    case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
    case UTF8PROC_BOUNDCLASS_E_ZWG:
    case UTF8PROC_BOUNDCLASS_E_MODIFIER:
      return CpKind::kEmoji;
    case UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR:
      return CpKind::kRegional;
    default:
      break;
  }
  if (cp >= 0x1F3FB && cp <= 0x1F3FF) return CpKind::kEmoji;  // skin tones, alone
  switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return CpKind::kLetter;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      // Emoji modifiers and keycaps are "extend"; marks inside words of other scripts too.
      return p->boundclass == UTF8PROC_BOUNDCLASS_EXTEND && (cp == 0x20E3 || cp >= 0xE0000)
                 ? CpKind::kExtend
                 : CpKind::kMark;
    case UTF8PROC_CATEGORY_ND:
      return CpKind::kDigit;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return CpKind::kSpace;
    case UTF8PROC_CATEGORY_CF:
      return cp >= 0xE0020 && cp <= 0xE007F ? CpKind::kExtend : CpKind::kOther;
    default:
      return CpKind::kOther;
  }
}

// Kinds of the characters social text uses most, looked up without utf8proc: the 2- and 3-byte
// characters up to U+2FFF (Latin, Greek, Cyrillic, ..., general punctuation, symbols,
// dingbats) and the emoji block U+1F000–U+1FFFF.
class KindCache {
 public:
  KindCache() {
    for (char32_t cp = 0; cp < kLowSize; ++cp) low_[cp] = ComputeKind(cp);
    for (char32_t cp = 0; cp < kEmojiSize; ++cp) emoji_[cp] = ComputeKind(kEmojiFirst + cp);
  }
  CpKind Get(char32_t cp) const {
    if (cp < kLowSize) return low_[cp];
    if (cp - kEmojiFirst < kEmojiSize) return emoji_[cp - kEmojiFirst];
    return ComputeKind(cp);
  }

 private:
  static constexpr char32_t kLowSize = 0x3000;
  static constexpr char32_t kEmojiFirst = 0x1F000;
  static constexpr char32_t kEmojiSize = 0x1000;
  std::array<CpKind, kLowSize> low_{};
  std::array<CpKind, kEmojiSize> emoji_{};
};

const KindCache& Kinds() {
  static const KindCache cache;
  return cache;
}


using text_internal::DecodeAt;
inline char32_t PeekCodePoint(std::string_view s, std::size_t pos) {
  return text_internal::PeekAt(s, pos);
}

inline std::size_t CodePointLength(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Emoticons, lowercase (matched case-insensitively, written lowercase). Longest first where
// one is a prefix of another.
constexpr std::array<std::string_view, 36> kEmoticons = {
    ":'-(", ":'(", ":')", ">:(", ":-)", ":-(", ":-d", ":-p", ":-o", ":-/", ":-|", ":-*",
    ";-)", "^_^", "-_-", "t_t", "</3", ":)", ":(", ":d", ":p", ":o", ":/", ":|", ":*",
    ":3", ":]", ":[", ";)", ";(", ";d", ";p", "=)", "=(", "=d", "<3"};
constexpr std::array<std::string_view, 3> kLetterEmoticons = {"xd", "xp", "^^"};
// Which (first, second) character pairs start some emoticon, lowercase ASCII: bit
// (first * 128 + second). Rules out "todo" or "the" at their first two letters.
constexpr std::array<std::uint64_t, 128 * 128 / 64> MakeEmoticonPairs() {
  std::array<std::uint64_t, 128 * 128 / 64> pairs{};
  const auto add = [&pairs](std::string_view e) {
    const unsigned bit = static_cast<unsigned char>(e[0]) * 128u + static_cast<unsigned char>(e[1]);
    pairs[bit / 64] |= 1ULL << (bit % 64);
  };
  for (std::string_view e : kEmoticons) add(e);
  for (std::string_view e : kLetterEmoticons) add(e);
  return pairs;
}
constexpr std::array<std::uint64_t, 128 * 128 / 64> kEmoticonPairs = MakeEmoticonPairs();

// The emoticons above (kEmoticons, then kLetterEmoticons) grouped by first character, keeping
// their order within a group, packed as integers, so TryEmoticon compares few and cheaply.
struct PackedEmoticon {
  std::uint32_t bytes = 0;  // the characters, first lowest
  std::uint32_t mask = 0;   // 0xFF for each character
  std::string_view text;
};
struct EmoticonGroup {
  std::uint8_t begin = 0;
  std::uint8_t end = 0;
};
struct EmoticonIndex {
  std::array<PackedEmoticon, kEmoticons.size() + kLetterEmoticons.size()> packed{};
  std::array<EmoticonGroup, 128> groups{};
};
constexpr EmoticonIndex MakeEmoticonIndex() {
  EmoticonIndex index;
  std::array<std::string_view, kEmoticons.size() + kLetterEmoticons.size()> all{};
  std::size_t count = 0;
  for (std::string_view e : kEmoticons) all[count++] = e;
  for (std::string_view e : kLetterEmoticons) all[count++] = e;
  std::size_t next = 0;
  for (int first = 0; first < 128; ++first) {
    index.groups[first].begin = static_cast<std::uint8_t>(next);
    for (std::string_view e : all) {
      if (static_cast<unsigned char>(e[0]) != first) continue;
      PackedEmoticon& p = index.packed[next++];
      for (std::size_t k = 0; k < e.size(); ++k) {
        p.bytes |= static_cast<std::uint32_t>(static_cast<unsigned char>(e[k])) << (8 * k);
        p.mask |= 0xFFu << (8 * k);
      }
      p.text = e;
    }
    index.groups[first].end = static_cast<std::uint8_t>(next);
  }
  return index;
}
constexpr EmoticonIndex kEmoticonIndex = MakeEmoticonIndex();

inline bool MayStartEmoticon(unsigned char first, unsigned char second) {
  if (first >= 128 || second >= 128) return false;
  const unsigned bit = static_cast<unsigned char>(Lower(first)) * 128u +
                       static_cast<unsigned char>(Lower(second));
  return (kEmoticonPairs[bit / 64] >> (bit % 64)) & 1;
}

#if defined(__SSE2__)
// Bytes of `v` in [first, first + count), as a mask (count below 128).
inline __m128i InRange(__m128i v, char first, int count) {
  return _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(first + 128))),
                        _mm_set1_epi8(static_cast<char>(-128 + count)));
}

// Of 16 bytes, those a tag or handle is made of (ASCII letters, digits, '_'), and among them
// the upper-case letters and the digits.
struct TagBytes {
  __m128i upper, digit, handle;
};
inline TagBytes ClassifyTagBytes(__m128i v) {
  TagBytes c;
  c.upper = InRange(v, 'A', 26);
  c.digit = InRange(v, '0', 10);
  c.handle = _mm_or_si128(_mm_or_si128(c.upper, c.digit),
                          _mm_or_si128(InRange(v, 'a', 26), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
  return c;
}
#endif

// The tokeniser's input is followed by this many zero bytes (which read as whitespace), so that
// its vector loops can load whole 16-byte blocks (plus two bytes of lookahead) up to the end of
// the text without a separate path for the last bytes.
constexpr std::size_t kInputPadding = 32;

class Tokeniser {
 public:
  // `in` must be followed in memory by kInputPadding zero bytes.
  Tokeniser(std::string_view in, NormalisedText& out) : in_(in), out_(out) {
    // The folded text is never longer than its input; 16 spare bytes let CopyLetterRun store
    // whole vectors at the end.
    out_.folded.resize(in.size() + 16);
    base_ = out_.folded.data();
    w_ = base_;
  }

  // One step at a time over the whole text.
  void Run() {
    const std::size_t n = in_.size();
    while (i_ < n) Step();
    out_.folded.resize(static_cast<std::size_t>(w_ - base_));
    FlushTokens();
  }


 private:
  // One token, one run of whitespace or one other character.
  void Step() {
    const auto* bytes = reinterpret_cast<const unsigned char*>(in_.data());
    const unsigned char c = bytes[i_];
    const std::uint8_t cls = kClasses[c];
    if (cls & kAlpha) {
      EmitPendingSpace();
      if ((cls & kSpecial) && TrySpecialLetter(c)) return;
      if (!FastWord()) Word();
      return;
    }
    if (cls & kSpace) {
      // The common case, one ASCII space before something else, without the loop.
      if (i_ + 1 < in_.size() && !(kClasses[bytes[i_ + 1]] & (kSpace | kNonAscii))) {
        ++i_;
        pending_space_ = w_ != base_;
        return;
      }
      SkipSpace();
      return;
    }
    if (cls & kDigit) {
      EmitPendingSpace();
      if (!TryKeycap()) Word();
      return;
    }
    if (cls & kNonAscii) {
      std::size_t p = i_;
      const char32_t cp = DecodeAt(in_, p);
      const CpKind kind = kinds_.Get(cp);
      if (kind == CpKind::kSpace) {
        SkipSpace();
        return;
      }
      EmitPendingSpace();
      switch (kind) {
        case CpKind::kLetter:
        case CpKind::kDigit:
          Word();
          break;
        case CpKind::kEmoji:
        case CpKind::kRegional:
          Emoji(kind);
          break;
        default:
          CopyBytes(p - i_);
          break;
      }
      return;
    }
    EmitPendingSpace();
    switch (c) {
      case '#':
        if (!TryKeycap() && !TryTag('#', TokenKind::kHashtag)) CopyByte();
        break;
      case '@':
        if (!TryTag('@', TokenKind::kMention)) CopyByte();
        break;
      case '*':
        if (!TryKeycap()) CopyByte();
        break;
      case ':': case ';': case '=': case '<': case '>': case '^': case '-':
        if (!TryEmoticon()) CopyByte();
        break;
      default:
        CopyByte();
        break;
    }
  }

  // A letter that may start a URL ("http", "www") or an emoticon ("xD", "T_T").
  bool TrySpecialLetter(unsigned char c) {
    const unsigned char next =
        i_ + 1 < in_.size() ? static_cast<unsigned char>(Lower(static_cast<unsigned char>(in_[i_ + 1]))) : 0;
    if (c == 'h' || c == 'H') return next == 't' && AtUrlBoundary() && TryUrl();
    if (c == 'w' || c == 'W') return next == 'w' && AtUrlBoundary() && TryUrl();
    return MayStartEmoticon(c, next) && !PrevIsWordChar() && TryEmoticon();
  }

  // --- output -------------------------------------------------------------------------------
  void CopyByte() {
    *w_++ = in_[i_++];
  }
  void CopyBytes(std::size_t len) {
    std::memcpy(w_, in_.data() + i_, len);
    w_ += len;
    i_ += len;
  }
  // Tokens are collected in a small uninitialised array and appended to out_.tokens in batches
  // with one copy: cheaper than a vector push per token (not inlined) or a resize per batch
  // (which value-initialises the new elements before they are overwritten).
  void AddToken(TokenKind kind, const char* begin, const char* end, bool elongated = false) {
    if (nrec_ == kRecs) FlushTokens();
    ::new (static_cast<void*>(recs_ + nrec_ * sizeof(Token)))
        Token{kind, std::string_view(begin, static_cast<std::size_t>(end - begin)), elongated};
    ++nrec_;
  }
  void FlushTokens() {
    const Token* first = std::launder(reinterpret_cast<const Token*>(recs_));
    out_.tokens.insert(out_.tokens.end(), first, first + nrec_);
    nrec_ = 0;
  }

  // --- whitespace ---------------------------------------------------------------------------
  void SkipSpace() {
    const std::size_t n = in_.size();
    while (i_ < n) {
      const unsigned char c = static_cast<unsigned char>(in_[i_]);
      if (IsAscii(c)) {
        if (!(kClasses[c] & kSpace)) break;
        ++i_;
        continue;
      }
      std::size_t p = i_;
      if (kinds_.Get(DecodeAt(in_, p)) != CpKind::kSpace) break;
      i_ = p;
    }
    pending_space_ = w_ != base_;  // no leading space; a trailing one is never written
  }
  void EmitPendingSpace() {
    if (pending_space_) {
      *w_++ = ' ';
      pending_space_ = false;
    }
  }

  // --- context ------------------------------------------------------------------------------
  // The input character before position i_ is a letter, digit or '_' (or a non-ASCII letter).
  bool PrevIsWordChar() const {
    if (i_ == 0) return false;
    const unsigned char c = static_cast<unsigned char>(in_[i_ - 1]);
    if (IsAscii(c)) return (kClasses[c] & kHandle) != 0;
    std::size_t start = i_ - 1;
    while (start > 0 && (static_cast<unsigned char>(in_[start]) & 0xC0) == 0x80) --start;
    std::size_t p = start;
    const CpKind k = kinds_.Get(DecodeAt(in_, p));
    return k == CpKind::kLetter || k == CpKind::kDigit || k == CpKind::kMark;
  }
  bool AtUrlBoundary() const {
    if (i_ == 0) return true;
    const unsigned char c = static_cast<unsigned char>(in_[i_ - 1]);
    if (!IsAscii(c)) return !PrevIsWordChar();
    if (kClasses[c] & (kHandle | kSpace)) return (kClasses[c] & kSpace) != 0;
    return c == '(' || c == '[' || c == '<' || c == '"' || c == '\'' || c == ':' || c == ',' ||
           c == ';' || c == '!' || c == '?' || c == '>';
  }
  bool IsWordCodePointAt(std::size_t pos) const {
    if (pos >= in_.size()) return false;
    const unsigned char c = static_cast<unsigned char>(in_[pos]);
    if (IsAscii(c)) return IsAsciiAlnum(c);
    const CpKind k = kinds_.Get(PeekCodePoint(in_, pos));
    return k == CpKind::kLetter || k == CpKind::kDigit;
  }

  // --- words and numbers --------------------------------------------------------------------
  // The common word, without Word()'s general loop: 1–15 ASCII letters, none three times in a
  // row, ended by ASCII whitespace or punctuation other than an apostrophe (so Word() would stop
  // there too). Lowercased in one vector store (the input is padded, see kInputPadding).
  // A single space after it, before a character that is not whitespace, is taken as well (what
  // Step() would do next). Returns false, having written nothing, when it does not apply.
  bool FastWord() {
#if defined(__SSE2__)
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data()) + i_;
    const auto load = [p](std::size_t k) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    };
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i lower = _mm_or_si128(load(0), case_bit);
    const __m128i letter = InRange(lower, 'a', 26);
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(letter));
    const unsigned len = static_cast<unsigned>(__builtin_ctz(~mask));  // ~mask has bit 16 set
    if (len >= 16) return false;
    const unsigned char end = p[len];
    if ((kClasses[end] & (kDigit | kNonAscii)) || end == '\'') return false;
    // A letter equal to the next two starts an elongation (see CopyLetterRun).
    const __m128i next1 = _mm_or_si128(load(1), case_bit);
    const __m128i next2 = _mm_or_si128(load(2), case_bit);
    const unsigned triple = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpeq_epi8(lower, next1), _mm_cmpeq_epi8(next1, next2))));
    if (triple & ((1u << len) - 1)) return false;
    char* const begin = w_;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w_), lower);
    w_ += len;
    i_ += len;
    AddToken(TokenKind::kWord, begin, w_);
    if (end == ' ' && !(kClasses[p[len + 1]] & (kSpace | kNonAscii))) {
      ++i_;
      pending_space_ = true;
    }
    return true;
#else
    return false;
#endif
  }

  // Letters (any script, ñ included), digits and marks; an apostrophe between two letters
  // stays inside ("don't"). Only digits (with '.' or ',' between digits: "1.000", "3,5") make
  // a number. A run of three or more of the same letter is reduced to one letter.
  void Word() {
    char* const begin = w_;
    char* w = w_;
    bool has_letter = false;
    bool elongated = false;
    char32_t run_cp = 0;  // the letter being repeated; 0 after a non-letter
    int run_len = 0;
    std::size_t run_cp_len = 0;
    const std::size_t n = in_.size();
    const auto* bytes = reinterpret_cast<const unsigned char*>(in_.data());
    std::size_t i = i_;
    while (i < n) {
      // Runs of ASCII letters, 16 at a time, while no letter repeats three times. Not when the
      // next letter continues the current run: the scalar code below counts that one.
      const std::size_t copied =
          static_cast<char32_t>(kLowerTable[bytes[i]]) == run_cp ? 0 : CopyLetterRun(bytes + i, n - i, w);
      if (copied > 0) {
        has_letter = true;
        w += copied;
        i += copied;
        // The run state from the input, not from the bytes just stored (reading those back
        // right away stalls on store forwarding).
        const char last = kLowerTable[bytes[i - 1]];
        run_len = copied >= 2 && kLowerTable[bytes[i - 2]] == last ? 2 : 1;
        run_cp = static_cast<unsigned char>(last);
        run_cp_len = 1;
        if (i >= n) break;
      }
      const unsigned char c = bytes[i];
      const std::uint8_t cls = kClasses[c];
      if (cls & kAlpha) {  // a letter the fast copy left: near the end, or a repeat
        const char l = kLowerTable[c];
        has_letter = true;
        ++i;
        if (static_cast<char32_t>(static_cast<unsigned char>(l)) == run_cp) {
          if (++run_len >= 3) {
            if (run_len == 3) --w;  // drop the second copy: one remains
            elongated = true;
            continue;
          }
        } else {
          run_cp = static_cast<unsigned char>(l);
          run_len = 1;
          run_cp_len = 1;
        }
        *w++ = l;
        continue;
      }
      if (cls & kDigit) {
        *w++ = static_cast<char>(c);
        ++i;
        run_cp = 0;
        continue;
      }
      if (cls & kNonAscii) {
        std::size_t p = i;
        const char32_t cp = DecodeAt(in_, p);
        const CpKind k = kinds_.Get(cp);
        const std::size_t len = p - i;
        if (k == CpKind::kLetter) {
          has_letter = true;
          if (cp == run_cp) {
            if (++run_len >= 3) {
              if (run_len == 3) w -= run_cp_len;
              elongated = true;
              i = p;
              continue;
            }
          } else {
            run_cp = cp;
            run_len = 1;
            run_cp_len = len;
          }
        } else if (k == CpKind::kDigit || (k == CpKind::kMark && w > begin)) {
          run_cp = 0;
        } else {
          break;
        }
        std::memcpy(w, bytes + i, len);
        w += len;
        i = p;
        continue;
      }
      // An apostrophe between letters stays inside ("don't"); '.' or ',' between digits
      // stays inside a number ("1.000", "3,5").
      if (c == '\'' && has_letter && i + 1 < n && IsLetterBefore(i) && IsLetterAt(i + 1)) {
        *w++ = '\'';
        ++i;
        run_cp = 0;
        continue;
      }
      if ((c == '.' || c == ',') && !has_letter && w > begin && i + 1 < n &&
          (kClasses[bytes[i + 1]] & kDigit) &&
          (kClasses[static_cast<unsigned char>(w[-1])] & kDigit)) {
        *w++ = static_cast<char>(c);
        ++i;
        run_cp = 0;
        continue;
      }
      break;
    }
    if (w == begin) {  // cannot happen from Run(); keep the character as text if it does
      CopyBytes(1);
      return;
    }
    i_ = i;
    w_ = w;
    AddToken(has_letter ? TokenKind::kWord : TokenKind::kNumber, begin, w, elongated);
  }

  // Copies the ASCII letters at the start of `p` (at most `left` bytes) to `w` in lowercase and
  // returns how many; stops early (leaving the rest to the caller) before a letter that would
  // be the third of a run ("ooo"). Reads up to 18 bytes past the text (kInputPadding). Writes whole
  // 16-byte vectors at `w`, which the output has room for (it is never ahead of the input);
  // the bytes past the letters are overwritten by what comes next.
  static std::size_t CopyLetterRun(const unsigned char* p, std::size_t left, char* w) {
    std::size_t copied = 0;
#if defined(__SSE2__)
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i shift = _mm_set1_epi8(static_cast<char>('a' + 128));
    const __m128i limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
    while (copied < left) {
      const auto* q = reinterpret_cast<const __m128i*>(p + copied);
      const __m128i v = _mm_loadu_si128(q);
      const __m128i lower = _mm_or_si128(v, case_bit);
      const __m128i letter = _mm_cmplt_epi8(_mm_sub_epi8(lower, shift), limit);
      const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(letter));
      const unsigned prefix = mask == 0xFFFF ? 16 : static_cast<unsigned>(__builtin_ctz(~mask));
      if (prefix == 0) break;
      // A byte equal to the next two (case-insensitively) starts an elongation; only letters
      // can equal a letter after "| 0x20", so the prefix mask suffices.
      const __m128i next1 =
          _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + copied + 1)), case_bit);
      const __m128i next2 =
          _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + copied + 2)), case_bit);
      const unsigned triple = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpeq_epi8(lower, next1), _mm_cmpeq_epi8(next1, next2))));
      const unsigned prefix_mask = prefix == 16 ? 0xFFFFu : ((1u << prefix) - 1);
      if (triple & prefix_mask) {
        // Copy up to and including the second letter of the run; the caller takes it from there.
        // (At most the 16 bytes stored: a stretch may start at the last byte of the vector.)
        const unsigned upto =
            std::min(static_cast<unsigned>(__builtin_ctz(triple & prefix_mask)) + 2, 16u);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w + copied), lower);
        return copied + upto;
      }
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w + copied), lower);
      copied += prefix;
      if (prefix < 16) break;
    }
#else
    (void)p;
    (void)left;
    (void)w;
#endif
    return copied;
  }

  bool IsLetterAt(std::size_t pos) const {
    const unsigned char c = static_cast<unsigned char>(in_[pos]);
    if (IsAscii(c)) return IsAsciiAlpha(c);
    return kinds_.Get(PeekCodePoint(in_, pos)) == CpKind::kLetter;
  }
  bool IsLetterBefore(std::size_t pos) const {
    const unsigned char c = static_cast<unsigned char>(in_[pos - 1]);
    if (IsAscii(c)) return IsAsciiAlpha(c);
    return true;  // a non-ASCII letter or mark, since Word() only consumed those
  }

  // --- hashtags and mentions ----------------------------------------------------------------
  // '#' or '@' not glued to a word before it ("C#", "ana@example.com" are not tags), followed
  // by letters, digits and '_' (any script). A hashtag needs one non-digit ("#1" is not one);
  // a mention may contain inner dots ("@nutri.ana"). Written lowercase, never shortened.
  bool TryTag(char sigil, TokenKind kind) {
    if (PrevIsWordChar()) return false;
#if defined(__SSE2__)
    // The common tag: up to 15 ASCII letters, digits and '_' ended by ASCII other than a
    // mention's '.', checked and lowercased 16 bytes at a time (the input is padded).
    {
      const auto* p = reinterpret_cast<const unsigned char*>(in_.data()) + i_ + 1;
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto [upper, digit, handle] = ClassifyTagBytes(v);
      const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(handle));
      const unsigned len = static_cast<unsigned>(__builtin_ctz(~mask));  // at most 16
      const unsigned char stop = len < 16 ? p[len] : 0x80;
      if (stop < 0x80 && !(stop == '.' && kind == TokenKind::kMention)) {
        if (len == 0) return false;
        const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(digit));
        const unsigned live = (1u << len) - 1;
        if (kind == TokenKind::kHashtag && (digits & live) == live) return false;  // "#1"
        *w_++ = sigil;
        char* const begin = w_;
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w_),
                         _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
        w_ += len;
        i_ += 1 + len;
        AddToken(kind, begin, w_);
        return true;
      }
    }
#endif
    const std::size_t n = in_.size();
    std::size_t p = i_ + 1;
    bool non_digit = false;
    std::size_t end = p;
    while (p < n) {
      const unsigned char c = static_cast<unsigned char>(in_[p]);
      if (IsAscii(c)) {
        const std::uint8_t cls = kClasses[c];
        if (cls & kHandle) {
          non_digit |= !(cls & kDigit);
          ++p;
          end = p;
          continue;
        }
        if (c == '.' && kind == TokenKind::kMention && p > i_ + 1 && p + 1 < n &&
            (ClassOf(static_cast<unsigned char>(in_[p + 1])) & kHandle)) {
          ++p;
          continue;
        }
        break;
      }
      std::size_t q = p;
      const CpKind k = kinds_.Get(DecodeAt(in_, q));
      if (k == CpKind::kLetter || k == CpKind::kMark) {
        non_digit = true;
      } else if (k != CpKind::kDigit) {
        break;
      }
      p = q;
      end = p;
    }
    if (end == i_ + 1 || (kind == TokenKind::kHashtag && !non_digit)) return false;
    *w_++ = sigil;
    char* begin = w_;
    for (std::size_t k = i_ + 1; k < end; ++k) *w_++ = Lower(static_cast<unsigned char>(in_[k]));
    i_ = end;
    AddToken(kind, begin, w_);
    return true;
  }

  // --- URLs ---------------------------------------------------------------------------------
  // "http://", "https://" (any case) or "www." followed by a host, up to whitespace, a quote,
  // '<', '>' or an emoji; trailing sentence punctuation is left out. Scheme and host are
  // lowercased; path, query and fragment keep their case, because links are case-sensitive.
  bool TryUrl() {
    const std::string_view rest = in_.substr(i_);
    std::size_t host_start;
    if (StartsWithNoCase(rest, "https://")) {
      host_start = 8;
    } else if (StartsWithNoCase(rest, "http://")) {
      host_start = 7;
    } else if (StartsWithNoCase(rest, "www.")) {
      host_start = 0;
    } else {
      return false;
    }
    std::size_t end = host_start;
    while (end < rest.size()) {
#if defined(__SSE2__)
      // Skip ASCII that continues the link, 16 bytes at a time; the zero padding after the
      // text stops this at the end.
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rest.data() + end));
      const __m128i stop = _mm_or_si128(
          _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x21)),  // controls, space, non-ASCII
                       _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))),
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('>')))));
      const unsigned stop_mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
      if (stop_mask == 0) {
        end += 16;
        continue;
      }
      end += static_cast<unsigned>(__builtin_ctz(stop_mask));
      if (end >= rest.size()) break;
#endif
      const unsigned char c = static_cast<unsigned char>(rest[end]);
      if (IsAscii(c)) {
        if ((kClasses[c] & kSpace) || c == '"' || c == '<' || c == '>') break;
        ++end;
        continue;
      }
      std::size_t p = end;
      const CpKind k = kinds_.Get(DecodeAt(rest, p));
      if (k != CpKind::kLetter && k != CpKind::kDigit && k != CpKind::kMark) break;
      end = p;
    }
    // Leave out trailing punctuation; a ')' stays only if it closes a '(' of the URL.
    while (end > host_start) {
      const char c = rest[end - 1];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
          c == ']' || c == '}') {
        --end;
      } else if (c == ')' && Count(rest.substr(0, end), ')') > Count(rest.substr(0, end), '(')) {
        --end;
      } else {
        break;
      }
    }
    std::size_t host_end = host_start;
    while (host_end < end && rest[host_end] != '/' && rest[host_end] != '?' &&
           rest[host_end] != '#') {
      ++host_end;
    }
    const std::size_t min_host = host_start == 0 ? 5 : host_start + 1;  // "www.x" / "http://x"
    if (host_end < min_host) return false;
    char* begin = w_;
    for (std::size_t k = 0; k < host_end; ++k) *w_++ = Lower(static_cast<unsigned char>(rest[k]));
    std::memcpy(w_, rest.data() + host_end, end - host_end);
    w_ += end - host_end;
    i_ += end;
    AddToken(TokenKind::kUrl, begin, w_);
    return true;
  }
  static std::size_t Count(std::string_view s, char c) {
    std::size_t count = 0;
    for (char x : s) count += x == c;
    return count;
  }
  static bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
    if (s.size() < lower_prefix.size()) return false;
    for (std::size_t k = 0; k < lower_prefix.size(); ++k) {
      if (Lower(static_cast<unsigned char>(s[k])) != lower_prefix[k]) return false;
    }
    return true;
  }

  // --- emoticons ----------------------------------------------------------------------------
  // A listed emoticon, case-insensitive, a final ')', '(', letter or digit possibly repeated
  // (":)))", "xDDD", "<333", ":oooo"; repeating letters also keeps folding idempotent: ":oooo"
  // must not become a word "oooo" → "o" that a second folding would read as ":o").
  // One that ends in a letter or digit (":p", "xd", "<3") must not run into a word; one that
  // starts with ':' or ';' must not follow a digit ("10:30").
  bool TryEmoticon() {
    // Quick rejection: most ':' and 'x' are not emoticons, and their first two characters
    // say so.
    if (i_ + 1 >= in_.size() || !MayStartEmoticon(static_cast<unsigned char>(in_[i_]),
                                                  static_cast<unsigned char>(in_[i_ + 1]))) {
      return false;
    }
    const std::string_view rest = in_.substr(i_);
    // The first (up to) four characters, lowercase, packed first-lowest; compared with the
    // emoticons of the same first character in list order.
    std::uint32_t head = 0;
    for (std::size_t k = 0; k < 4 && k < rest.size(); ++k) {
      head |= static_cast<std::uint32_t>(static_cast<unsigned char>(
                  Lower(static_cast<unsigned char>(rest[k]))))
              << (8 * k);
    }
    std::string_view match;
    const EmoticonGroup group = kEmoticonIndex.groups[head & 0x7F];
    for (unsigned k = group.begin; k < group.end; ++k) {
      const PackedEmoticon& e = kEmoticonIndex.packed[k];
      if ((head & e.mask) == e.bytes) {
        match = e.text;
        break;
      }
    }
    if (match.empty()) return false;
    if ((match[0] == ':' || match[0] == ';') && i_ > 0 &&
        (ClassOf(static_cast<unsigned char>(in_[i_ - 1])) & kDigit)) {
      return false;
    }
    std::size_t end = match.size();
    const char last = match.back();
    if (last == ')' || last == '(' || IsAsciiAlnum(static_cast<unsigned char>(last))) {
      while (end < rest.size() && Lower(static_cast<unsigned char>(rest[end])) == last) ++end;
    }
    if (IsAsciiAlnum(static_cast<unsigned char>(last)) && IsWordCodePointAt(i_ + end)) {
      return false;
    }
    if (match == ":/" && end < rest.size() && rest[end] == '/') return false;
    char* begin = w_;
    for (std::size_t k = 0; k < end; ++k) *w_++ = Lower(static_cast<unsigned char>(rest[k]));
    i_ += end;
    AddToken(TokenKind::kEmoticon, begin, w_);
    return true;
  }

  // --- emoji --------------------------------------------------------------------------------
  // One emoji per token: a pictograph with its modifiers (skin tone, keycap, tag sequence),
  // joined to the next by U+200D ("👩‍💻", "👨‍👩‍👧"), or a pair of regional indicators (a flag).
  void Emoji(CpKind first) {
    char* begin = w_;
    const std::size_t n = in_.size();
    std::size_t p = i_;
    DecodeAt(in_, p);
    if (first == CpKind::kRegional) {
      std::size_t q = p;
      if (q < n && kinds_.Get(PeekCodePoint(in_, q)) == CpKind::kRegional) {
        DecodeAt(in_, q);
        p = q;
      }
    } else {
      while (p < n) {
        std::size_t q = p;
        const CpKind k = static_cast<unsigned char>(in_[q]) < 0x80
                             ? CpKind::kOther
                             : kinds_.Get(DecodeAt(in_, q));
        if (k == CpKind::kExtend || (k == CpKind::kEmoji && IsSkinTone(in_, p))) {
          p = q;
        } else if (k == CpKind::kJoiner && q < n &&
                   kinds_.Get(PeekCodePoint(in_, q)) == CpKind::kEmoji) {
          DecodeAt(in_, q);
          p = q;
        } else {
          break;
        }
      }
    }
    CopyBytes(p - i_);
    AddToken(TokenKind::kEmoji, begin, w_);
  }
  static bool IsSkinTone(std::string_view s, std::size_t pos) {
    const char32_t cp = PeekCodePoint(s, pos);
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
  }
  // "1⃣", "#⃣": a keycap emoji (its variation selector was dropped by the Unicode pass).
  bool TryKeycap() {
    if (i_ + 4 > in_.size()) return false;
    if (std::memcmp(in_.data() + i_ + 1, "\xE2\x83\xA3", 3) != 0) return false;
    char* begin = w_;
    CopyBytes(4);
    AddToken(TokenKind::kEmoji, begin, w_);
    return true;
  }

  std::string_view in_;
  NormalisedText& out_;
  const KindCache& kinds_ = Kinds();
  char* base_;
  char* w_;
  std::size_t i_ = 0;
  bool pending_space_ = false;
  static constexpr unsigned kRecs = 64;
  static_assert(std::is_trivially_copyable_v<Token> && std::is_trivially_destructible_v<Token>);
  alignas(Token) unsigned char recs_[kRecs * sizeof(Token)];  // Tokens [0, nrec_) live here
  unsigned nrec_ = 0;
};

// Per-thread scratch holding the tokeniser's input (the Unicode pass's output, which for pure
// ASCII text is a copy of it), so Normalise allocates nothing once warm.
thread_local std::string tls_tokeniser_input;
// Per-thread output of Normaliser::Hashtags: only ever grown, so the views it hands out stay
// valid while tags are added.
thread_local std::string tls_hashtags;

}  // namespace

void NormalisedText::Clear() {
  folded.clear();
  tokens.clear();
  accented_vowels = 0;
}

namespace {

// The per-thread buffer Tokenise reads, its first `size` bytes the text: zeros written after
// them (kInputPadding). The buffer is only ever grown: the bytes past the padding are garbage.
PreparedText Padded(std::size_t size, int accented_vowels) {
  std::string& scratch = tls_tokeniser_input;
  if (scratch.size() < size + kInputPadding) scratch.resize(size + kInputPadding);
  std::memset(scratch.data() + size, 0, kInputPadding);
  return PreparedText{std::string_view(scratch.data(), size), accented_vowels};
}

}  // namespace

PreparedText Normaliser::Prepare(std::string_view utf8) const {
  // The fold copies ASCII as it is, 16 bytes at a time, so pure ASCII text needs no pass of its
  // own to be told apart.
  int accented_vowels = 0;
  const std::size_t size = PrepareInto(utf8, tls_tokeniser_input, 0, accented_vowels);
  return Padded(size, accented_vowels);
}

std::size_t Normaliser::PrepareInto(std::string_view utf8, std::string& buffer, std::size_t at,
                                     int& accented_vowels) const {
  text_internal::UnicodeFoldResult fold;
  const std::size_t end = text_internal::FoldInto(utf8, buffer, at, fold);
  accented_vowels = fold.accented_vowels;
  return end;
}

PreparedText Normaliser::Adopt(const PreparedText& prepared) const {
  const std::size_t size = prepared.text.size();
  std::string& scratch = tls_tokeniser_input;
  if (scratch.size() < size) scratch.resize(size);
  if (size > 0 && prepared.text.data() != scratch.data()) std::memcpy(scratch.data(), prepared.text.data(), size);
  return Padded(size, prepared.accented_vowels);
}

void Normaliser::Tokenise(const PreparedText& prepared, NormalisedText& out) const {
  out.Clear();
  out.accented_vowels = prepared.accented_vowels;
  Tokeniser(prepared.text, out).Run();
}

void Normaliser::Normalise(std::string_view utf8, NormalisedText& out) const {
  Tokenise(Prepare(utf8), out);
}

bool Normaliser::MayShorten(const PreparedText& prepared) {
  const std::string_view text = prepared.text;
#if defined(__SSE2__)
  // Reads up to 17 bytes past the text (kInputPadding after a prepared text; a batch's next
  // text or its padding): a run only counts when it starts at least three bytes before the end.
  const __m128i case_bit = _mm_set1_epi8(0x20);
  for (std::size_t k = 0; k + 2 < text.size(); k += 16) {
    const auto load = [&](std::size_t at) {
      return _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at)), case_bit);
    };
    const __m128i v = load(k);
    const __m128i next1 = load(k + 1);
    const __m128i next2 = load(k + 2);
    const __m128i triple = _mm_and_si128(InRange(v, 'a', 26),
                                         _mm_and_si128(_mm_cmpeq_epi8(v, next1), _mm_cmpeq_epi8(next1, next2)));
    unsigned starts = static_cast<unsigned>(_mm_movemask_epi8(triple));
    if (text.size() - 2 - k < 16) starts &= (1u << (text.size() - 2 - k)) - 1;
    if (starts != 0) return true;
  }
  return false;
#else
  for (std::size_t k = 0; k + 2 < text.size(); ++k) {
    const char c = Lower(static_cast<unsigned char>(text[k]));
    if (c >= 'a' && c <= 'z' && Lower(static_cast<unsigned char>(text[k + 1])) == c &&
        Lower(static_cast<unsigned char>(text[k + 2])) == c)
      return true;
  }
  return false;
#endif
}

bool Normaliser::Hashtags(const PreparedText& prepared, std::vector<std::string_view>& tags) const {
  tags.clear();
  const std::string_view text = prepared.text;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  // The tags, lowercase, are written one after the other into `folded`, sized first for all of
  // them (they are no longer than the text) and 16 bytes of vector stores past the last.
  std::string& folded = tls_hashtags;
  if (folded.size() < text.size() + 16) folded.resize(text.size() + 16);
  char* const out = folded.data();
  std::size_t w = 0;
  std::size_t at = 0;
  std::size_t chunk = 0;    // where the run of non-whitespace before the current '#' starts
  std::size_t scanned = 0;  // no whitespace looked for before this
  std::size_t searched = 0; // [chunk, searched) has no link start
  while (true) {
    const void* found = std::memchr(text.data() + at, '#', text.size() - at);
    if (found == nullptr) break;
    const std::size_t hash = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    at = hash + 1;
    // A '#' inside a link belongs to the link. A link starts with "http://", "https://" or
    // "www." and runs to whitespace, so it is enough that the run of non-whitespace holding the
    // '#' has neither "://" nor "www." before it.
    // Backwards, since a tag usually starts a word (no steps), and no further than the last
    // '#' looked at, so no byte is read twice.
    std::size_t word_start = hash;
    while (word_start > scanned && !(kClasses[bytes[word_start - 1]] & kSpace)) --word_start;
    if (word_start > scanned) chunk = searched = word_start;
    scanned = hash;
    // Only what was not searched yet, with three bytes of overlap for a link start across.
    const std::size_t from = std::max(chunk, searched >= 3 ? searched - 3 : 0);
    searched = hash;
    const std::string_view before = text.substr(from, hash - from);
    if (before.find("://") != std::string_view::npos) return false;
    for (std::size_t j = 0; j + 4 <= before.size(); ++j)
      if (Lower(static_cast<unsigned char>(before[j])) == 'w' && Lower(static_cast<unsigned char>(before[j + 1])) == 'w' &&
          Lower(static_cast<unsigned char>(before[j + 2])) == 'w' && before[j + 3] == '.')
        return false;
    // Glued to a word before it ("C#") it is no tag; a non-ASCII character before it needs the
    // tokeniser's view of that character.
    if (hash > 0) {
      const unsigned char prev = bytes[hash - 1];
      if (!IsAscii(prev)) return false;
      if (kClasses[prev] & kHandle) continue;
    }
    // The tag: ASCII letters, digits and '_', written lowercase at `w` as they are read (kept
    // only if it is a tag). 16 bytes at a time: the zero padding after the text stops the scan.
    std::size_t end = hash + 1;
    bool non_digit = false;
#if defined(__SSE2__)
    for (;;) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + end));
      const auto [upper, digit, handle] = ClassifyTagBytes(v);
      const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(handle));
      const unsigned len = static_cast<unsigned>(__builtin_ctz(~mask));  // at most 16
      const unsigned live = (1u << len) - 1;
      non_digit |= (static_cast<unsigned>(_mm_movemask_epi8(digit)) & live) != live;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + w + (end - hash - 1)),
                       _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
      end += len;
      if (len < 16) break;
    }
#else
    while (kClasses[bytes[end]] & kHandle) {
      non_digit |= !(kClasses[bytes[end]] & kDigit);
      out[w + (end - hash - 1)] = Lower(bytes[end]);
      ++end;
    }
#endif
    // A non-ASCII letter, digit or mark may continue the tag, and "#⃣" is a keycap.
    if (end < text.size() && !IsAscii(bytes[end])) return false;
    if (!non_digit) continue;  // "#" alone, "#1"
    tags.emplace_back(out + w, end - hash - 1);
    w += end - hash - 1;
    at = end;
  }
  return true;
}

std::string FoldText(std::string_view utf8) {
  NormalisedText out;
  Normaliser().Normalise(utf8, out);
  return std::move(out.folded);
}

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kNumber: return "number";
    case TokenKind::kHashtag: return "hashtag";
    case TokenKind::kMention: return "mention";
    case TokenKind::kUrl: return "url";
    case TokenKind::kEmoji: return "emoji";
    case TokenKind::kEmoticon: return "emoticon";
  }
  return "word";
}

}  // namespace faro
