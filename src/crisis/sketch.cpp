#include "crisis/sketch.hpp"

#include <algorithm>
#include <cmath>

namespace faro::crisis {

FadingTermCounts::FadingTermCounts(std::size_t capacity, std::chrono::seconds half_life)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      rate_per_ms_(std::log(2.0) / (static_cast<double>(std::max<int64_t>(half_life.count(), 1)) * 1000.0)) {
  std::size_t slots = 8;
  while (slots < 4 * capacity_) slots *= 2;
  slots_.resize(slots);
}

std::size_t FadingTermCounts::Find(std::string_view term, uint64_t key) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == 0 || (slot.hash == key && slot.term == term)) return i;
  }
}

double FadingTermCounts::Factor(TimePoint at) const {
  return std::exp(static_cast<double>(ToUnixMillis(at) - anchor_ms_) * rate_per_ms_);
}

double FadingTermCounts::AddFactor(TimePoint at) {
  // A mention's terms come one after another with the same time: one exp for all of them.
  const int64_t ms = ToUnixMillis(at);
  if (!factor_cached_ || ms != factor_ms_) {
    factor_ = Factor(at);
    factor_ms_ = ms;
    factor_cached_ = true;
  }
  return factor_;
}

void FadingTermCounts::Rescale(TimePoint at) {
  // Keep the stored weights in a comfortable range: move the anchor to `at` once an event
  // there would weigh more than e^30 (about 43 half-lives).
  const double exponent = static_cast<double>(ToUnixMillis(at) - anchor_ms_) * rate_per_ms_;
  if (anchored_ && exponent < 30.0) return;
  if (!anchored_) {
    anchor_ms_ = ToUnixMillis(at);
    anchored_ = true;
    factor_cached_ = false;
    return;
  }
  factor_cached_ = false;  // the anchor moves
  const double scale = std::exp(-exponent);
  for (Slot& slot : slots_) slot.weight *= scale;
  total_ *= scale;
  anchor_ms_ = ToUnixMillis(at);
}

void FadingTermCounts::Prune() {
  // Keep the `capacity_` heaviest terms; ties broken by the term, so the result does not
  // depend on where the terms sit in the table.
  std::vector<Slot> live;
  live.reserve(size_);
  for (Slot& slot : slots_)
    if (slot.hash != 0) live.push_back(std::move(slot));
  auto heavier = [](const Slot& a, const Slot& b) { return a.weight != b.weight ? a.weight > b.weight : a.term < b.term; };
  if (live.size() > capacity_) {
    std::nth_element(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(capacity_), live.end(), heavier);
    live.resize(capacity_);
  }
  for (Slot& slot : slots_) slot = Slot{};
  for (Slot& kept : live) slots_[Find(kept.term, kept.hash)] = std::move(kept);
  size_ = live.size();
}

void FadingTermCounts::Add(std::string_view term, uint64_t stable_hash, TimePoint at) {
  Rescale(at);
  AddWeight(term, stable_hash, AddFactor(at));
}

void FadingTermCounts::AddWeight(std::string_view term, uint64_t stable_hash, double w) {
  total_ += w;
  const uint64_t key = Key(stable_hash);
  Slot& slot = slots_[Find(term, key)];
  if (slot.hash != 0) {
    slot.weight += w;
    return;
  }
  slot.hash = key;
  slot.weight = w;
  slot.term.assign(term);
  if (++size_ >= 2 * capacity_) Prune();
}

double FadingTermCounts::Count(std::string_view term, TimePoint now) const {
  if (!anchored_) return 0.0;
  const Slot& slot = slots_[Find(term, Key(StableHash(term)))];
  return slot.hash == 0 ? 0.0 : slot.weight / Factor(now);
}

double FadingTermCounts::Total(TimePoint now) const { return anchored_ ? total_ / Factor(now) : 0.0; }

void DistinctCount::Add(std::string_view key) {
  const uint64_t h = StableHash(key);
  const std::size_t index = static_cast<std::size_t>(h >> (64 - kBits));
  const uint64_t rest = h << kBits;
  // Position of the first 1 bit in the remaining 54 bits (1-based); all zero counts as 55.
  const int rank = rest == 0 ? 64 - kBits + 1 : __builtin_clzll(rest) + 1;
  registers_[index] = std::max<uint8_t>(registers_[index], static_cast<uint8_t>(rank));
}

int64_t DistinctCount::Estimate() const {
  constexpr double m = 1 << kBits;
  double sum = 0;
  int zeros = 0;
  for (const uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);  // linear counting
  return static_cast<int64_t>(std::llround(estimate));
}

}  // namespace faro::crisis
