#include "history/alert_store.hpp"

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "history/connection_lock.hpp"
#include "store/sqlite.hpp"

namespace faro::history {
namespace {

constexpr int kSchemaVersion = 1;

// Times are Unix ms. notified: a JSON array. No foreign key to events: an alert may be about
// an event kept in another store.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  subject TEXT NOT NULL, kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
  level INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, acknowledged_at INTEGER, resolved_at INTEGER, escalated_at INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  notified TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS alerts_unresolved ON alerts (subject, id) WHERE state != 'resolved';
CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, id);
)sql";

constexpr std::string_view kColumns =
    "id, event_id, subject, kind, state, level, created_at, acknowledged_at, resolved_at, escalated_at, "
    "acknowledged_by, notified";

bool KnownState(const std::string& state) {
  return state == "open" || state == "acknowledged" || state == "resolved";
}

std::optional<TimePoint> OptionalTime(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return FromUnixMillis(column.getInt64());
}

void BindOptionalTime(SQLite::Statement& q, int index, const std::optional<TimePoint>& at) {
  if (at) q.bind(index, static_cast<int64_t>(ToUnixMillis(*at)));
  else q.bind(index);
}

Alert ReadAlert(SQLite::Statement& q) {
  Alert a;
  a.id = q.getColumn(0).getInt64();
  a.event_id = q.getColumn(1).getInt64();
  a.subject = q.getColumn(2).getString();
  a.kind = q.getColumn(3).getString();
  a.state = q.getColumn(4).getString();
  a.level = q.getColumn(5).getInt();
  a.created_at = FromUnixMillis(q.getColumn(6).getInt64());
  a.acknowledged_at = OptionalTime(q.getColumn(7));
  a.resolved_at = OptionalTime(q.getColumn(8));
  a.escalated_at = OptionalTime(q.getColumn(9));
  a.acknowledged_by = q.getColumn(10).getString();
  // Written only by this store as valid JSON; anything else reads as an empty list.
  a.notified = nlohmann::json::parse(q.getColumn(11).getString(), nullptr, false);
  if (!a.notified.is_array()) a.notified = nlohmann::json::array();
  return a;
}

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("alerts: cannot ", what, ": ", e.what()));
}

absl::Status NoSuchAlert(int64_t id) { return absl::NotFoundError(StrCat("alerts: there is no alert ", id)); }

}  // namespace

AlertStore::AlertStore(SQLite::Database& db) : db_(db), mutex_(ConnectionMutex(db)) {}

absl::StatusOr<std::unique_ptr<AlertStore>> AlertStore::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "alerts", kSchemaVersion, kSchema));
  return std::unique_ptr<AlertStore>(new AlertStore(db));
}

std::optional<Alert> AlertStore::GetLocked(int64_t id) {
  SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM alerts WHERE id = ?"));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return ReadAlert(q);
}

absl::StatusOr<int64_t> AlertStore::Create(Alert& alert) {
  if (alert.state.empty()) alert.state = "open";
  if (alert.subject.empty()) return absl::InvalidArgumentError("alerts: an alert needs a subject");
  if (alert.kind.empty())
    return absl::InvalidArgumentError(StrCat("alerts: the alert about ", alert.subject, " needs a kind"));
  if (!KnownState(alert.state))
    return absl::InvalidArgumentError(StrCat("alerts: unknown state \"", alert.state,
                                             "\"; expected open, acknowledged or resolved"));
  if (!alert.notified.is_array())
    return absl::InvalidArgumentError("alerts: notified must be a JSON array of who was told");
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_,
                        "INSERT INTO alerts (event_id, subject, kind, state, level, created_at, acknowledged_at, "
                        "resolved_at, escalated_at, acknowledged_by, notified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, alert.event_id);
    q.bind(2, alert.subject);
    q.bind(3, alert.kind);
    q.bind(4, alert.state);
    q.bind(5, alert.level);
    q.bind(6, static_cast<int64_t>(ToUnixMillis(alert.created_at)));
    BindOptionalTime(q, 7, alert.acknowledged_at);
    BindOptionalTime(q, 8, alert.resolved_at);
    BindOptionalTime(q, 9, alert.escalated_at);
    q.bind(10, alert.acknowledged_by);
    q.bind(11, alert.notified.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    q.exec();
    alert.id = db_.getLastInsertRowid();
    return alert.id;
  } catch (const std::exception& e) {
    return StoreError(StrCat("create an alert about ", alert.subject), e);
  }
}

