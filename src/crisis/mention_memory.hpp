#pragma once
// What crisis analysis remembers of the mentions of one brand or topic: owned copies of the
// most recent ones (bounded by count and by age, each field clipped, so memory is constant),
// and the words and hashtags a mention brings to the vocabulary comparison.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "listen/mention.hpp"
#include "sentiment/sentiment.hpp"
#include "text/normalise.hpp"

namespace faro::crisis {

// Field limits of a remembered mention, in bytes (text is cut on a character boundary and
// ends in "…" when cut).
inline constexpr std::size_t kTextBytes = 280;
inline constexpr std::size_t kUrlBytes = 300;
inline constexpr std::size_t kIdBytes = 80;
inline constexpr std::size_t kTermsBytes = 400;

struct RecentMention {
  std::string id;
  TimePoint at;
  int64_t seq = 0;  // arrival order, to order mentions of the same instant
  std::string author_id, author_handle;  // handle without '@'
  int64_t followers = 0, shares = 0, likes = 0;
  Polarity polarity = Polarity::kUnknown;
  double score = 0;
  std::string text, url;
  std::string reply_to, reply_to_author;
  std::string terms;  // its distinct terms (see MentionTerms), separated by spaces

  // Who wrote it, as one key: the handle (lower case) or, without one, "id:" + the author id.
  std::string AuthorKey() const;
};

// The distinct terms of a mention that can tell one conversation from another, in text
// order: folded words of at least 3 bytes that are not common Spanish or English function
// words ("que", "the", "para"...: IsStopWord), and hashtags written "#tag". Numbers, links,
// @mentions, emoji are left out. Appended to `out` separated by spaces, at most kTermsBytes.
// `keys`, when given, gets one entry per term written: where it is in `out` and its
// StableHash, so that counting the terms does not split and hash them again.
struct TermKey {
  std::uint32_t begin = 0, size = 0;
  std::uint64_t hash = 0;
};
void MentionTerms(const NormalisedText& text, std::string& out, std::vector<TermKey>* keys = nullptr);

// The most recent mentions, oldest first; a ring of at most `capacity` entries that also
// forgets those older than `max_age` before the newest. Entries reuse their buffers.
//
// Every matched mention is remembered, but only those of a spike are ever read back (when a
// crisis opens, and while it lasts): an entry keeps the clipped fields one after another in
// one buffer, with their ends, not as eight strings, so remembering a mention is a few
// copies into one block (a few hundred contiguous bytes) instead of eight string
// assignments to eight separate, mostly cold, heap blocks. A RecentMention is rebuilt on
// demand.
class MentionMemory {
 public:
  MentionMemory(std::size_t capacity, std::chrono::seconds max_age);

  // Copies what it keeps; `terms` as written by MentionTerms.
  void Add(const Mention& m, const Sentiment& sentiment, std::string_view terms, int64_t seq);

  std::size_t size() const { return size_; }
  // i-th oldest remembered mention, 0 <= i < size().
  RecentMention at(std::size_t i) const;
  // Its time alone, without rebuilding it.
  TimePoint time_at(std::size_t i) const { return slot(i).at; }
  std::size_t capacity() const { return capacity_; }
  // The newest time among the mentions dropped to make room (not for age); epoch if none.
  TimePoint newest_dropped() const { return newest_dropped_; }

 private:
  // The clipped text fields of a remembered mention, in the order they are stored.
  enum Field { kId, kAuthorId, kAuthorHandle, kText, kUrl, kReplyTo, kReplyToAuthor, kTerms, kFields };
  struct Entry {
    TimePoint at;
    int64_t seq = 0;
    int64_t followers = 0, shares = 0, likes = 0;
    double score = 0;
    Polarity polarity = Polarity::kUnknown;
    std::array<uint16_t, kFields> ends{};  // where each field ends in `bytes`
    std::size_t room = 0;                  // bytes allocated
    std::unique_ptr<char[]> bytes;         // the fields one after another
    std::string_view field(Field f) const {
      const std::size_t begin = f == 0 ? 0 : ends[f - 1];
      return std::string_view(bytes.get() + begin, ends[f] - begin);
    }
    // Copies `fields` (each within its limit) one after another.
    void Fill(const std::array<std::string_view, kFields>& fields);
  };
  const Entry& slot(std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }
  void ForgetOlderThan(TimePoint cutoff);
  std::size_t capacity_;
  std::chrono::seconds max_age_;
  std::vector<Entry> slots_;  // grows to capacity, then reused
  std::size_t head_ = 0, size_ = 0;
  TimePoint newest_{};
  TimePoint newest_dropped_{};
};

}  // namespace faro::crisis
