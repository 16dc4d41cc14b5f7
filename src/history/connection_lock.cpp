#include "history/connection_lock.hpp"

#include <map>

namespace faro::history {

std::shared_ptr<std::mutex> ConnectionMutex(SQLite::Database& db) {
  static std::mutex registry_mutex;
  static std::map<sqlite3*, std::weak_ptr<std::mutex>> registry;
  std::lock_guard lock(registry_mutex);
  // Forget connections no store uses any more (a closed connection's handle may be reused).
  for (auto it = registry.begin(); it != registry.end();) it = it->second.expired() ? registry.erase(it) : std::next(it);
  auto& slot = registry[db.getHandle()];
  if (auto existing = slot.lock()) return existing;
  auto created = std::make_shared<std::mutex>();
  slot = created;
  return created;
}

}  // namespace faro::history
