#pragma once
// The event log (DESIGN.md, "How data flows"): append-only, in order. Detectors append; alerts,
// failover, plans, the API and the dashboard read it. Thread-safe; stores on the same
// connection take turns (history/connection_lock.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/event.hpp"
#include "core/status.hpp"

namespace faro::history {

// Filters are optional and combine; results are newest first.
struct EventQuery {
  std::string kind_prefix;            // "platform-" matches "platform-down", "platform-restored"
  std::string subject;                // exact
  int64_t before_id = 0;              // paging: only events with a smaller id (0: from the newest)
  std::optional<TimePoint> since;     // only events at or after this time
  int limit = 100;                    // 1 to 1,000
};

class EventStore {
 public:
  // Opens (creating the events table in `db`, component "events").
  static absl::StatusOr<std::unique_ptr<EventStore>> Open(SQLite::Database& db);

  // Appends one event and sets event.id. Ids increase with every event and are never reused.
  // Durable before it returns: committed to the database, so it survives a crash of the process
  // (and a power cut when the database was opened with store::Durability::kPowerLoss).
  // InvalidArgument when the event has no kind or no subject.
  absl::StatusOr<int64_t> Append(Event& event);
  // Appends all events in one transaction, in their order, setting each id; none on error.
  absl::Status AppendAll(std::vector<Event>& events);

  absl::StatusOr<std::vector<Event>> List(const EventQuery& query);
  absl::StatusOr<std::optional<Event>> Get(int64_t id);
  // The id of the newest event, from any connection to the database; 0 when there is none.
  // Events never change once appended, so a page of the log is the same while this is.
  absl::StatusOr<int64_t> LastId();

 private:
  explicit EventStore(SQLite::Database& db);
  void Insert(Event& event);  // inside a transaction; throws on SQLite errors

  SQLite::Database& db_;
  std::shared_ptr<std::mutex> mutex_;
};

}  // namespace faro::history
