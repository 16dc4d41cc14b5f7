#include "listen/top_counts.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace faro {
namespace {

// A key of up to 16 bytes (nearly every hashtag and handle) as two words: its first and last
// 8 bytes, or 4, or for 1 to 3 bytes the first, middle and last; with its length they spell
// the key. Two loads and no loop, so neither hashing nor comparing a short key has a loop exit
// or a call to mispredict.
struct ShortKey {
  uint64_t a = 0, b = 0;
};
ShortKey ShortKeyOf(std::string_view key) {
  const char* p = key.data();
  const std::size_t n = key.size();
  ShortKey k;
  if (n >= 8) {
    std::memcpy(&k.a, p, 8);
    std::memcpy(&k.b, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    k.a = a;
    k.b = b;
  } else if (n > 0) {
    k.a = uint64_t{static_cast<unsigned char>(p[0])} | uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  return k;
}
constexpr std::size_t kShortKey = 16;

// Where a key sits in the table, nothing more (Top() orders by count, then key): a cheap mix
// of its bytes (its ShortKey's two words, or eight bytes at a time for a longer key) is enough
// for hashtags and handles, and costs a third of std::hash's call.
std::size_t KeyHash(std::string_view key) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ key.size();
  if (key.size() <= kShortKey) {
    const ShortKey k = ShortKeyOf(key);
    h = (h ^ k.a) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ k.b) * 0x94D049BB133111EBull;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
  const char* p = key.data();
  std::size_t n = key.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * 0xBF58476D1CE4E5B9ull;
  }
  uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i) tail |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  h = (h ^ tail) * 0x94D049BB133111EBull;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

bool SameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() > kShortKey) return std::memcmp(a.data(), b.data(), a.size()) == 0;
  const ShortKey x = ShortKeyOf(a), y = ShortKeyOf(b);
  return x.a == y.a && x.b == y.b;
}

}  // namespace

TopCounts::TopCounts(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
  std::size_t slots = 4;
  while (slots < 2 * capacity_) slots *= 2;
  slots_.assign(slots, 0);
  entries_.reserve(capacity_);
  hashes_.reserve(capacity_);
}

std::size_t TopCounts::FindSlot(std::string_view key, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = slots_[i];
    if (slot == 0) return i;
    if (hashes_[slot - 1] == hash && SameKey(entries_[slot - 1].key, key)) return i;
  }
}

void TopCounts::Link(std::size_t entry) {
  slots_[FindSlot(entries_[entry].key, hashes_[entry])] = static_cast<std::uint32_t>(entry + 1);
}

void TopCounts::Unlink(std::size_t entry) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = FindSlot(entries_[entry].key, hashes_[entry]);
  slots_[hole] = 0;
  // Backward-shift deletion: move later members of the chain into the hole when their home
  // slot does not lie (cyclically) between the hole and where they are.
  for (std::size_t i = (hole + 1) & mask; slots_[i] != 0; i = (i + 1) & mask) {
    const std::size_t home = hashes_[slots_[i] - 1] & mask;
    const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    slots_[i] = 0;
    hole = i;
  }
}

void TopCounts::Add(std::string_view key) {
  ++total_;
  const std::size_t hash = KeyHash(key);
  const std::size_t slot = FindSlot(key, hash);
  if (slots_[slot] != 0) {
    ++entries_[slots_[slot] - 1].count;
    return;
  }
  if (entries_.size() < capacity_) {
    entries_.push_back(Entry{std::string(key), 1, 0});
    hashes_.push_back(hash);
    slots_[slot] = static_cast<std::uint32_t>(entries_.size());
    return;
  }
  // Full: the least counted key gives its place to the new one, which inherits its count.
  const auto least = static_cast<std::size_t>(
      std::min_element(entries_.begin(), entries_.end(),
                       [](const Entry& a, const Entry& b) { return a.count < b.count; }) -
      entries_.begin());
  Unlink(least);
  Entry& e = entries_[least];
  e.error = e.count;
  ++e.count;
  e.key.assign(key);
  hashes_[least] = hash;
  Link(least);
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
