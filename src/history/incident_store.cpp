#include "history/incident_store.hpp"

#include "core/strings.hpp"
#include "history/connection_lock.hpp"
#include "store/sqlite.hpp"

namespace faro::history {
namespace {

constexpr int kSchemaVersion = 1;

// Times are Unix ms. record: the incident's JSON, replaced whole on every save.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS incidents (
  id INTEGER PRIMARY KEY,
  plan TEXT NOT NULL, playbook TEXT NOT NULL, kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'stable', 'closed')),
  subject TEXT NOT NULL, drill INTEGER NOT NULL DEFAULT 0,
  opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  max_action INTEGER NOT NULL DEFAULT 0,
  record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_by_state ON incidents (state, id);
)sql";

constexpr std::string_view kColumns =
    "id, plan, playbook, kind, state, subject, drill, opened_at, updated_at, max_action, record";

bool KnownState(const std::string& state) { return state == "active" || state == "stable" || state == "closed"; }

StoredIncident Read(SQLite::Statement& q) {
  StoredIncident s;
  s.id = q.getColumn(0).getInt64();
  s.plan = q.getColumn(1).getString();
  s.playbook = q.getColumn(2).getString();
  s.kind = q.getColumn(3).getString();
  s.state = q.getColumn(4).getString();
  s.subject = q.getColumn(5).getString();
  s.drill = q.getColumn(6).getInt() != 0;
  s.opened_at = FromUnixMillis(q.getColumn(7).getInt64());
  s.updated_at = FromUnixMillis(q.getColumn(8).getInt64());
  s.max_action = q.getColumn(9).getInt64();
  s.json = q.getColumn(10).getString();
  return s;
}

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("incidents: cannot ", what, ": ", e.what()));
}

absl::Status CheckQuery(const IncidentQuery& query) {
  if (!query.state.empty() && !KnownState(query.state))
    return absl::InvalidArgumentError(
        StrCat("state: expected active, stable or closed, not \"", query.state, "\""));
  if (query.limit < 1 || query.limit > 500)
    return absl::InvalidArgumentError(StrCat("limit: expected 1 to 500, not ", query.limit));
  if (query.offset < 0) return absl::InvalidArgumentError(StrCat("offset: expected 0 or more, not ", query.offset));
  return absl::OkStatus();
}

constexpr std::string_view kWhere = " WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR kind = ?2)";

}  // namespace

IncidentStore::IncidentStore(SQLite::Database& db) : db_(db), mutex_(ConnectionMutex(db)) {}

absl::StatusOr<std::unique_ptr<IncidentStore>> IncidentStore::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "incidents", kSchemaVersion, kSchema));
  return std::unique_ptr<IncidentStore>(new IncidentStore(db));
}

absl::Status IncidentStore::Save(const std::vector<StoredIncident>& incidents) {
  for (const StoredIncident& s : incidents) {
    if (s.id < 1) return absl::InvalidArgumentError(StrCat("incidents: id ", s.id, " is not a valid incident id"));
    if (!KnownState(s.state))
      return absl::InvalidArgumentError(
          StrCat("incidents: incident #", s.id, " has state \"", s.state, "\"; expected active, stable or closed"));
    if (s.json.empty()) return absl::InvalidArgumentError(StrCat("incidents: incident #", s.id, " has an empty record"));
  }
  if (incidents.empty()) return absl::OkStatus();
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Transaction tx(db_);
    SQLite::Statement q(db_, StrCat("INSERT OR REPLACE INTO incidents (", kColumns,
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const StoredIncident& s : incidents) {
      q.bind(1, s.id);
      q.bind(2, s.plan);
      q.bind(3, s.playbook);
      q.bind(4, s.kind);
      q.bind(5, s.state);
      q.bind(6, s.subject);
      q.bind(7, s.drill ? 1 : 0);
      q.bind(8, static_cast<int64_t>(ToUnixMillis(s.opened_at)));
      q.bind(9, static_cast<int64_t>(ToUnixMillis(s.updated_at)));
      q.bind(10, s.max_action);
      q.bind(11, s.json);
      q.exec();
      q.reset();
    }
    tx.commit();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError(StrCat("save ", incidents.size(), " incident(s)"), e);
  }
}

absl::StatusOr<std::vector<StoredIncident>> IncidentStore::List(const IncidentQuery& query) {
  FARO_RETURN_IF_ERROR(CheckQuery(query));
  std::lock_guard lock(*mutex_);
  std::vector<StoredIncident> out;
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM incidents", kWhere, " ORDER BY id DESC LIMIT ?3 OFFSET ?4"));
    q.bind(1, query.state);
    q.bind(2, query.kind);
    q.bind(3, query.limit);
    q.bind(4, query.offset);
    while (q.executeStep()) out.push_back(Read(q));
  } catch (const std::exception& e) {
    return StoreError("list incidents", e);
  }
  return out;
}

absl::StatusOr<int64_t> IncidentStore::Count(const IncidentQuery& query) {
  IncidentQuery checked = query;
  checked.limit = 1;
  checked.offset = 0;
  FARO_RETURN_IF_ERROR(CheckQuery(checked));
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, StrCat("SELECT COUNT(*) FROM incidents", kWhere));
    q.bind(1, query.state);
    q.bind(2, query.kind);
    q.executeStep();
    return q.getColumn(0).getInt64();
  } catch (const std::exception& e) {
    return StoreError("count incidents", e);
  }
}

absl::StatusOr<std::optional<StoredIncident>> IncidentStore::Get(int64_t id) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM incidents WHERE id = ?"));
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<StoredIncident>();
    return std::optional<StoredIncident>(Read(q));
  } catch (const std::exception& e) {
    return StoreError(StrCat("read incident #", id), e);
  }
}

absl::StatusOr<std::vector<StoredIncident>> IncidentStore::Unclosed() {
  std::lock_guard lock(*mutex_);
  std::vector<StoredIncident> out;
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM incidents WHERE state != 'closed' ORDER BY id"));
    while (q.executeStep()) out.push_back(Read(q));
  } catch (const std::exception& e) {
    return StoreError("read the open incidents", e);
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> IncidentStore::CountByState() {
  std::lock_guard lock(*mutex_);
  std::map<std::string, int64_t> out;
  try {
    SQLite::Statement q(db_, "SELECT state, COUNT(*) FROM incidents GROUP BY state");
    while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
  } catch (const std::exception& e) {
    return StoreError("count incidents by state", e);
  }
  return out;
}

absl::StatusOr<IncidentStore::Maxima> IncidentStore::Max() {
  std::lock_guard lock(*mutex_);
  Maxima m;
  try {
    SQLite::Statement q(db_, "SELECT COALESCE(MAX(id), 0), COALESCE(MAX(max_action), 0) FROM incidents");
    if (q.executeStep()) {
      m.incident = q.getColumn(0).getInt64();
      m.action = q.getColumn(1).getInt64();
    }
  } catch (const std::exception& e) {
    return StoreError("read the largest ids", e);
  }
  return m;
}

}  // namespace faro::history
