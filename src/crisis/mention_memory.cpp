#include "crisis/mention_memory.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "crisis/sketch.hpp"
#include "text/stop_words.hpp"

namespace faro::crisis {

void MentionTerms(const NormalisedText& text, std::string& out, std::vector<TermKey>* keys) {
  // The terms are written to a local buffer and appended to `out` once at the end: a string
  // append per term (and per separating space) cost more than finding the terms.
  // A term is found again through a small open-addressing table of the hashes of those
  // written: distinct terms only, a mention repeating a word counts it once.
  struct Written {
    std::uint32_t begin, size;  // in `buffer`
  };
  // A term takes at least 3 bytes with its space ("#a "), so at most kTermsBytes / 3 + 1 fit.
  std::array<Written, kTermsBytes / 3 + 1> written;
  std::size_t count = 0;
  constexpr std::size_t kSlots = 512;  // a power of two, at most about a quarter full
  static_assert(kSlots >= 2 * (kTermsBytes / 3 + 1) && kTermsBytes / 3 + 1 < 256);
  std::array<std::uint8_t, kSlots> slots{};  // 1 + index into `written`; 0 is empty
  // Two bytes of room past the limit: a term's space and '#' are placed before it is known
  // whether the term fits.
  std::array<char, kTermsBytes + 2> buffer;
  std::size_t used = 0;
  // Whether `prefix` (empty or "#") + `word` was written already; if not, `slot` is where it goes.
  auto seen_or_slot = [&](std::string_view prefix, std::string_view word, std::uint64_t hash, std::size_t& slot) {
    for (slot = hash & (kSlots - 1); slots[slot] != 0; slot = (slot + 1) & (kSlots - 1)) {
      const Written& w = written[slots[slot] - 1];
      const char* at = buffer.data() + w.begin;
      if (w.size == prefix.size() + word.size() && std::memcmp(at, prefix.data(), prefix.size()) == 0 &&
          std::memcmp(at + prefix.size(), word.data(), word.size()) == 0)
        return true;
    }
    return false;
  };
  for (const Token& token : text.tokens) {
    const bool hashtag = token.kind == TokenKind::kHashtag;
    if (!hashtag && token.kind != TokenKind::kWord) continue;
    const std::string_view word = token.text;
    if (word.empty() || (!hashtag && (word.size() < 3 || IsStopWord(word)))) continue;
    // One pass over the word: its StableHash (of "#tag" for a hashtag), whether it holds a
    // space (then it is no term), and a copy to where it would be written, as far as there
    // is room (if there is not, it is not written, or it is a term seen before).
    const std::string_view prefix("#", hashtag ? 1 : 0);
    const std::size_t separator = used > 0 ? 1 : 0;
    const std::size_t begin = used + separator;
    const std::size_t room = buffer.size() - begin - prefix.size();  // begin <= kTermsBytes + 1
    char* copy = buffer.data() + begin + prefix.size();
    std::uint64_t h = hashtag ? StableHashStep(kStableHashBasis, '#') : kStableHashBasis;
    bool space = false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i];
      h = StableHashStep(h, c);
      space |= c == ' ';
      if (i < room) copy[i] = c;
    }
    if (space) continue;
    const std::uint64_t hash = StableHashFinish(h);
    std::size_t slot = 0;
    if (seen_or_slot(prefix, word, hash, slot)) continue;
    const std::size_t size = prefix.size() + word.size();
    if (begin + size > kTermsBytes || count == written.size()) break;
    if (separator != 0) buffer[used] = ' ';
    if (hashtag) buffer[begin] = '#';
    used = begin + size;
    written[count++] = Written{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(size)};
    slots[slot] = static_cast<std::uint8_t>(count);
    if (keys != nullptr) {
      // Field by field into the vector: a TermKey built first and then copied was read back
      // as one 16-byte load of three smaller stores, which the processor cannot forward.
      TermKey& key = keys->emplace_back();
      key.begin = static_cast<std::uint32_t>(out.size() + begin);
      key.size = static_cast<std::uint32_t>(size);
      key.hash = hash;
    }
  }
  out.append(buffer.data(), used);
}

std::string RecentMention::AuthorKey() const {
  if (!author_handle.empty()) return ToLower(author_handle);
  return StrCat("id:", author_id);
}

