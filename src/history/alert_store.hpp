#pragma once
// Team alerts about events: who was told what, acknowledgement, escalation. Pure storage; the
// policy (whom to tell, when to escalate) lives elsewhere. Thread-safe; stores on the same
// connection take turns (history/connection_lock.hpp). Every change is committed before the
// call returns, as durable as the database was opened (store::Durability).
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::history {

struct Alert {
  int64_t id = 0;
  int64_t event_id = 0;
  std::string subject;  // copied from the event
  std::string kind;     // copied from the event
  std::string state;    // "open", "acknowledged", "resolved" ("" is stored as "open")
  int level = 0;        // escalation level reached (0: the first roles told)
  TimePoint created_at;
  std::optional<TimePoint> acknowledged_at, resolved_at, escalated_at;
  std::string acknowledged_by;  // a person or token name, or "reply:<channel>"
  nlohmann::json notified = nlohmann::json::array();  // [{person, role, channel, message_id, level, at}]
};

class AlertStore {
 public:
  // Opens (creating the alerts table in `db`, component "alerts").
  static absl::StatusOr<std::unique_ptr<AlertStore>> Open(SQLite::Database& db);

  // Stores a new alert and sets alert.id. InvalidArgument without subject or kind, with an
  // unknown state, or when notified is not an array.
  absl::StatusOr<int64_t> Create(Alert& alert);
  // Appends one entry (a JSON object) to the alert's notified list. NotFound for an unknown id.
  absl::Status AddNotified(int64_t id, const nlohmann::json& entry);
  // Records that escalation reached `level` at `at`. NotFound for an unknown id;
  // FailedPrecondition when the alert is resolved (nobody needs waking for it any more).
  absl::Status SetLevel(int64_t id, int level, TimePoint at);
  // Acknowledges once: a second acknowledgement returns FailedPrecondition saying who already
  // did and when; NotFound for an unknown id. A resolved alert can still be acknowledged (it
  // stays resolved).
  absl::Status Acknowledge(int64_t id, const std::string& by, TimePoint at);
  // The subject recovered. Resolving again keeps the first time. NotFound for an unknown id.
  absl::Status Resolve(int64_t id, TimePoint at);

  // Newest first; state "" lists all. limit from 1 to 1,000.
  absl::StatusOr<std::vector<Alert>> List(const std::string& state, int limit);
  absl::StatusOr<std::optional<Alert>> Get(int64_t id);
  // The newest open or acknowledged (unresolved) alert of a subject.
  absl::StatusOr<std::optional<Alert>> OpenFor(const std::string& subject);

 private:
  explicit AlertStore(SQLite::Database& db);
  std::optional<Alert> GetLocked(int64_t id);  // throws on SQLite errors

  SQLite::Database& db_;
  std::shared_ptr<std::mutex> mutex_;
};

}  // namespace faro::history
