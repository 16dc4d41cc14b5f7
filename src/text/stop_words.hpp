#pragma once
// Function words of Spanish and English (folded: no accents), and words every complaint or
// praise shares: words that tell nothing about what a mention is about. The crisis watch leaves
// them out of a mention's terms (it saves memory and noise: the log-odds comparison already
// discounts words as common in a spike as usual); the rules' quick check does not look for
// them beyond what it must (they are in most mentions). Kept short on purpose.
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace faro {
namespace stop_words_internal {

inline constexpr std::string_view kStopWords[] = {
    // One and two letters.
    "a", "e", "o", "u", "y", "i", "al", "de", "el", "en", "es", "ha", "he", "la", "le", "lo", "me", "mi",
    "no", "se", "si", "su", "te", "tu", "un", "ya", "an", "as", "at", "be", "by", "do", "if", "in", "is",
    "it", "my", "of", "on", "or", "so", "to", "up", "us", "we",
    // Three letters and more.
    "que", "los", "las", "del", "por", "para", "con", "una", "uno", "unos", "unas", "como", "mas",
    "pero", "sus", "este", "esta", "esto", "estos", "estas", "ese", "esa", "eso", "esos", "esas",
    "son", "fue", "era", "ser", "hay", "han", "has", "hemos", "estoy", "estan", "muy", "sin",
    "sobre", "tambien", "hasta", "desde", "donde", "cuando", "porque", "todo", "toda", "todos",
    "todas", "nos", "les", "mis", "tus", "ella", "ellos", "ellas", "usted", "ustedes", "vos",
    "aqui", "ahi", "alla", "asi", "solo", "otra", "otro", "otros", "algo", "nada", "aun", "entre",
    "tiene", "tienen", "tengo", "hace", "hacer", "puede", "pueden", "cual", "quien", "sea",
    "estaba", "van", "voy", "vamos", "the", "and", "for", "are", "but", "not", "you", "your",
    "yours", "with", "this", "that", "these", "those", "was", "were", "have", "had", "they", "them",
    "their", "there", "what", "when", "where", "which", "who", "why", "how", "from", "into", "out",
    "about", "just", "can", "could", "would", "should", "will", "been", "being", "all", "any",
    "some", "our", "ours", "his", "her", "hers", "its", "it's", "i'm", "don't", "doesn't", "didn't",
    "can't", "won't", "isn't", "aren't", "than", "then", "too", "very", "also", "get", "got", "one",
    "now", "here", "more", "most", "much", "only", "over", "such", "yet", "did", "does", "doing",
    "him", "she", "because", "again", "still", "even", "ever", "way", "like"};

// A word of up to 8 bytes as one integer (zero bytes after it): compared in one step. Byte by
// byte, as memcpy of a length known only at run time is a call.
constexpr std::uint64_t Packed(std::string_view w) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < w.size(); ++i) key |= std::uint64_t{static_cast<unsigned char>(w[i])} << (8 * i);
  return key;
}

// The stop words as packed keys in an open-addressing table: one multiply and, mostly, one
// comparison per lookup (the crisis watch asks for each word of every matched mention). Built
// at compile time, so a lookup pays no guard of a function-local static.
class StopWords {
 public:
  constexpr StopWords() {
    for (std::string_view w : kStopWords) {
      std::size_t i = Slot(Packed(w));
      while (slots_[i] != 0) i = (i + 1) & (kSize - 1);
      slots_[i] = Packed(w);
    }
  }
  // `w` of 1 to 8 bytes (the list's words have 1 to 7).
  constexpr bool Has(std::string_view w) const {
    const std::uint64_t key = Packed(w);
    for (std::size_t i = Slot(key);; i = (i + 1) & (kSize - 1)) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  static constexpr std::size_t kSize = 512;  // a power of two, under half full
  static constexpr std::size_t Slot(std::uint64_t key) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 55);
  }
  std::array<std::uint64_t, kSize> slots_{};
};
static_assert(std::size(kStopWords) < 256);
inline constexpr StopWords kStopWordTable;

}  // namespace stop_words_internal

// Whether `folded_word` (lower case, no accents) is one of the stop words.
inline bool IsStopWord(std::string_view folded_word) {
  return !folded_word.empty() && folded_word.size() <= 8 &&
         stop_words_internal::kStopWordTable.Has(folded_word);
}

}  // namespace faro
