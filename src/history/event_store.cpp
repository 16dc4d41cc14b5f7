#include "history/event_store.hpp"

#include "core/strings.hpp"
#include "history/connection_lock.hpp"
#include "store/sqlite.hpp"

namespace faro::history {
namespace {

constexpr int kSchemaVersion = 1;

// at: Unix ms. evidence: JSON text. AUTOINCREMENT: an id is never given twice, even after the
// newest events were deleted by hand, so pages and references stay valid.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL, subject TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT '', previous TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL DEFAULT '', cause TEXT NOT NULL DEFAULT '',
  covers_us INTEGER NOT NULL DEFAULT 0, suppressed_by TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS events_by_subject ON events (subject, id);
CREATE INDEX IF NOT EXISTS events_by_kind ON events (kind, id);
)sql";

constexpr std::string_view kColumns =
    "id, at, kind, subject, state, previous, scope, cause, covers_us, suppressed_by, evidence";

absl::Status CheckEvent(const Event& e) {
  if (e.kind.empty()) return absl::InvalidArgumentError(StrCat("events: an event about \"", e.subject, "\" has no kind"));
  if (e.subject.empty()) return absl::InvalidArgumentError(StrCat("events: a ", e.kind, " event has no subject"));
  if (!e.evidence.is_null() && !e.evidence.is_object())
    return absl::InvalidArgumentError(StrCat("events: the evidence of a ", e.kind, " event must be a JSON object"));
  return absl::OkStatus();
}

absl::StatusOr<Event> ReadEvent(SQLite::Statement& q) {
  Event e;
  e.id = q.getColumn(0).getInt64();
  e.at = FromUnixMillis(q.getColumn(1).getInt64());
  e.kind = q.getColumn(2).getString();
  e.subject = q.getColumn(3).getString();
  e.state = q.getColumn(4).getString();
  e.previous = q.getColumn(5).getString();
  e.scope = q.getColumn(6).getString();
  e.cause = q.getColumn(7).getString();
  e.covers_us = q.getColumn(8).getInt() != 0;
  e.suppressed_by = q.getColumn(9).getString();
  e.evidence = nlohmann::json::parse(q.getColumn(10).getString(), nullptr, false);
  if (e.evidence.is_discarded())
    return absl::DataLossError(StrCat("events: the evidence of event ", e.id, " is not valid JSON"));
  return e;
}

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("events: cannot ", what, ": ", e.what()));
}

}  // namespace

EventStore::EventStore(SQLite::Database& db) : db_(db), mutex_(ConnectionMutex(db)) {}

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "events", kSchemaVersion, kSchema));
  return std::unique_ptr<EventStore>(new EventStore(db));
}

void EventStore::Insert(Event& e) {
  SQLite::Statement q(db_,
                      "INSERT INTO events (at, kind, subject, state, previous, scope, cause, covers_us, "
                      "suppressed_by, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(ToUnixMillis(e.at)));
  q.bind(2, e.kind);
  q.bind(3, e.subject);
  q.bind(4, e.state);
  q.bind(5, e.previous);
  q.bind(6, e.scope);
  q.bind(7, e.cause);
  q.bind(8, e.covers_us ? 1 : 0);
  q.bind(9, e.suppressed_by);
  // Invalid UTF-8 in evidence (text from the outside world) is replaced, not a reason to lose the event.
  const nlohmann::json& evidence = e.evidence.is_null() ? nlohmann::json::object() : e.evidence;
  q.bind(10, evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  q.exec();
  e.id = db_.getLastInsertRowid();
}

absl::StatusOr<int64_t> EventStore::Append(Event& event) {
  FARO_RETURN_IF_ERROR(CheckEvent(event));
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    Insert(event);
    tx.commit();
  } catch (const std::exception& e) {
    event.id = 0;
    return StoreError(StrCat("append a ", event.kind, " event"), e);
  }
  return event.id;
}

absl::Status EventStore::AppendAll(std::vector<Event>& events) {
  for (const Event& e : events) FARO_RETURN_IF_ERROR(CheckEvent(e));
  if (events.empty()) return absl::OkStatus();
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (Event& e : events) Insert(e);
    tx.commit();
  } catch (const std::exception& e) {
    for (Event& event : events) event.id = 0;
    return StoreError(StrCat("append ", events.size(), " events"), e);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Event>> EventStore::List(const EventQuery& query) {
  if (query.limit < 1 || query.limit > 1000)
    return absl::InvalidArgumentError(StrCat("events: limit must be from 1 to 1000, not ", query.limit));
  std::string sql = StrCat("SELECT ", kColumns, " FROM events WHERE 1");
  // Prefix match without LIKE's wildcards: the kind's first characters equal the prefix.
  if (!query.kind_prefix.empty()) sql += " AND substr(kind, 1, length(:prefix)) = :prefix";
  if (!query.subject.empty()) sql += " AND subject = :subject";
  if (query.before_id > 0) sql += " AND id < :before";
  if (query.since) sql += " AND at >= :since";
  sql += " ORDER BY id DESC LIMIT :limit";
  std::lock_guard lock(*mutex_);
  std::vector<Event> events;
  try {
    SQLite::Statement q(db_, sql);
    if (!query.kind_prefix.empty()) q.bind(":prefix", query.kind_prefix);
    if (!query.subject.empty()) q.bind(":subject", query.subject);
    if (query.before_id > 0) q.bind(":before", query.before_id);
    if (query.since) q.bind(":since", static_cast<int64_t>(ToUnixMillis(*query.since)));
    q.bind(":limit", query.limit);
    while (q.executeStep()) {
      FARO_ASSIGN_OR_RETURN(Event e, ReadEvent(q));
      events.push_back(std::move(e));
    }
  } catch (const std::exception& e) {
    return StoreError("list events", e);
  }
  return events;
}

absl::StatusOr<std::optional<Event>> EventStore::Get(int64_t id) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM events WHERE id = ?"));
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<Event>();
    FARO_ASSIGN_OR_RETURN(Event e, ReadEvent(q));
    return std::optional<Event>(std::move(e));
  } catch (const std::exception& e) {
    return StoreError(StrCat("read event ", id), e);
  }
}

absl::StatusOr<int64_t> EventStore::LastId() {
  std::lock_guard lock(*mutex_);
  try {
    // max() over the primary key reads one page of the b-tree, not the table.
    SQLite::Statement q(db_, "SELECT coalesce(max(id), 0) FROM events");
    q.executeStep();
    return q.getColumn(0).getInt64();
  } catch (const std::exception& e) {
    return StoreError("read the newest event's id", e);
  }
}

}  // namespace faro::history
