#include "text/language.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

// Evidence, in order of strength:
//   - function words and very common social-media words of one language ("que", "the",
//     "porque", "don't"), looked up in their folded form (so "está" is "esta");
//   - characters only Spanish uses: ñ, ¿, ¡, and accented vowels seen before folding;
//   - word endings: "-cion", "-mente" for Spanish, "-tion", "-ing" for English;
//   - an apostrophe inside a word (English contractions and possessives).
// Hashtags, mentions, URLs, emoji and numbers carry no language evidence here.
// The text is "unknown" unless one language has at least kMinEvidence points and clearly more
// than the other; a one-word post like "jaja" or a brand name alone stays unknown.
namespace faro {
namespace {

// Cue words are looked up as 8-byte integers loaded straight from the text.
static_assert(std::endian::native == std::endian::little, "cue keys assume little-endian");

constexpr double kMinEvidence = 1.0;
constexpr double kMinLead = 0.5;    // points ahead of the other language
constexpr double kMinRatio = 1.5;   // and this many times its score

struct Cue {
  std::string_view word;
  float es;
  float en;
};

// Words that mean something in both languages ("no", "a", "me", "he") are left out.
constexpr Cue kCues[] = {
    // Spanish function words.
    {"de", 1, 0}, {"la", 1, 0}, {"que", 1, 0}, {"el", 1, 0}, {"en", 1, 0}, {"los", 1, 0},
    {"se", 1, 0}, {"del", 1, 0}, {"las", 1, 0}, {"por", 1, 0}, {"con", 1, 0}, {"una", 1, 0},
    {"un", 0.7f, 0}, {"su", 1, 0}, {"para", 1, 0}, {"es", 1, 0}, {"al", 0.7f, 0}, {"lo", 1, 0},
    {"como", 1, 0}, {"mas", 1, 0}, {"pero", 1, 0}, {"sus", 1, 0}, {"le", 0.7f, 0},
    {"ya", 0.7f, 0}, {"este", 1, 0}, {"porque", 1, 0}, {"esta", 1, 0}, {"estas", 1, 0},
    {"entre", 1, 0}, {"cuando", 1, 0}, {"muy", 1, 0}, {"sin", 1, 0}, {"sobre", 1, 0},
    {"tambien", 1, 0}, {"hasta", 1, 0}, {"hay", 1, 0}, {"donde", 1, 0}, {"desde", 1, 0},
    {"todo", 1, 0}, {"todos", 1, 0}, {"nos", 1, 0}, {"les", 0.7f, 0}, {"ni", 1, 0},
    {"esto", 1, 0}, {"mi", 1, 0}, {"yo", 1, 0}, {"ella", 1, 0}, {"tu", 1, 0},
    {"te", 1, 0}, {"y", 1, 0}, {"o", 0.5f, 0}, {"e", 0.3f, 0}, {"son", 0.7f, 0},
    {"estan", 1, 0}, {"estoy", 1, 0}, {"soy", 1, 0}, {"fue", 1, 0}, {"era", 0.7f, 0},
    {"otra", 1, 0}, {"otro", 1, 0}, {"eso", 1, 0}, {"esa", 1, 0}, {"ese", 1, 0},
    {"nada", 1, 0}, {"algo", 1, 0}, {"aqui", 1, 0}, {"aca", 1, 0}, {"asi", 1, 0},
    {"tengo", 1, 0}, {"tiene", 1, 0}, {"tienen", 1, 0}, {"puedo", 1, 0}, {"puede", 1, 0},
    {"hace", 1, 0}, {"hacer", 1, 0}, {"gracias", 1, 0}, {"hola", 1, 0}, {"bueno", 1, 0},
    {"buena", 1, 0}, {"mejor", 1, 0}, {"peor", 1, 0}, {"nunca", 1, 0}, {"siempre", 1, 0},
    {"todavia", 1, 0}, {"ahora", 1, 0}, {"hoy", 1, 0}, {"ayer", 1, 0}, {"nadie", 1, 0},
    {"alguien", 1, 0}, {"tampoco", 1, 0}, {"vez", 1, 0}, {"dia", 1, 0}, {"dias", 1, 0},
    {"porq", 1, 0}, {"xq", 1, 0}, {"pq", 1, 0}, {"q", 0.7f, 0}, {"vos", 1, 0}, {"sos", 0.5f, 0},
    {"tenes", 1, 0}, {"che", 0.7f, 0}, {"usted", 1, 0}, {"ustedes", 1, 0}, {"uds", 1, 0},
    {"nuestro", 1, 0}, {"nuestra", 1, 0}, {"mis", 1, 0}, {"tus", 1, 0}, {"cual", 1, 0},
    {"quien", 1, 0}, {"pues", 1, 0}, {"mucho", 1, 0}, {"muchos", 1, 0}, {"poco", 1, 0},
    {"sigue", 1, 0}, {"siguen", 1, 0}, {"anda", 1, 0}, {"andan", 1, 0}, {"funciona", 1, 0},
    {"caido", 1, 0}, {"caida", 1, 0}, {"servicio", 1, 0}, {"cuenta", 0.7f, 0},
    {"mensajes", 1, 0}, {"llegan", 1, 0}, {"ningun", 1, 0}, {"ninguna", 1, 0},
    {"igual", 0.7f, 0}, {"vamos", 1, 0}, {"voy", 1, 0}, {"va", 0.7f, 0}, {"ser", 1, 0},
    {"ver", 0.7f, 0}, {"tan", 0.7f, 0}, {"bien", 1, 0}, {"mal", 0.7f, 0}, {"solo", 0.5f, 0},
    {"jaja", 0.5f, 0}, {"jajaja", 0.5f, 0}, {"tb", 0.5f, 0}, {"tmb", 1, 0},
    {"nosotros", 1, 0}, {"ellos", 1, 0}, {"esos", 1, 0}, {"estos", 1, 0}, {"cosa", 1, 0},
    {"gente", 1, 0}, {"queja", 1, 0}, {"pedido", 1, 0}, {"compra", 1, 0}, {"atencion", 1, 0},
    {"cliente", 1, 0}, {"sera", 1, 0}, {"hacen", 1, 0}, {"dicen", 1, 0}, {"quiero", 1, 0},
    // English function words.
    {"the", 0, 1}, {"of", 0, 1}, {"and", 0, 1}, {"to", 0, 1}, {"in", 0, 1}, {"is", 0, 1},
    {"it", 0, 1}, {"you", 0, 1}, {"that", 0, 1}, {"was", 0, 1}, {"for", 0, 1}, {"on", 0, 1},
    {"are", 0, 1}, {"with", 0, 1}, {"as", 0, 0.7f}, {"his", 0, 1}, {"they", 0, 1},
    {"be", 0, 1}, {"at", 0, 1}, {"have", 0, 1}, {"this", 0, 1}, {"from", 0, 1}, {"or", 0, 1},
    {"had", 0, 1}, {"by", 0, 1}, {"not", 0, 1}, {"but", 0, 1}, {"what", 0, 1}, {"all", 0, 1},
    {"were", 0, 1}, {"we", 0, 1}, {"when", 0, 1}, {"your", 0, 1}, {"can", 0, 1},
    {"there", 0, 1}, {"an", 0, 1}, {"which", 0, 1}, {"she", 0, 1}, {"do", 0, 1}, {"how", 0, 1},
    {"their", 0, 1}, {"if", 0, 1}, {"will", 0, 1}, {"up", 0, 0.7f}, {"about", 0, 1},
    {"out", 0, 1}, {"them", 0, 1}, {"then", 0, 1}, {"so", 0, 1}, {"some", 0, 1}, {"her", 0, 1},
    {"would", 0, 1}, {"like", 0, 1}, {"him", 0, 1}, {"into", 0, 1}, {"has", 0, 1},
    {"more", 0, 1}, {"could", 0, 1}, {"my", 0, 1}, {"than", 0, 1}, {"been", 0, 1},
    {"who", 0, 1}, {"its", 0, 1}, {"now", 0, 1}, {"did", 0, 1}, {"get", 0, 1}, {"just", 0, 1},
    {"why", 0, 1}, {"still", 0, 1}, {"again", 0, 1}, {"any", 0, 1}, {"really", 0, 1},
    {"thanks", 0, 1}, {"thank", 0, 1}, {"please", 0, 1}, {"today", 0, 1}, {"i", 0, 1},
    {"i'm", 0, 1}, {"don't", 0, 1}, {"can't", 0, 1}, {"isn't", 0, 1}, {"it's", 0, 1},
    {"won't", 0, 1}, {"didn't", 0, 1}, {"doesn't", 0, 1}, {"lol", 0, 0.5f}, {"omg", 0, 0.5f},
    {"wtf", 0, 0.5f}, {"guys", 0, 1}, {"anyone", 0, 1}, {"anymore", 0, 1}, {"here", 0, 1},
    {"got", 0, 1}, {"know", 0, 1}, {"im", 0, 0.7f}, {"dont", 0, 1}, {"cant", 0, 1},
    {"wont", 0, 0.7f}, {"didnt", 0, 1}, {"isnt", 0, 1}, {"doesnt", 0, 1}, {"yes", 0, 1},
    {"yeah", 0, 1}, {"never", 0, 1}, {"always", 0, 1}, {"only", 0, 1}, {"also", 0, 1},
    {"very", 0, 1}, {"too", 0, 1}, {"much", 0, 1}, {"because", 0, 1}, {"am", 0, 0.7f},
    {"should", 0, 1}, {"our", 0, 1}, {"us", 0, 0.7f}, {"where", 0, 1}, {"down", 0, 1},
    {"working", 0, 1}, {"work", 0, 1}, {"works", 0, 1}, {"u", 0, 0.5f},
    {"ur", 0, 0.7f}, {"love", 0, 1}, {"hate", 0, 1}, {"great", 0, 1}, {"good", 0, 1},
    {"bad", 0, 1}, {"best", 0, 1}, {"worst", 0, 1}, {"service", 0, 0.7f}, {"order", 0, 1},
    {"customer", 0, 1}, {"support", 0, 0.7f}, {"help", 0, 1}, {"nobody", 0, 1}, {"everyone", 0, 1}, {"people", 0, 1}, {"one", 0, 0.7f},
    {"new", 0, 1}, {"day", 0, 1}, {"time", 0, 1}, {"waiting", 0, 1}, {"hours", 0, 1},
    {"going", 0, 1}, {"want", 0, 1}, {"need", 0, 1}, {"does", 0, 1}, {"these", 0, 1},
    {"those", 0, 1}, {"it'll", 0, 1}, {"you're", 0, 1}, {"that's", 0, 1}, {"what's", 0, 1},
};

// Open-addressing table keyed by the word's bytes packed into 64 bits (cue words are at most
// 8 bytes), so a lookup is one multiply and usually one probe.
class CueTable {
 public:
  CueTable() {
    for (const Cue& cue : kCues) {
      const std::uint64_t key = Pack(cue.word);
      std::size_t slot = Hash(key);
      while (slots_[slot].key != 0 && slots_[slot].key != key) slot = (slot + 1) & kMask;
      slots_[slot] = {key, cue.es, cue.en};
    }
  }
  // The weights of the word packed in `key` (see Pack), if it is a cue word.
  bool FindKey(std::uint64_t key, float& es, float& en) const {
    if (key == 0) return false;
    for (std::size_t slot = Hash(key);; slot = (slot + 1) & kMask) {
      const Slot& s = slots_[slot];
      if (s.key == key) {
        es = s.es;
        en = s.en;
        return true;
      }
      if (s.key == 0) return false;
    }
  }

