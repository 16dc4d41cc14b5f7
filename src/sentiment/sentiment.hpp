#pragma once
// Sentiment of one mention, for community managers: positive, negative, neutral, or unknown
// when the text holds no word, emoji or emoticon the lexicons know. Lexicon-based in the way
// of VADER (Hutto & Gilbert 2014): word valences on a -4..+4 scale, shifted by negators
// ("no", "nunca", "not"), boosters and softeners ("muy", "re", "un poco", "kinda"), contrast
// ("pero", "but": the clause after weighs more), concession ("aunque": its clause weighs less),
// capitals ("PÉSIMO") and exclamation marks; the sum is squashed into a compound score in
// [-1, 1]. The lexicons are compiled into the binary; see docs/listening.md, "Sentiment".
#include <string_view>

#include "sentiment/lexicon.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"

namespace faro {

enum class Polarity { kUnknown, kNegative, kNeutral, kPositive };

// "unknown", "negative", "neutral", "positive": the words written to annotated records.
std::string_view PolarityWord(Polarity polarity);

struct Sentiment {
  Polarity polarity = Polarity::kUnknown;
  double score = 0;  // compound score in [-1, 1]; 0 when unknown
  int evidence = 0;  // lexicon hits (words, expressions, emoji, emoticons) that carried valence
};

class SentimentScorer {
 public:
  // |score| below this is "neutral" (when there is evidence). VADER's own cut is 0.05; 0.2
  // keeps one mild word in a request ("¿hay descuento?") neutral, as community managers file
  // it. Set by hand and checked on the Spanish development set only.
  static constexpr double kNeutralBelow = 0.2;

  // The scorer over the lexicons embedded in the binary, built on first use (thread-safe).
  static const SentimentScorer& Default();

  explicit SentimentScorer(Lexicon lexicon) : lexicon_(std::move(lexicon)) {}

  // Scores a normalised mention. kEs reads the Spanish lexicon, kEn the English one, kUnknown
  // both (a term in both gets the mean valence). Emoji, emoticons, laughter and outage
  // hashtags count in every language. Never allocates.
  Sentiment Score(const NormalisedText& text, TextLang lang) const;

  // The same, with the mention as written: words in capitals amid lower-case text
  // ("el servicio es PÉSIMO") count as emphasis, which the folded text can no longer show.
  Sentiment Score(const NormalisedText& text, TextLang lang, std::string_view original) const;

  const Lexicon& lexicon() const { return lexicon_; }

 private:
  Lexicon lexicon_;
};

}  // namespace faro
