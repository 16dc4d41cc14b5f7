#include "sentiment/sentiment.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/utf8.hpp"
#include "sentiment/lexicon_data.hpp"

namespace faro {
namespace {

// Weights of the VADER method (Hutto & Gilbert 2014), which the English lexicon was rated for.
constexpr double kCapsEmphasis = 0.733;       // a valence word in capitals amid lower case
constexpr double kElongationEmphasis = 0.293;  // "buenooo", "sooo good"
constexpr double kExclamationEach = 0.292;     // per '!', at most four
constexpr int kExclamationMax = 4;
constexpr double kBeforeContrast = 0.5;        // "... pero ..." / "... but ..."
constexpr double kAfterContrast = 1.5;
constexpr double kCompoundAlpha = 15.0;        // compound = sum / sqrt(sum^2 + alpha)
constexpr float kLaughterValence = 1.2f;       // "jajaja", "jejeje" not in the lexicon
constexpr double kQuestionFactor = 0.5;       // a mention that is a question
constexpr int kHistory = 3;                    // modifiers reach up to three words ahead
constexpr int kMaxCapsWords = 16;

// Words written in capitals in the original mention, as hashes of their folded form.
struct CapsWords {
  std::uint64_t hash[kMaxCapsWords];
  int count = 0;
  bool Contains(std::uint64_t h) const {
    for (int i = 0; i < count; ++i) {
      if (hash[i] == h) return true;
    }
    return false;
  }
};

// Folds one Latin-1 upper- or lower-case letter (U+00C0..U+00FF) to its base; 0 if not one.
// Writes ñ as itself, as the normaliser does.
int FoldLatin1(char32_t cp, char out[2], bool& upper) {
  upper = cp <= 0xDE;
  switch (cp | 0x20) {  // lower-case Latin-1 letters are upper-case ones + 0x20
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE4: case 0xE5: out[0] = 'a'; return 1;
    case 0xE7: out[0] = 'c'; return 1;
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: out[0] = 'e'; return 1;
    case 0xEC: case 0xED: case 0xEE: case 0xEF: out[0] = 'i'; return 1;
    case 0xF1: out[0] = '\xC3'; out[1] = '\xB1'; return 2;
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: case 0xF6: case 0xF8: out[0] = 'o'; return 1;
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: out[0] = 'u'; return 1;
    case 0xFD: case 0xFF: out[0] = 'y'; return 1;
    default: return 0;
  }
}

// Whether `original` may hold a word of two capitals or more: two ASCII capitals in a row (or
// with apostrophes between), or any Latin-1 capital (À–Þ, UTF-8 C3 80–9E). Without either there
// is none, and FindCapsWords need not look word by word. 16 bytes at a time.
bool MayHaveCapsWord(std::string_view original) {
#if defined(__SSE2__)
  const auto in_range = [](__m128i v, char first, int count) {
    return _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(first + 128))),
                          _mm_set1_epi8(static_cast<char>(-128 + count)));
  };
  const auto check = [&](const char* p) {  // 17 readable bytes at p
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i upper = in_range(v, 'A', 26);
    const __m128i next_upper =
        _mm_or_si128(in_range(next, 'A', 26), _mm_cmpeq_epi8(next, _mm_set1_epi8('\'')));
    const __m128i latin_upper =
        _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xC3))), in_range(next, '\x80', 0x1F));
    return _mm_movemask_epi8(_mm_or_si128(_mm_and_si128(upper, next_upper), latin_upper)) != 0;
  };
  std::size_t k = 0;
  for (; k + 17 <= original.size(); k += 16)
    if (check(original.data() + k)) return true;
  if (k < original.size()) {  // at most 16 bytes left
    char tail[17] = {};
    std::memcpy(tail, original.data() + k, original.size() - k);
    return check(tail);
  }
  return false;
#else
  (void)original;
  return true;
#endif
}

