#pragma once
// At most N requests per client address per minute (public endpoints such as crowd reports).
// Thread-safe; memory is bounded by pruning addresses whose minute has passed.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace faro::server {

class PerClientLimit {
 public:
  explicit PerClientLimit(int per_minute = 5) : per_minute_(per_minute) {}
  void SetPerMinute(int n) {
    std::lock_guard lock(mutex_);
    per_minute_ = n;
  }
  bool Allow(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int count = 0;
  };
  std::mutex mutex_;
  int per_minute_;
  std::map<std::string, Window> clients_;
};

}  // namespace faro::server
