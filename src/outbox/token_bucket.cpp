#include "outbox/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace faro::outbox {

TokenBucket::TokenBucket(Rate rate, double burst)
    : per_ms_(rate.tokens / static_cast<double>(rate.per.count())), burst_(std::max(1.0, burst)), tokens_(burst_) {}

void TokenBucket::Refill(TimePoint now) {
  if (last_ == TimePoint{}) last_ = now;
  if (now > last_) {
    const double elapsed = std::chrono::duration<double, std::milli>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * per_ms_);
    last_ = now;
  }
}

std::chrono::milliseconds TokenBucket::WaitFor(TimePoint now) {
  if (now < paused_until_) return std::chrono::ceil<std::chrono::milliseconds>(paused_until_ - now);
  Refill(now);
  if (tokens_ >= 1.0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil((1.0 - tokens_) / per_ms_)));
}

std::chrono::milliseconds TokenBucket::Take(TimePoint now) {
  const auto wait = WaitFor(now);
  if (wait.count() == 0) tokens_ -= 1.0;
  return wait;
}

void TokenBucket::PauseUntil(TimePoint until) {
  paused_until_ = std::max(paused_until_, until);
  tokens_ = std::min(tokens_, 1.0);  // after the pause, resume gently rather than with a burst
}

TokenBucket& KeyedBuckets::Get(const std::string& key) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(key, std::make_pair(TokenBucket(rate_, burst_), TimePoint{})).first;
  return it->second.first;
}

void KeyedBuckets::Sweep(TimePoint now) {
  // A bucket untouched for burst/rate is full again: forgetting it changes nothing.
  const auto refill = std::chrono::milliseconds(static_cast<int64_t>(
      burst_ * static_cast<double>(rate_.per.count()) / rate_.tokens)) + std::chrono::seconds(1);
  if (now - last_sweep_ < refill) return;
  last_sweep_ = now;
  std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.second > refill; });
}

std::chrono::milliseconds KeyedBuckets::WaitFor(const std::string& key, TimePoint now) {
  Sweep(now);
  return Get(key).WaitFor(now);
}

std::chrono::milliseconds KeyedBuckets::Take(const std::string& key, TimePoint now) {
  Sweep(now);
  auto& entry = buckets_.try_emplace(key, TokenBucket(rate_, burst_), now).first->second;
  entry.second = now;
  return entry.first.Take(now);
}

void KeyedBuckets::PauseUntil(const std::string& key, TimePoint until) {
  auto& entry = buckets_.try_emplace(key, TokenBucket(rate_, burst_), until).first->second;
  entry.second = until;
  entry.first.PauseUntil(until);
}

}  // namespace faro::outbox
