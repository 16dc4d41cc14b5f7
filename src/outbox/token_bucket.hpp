#pragma once
// Token buckets: how the outbox keeps each provider within its documented rate (Telegram
// 30 msg/s overall and 1 msg/s per chat, WhatsApp 80 msg/s per number and 1 per 6 s per
// person). Pure: time is passed in.
#include <chrono>
#include <string>
#include <unordered_map>

#include "config/yaml_reader.hpp"
#include "core/clock.hpp"

namespace faro::outbox {

class TokenBucket {
 public:
  TokenBucket(Rate rate, double burst);
  // Takes one token if available; otherwise returns how long until one is.
  std::chrono::milliseconds Take(TimePoint now);
  // How long until a token is available, without taking it.
  std::chrono::milliseconds WaitFor(TimePoint now);
  // The provider told us to wait (429 retry_after): no tokens until `until`.
  void PauseUntil(TimePoint until);

 private:
  void Refill(TimePoint now);
  double per_ms_;
  double burst_;
  double tokens_;
  TimePoint last_{};
  TimePoint paused_until_{};
};

// One bucket per recipient, for per-chat and per-person limits. Idle buckets (full again)
// are dropped so memory follows the active recipients, not every recipient ever seen.
class KeyedBuckets {
 public:
  KeyedBuckets(Rate rate, double burst) : rate_(rate), burst_(burst) {}
  std::chrono::milliseconds WaitFor(const std::string& key, TimePoint now);
  std::chrono::milliseconds Take(const std::string& key, TimePoint now);
  void PauseUntil(const std::string& key, TimePoint until);
  size_t size() const { return buckets_.size(); }

 private:
  TokenBucket& Get(const std::string& key);
  void Sweep(TimePoint now);
  Rate rate_;
  double burst_;
  std::unordered_map<std::string, std::pair<TokenBucket, TimePoint>> buckets_;
  TimePoint last_sweep_{};
};

}  // namespace faro::outbox
