#pragma once
// The record of automatic failovers: which customer channel Faro took down because its
// platform failed, when, with which broadcast, and when it was undone. Durable before the
// call returns (SQLite WAL). Thread-safe through the connection's own mutex (FULLMUTEX).
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::service {

struct Failover {
  int64_t id = 0;
  std::string channel, platform;
  std::string state;  // "active", "undone"
  TimePoint started_at;
  std::optional<TimePoint> undone_at;
  int64_t event_id = 0, undo_event_id = 0;
  int64_t broadcast_id = 0;  // 0: no broadcast
  std::string broadcast_template;
  std::string reason;
};

class FailoverLog {
 public:
  static absl::StatusOr<std::unique_ptr<FailoverLog>> Open(SQLite::Database& db);
  absl::StatusOr<int64_t> Start(const Failover& failover);
  absl::Status SetBroadcast(int64_t id, int64_t broadcast_id);
  absl::Status Undo(const std::string& channel, TimePoint at, int64_t event_id);
  absl::StatusOr<std::vector<Failover>> List(int limit);  // newest first
  absl::StatusOr<std::vector<Failover>> Active();

 private:
  explicit FailoverLog(SQLite::Database& db) : db_(db) {}
  SQLite::Database& db_;
};

}  // namespace faro::service
