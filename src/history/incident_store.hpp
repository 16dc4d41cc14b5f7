#pragma once
// Incidents of the contingency plans: one row per incident with its whole record as JSON (the
// text plan::IncidentToJson writes), replaced after every change, plus the few columns the API
// filters and sorts by. This store does not read the JSON: it keeps it as given.
//
// Durable before acknowledged: when Save returns OK the incidents are committed (WAL), as durable
// as the database was opened (store::Durability). Thread-safe; stores on the same connection
// take turns (history/connection_lock.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::history {

struct StoredIncident {
  int64_t id = 0;
  std::string plan, playbook;
  std::string kind;   // outage | crisis
  std::string state;  // active | stable | closed
  std::string subject;
  bool drill = false;
  TimePoint opened_at, updated_at;
  int64_t max_action = 0;  // the largest action id on its timeline (new ids continue after it)
  std::string json;        // the incident record
};

// Filters combine; "" means any. Newest incident first.
struct IncidentQuery {
  std::string state, kind;
  int limit = 50;  // 1 to 500
  int offset = 0;  // 0 or more
};

class IncidentStore {
 public:
  // Opens (creating the incidents table in `db`, component "incidents").
  static absl::StatusOr<std::unique_ptr<IncidentStore>> Open(SQLite::Database& db);

  // Inserts or replaces each incident, all in one transaction (none on error). InvalidArgument
  // for an id below 1, an unknown state or an empty record.
  absl::Status Save(const std::vector<StoredIncident>& incidents);

  absl::StatusOr<std::vector<StoredIncident>> List(const IncidentQuery& query);
  absl::StatusOr<int64_t> Count(const IncidentQuery& query);  // ignores limit and offset
  absl::StatusOr<std::optional<StoredIncident>> Get(int64_t id);
  // Every incident not closed, oldest first (what a restart resumes).
  absl::StatusOr<std::vector<StoredIncident>> Unclosed();
  // Incidents per state ("active", "stable", "closed"; a state without any is absent).
  absl::StatusOr<std::map<std::string, int64_t>> CountByState();
  // The largest incident id and action id ever stored (0 when none), so a restarted engine
  // never gives an id twice.
  struct Maxima {
    int64_t incident = 0, action = 0;
  };
  absl::StatusOr<Maxima> Max();

 private:
  explicit IncidentStore(SQLite::Database& db);

  SQLite::Database& db_;
  std::shared_ptr<std::mutex> mutex_;
};

}  // namespace faro::history
