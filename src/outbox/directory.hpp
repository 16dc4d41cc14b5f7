#pragma once
// What the outbox needs to know about people: their identities, order and consent, and where
// to record what providers tell us (an opt-out, a moved chat). The contact book implements it;
// MemoryDirectory serves tests, benchmarks and drills.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "contacts/contact.hpp"

namespace faro::outbox {

class ContactDirectory {
 public:
  virtual ~ContactDirectory() = default;
  // Thread-safe. nullopt for an unknown id.
  virtual std::optional<contacts::Contact> Get(int64_t id) = 0;
  // Every contact, for broadcasts.
  virtual std::vector<contacts::Contact> All() = 0;
  // A provider said this person opted out of this channel (STOP, 21610, bot blocked).
  virtual void RecordOptOut(int64_t id, const std::string& channel_id, const std::string& source, TimePoint at) = 0;
  // A provider moved the person's address (Telegram group upgraded to a supergroup).
  virtual void UpdateAddress(int64_t id, channels::AddressKind kind, const std::string& address) = 0;
};

class MemoryDirectory final : public ContactDirectory {
 public:
  void Put(contacts::Contact contact);
  std::optional<contacts::Contact> Get(int64_t id) override;
  std::vector<contacts::Contact> All() override;
  void RecordOptOut(int64_t id, const std::string& channel_id, const std::string& source, TimePoint at) override;
  void UpdateAddress(int64_t id, channels::AddressKind kind, const std::string& address) override;

 private:
  std::mutex mutex_;
  std::map<int64_t, contacts::Contact> contacts_;
};

}  // namespace faro::outbox
