#pragma once
// Text normalisation for listening: every mention, rule term and lexicon entry is folded the
// same way, so "caído", "CAIDO" and "𝐜𝐚𝐢𝐝𝐨" all read "caido" and a rule written once matches
// them all. docs/listening.md ("How text is normalised") says the same for users.
//
// Folding, in order:
//   - NFKC: fullwidth and styled letters become plain ("ｗ", "𝐰" → "w"), "ﬁ" → "fi", "…" → "...";
//   - case folding ("Ñ" → "ñ", "ß" → "ss");
//   - accent folding: combining marks are removed ("caído" → "caido", "über" → "uber"), except
//     the tilde of ñ, because Spanish ñ is a letter of its own ("año" is not "ano");
//   - typographic apostrophes become "'" ("don’t" → "don't"); invisible characters that split
//     words (zero-width space, soft hyphen, BOM, direction marks) and emoji variation selectors
//     are dropped ("❤️" → "❤");
//   - whitespace runs (any Unicode space, tabs, line breaks, control characters) become one
//     space; leading and trailing whitespace is dropped;
//   - stretched words: in a word, a run of three or more of the same letter becomes one letter
//     ("nooooo" → "no", "graciasss" → "gracias", "goooood" → "god"); two stay ("leer", "good").
//     Hashtags, mentions and links are never shortened.
//   - links keep their case except scheme and host ("HTTPS://Bit.ly/AbC" → "https://bit.ly/AbC");
//     non-ASCII characters inside a link are folded like any other text.
//
// Tokens (all views into the folded text):
//   kWord     letters of any script and digits, at least one letter; an apostrophe between
//             letters stays inside ("don't", "rock'n'roll")
//   kNumber   digits, with '.' or ',' between digits ("1.000", "3,5")
//   kHashtag  '#' + letters/digits/'_' with at least one non-digit, not glued to a word before
//             it ("C#" is not one); text without '#'
//   kMention  '@' + letters/digits/'_' and inner dots ("@nutri.ana"), not glued to a word
//             before it ("ana@example.com" is not one); text without '@'
//   kUrl      "http://", "https://" or "www." and what follows up to whitespace, a quote, '<',
//             '>' or an emoji, without trailing sentence punctuation
//   kEmoji    one emoji with its modifiers: skin tones, zero-width-joiner sequences ("👩‍💻"),
//             keycaps ("1⃣"), tag sequences; a flag is one pair of regional indicators
//   kEmoticon :) :-( :D ;) xD :'( <3 :P and similar, lowercased (":D" → ":d"), a repeated
//             final character kept (":)))", "xDDD")
// Everything else (punctuation, symbols) stays in the folded text but is not a token.
#include <string>
#include <string_view>
#include <vector>

namespace faro {

enum class TokenKind { kWord, kNumber, kHashtag, kMention, kUrl, kEmoji, kEmoticon };

// One token of a normalised mention. `text` is a view into NormalisedText::folded (so it is
// already folded); hashtag and mention text come without their '#' / '@'.
struct Token {
  TokenKind kind;
  std::string_view text;
  // A word whose letters were stretched ("nooooo", "graciasss"); `text` holds the reduced
  // form ("no", "gracias"). Sentiment may read the stretch as emphasis.
  bool elongated = false;
};

struct NormalisedText {
  std::string folded;         // NFKC + case fold + accent fold ("Caído"→"caido"; ñ stays ñ),
                              // runs of whitespace collapsed to one space
  std::vector<Token> tokens;  // in text order
  // Accented vowels (á é í ó ú ü, any case) seen before accent folding removed them: Spanish
  // evidence for language identification that the folded text no longer shows.
  int accented_vowels = 0;
  void Clear();
};

// The first half of normalisation: every non-ASCII character folded (NFKC, case, accents,
// invisible characters dropped), ASCII bytes exactly as they were (not yet lowercased,
// whitespace not yet collapsed, stretched words not yet reduced). Pure ASCII text is the same
// bytes. A caller that can tell from this alone that it needs no tokens (see
// RuleMatcher::MayMatch) skips the second half. Views a per-thread buffer: valid until the
// next Prepare or Normalise on the same thread.
struct PreparedText {
  std::string_view text;
  int accented_vowels = 0;
};

class Normaliser {
 public:
  // Fills `out`, reusing its buffers (no allocation once warm). `utf8` must be valid UTF-8.
  // Pure ASCII text never calls utf8proc. Thread-safe: scratch buffers are per thread.
  // (Invalid UTF-8 does not crash, but its output is unspecified: reject it before.)
  // The same as Tokenise(Prepare(utf8), out).
  void Normalise(std::string_view utf8, NormalisedText& out) const;

  PreparedText Prepare(std::string_view utf8) const;
  // The same fold written into `buffer` at `at` instead of the per-thread buffer (which it
  // leaves alone), for callers preparing many texts at once: returns where the text ends.
  // `buffer` grows as needed; bytes past the returned end are unspecified.
  std::size_t PrepareInto(std::string_view utf8, std::string& buffer, std::size_t at, int& accented_vowels) const;
  // `prepared` (say, from PrepareInto) copied into the per-thread buffer, as Prepare leaves it,
  // for Tokenise.
  PreparedText Adopt(const PreparedText& prepared) const;
  // The second half: `prepared` must come from the last Prepare on this thread.
  void Tokenise(const PreparedText& prepared, NormalisedText& out) const;

  // The hashtags Tokenise would find in `prepared` (folded, without '#', in text order), found
  // without tokenising: for callers that want only those. Returns false, leaving `tags`
  // unspecified, when that cannot be told cheaply for certain (a tag with non-ASCII letters, or
  // a '#' that may be inside a link); then tokenise. Views a per-thread buffer: valid until the
  // next Hashtags on the same thread. As for Tokenise, `prepared` must come from the last
  // Prepare on this thread.
  bool Hashtags(const PreparedText& prepared, std::vector<std::string_view>& tags) const;

  // Whether Tokenise may shorten a stretched word in `prepared`: some ASCII letter three times
  // in a row, in any case ("nooo", "graciasSS"). Stretched non-ASCII letters are not looked at.
  static bool MayShorten(const PreparedText& prepared);
};

std::string FoldText(std::string_view utf8);   // the same folding, for rule terms and lexicons

std::string_view TokenKindName(TokenKind kind);  // "word", "number", "hashtag", ...

}  // namespace faro