 private:
  static constexpr std::size_t kSize = 1024;  // a power of two, well above the cue count
  static constexpr std::size_t kMask = kSize - 1;
  // The word's bytes, first byte lowest (words of up to 8 bytes).
  static std::uint64_t Pack(std::string_view word) {
    std::uint64_t key = 0;
    for (std::size_t k = 0; k < word.size(); ++k) {
      key |= static_cast<std::uint64_t>(static_cast<unsigned char>(word[k])) << (8 * k);
    }
    return key;
  }
  static std::size_t Hash(std::uint64_t key) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 54) & kMask;
  }
  struct Slot {
    std::uint64_t key = 0;
    float es = 0;
    float en = 0;
  };
  std::array<Slot, kSize> slots_{};
};

const CueTable& Cues() {
  static const CueTable table;
  return table;
}

// Four characters as a little-endian integer, to compare with four bytes loaded from a word.
constexpr std::uint32_t Pack4(const char (&s)[5]) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}

// Has a zero byte among the low `live` bytes (SWAR).
inline bool HasZeroByte(std::uint64_t v, std::uint64_t live) {
  return (((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL) & live) != 0;
}

}  // namespace

TextLang DetectLang(const NormalisedText& text) {
  const CueTable& cues = Cues();
  double es = 0, en = 0;
  int enye = 0;
  const char* const folded_end = text.folded.data() + text.folded.size();
  for (const Token& token : text.tokens) {
    if (token.kind != TokenKind::kWord) continue;
    const std::string_view w = token.text;
    const std::size_t size = w.size();
    bool has_enye, has_apostrophe;
    if (size <= 8) {
      // The lookup key: the word's bytes, first byte lowest. One 8-byte load when the folded
      // text continues past the word, masked to the word.
      const std::uint64_t live = ~0ULL >> (64 - 8 * size);  // words are never empty
      std::uint64_t key = 0;
      if (folded_end - w.data() >= 8) {
        std::memcpy(&key, w.data(), 8);
        key &= live;
      } else {
        for (std::size_t k = 0; k < size; ++k) {
          key |= static_cast<std::uint64_t>(static_cast<unsigned char>(w[k])) << (8 * k);
        }
      }
      float wes = 0, wen = 0;
      if (cues.FindKey(key, wes, wen)) {
        es += wes;
        en += wen;
        continue;
      }
      has_apostrophe = HasZeroByte(key ^ 0x2727272727272727ULL, live);  // a zero where '\''
      has_enye = (key & 0x8080808080808080ULL) != 0 &&
                 w.find("\xC3\xB1") != std::string_view::npos;
    } else {
      has_enye = false;
      has_apostrophe = false;
      for (std::size_t k = 0; k < size; ++k) {
        const auto c = static_cast<unsigned char>(w[k]);
        has_enye |= c == 0xB1 && k > 0 && static_cast<unsigned char>(w[k - 1]) == 0xC3;
        has_apostrophe |= c == '\'';
      }
    }
    if (has_enye) {
      ++enye;
      continue;
    }
    if (has_apostrophe) {
      en += 0.7;
      continue;
    }
    if (size < 5) continue;
    std::uint32_t last4;  // the last four bytes, for the endings
    std::memcpy(&last4, w.data() + size - 4, 4);
    if (size >= 6 && (last4 == Pack4("cion") ||
                      (last4 == Pack4("ente") && w[size - 5] == 'm'))) {  // "-mente"
      es += 0.7;
    } else if (size >= 6 && last4 == Pack4("tion")) {
      en += 0.7;
    } else if ((last4 >> 8) == (Pack4("ing\0") & 0xFFFFFF)) {
      en += 0.5;
    }
  }
  es += 1.5 * std::min(enye, 2);
  int marks = 0;
  for (std::size_t pos = 0; (pos = text.folded.find('\xC2', pos)) != std::string::npos; ++pos) {
    if (pos + 1 < text.folded.size() &&
        (text.folded[pos + 1] == '\xBF' || text.folded[pos + 1] == '\xA1')) {  // ¿ ¡
      ++marks;
    }
  }
  es += 1.5 * std::min(marks, 2);
  es += 0.7 * std::min(text.accented_vowels, 3);

  const double top = std::max(es, en);
  const double other = std::min(es, en);
  if (top < kMinEvidence || top - other < kMinLead || top < kMinRatio * other) {
    return TextLang::kUnknown;
  }
  return es > en ? TextLang::kEs : TextLang::kEn;
}

std::string_view TextLangCode(TextLang lang) {
  switch (lang) {
    case TextLang::kEs: return "es";
    case TextLang::kEn: return "en";
    case TextLang::kUnknown: return "und";
  }
  return "und";
}

}  // namespace faro
