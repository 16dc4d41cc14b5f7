#pragma once
// The sentiment lexicon: every folded term (word, multi-word expression, emoji, emoticon) with
// its valence per language and its role as a modifier, in one flat open-addressing table.
// Lookups take a string_view of folded text and never allocate; the table is built once.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace faro {

// What a term does to its neighbours (see data/modifiers.tsv).
enum class WordRole : std::uint8_t { kNone, kNegate, kBoost, kContrast, kConcession };

// Index of a language's columns in LexiconEntry.
enum LexLang : int { kLexEn = 0, kLexEs = 1 };

struct LexiconEntry {
  float valence[2] = {0, 0};      // per LexLang, on the -4..+4 scale; valid where has_valence
  float role_weight[2] = {0, 0};  // per LexLang: negation factor, boost amount
  WordRole role[2] = {WordRole::kNone, WordRole::kNone};
  bool has_valence[2] = {false, false};
  bool has_shared = false;        // language-independent valence (emoji, laughter, hashtags)
  float shared_valence = 0;
  // Longest multi-word expression, counted in words from its start, that begins with this
  // entry's words; 0 when none does. Every word-prefix of an expression has an entry, so the
  // scorer extends a match one word at a time and stops at the first miss.
  std::uint8_t longest_expression = 0;
};

class Lexicon {
 public:
  // One data file: `name` for error messages, `text` in the tab-separated formats described at
  // the top of each file in src/sentiment/data/. `kind` says which format.
  enum class SourceKind { kValencesEn, kValencesEs, kShared, kModifiers };
  struct Source {
    std::string_view name;
    std::string_view text;
    SourceKind kind;
  };

  // Parses and folds every term. Errors name the file and line of a malformed row.
  static absl::StatusOr<Lexicon> Build(const std::vector<Source>& sources);

  // The entry for a folded term, or nullptr. `hash` must be Hash(term). Inline because most
  // words a mention holds are not terms and the filter turns them away without a call.
  // Not on a moved-from Lexicon: its filter is gone.
  const LexiconEntry* Find(std::string_view term, std::uint64_t hash) const {
    const std::uint32_t bit = FilterBit(hash);
    if ((filter_[bit >> 6] & (std::uint64_t{1} << (bit & 63))) == 0) return nullptr;
    return Probe(term, hash);
  }
  const LexiconEntry* Find(std::string_view term) const { return Find(term, Hash(term)); }

  // Every bit of the result depends on every byte of a term of up to 16 bytes (nearly every
  // word): the table takes its slot from the low bits, its tag from the top 16 and the filter
  // from bits 24..40. Short terms are read with at most two overlapping loads, no loop, and
  // mixed by one 64x64->128-bit multiply whose halves are folded together (as wyhash does).
  static std::uint64_t Hash(std::string_view term) {
    const char* p = term.data();
    const std::size_t n = term.size();
    std::uint64_t a;
    std::uint64_t b;
    if (n >= 8) {
      if (n > 16) return HashLong(term);
      a = Load<std::uint64_t>(p);
      b = Load<std::uint64_t>(p + n - 8);
    } else if (n >= 4) {
      a = Load<std::uint32_t>(p);
      b = Load<std::uint32_t>(p + n - 4);
    } else if (n > 0) {  // p[0], p[n / 2] and p[n - 1] are all the bytes
      a = static_cast<unsigned char>(p[0]) |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
      b = 0;
    } else {
      a = b = 0;
    }
    return Mum(a ^ kSeedA, b ^ n ^ kSeedB);
  }

  std::size_t size() const { return entries_.size(); }
  // Count of terms with a valence for `lang` (for documentation and tests).
  std::size_t ValenceCount(LexLang lang) const;

 private:
  static constexpr std::size_t kMaxEntries = 0xFFFF;
  static constexpr std::size_t kMaxTermBytes = 200;
  static constexpr std::uint64_t kSeedA = 0x9e3779b97f4a7c15ULL;
  static constexpr std::uint64_t kSeedB = 0xc2b2ae3d27d4eb4fULL;
  template <typename T>
  static T Load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  // The 128-bit product of x and y, its halves xor-ed: each output bit depends on every input
  // bit. One `mul` instruction on x86-64.
  static std::uint64_t Mum(std::uint64_t x, std::uint64_t y) {
    const unsigned __int128 product = static_cast<unsigned __int128>(x) * y;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
  }
  static std::uint64_t HashLong(std::string_view term);  // terms of more than 16 bytes
  // Find past the filter: the probe of the slot array and the key comparison.
  const LexiconEntry* Probe(std::string_view term, std::uint64_t hash) const;
  LexiconEntry& Upsert(std::string_view term);
  void Rehash(std::size_t capacity);
  absl::Status AddSource(const Source& source);

  // Slot: high 16 bits hold the hash's top bits as a tag, low 16 bits the entry index + 1
  // (0 = empty). Misses, the common case, touch only this array (128 KiB for 32K slots).
  std::vector<std::uint32_t> slots_;
  // One bit per hash value (17 bits of it), set for every key: 16 KiB that stay in the first
  // cache level and turn away most words that are not in the lexicon before the slot array.
  static constexpr int kFilterBits = 17;
  std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>((1u << kFilterBits) / 64, 0);
  static std::uint32_t FilterBit(std::uint64_t hash) {
    return static_cast<std::uint32_t>(hash >> 24) & ((1u << kFilterBits) - 1);
  }
  std::uint64_t mask_ = 0;
  // One cache line per term: the entry and the start of its key, so a hit reads one line.
  static constexpr std::size_t kInlineKey = 24;
  struct alignas(64) Record {
    LexiconEntry entry;
    std::uint32_t key_offset = 0;  // the whole key, in keys_
    std::uint16_t key_length = 0;
    char key_start[kInlineKey] = {};  // its first bytes
  };
  std::string_view KeyOf(const Record& record) const {
    return std::string_view(keys_.data() + record.key_offset, record.key_length);
  }
  std::vector<Record> entries_;
  std::string keys_;
  bool overflow_ = false;
  LexiconEntry overflow_entry_;
};

}  // namespace faro
