#include "outbox/directory.hpp"

namespace faro::outbox {

void MemoryDirectory::Put(contacts::Contact contact) {
  std::lock_guard lock(mutex_);
  contacts_[contact.id] = std::move(contact);
}

std::optional<contacts::Contact> MemoryDirectory::Get(int64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = contacts_.find(id);
  if (it == contacts_.end()) return std::nullopt;
  return it->second;
}

std::vector<contacts::Contact> MemoryDirectory::All() {
  std::lock_guard lock(mutex_);
  std::vector<contacts::Contact> all;
  all.reserve(contacts_.size());
  for (const auto& [id, contact] : contacts_) all.push_back(contact);
  return all;
}

void MemoryDirectory::RecordOptOut(int64_t id, const std::string& channel_id, const std::string& source, TimePoint at) {
  std::lock_guard lock(mutex_);
  const auto it = contacts_.find(id);
  if (it != contacts_.end()) it->second.consent[channel_id] = {contacts::ConsentState::kOptedOut, at, source};
}

void MemoryDirectory::UpdateAddress(int64_t id, channels::AddressKind kind, const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto it = contacts_.find(id);
  if (it == contacts_.end()) return;
  contacts::Contact& c = it->second;
  switch (kind) {
    case channels::AddressKind::kPhone: c.phone = address; break;
    case channels::AddressKind::kEmail: c.email = address; break;
    case channels::AddressKind::kTelegram: c.telegram = address; break;
    case channels::AddressKind::kInstagram: c.instagram = address; break;
    case channels::AddressKind::kMessenger: c.messenger = address; break;
    case channels::AddressKind::kX: c.x_handle = address; break;
    case channels::AddressKind::kNone: break;
  }
}

}  // namespace faro::outbox
