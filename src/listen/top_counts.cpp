#include "listen/top_counts.hpp"

#include <algorithm>

namespace faro {

void TopCounts::Add(std::string_view key) {
  ++total_;
  // Heterogeneous lookup is C++20 only with a transparent hash; a short key copy is cheap.
  thread_local std::string probe;
  probe.assign(key);
  auto found = index_.find(probe);
  if (found != index_.end()) {
    ++entries_[found->second].count;
    return;
  }
  if (entries_.size() < capacity_) {
    index_.emplace(probe, entries_.size());
    entries_.push_back(Entry{probe, 1, 0});
    return;
  }
  // Full: the least counted key gives its place to the new one, which inherits its count.
  auto least = std::min_element(entries_.begin(), entries_.end(),
                                [](const Entry& a, const Entry& b) { return a.count < b.count; });
  index_.erase(least->key);
  least->error = least->count;
  ++least->count;
  least->key = probe;
  index_.emplace(probe, static_cast<std::size_t>(least - entries_.begin()));
}

std::vector<TopCounts::Entry> TopCounts::Top(std::size_t n) const {
  std::vector<Entry> out = entries_;
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace faro