absl::Status AlertStore::AddNotified(int64_t id, const nlohmann::json& entry) {
  if (!entry.is_object())
    return absl::InvalidArgumentError(StrCat("alerts: a notified entry of alert ", id, " must be a JSON object"));
  std::lock_guard lock(*mutex_);
  try {
    // One statement: appending cannot lose an entry another thread added meanwhile.
    SQLite::Statement q(db_, "UPDATE alerts SET notified = json_insert(notified, '$[#]', json(?)) WHERE id = ?");
    q.bind(1, entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    q.bind(2, id);
    if (q.exec() == 0) return NoSuchAlert(id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError(StrCat("record who was told about alert ", id), e);
  }
}

absl::Status AlertStore::SetLevel(int64_t id, int level, TimePoint at) {
  if (level < 0) return absl::InvalidArgumentError(StrCat("alerts: escalation level ", level, " is negative"));
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, "UPDATE alerts SET level = ?, escalated_at = ? WHERE id = ? AND state != 'resolved'");
    q.bind(1, level);
    q.bind(2, static_cast<int64_t>(ToUnixMillis(at)));
    q.bind(3, id);
    if (q.exec() > 0) return absl::OkStatus();
    const auto alert = GetLocked(id);
    if (!alert) return NoSuchAlert(id);
    return absl::FailedPreconditionError(StrCat("alerts: alert ", id, " about ", alert->subject, " was resolved at ",
                                                Rfc3339(alert->resolved_at.value_or(alert->created_at)),
                                                "; it is not escalated"));
  } catch (const std::exception& e) {
    return StoreError(StrCat("escalate alert ", id), e);
  }
}

absl::Status AlertStore::Acknowledge(int64_t id, const std::string& by, TimePoint at) {
  if (by.empty()) return absl::InvalidArgumentError(StrCat("alerts: acknowledging alert ", id, " needs who did it"));
  std::lock_guard lock(*mutex_);
  try {
    // The condition makes the first acknowledgement win, whoever else tries at the same time.
    SQLite::Statement q(db_,
                        "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, "
                        "state = CASE state WHEN 'open' THEN 'acknowledged' ELSE state END "
                        "WHERE id = ? AND acknowledged_at IS NULL");
    q.bind(1, by);
    q.bind(2, static_cast<int64_t>(ToUnixMillis(at)));
    q.bind(3, id);
    if (q.exec() > 0) return absl::OkStatus();
    const auto alert = GetLocked(id);
    if (!alert) return NoSuchAlert(id);
    return absl::FailedPreconditionError(StrCat("alerts: alert ", id, " about ", alert->subject,
                                                " was already acknowledged by ", alert->acknowledged_by, " at ",
                                                Rfc3339(alert->acknowledged_at.value_or(alert->created_at))));
  } catch (const std::exception& e) {
    return StoreError(StrCat("acknowledge alert ", id), e);
  }
}

absl::Status AlertStore::Resolve(int64_t id, TimePoint at) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_,
                        "UPDATE alerts SET state = 'resolved', resolved_at = COALESCE(resolved_at, ?) WHERE id = ?");
    q.bind(1, static_cast<int64_t>(ToUnixMillis(at)));
    q.bind(2, id);
    if (q.exec() == 0) return NoSuchAlert(id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError(StrCat("resolve alert ", id), e);
  }
}

absl::StatusOr<std::vector<Alert>> AlertStore::List(const std::string& state, int limit) {
  if (!state.empty() && !KnownState(state))
    return absl::InvalidArgumentError(
        StrCat("alerts: unknown state \"", state, "\"; expected open, acknowledged, resolved or empty for all"));
  if (limit < 1 || limit > 1000)
    return absl::InvalidArgumentError(StrCat("alerts: limit must be from 1 to 1000, not ", limit));
  std::lock_guard lock(*mutex_);
  std::vector<Alert> alerts;
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM alerts WHERE (?1 = '' OR state = ?1) "
                                                        "ORDER BY id DESC LIMIT ?2"));
    q.bind(1, state);
    q.bind(2, limit);
    while (q.executeStep()) alerts.push_back(ReadAlert(q));
  } catch (const std::exception& e) {
    return StoreError("list alerts", e);
  }
  return alerts;
}

absl::StatusOr<std::optional<Alert>> AlertStore::Get(int64_t id) {
  std::lock_guard lock(*mutex_);
  try {
    return GetLocked(id);
  } catch (const std::exception& e) {
    return StoreError(StrCat("read alert ", id), e);
  }
}

absl::StatusOr<std::optional<Alert>> AlertStore::OpenFor(const std::string& subject) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kColumns, " FROM alerts WHERE subject = ? AND state != 'resolved' "
                                                        "ORDER BY id DESC LIMIT 1"));
    q.bind(1, subject);
    if (!q.executeStep()) return std::optional<Alert>();
    return std::optional<Alert>(ReadAlert(q));
  } catch (const std::exception& e) {
    return StoreError(StrCat("find the open alert of ", subject), e);
  }
}

}  // namespace faro::history
