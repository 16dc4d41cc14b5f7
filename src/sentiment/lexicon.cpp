#include "sentiment/lexicon.hpp"

#include <charconv>
#include <cstring>

#include "core/strings.hpp"
#include "text/normalise.hpp"

namespace faro {
namespace {

// Whether the `n` bytes at a and b are equal, for n <= Lexicon::kInlineKey (24): overlapping
// 8- or 4-byte loads that together cover every byte, no loop and no libc call.
inline bool SameShortKey(const char* a, const char* b, std::size_t n) {
  const auto load8 = [](const char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; };
  const auto load4 = [](const char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; };
  if (n >= 8) {
    return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8) &&
           (n <= 16 || load8(a + 8) == load8(b + 8));
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

bool ParseValence(std::string_view text, float& out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end;
}

// Spanish inflected forms named by the `forms` column of data/es.tsv.
std::vector<std::string> Forms(const std::string& term, std::string_view forms) {
  std::vector<std::string> out;
  if (forms == "g" && term.size() > 1 && term.back() == 'o') {
    std::string stem = term.substr(0, term.size() - 1);
    out = {stem + "a", stem + "os", stem + "as"};
  } else if (forms == "n" && !term.empty()) {
    char last = term.back();
    if (last == 'z') {
      out = {term.substr(0, term.size() - 1) + "ces"};
    } else if (last == 'a' || last == 'e' || last == 'i' || last == 'o' || last == 'u') {
      out = {term + "s"};
    } else if (last != 's') {
      out = {term + "es"};
    }
  }
  return out;
}

}  // namespace

std::uint64_t Lexicon::HashLong(std::string_view term) {
  // The first 8 bytes, each further 8 but the last mixed in, then the last 8 as in Hash.
  const char* p = term.data();
  const std::size_t n = term.size();
  std::uint64_t a = Load<std::uint64_t>(p);
  for (std::size_t i = 8; i + 8 < n; i += 8) a = Mum(a ^ Load<std::uint64_t>(p + i), kSeedB);
  return Mum(a ^ kSeedA, Load<std::uint64_t>(p + n - 8) ^ n ^ kSeedB);
}

const LexiconEntry* Lexicon::Probe(std::string_view term, std::uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const std::uint32_t tag = static_cast<std::uint32_t>(hash >> 48);
  for (std::uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
    const std::uint32_t slot = slots_[i];
    if (slot == 0) return nullptr;
    if ((slot >> 16) == tag) {
      const std::uint32_t index = (slot & 0xFFFF) - 1;
      const Record& record = entries_[index];
      if (record.key_length != term.size()) continue;
      if (term.size() <= kInlineKey) {
        if (SameShortKey(record.key_start, term.data(), term.size())) return &record.entry;
      } else if (SameShortKey(record.key_start, term.data(), kInlineKey) &&
                 std::memcmp(keys_.data() + record.key_offset + kInlineKey, term.data() + kInlineKey,
                             term.size() - kInlineKey) == 0) {
        return &record.entry;
      }
    }
  }
}

void Lexicon::Rehash(std::size_t capacity) {
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (std::uint32_t index = 0; index < entries_.size(); ++index) {
    const std::uint64_t hash = Hash(KeyOf(entries_[index]));
    std::uint64_t i = hash & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = static_cast<std::uint32_t>((hash >> 48) << 16) | (index + 1);
  }
}

LexiconEntry& Lexicon::Upsert(std::string_view term) {
  if (const LexiconEntry* found = Find(term)) {
    return const_cast<LexiconEntry&>(*found);  // found points into entries_, which we own
  }
  if (entries_.size() >= kMaxEntries) {  // reported by Build(); the slot format is full
    overflow_ = true;
    overflow_entry_ = LexiconEntry{};
    return overflow_entry_;
  }
  // Keep the load factor at or below one half.
  if ((entries_.size() + 1) * 2 > slots_.size()) Rehash(slots_.empty() ? 1024 : slots_.size() * 2);
  const std::uint32_t index = static_cast<std::uint32_t>(entries_.size());
  Record& record = entries_.emplace_back();
  record.key_offset = static_cast<std::uint32_t>(keys_.size());
  record.key_length = static_cast<std::uint16_t>(term.size());
  std::memcpy(record.key_start, term.data(), term.size() < kInlineKey ? term.size() : kInlineKey);
  keys_.append(term);
  const std::uint64_t hash = Hash(term);
  std::uint64_t i = hash & mask_;
  while (slots_[i] != 0) i = (i + 1) & mask_;
  slots_[i] = static_cast<std::uint32_t>((hash >> 48) << 16) | (index + 1);
  const std::uint32_t bit = FilterBit(hash);
  filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  return record.entry;
}

absl::Status Lexicon::AddSource(const Source& source) {
  std::vector<std::string_view> lines = Split(source.text, "\n");
  int line_number = 0;
  for (std::string_view line : lines) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto error = [&](std::string_view what) {
      return absl::InvalidArgumentError(
          StrCat(source.name, ":", line_number, ": ", what, " in \"", line, "\""));
    };
    std::vector<std::string_view> fields = Split(line, "\t");
    if (source.kind == SourceKind::kModifiers) {
      if (fields.size() != 4) return error("expected lang, role, term and weight");
      float weight = 0;
      if (!ParseValence(fields[3], weight)) return error("weight is not a number");
      WordRole role;
      if (fields[1] == "negate") role = WordRole::kNegate;
      else if (fields[1] == "boost") role = WordRole::kBoost;
      else if (fields[1] == "contrast") role = WordRole::kContrast;
      else if (fields[1] == "concession") role = WordRole::kConcession;
      else return error("role must be negate, boost, contrast or concession");
      bool en = fields[0] == "en" || fields[0] == "*";
      bool es = fields[0] == "es" || fields[0] == "*";
      if (!en && !es) return error("lang must be es, en or *");
      std::string term = FoldText(fields[2]);
      if (term.empty() || term.size() > kMaxTermBytes) return error("empty or overlong term");
      LexiconEntry& entry = Upsert(term);
      if (en) { entry.role[kLexEn] = role; entry.role_weight[kLexEn] = weight; }
      if (es) { entry.role[kLexEs] = role; entry.role_weight[kLexEs] = weight; }
      continue;
    }
    if (fields.size() < 2 || fields.size() > 3) return error("expected term, valence[, forms]");
    float valence = 0;
    if (!ParseValence(fields[1], valence)) return error("valence is not a number");
    if (valence < -4.0f || valence > 4.0f) return error("valence outside -4..+4");
    std::string term = FoldText(fields[0]);
    if (term.empty() || term.size() > kMaxTermBytes) return error("empty or overlong term");
    std::vector<std::string> terms = {term};
    if (fields.size() == 3) {
      if (source.kind != SourceKind::kValencesEs || (fields[2] != "g" && fields[2] != "n")) {
        return error("forms column must be g or n (Spanish lexicon only)");
      }
      for (std::string& form : Forms(term, fields[2])) terms.push_back(std::move(form));
    }
    for (std::size_t t = 0; t < terms.size(); ++t) {
      LexiconEntry& entry = Upsert(terms[t]);
      switch (source.kind) {
        case SourceKind::kValencesEn:
        case SourceKind::kValencesEs: {
          const int lang = source.kind == SourceKind::kValencesEn ? kLexEn : kLexEs;
          // A form generated from another row never overrides a row written for itself.
          if (t > 0 && entry.has_valence[lang]) break;
          entry.valence[lang] = valence;
          entry.has_valence[lang] = true;
          break;
        }
        case SourceKind::kShared:
          entry.shared_valence = valence;
          entry.has_shared = true;
          break;
        case SourceKind::kModifiers:
          break;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Lexicon> Lexicon::Build(const std::vector<Source>& sources) {
  Lexicon lexicon;
  for (const Source& source : sources) {
    FARO_RETURN_IF_ERROR(lexicon.AddSource(source));
    if (lexicon.overflow_) {
      return absl::ResourceExhaustedError(
          StrCat(source.name, ": the lexicon would hold more than ", kMaxEntries, " terms"));
    }
  }
  // Mark the prefixes of multi-word expressions so the scorer knows when to look further.
  const std::size_t count = lexicon.entries_.size();
  for (std::size_t index = 0; index < count; ++index) {
    std::string key(lexicon.KeyOf(lexicon.entries_[index]));
    std::vector<std::string_view> words = Split(key, " ", true);
    if (words.size() < 2) continue;
    const auto total = static_cast<std::uint8_t>(words.size() > 255 ? 255 : words.size());
    for (std::size_t w = 0; w + 1 < words.size(); ++w) {
      const auto end = static_cast<std::size_t>(words[w].data() + words[w].size() - key.data());
      LexiconEntry& prefix = lexicon.Upsert(std::string_view(key).substr(0, end));
      if (prefix.longest_expression < total) prefix.longest_expression = total;
    }
  }
  if (lexicon.overflow_) {
    return absl::ResourceExhaustedError(StrCat("the lexicon would hold more than ", kMaxEntries, " terms"));
  }
  return lexicon;
}

std::size_t Lexicon::ValenceCount(LexLang lang) const {
  std::size_t n = 0;
  for (const Record& record : entries_) n += record.entry.has_valence[lang] ? 1 : 0;
  return n;
}

}  // namespace faro