// Finds the words of `original` written wholly in capitals (two letters or more), but only
// when the mention also has lower-case words: a mention all in capitals stresses nothing.
CapsWords FindCapsWords(std::string_view original) {
  CapsWords caps;
  bool any_lower_word = false;
  char word[64];
  std::size_t len = 0;
  int letters = 0;
  bool has_lower = false;
  bool too_long = false;
  auto finish = [&] {
    if (letters >= 2 && !too_long) {
      if (has_lower) {
        any_lower_word = true;
      } else if (caps.count < kMaxCapsWords) {
        caps.hash[caps.count++] = Lexicon::Hash(std::string_view(word, len));
      }
    } else if (has_lower) {
      any_lower_word = true;
    }
    len = 0;
    letters = 0;
    has_lower = false;
    too_long = false;
  };
  std::size_t pos = 0;
  while (pos < original.size()) {
    const unsigned char c = static_cast<unsigned char>(original[pos]);
    if (c < 0x80) {
      ++pos;
      const bool upper = c >= 'A' && c <= 'Z';
      const bool lower = c >= 'a' && c <= 'z';
      if (upper || lower) {
        if (len + 1 < sizeof word) word[len++] = static_cast<char>(upper ? c + 32 : c);
        else too_long = true;
        ++letters;
        has_lower |= lower;
      } else if (c != '\'') {
        finish();
      }
      continue;
    }
    const char32_t cp = NextCodePoint(original, pos);  // invalid bytes read as U+FFFD
    char folded[2];
    bool upper = false;
    const int n = cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7 ? FoldLatin1(cp, folded, upper) : 0;
    if (n == 0) {
      finish();
      continue;
    }
    if (len + static_cast<std::size_t>(n) < sizeof word) {
      std::memcpy(word + len, folded, static_cast<std::size_t>(n));
      len += static_cast<std::size_t>(n);
    } else {
      too_long = true;
    }
    ++letters;
    has_lower |= !upper;
  }
  finish();
  if (!any_lower_word) caps.count = 0;
  return caps;
}

// The mention opens with '¿' or ends with '?' (trailing emoji and spaces aside).
bool IsQuestion(std::string_view folded) {
  if (folded.size() >= 2 && folded[0] == '\xC2' && folded[1] == '\xBF') return true;  // ¿
  for (std::size_t i = folded.size(); i > 0; --i) {
    const unsigned char c = static_cast<unsigned char>(folded[i - 1]);
    if (c == '?') return true;
    if (c == ' ' || c >= 0x80) continue;  // spaces and emoji after the question mark
    return false;
  }
  return false;
}

bool IsLaughter(std::string_view word) {
  if (word.size() < 4 || (word[0] != 'j' && word[0] != 'h')) return false;
  int laughs = 0;
  int vowels = 0;
  for (char c : word) {
    if (c == 'j' || c == 'h') ++laughs;
    else if (c == 'a' || c == 'e' || c == 'i' || c == 'o') ++vowels;
    else return false;
  }
  return laughs >= 2 && vowels >= 2;
}

bool ValenceFor(const LexiconEntry& entry, TextLang lang, float& valence) {
  if (entry.has_shared) {
    valence = entry.shared_valence;
    return true;
  }
  const bool en = entry.has_valence[kLexEn];
  const bool es = entry.has_valence[kLexEs];
  switch (lang) {
    case TextLang::kEn:
      valence = entry.valence[kLexEn];
      return en;
    case TextLang::kEs:
      valence = entry.valence[kLexEs];
      return es;
    case TextLang::kUnknown:
      if (en && es) valence = (entry.valence[kLexEn] + entry.valence[kLexEs]) / 2;
      else if (en) valence = entry.valence[kLexEn];
      else if (es) valence = entry.valence[kLexEs];
      return en || es;
  }
  return false;
}

WordRole RoleFor(const LexiconEntry& entry, TextLang lang, float& weight) {
  int slot = lang == TextLang::kEn ? kLexEn : kLexEs;
  if (lang == TextLang::kUnknown && entry.role[kLexEs] == WordRole::kNone) slot = kLexEn;
  weight = entry.role_weight[slot];
  return entry.role[slot];
}