MentionMemory::MentionMemory(std::size_t capacity, std::chrono::seconds max_age)
    : capacity_(std::max<std::size_t>(capacity, 1)), max_age_(max_age) {}

void MentionMemory::ForgetOlderThan(TimePoint cutoff) {
  while (size_ > 0 && time_at(0) < cutoff) {
    head_ = (head_ + 1) % slots_.size();
    --size_;
  }
}

void MentionMemory::Add(const Mention& m, const Sentiment& sentiment, std::string_view terms, int64_t seq) {
  if (m.at > newest_) newest_ = m.at;
  ForgetOlderThan(newest_ - max_age_);
  Entry* slot = nullptr;
  if (size_ == slots_.size() && slots_.size() < capacity_) {
    // Growing: the new slot goes logically last, just before the oldest (the ring's head).
    const std::size_t pos = head_ == 0 ? slots_.size() : head_;
    slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(pos), Entry{});
    if (head_ != 0) ++head_;
    slot = &slots_[pos];
    ++size_;
  } else if (size_ < slots_.size()) {
    slot = &slots_[(head_ + size_) % slots_.size()];
    ++size_;
  } else {
    // Full: the oldest gives its place.
    slot = &slots_[head_];
    if (slot->at > newest_dropped_) newest_dropped_ = slot->at;
    head_ = (head_ + 1) % slots_.size();
  }
  slot->at = m.at;
  slot->seq = seq;
  slot->followers = m.followers;
  slot->shares = m.shares;
  slot->likes = m.likes;
  slot->polarity = sentiment.polarity;
  slot->score = sentiment.score;
  // The fields, each clipped to its limit (a copy only for a field over it, which is rare).
  std::array<std::string_view, kFields> fields{m.id, m.author_id, m.author_handle, m.text, m.url, m.reply_to,
                                               m.reply_to_author, terms};
  static constexpr std::array<std::size_t, kFields> kLimits{kIdBytes,  kIdBytes, kIdBytes, kTextBytes,
                                                            kUrlBytes, kIdBytes, kIdBytes, kTermsBytes};
  bool over = false;
  for (std::size_t f = 0; f < kFields; ++f) over |= fields[f].size() > kLimits[f];
  if (!over) {
    slot->Fill(fields);
    return;
  }
  std::array<std::string, kFields> clipped;
  for (std::size_t f = 0; f < kFields; ++f) {
    if (fields[f].size() > kLimits[f]) {
      clipped[f] = ClipUtf8(fields[f], kLimits[f]);
      fields[f] = clipped[f];
    }
  }
  slot->Fill(fields);
}

void MentionMemory::Entry::Fill(const std::array<std::string_view, kFields>& fields) {
  // The limits (and "…" after a cut) keep the whole within what uint16_t ends can say.
  static_assert(5 * kIdBytes + kTextBytes + kUrlBytes + kTermsBytes + kFields * 3 < 65536);
  std::size_t total = 0;
  for (const std::string_view f : fields) total += f.size();
  if (total > room) {
    room = std::max<std::size_t>(total, 512);
    bytes = std::make_unique_for_overwrite<char[]>(room);
  }
  std::size_t end = 0;
  for (std::size_t f = 0; f < kFields; ++f) {
    if (!fields[f].empty()) std::memcpy(bytes.get() + end, fields[f].data(), fields[f].size());
    end += fields[f].size();
    ends[f] = static_cast<uint16_t>(end);
  }
}

RecentMention MentionMemory::at(std::size_t i) const {
  const Entry& e = slot(i);
  RecentMention m;
  m.id = e.field(kId);
  m.at = e.at;
  m.seq = e.seq;
  m.author_id = e.field(kAuthorId);
  m.author_handle = e.field(kAuthorHandle);
  m.followers = e.followers;
  m.shares = e.shares;
  m.likes = e.likes;
  m.polarity = e.polarity;
  m.score = e.score;
  m.text = e.field(kText);
  m.url = e.field(kUrl);
  m.reply_to = e.field(kReplyTo);
  m.reply_to_author = e.field(kReplyToAuthor);
  m.terms = e.field(kTerms);
  return m;
}

}  // namespace faro::crisis
