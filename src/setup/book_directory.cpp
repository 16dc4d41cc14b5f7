#include "setup/book_directory.hpp"

namespace faro::setup {

BookDirectory::BookDirectory(contacts::ContactBook& book, const Clock& clock, std::chrono::milliseconds refresh)
    : book_(book), clock_(clock), refresh_(refresh) {}

void BookDirectory::LoadIfStale() {
  const auto now = std::chrono::steady_clock::now();
  if (valid_ && now - loaded_ < refresh_) return;
  std::map<int64_t, contacts::Contact> fresh;
  contacts::ListQuery query;
  query.limit = 10000;
  for (query.offset = 0;; query.offset += query.limit) {
    auto page = book_.List(query);
    if (!page.ok()) return;  // keep what we had; the book will answer next time
    for (contacts::Contact& c : *page) fresh.emplace(c.id, std::move(c));
    if (static_cast<int>(page->size()) < query.limit) break;
  }
  cache_ = std::move(fresh);
  loaded_ = now;
  valid_ = true;
}

std::optional<contacts::Contact> BookDirectory::Get(int64_t id) {
  std::lock_guard lock(mutex_);
  LoadIfStale();
  const auto it = cache_.find(id);
  if (it != cache_.end()) return it->second;
  auto fresh = book_.Get(id);  // created since the last load
  if (!fresh.ok()) return std::nullopt;
  cache_[id] = *fresh;
  return *fresh;
}

std::vector<contacts::Contact> BookDirectory::All() {
  std::lock_guard lock(mutex_);
  valid_ = false;
  LoadIfStale();
  std::vector<contacts::Contact> all;
  all.reserve(cache_.size());
  for (const auto& [id, c] : cache_) all.push_back(c);
  return all;
}

void BookDirectory::RecordOptOut(int64_t id, const std::string& channel_id, const std::string& source, TimePoint at) {
  std::lock_guard lock(mutex_);
  contacts::Consent consent{contacts::ConsentState::kOptedOut, at, source};
  (void)book_.SetConsent(id, channel_id, consent, "outbox");
  if (auto it = cache_.find(id); it != cache_.end()) it->second.consent[channel_id] = consent;
}

void BookDirectory::UpdateAddress(int64_t id, channels::AddressKind kind, const std::string& address) {
  std::lock_guard lock(mutex_);
  auto contact = book_.Get(id);
  if (!contact.ok()) return;
  switch (kind) {
    case channels::AddressKind::kTelegram: contact->telegram = address; break;
    case channels::AddressKind::kPhone: contact->phone = address; break;
    case channels::AddressKind::kEmail: contact->email = address; break;
    default: return;
  }
  (void)book_.Upsert(*contact, "provider moved the address");
  cache_[id] = *contact;
}

void BookDirectory::Invalidate() {
  std::lock_guard lock(mutex_);
  valid_ = false;
}

}  // namespace faro::setup