bool Meaningful(const LexiconEntry& entry, TextLang lang) {
  float unused;
  return ValenceFor(entry, lang, unused) || RoleFor(entry, lang, unused) != WordRole::kNone;
}

// The span of folded text covering tokens [first, first + count) when they are consecutive
// words separated by single spaces (an expression never spans punctuation); empty otherwise.
std::string_view WordSpan(const std::vector<Token>& tokens, std::size_t first, std::size_t count) {
  if (first + count > tokens.size()) return {};
  const char* begin = tokens[first].text.data();
  const char* end = begin + tokens[first].text.size();
  for (std::size_t i = first + 1; i < first + count; ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kNumber) return {};
    if (t.text.data() != end + 1 || *end != ' ') return {};
    end = t.text.data() + t.text.size();
  }
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
}

// The emoji's first code point, without what follows (skin tone, variation selector, joiner).
std::string_view FirstCodePoint(std::string_view emoji) {
  if (emoji.empty()) return {};
  std::size_t pos = 0;
  NextCodePoint(emoji, pos);
  return emoji.substr(0, pos);
}

struct Modifier {
  WordRole role = WordRole::kNone;
  float weight = 0;
};

// The modifiers of the last kHistory words, nearest first. A ring: every word pushes one (most
// push "none"), and a push is one store instead of shifting the window.
class ModifierWindow {
 public:
  void Push(Modifier m) {
    head_ = (head_ - 1) & kMask;
    ring_[head_] = m;
  }
  void Clear() {
    for (Modifier& m : ring_) m = Modifier{};
  }
  // The modifier of the k-th word back: 0 is the word just before.
  const Modifier& operator[](int k) const { return ring_[(head_ + static_cast<unsigned>(k)) & kMask]; }

 private:
  static constexpr unsigned kSize = 4;  // a power of two >= kHistory
  static constexpr unsigned kMask = kSize - 1;
  static_assert(kSize >= kHistory);
  Modifier ring_[kSize];
  unsigned head_ = 0;
};

// Whether any of tokens [first, last] was written in capitals. `first_hash` is
// Lexicon::Hash(tokens[first].text).
bool AnyInCaps(const CapsWords& caps, const std::vector<Token>& tokens, std::size_t first,
               std::size_t last, std::uint64_t first_hash) {
  if (caps.count == 0) return false;
  if (caps.Contains(first_hash)) return true;
  for (std::size_t k = first + 1; k <= last; ++k) {
    if (caps.Contains(Lexicon::Hash(tokens[k].text))) return true;
  }
  return false;
}

bool AnyElongated(const std::vector<Token>& tokens, std::size_t first, std::size_t last) {
  for (std::size_t k = first; k <= last; ++k) {
    if (tokens[k].elongated) return true;
  }
  return false;
}

}  // namespace

std::string_view PolarityWord(Polarity polarity) {
  switch (polarity) {
    case Polarity::kUnknown: return "unknown";
    case Polarity::kNegative: return "negative";
    case Polarity::kNeutral: return "neutral";
    case Polarity::kPositive: return "positive";
  }
  return "unknown";
}

const SentimentScorer& SentimentScorer::Default() {
  static const SentimentScorer* scorer = [] {
    absl::StatusOr<Lexicon> lexicon = Lexicon::Build({
        {"vader_en.tsv", lexicon_data::k_vader_en, Lexicon::SourceKind::kValencesEn},
        {"en_overrides.tsv", lexicon_data::k_en_overrides, Lexicon::SourceKind::kValencesEn},
        {"es.tsv", lexicon_data::k_es, Lexicon::SourceKind::kValencesEs},
        {"emoji.tsv", lexicon_data::k_emoji, Lexicon::SourceKind::kShared},
        {"common.tsv", lexicon_data::k_common, Lexicon::SourceKind::kShared},
        {"modifiers.tsv", lexicon_data::k_modifiers, Lexicon::SourceKind::kModifiers},
    });
    if (!lexicon.ok()) {
      // The data ships inside the binary and a unit test parses it: this is a build defect.
      std::fprintf(stderr, "faro: embedded sentiment lexicon is malformed: %s\n",
                   Message(lexicon.status()).c_str());
      std::abort();
    }
    return new SentimentScorer(std::move(lexicon).value());
  }();
  return *scorer;
}

