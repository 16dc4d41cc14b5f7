#pragma once
// The outbox's view of the contact book. Routing reads contacts often (every send, every
// re-route of a queued message), so they are cached in memory; the cache is reloaded when the
// book changed (another faro process imported contacts) at most once per `refresh` interval.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "contacts/contact_book.hpp"
#include "outbox/directory.hpp"

namespace faro::setup {

class BookDirectory final : public outbox::ContactDirectory {
 public:
  BookDirectory(contacts::ContactBook& book, const Clock& clock,
                std::chrono::milliseconds refresh = std::chrono::seconds(2));
  std::optional<contacts::Contact> Get(int64_t id) override;
  std::vector<contacts::Contact> All() override;
  void RecordOptOut(int64_t id, const std::string& channel_id, const std::string& source, TimePoint at) override;
  void UpdateAddress(int64_t id, channels::AddressKind kind, const std::string& address) override;
  void Invalidate();

 private:
  void LoadIfStale();
  contacts::ContactBook& book_;
  const Clock& clock_;
  std::chrono::milliseconds refresh_;
  std::mutex mutex_;
  std::map<int64_t, contacts::Contact> cache_;
  std::chrono::steady_clock::time_point loaded_{};
  bool valid_ = false;
};

}  // namespace faro::setup
