#pragma once
// Bounded-memory counters for crisis analysis: a slowly fading count of terms (the usual
// vocabulary of a brand) and an estimate of distinct authors. Both keep constant memory
// whatever the length of the stream.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace faro::crisis {

// A stable 64-bit hash (FNV-1a with a final mix): the same on every build and machine, so
// estimates and reports are reproducible. In steps, for a caller that reads a term byte by
// byte anyway (MentionTerms): StableHashFinish(StableHashStep(...StableHashStep(
// kStableHashBasis, c0)..., cn)) == StableHash(c0...cn).
inline constexpr uint64_t kStableHashBasis = 1469598103934665603ull;
constexpr uint64_t StableHashStep(uint64_t h, char c) {
  return (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
}
constexpr uint64_t StableHashFinish(uint64_t h) {
  // splitmix64 finaliser: FNV's low bits are weak on short keys.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}
constexpr uint64_t StableHash(std::string_view text) {
  uint64_t h = kStableHashBasis;
  for (const char c : text) h = StableHashStep(h, c);
  return StableHashFinish(h);
}

// Term counts that fade with time (each count halves every `half_life`), keeping only about
// the `capacity` heaviest terms: when the table reaches twice the capacity, the lighter half
// is dropped (a frequent-items sketch: a term that keeps coming back is never dropped; a
// dropped term, if it returns, starts again from zero, so rare terms are under-counted by at
// most the weight of the lightest kept term). The total is exact.
//
// Fading is "forward decay": weights are stored relative to an anchor time and scaled once in
// a while, so an update touches one entry, not all of them. The terms live in one flat table
// (open addressing, at most half full) found by their StableHash: every matched mention adds
// each of its terms, and a node per term would cost an allocation and a pointer chase.
class FadingTermCounts {
 public:
  FadingTermCounts(std::size_t capacity, std::chrono::seconds half_life);

  void Add(std::string_view term, TimePoint at) { Add(term, StableHash(term), at); }
  // The same, with StableHash(term) already known.
  void Add(std::string_view term, uint64_t stable_hash, TimePoint at);
  // Add(terms.substr(k.begin, k.size), k.hash, at) for each k of `keys`, in order (a
  // mention's terms as MentionTerms writes them): the same counts, with the rescaling and
  // the mention's weight worked out once.
  template <typename Keys>
  void AddAll(std::string_view terms, const Keys& keys, TimePoint at) {
    if (keys.empty()) return;
    Rescale(at);
    const double w = AddFactor(at);
    // The table is larger than the core's caches: the slots where the terms' searches start
    // are asked for all at once, so their fetches overlap instead of waiting one by one.
    const std::size_t mask = slots_.size() - 1;
    for (const auto& k : keys) __builtin_prefetch(slots_.data() + (static_cast<std::size_t>(Key(k.hash)) & mask));
    for (const auto& k : keys) AddWeight(terms.substr(k.begin, k.size), k.hash, w);
  }
  // Faded to `now` (which should not be before the newest Add).
  double Count(std::string_view term, TimePoint now) const;
  double Total(TimePoint now) const;
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: empty (a term's hash is never 0, see Key)
    double weight = 0;
    std::string term;
  };
  static uint64_t Key(uint64_t stable_hash) { return stable_hash == 0 ? 1 : stable_hash; }
  // The slot holding `term`, or the empty slot where it would go.
  std::size_t Find(std::string_view term, uint64_t key) const;
  double Factor(TimePoint at) const;  // weight of one event at `at`, relative to the anchor
  double AddFactor(TimePoint at);     // the same, remembered for the next Add at the same time
  void Rescale(TimePoint at);
  // One event of weight `w` (AddFactor of its time, after Rescale).
  void AddWeight(std::string_view term, uint64_t stable_hash, double w);
  void Prune();

  std::size_t capacity_;
  double rate_per_ms_;  // ln 2 / half_life
  int64_t anchor_ms_ = 0;
  bool anchored_ = false;
  double total_ = 0;
  bool factor_cached_ = false;
  int64_t factor_ms_ = 0;
  double factor_ = 1;
  std::vector<Slot> slots_;  // a power of two, at least 4 × capacity
  std::size_t size_ = 0;
};

// Distinct keys (authors) counted in 1 KiB: HyperLogLog (Flajolet et al. 2007) with 1,024
// registers (about 3 % error) and linear counting for small numbers, where it is nearly exact.
class DistinctCount {
 public:
  void Add(std::string_view key);
  int64_t Estimate() const;

 private:
  static constexpr int kBits = 10;
  std::array<uint8_t, 1 << kBits> registers_{};
};

}  // namespace faro::crisis