Sentiment SentimentScorer::Score(const NormalisedText& text, TextLang lang) const {
  return Score(text, lang, std::string_view());
}

Sentiment SentimentScorer::Score(const NormalisedText& text, TextLang lang,
                                 std::string_view original) const {
  const CapsWords caps = MayHaveCapsWord(original) ? FindCapsWords(original) : CapsWords{};
  const std::vector<Token>& tokens = text.tokens;
  const char* cursor = text.folded.data();
  const char* const text_end = text.folded.data() + text.folded.size();

  // Clause weighting: `fixed` holds the weighted sum of closed clauses, `current` the running
  // clause, whose weight is `weight`.
  double fixed = 0;
  double current = 0;
  double weight = 1;
  bool concession_until_comma = false;  // "Aunque tardó, ..." : the aunque-clause ends at ','
  bool concession_to_end = false;       // "... aunque tardó": ends with the sentence
  bool sentence_start = true;
  ModifierWindow history;  // history[0] = the word just before
  int evidence = 0;
  int exclamations = 0;
  int questions = 0;

  auto close_clause = [&](double next_weight) {
    fixed += weight * current;
    current = 0;
    weight = next_weight;
  };

  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    // Punctuation between the previous token and this one.
    bool sentence_end = false;
    bool comma = false;
    const bool plain_space = token.text.data() == cursor + 1 && *cursor == ' ';  // the usual gap
    for (const char* p = plain_space ? token.text.data() : cursor; p < token.text.data(); ++p) {
      exclamations += *p == '!';
      questions += *p == '?';
      sentence_end |= *p == '.' || *p == '!' || *p == '?';
      comma |= *p == ',' || *p == ';';
    }
    if (sentence_end) {
      history.Clear();
      sentence_start = true;
      if (concession_to_end || concession_until_comma) {
        close_clause(concession_until_comma ? kAfterContrast : 1.0);
        concession_to_end = concession_until_comma = false;
      }
    } else if (comma) {
      history.Clear();  // "no hubo problemas, todo bien": negation stops at the comma
      if (concession_until_comma) {
        close_clause(kAfterContrast);
        concession_until_comma = false;
      }
    }
    cursor = token.text.data() + token.text.size();

    switch (token.kind) {
      case TokenKind::kUrl:
      case TokenKind::kMention:
        continue;
      case TokenKind::kEmoji:
      case TokenKind::kEmoticon: {
        const LexiconEntry* entry = lexicon_.Find(token.text);
        if (entry == nullptr && token.kind == TokenKind::kEmoji) {
          entry = lexicon_.Find(FirstCodePoint(token.text));
        }
        float valence = 0;
        if (entry != nullptr && ValenceFor(*entry, lang, valence) && valence != 0) {
          current += valence;
          ++evidence;
        }
        continue;
      }
      case TokenKind::kWord:
      case TokenKind::kNumber:
      case TokenKind::kHashtag:
        break;
    }

    const std::uint64_t hash = Lexicon::Hash(token.text);
    const LexiconEntry* entry = lexicon_.Find(token.text, hash);
    const std::size_t first = i;  // the term is tokens[first, i]; emphasis is read only for valence
    // Multi-word expressions ("no me responden", "una vergüenza"): extend one word at a time
    // while the words so far begin some expression; keep the longest that means something.
    // An expression that carries its own negation ("ningún problema", "sin problemas", "no
    // funciona") is not flipped again by a negator before it: Spanish negative concord,
    // "no tuve ningún problema" means there was no problem.
    bool self_negated = false;
    if (entry != nullptr && entry->longest_expression >= 2 && token.kind != TokenKind::kHashtag) {
      float first_weight = 0;
      const bool first_negates = RoleFor(*entry, lang, first_weight) == WordRole::kNegate;
      const LexiconEntry* prefix = entry;
      std::size_t matched = 1;
      for (std::size_t words = 2; prefix != nullptr && words <= prefix->longest_expression; ++words) {
        const std::string_view span = WordSpan(tokens, i, words);
        if (span.empty()) break;
        prefix = lexicon_.Find(span);
        if (prefix != nullptr && Meaningful(*prefix, lang)) {
          entry = prefix;
          matched = words;
        }
      }
      if (matched > 1) {
        self_negated = first_negates;
        i += matched - 1;
        cursor = tokens[i].text.data() + tokens[i].text.size();
      }
    }

    float valence = 0;
    bool has_valence = false;
    if (entry != nullptr) {
      float role_weight = 0;
      const WordRole role = RoleFor(*entry, lang, role_weight);
      switch (role) {
        case WordRole::kNegate:
        case WordRole::kBoost:
          history.Push(Modifier{role, role_weight});
          sentence_start = false;
          continue;
        case WordRole::kContrast:
          fixed = kBeforeContrast * (fixed + weight * current);
          current = 0;
          weight = kAfterContrast;
          concession_to_end = concession_until_comma = false;
          history.Clear();
          sentence_start = false;
          continue;
        case WordRole::kConcession:
          if (sentence_start) {
            close_clause(kBeforeContrast);
            concession_until_comma = true;
          } else {
            fixed += kAfterContrast * weight * current;
            current = 0;
            weight = kBeforeContrast;
            concession_to_end = true;
          }
          history.Clear();
          sentence_start = false;
          continue;
        case WordRole::kNone:
          break;
      }
      has_valence = ValenceFor(*entry, lang, valence);
    } else if (token.kind == TokenKind::kWord && IsLaughter(token.text)) {
      valence = kLaughterValence;
      has_valence = true;
    }
    sentence_start = false;
    if (!has_valence || valence == 0) {
      history.Push(Modifier{});
      continue;
    }

    double v = valence;
    if (AnyInCaps(caps, tokens, first, i, hash)) v += v > 0 ? kCapsEmphasis : -kCapsEmphasis;
    if (AnyElongated(tokens, first, i)) v += v > 0 ? kElongationEmphasis : -kElongationEmphasis;
    // Boosters fade with distance; the nearest negator flips and shrinks.
    static constexpr double kFade[kHistory] = {1.0, 0.95, 0.9};
    float negation = 0;
    for (int k = 0; k < kHistory; ++k) {
      if (history[k].role == WordRole::kBoost) {
        const double scalar = history[k].weight * kFade[k];
        v += v > 0 ? scalar : -scalar;
      } else if (history[k].role == WordRole::kNegate && negation == 0) {
        negation = history[k].weight;
      }
    }
    if (negation != 0 && !self_negated) v *= negation;
    current += v;
    ++evidence;
    history.Push(Modifier{});
  }

  Sentiment result;
  result.evidence = evidence;
  if (evidence == 0) return result;

  double sum = fixed + weight * current;
  if (sum != 0) {
    for (const char* p = cursor; p < text_end; ++p) {
      exclamations += *p == '!';
      questions += *p == '?';
    }
    // A question asks more than it judges ("¿hay descuento?", "¿me dan el número de
    // reclamo?"): its valence counts half, so only a strong complaint or praise survives.
    if (IsQuestion(text.folded) && exclamations == 0) sum *= kQuestionFactor;
    double emphasis = kExclamationEach * (exclamations < kExclamationMax ? exclamations : kExclamationMax);
    if (questions > 1) emphasis += questions <= 3 ? 0.18 * questions : 0.96;
    sum += sum > 0 ? emphasis : -emphasis;
  }
  double compound = sum / std::sqrt(sum * sum + kCompoundAlpha);
  if (compound > 1) compound = 1;
  if (compound < -1) compound = -1;
  result.score = compound;
  if (std::fabs(compound) < kNeutralBelow) result.polarity = Polarity::kNeutral;
  else result.polarity = compound > 0 ? Polarity::kPositive : Polarity::kNegative;
  return result;
}

}  // namespace faro
