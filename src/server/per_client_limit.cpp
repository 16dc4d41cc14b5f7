#include "server/per_client_limit.hpp"

namespace faro::server {

bool PerClientLimit::Allow(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (clients_.size() > 10000)  // forget finished windows before the map grows further
    std::erase_if(clients_, [&](const auto& kv) { return now - kv.second.start >= std::chrono::minutes(1); });
  Window& w = clients_[client];
  if (w.count == 0 || now - w.start >= std::chrono::minutes(1)) w = {now, 0};
  if (w.count >= per_minute_) return false;
  ++w.count;
  return true;
}

}  // namespace faro::server
