#include "crisis/sketch.hpp"

#include <algorithm>
#include <cmath>

namespace faro::crisis {

uint64_t StableHash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  // splitmix64 finaliser: FNV's low bits are weak on short keys.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

FadingTermCounts::FadingTermCounts(std::size_t capacity, std::chrono::seconds half_life)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      rate_per_ms_(std::log(2.0) / (static_cast<double>(std::max<int64_t>(half_life.count(), 1)) * 1000.0)) {
  counts_.reserve(2 * capacity_ + 1);
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
  for (auto& [term, weight] : counts_) weight *= scale;
  total_ *= scale;
  anchor_ms_ = ToUnixMillis(at);
}

void FadingTermCounts::Prune() {
  // Keep the `capacity_` heaviest terms; ties broken by the term, so the result does not
  // depend on the table's iteration order.
  std::vector<std::pair<double, const std::string*>> order;
  order.reserve(counts_.size());
  for (const auto& [term, weight] : counts_) order.emplace_back(weight, &term);
  auto heavier = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : *a.second < *b.second; };
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(capacity_), order.end(), heavier);
  std::vector<std::string> dropped;
  dropped.reserve(order.size() - capacity_);
  for (std::size_t i = capacity_; i < order.size(); ++i) dropped.push_back(*order[i].second);
  for (const std::string& term : dropped) counts_.erase(term);
}

void FadingTermCounts::Add(std::string_view term, TimePoint at) {
  Rescale(at);
  const double w = AddFactor(at);
  total_ += w;
  auto it = counts_.find(term);
  if (it != counts_.end()) {
    it->second += w;
    return;
  }
  counts_.emplace(std::string(term), w);
  if (counts_.size() >= 2 * capacity_) Prune();
}

double FadingTermCounts::Count(std::string_view term, TimePoint now) const {
  if (!anchored_) return 0.0;
  auto it = counts_.find(term);
  return it == counts_.end() ? 0.0 : it->second / Factor(now);
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
