#pragma once
// The most frequent keys of an unbounded stream (hashtags, authors) in fixed memory: the
// Space-Saving algorithm (Metwally, Agrawal, El Abbadi, 2005). Any key seen more than
// total/capacity times is kept; each count is over by at most its `error`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace faro {

class TopCounts {
 public:
  struct Entry {
    std::string key;
    int64_t count = 0;
    int64_t error = 0;  // the count may include up to this many of other keys
  };

  explicit TopCounts(std::size_t capacity = 32);

  // Allocates only when a key longer than any before takes a place.
  void Add(std::string_view key);
  // Up to `n` entries, most frequent first (ties by key, so the order is stable).
  std::vector<Entry> Top(std::size_t n) const;
  int64_t total() const { return total_; }

 private:
  // Open addressing with linear probing over positions in entries_ (+1; 0 is empty), at most
  // half full; removal shifts the probe chain back, so there are no tombstones.
  std::size_t FindSlot(std::string_view key, std::size_t hash) const;
  void Unlink(std::size_t entry);
  void Link(std::size_t entry);

  std::size_t capacity_;
  int64_t total_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::size_t> hashes_;   // of entries_[i].key
  std::vector<std::uint32_t> slots_;  // power of two, >= 2 * capacity
};

}  // namespace faro
