#pragma once
// The most frequent keys of an unbounded stream (hashtags, authors) in fixed memory: the
// Space-Saving algorithm (Metwally, Agrawal, El Abbadi, 2005). Any key seen more than
// total/capacity times is kept; each count is over by at most its `error`.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace faro {

class TopCounts {
 public:
  struct Entry {
    std::string key;
    int64_t count = 0;
    int64_t error = 0;  // the count may include up to this many of other keys
  };

  explicit TopCounts(std::size_t capacity = 32) : capacity_(capacity == 0 ? 1 : capacity) {}

  void Add(std::string_view key);
  // Up to `n` entries, most frequent first (ties by key, so the order is stable).
  std::vector<Entry> Top(std::size_t n) const;
  int64_t total() const { return total_; }

 private:
  std::size_t capacity_;
  int64_t total_ = 0;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  // key → position in entries_
};

}  // namespace faro
