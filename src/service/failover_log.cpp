#include "service/failover_log.hpp"

#include "core/strings.hpp"
#include "store/sqlite.hpp"

namespace faro::service {
namespace {

constexpr char kSchema[] = R"(
CREATE TABLE IF NOT EXISTS failovers (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  platform TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  undone_at INTEGER,
  event_id INTEGER NOT NULL,
  undo_event_id INTEGER NOT NULL DEFAULT 0,
  broadcast_id INTEGER NOT NULL DEFAULT 0,
  broadcast_template TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS failovers_active ON failovers(state, channel);
)";

Failover Row(SQLite::Statement& q) {
  Failover f;
  f.id = q.getColumn(0).getInt64();
  f.channel = q.getColumn(1).getString();
  f.platform = q.getColumn(2).getString();
  f.state = q.getColumn(3).getString();
  f.started_at = FromUnixMillis(q.getColumn(4).getInt64());
  if (!q.getColumn(5).isNull()) f.undone_at = FromUnixMillis(q.getColumn(5).getInt64());
  f.event_id = q.getColumn(6).getInt64();
  f.undo_event_id = q.getColumn(7).getInt64();
  f.broadcast_id = q.getColumn(8).getInt64();
  f.broadcast_template = q.getColumn(9).getString();
  f.reason = q.getColumn(10).getString();
  return f;
}

constexpr char kColumns[] =
    "SELECT id, channel, platform, state, started_at, undone_at, event_id, undo_event_id, broadcast_id, "
    "broadcast_template, reason FROM failovers ";

template <typename F>
absl::StatusOr<std::invoke_result_t<F>> Try(std::string_view what, F&& body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return absl::UnavailableError(StrCat("failover log: ", what, ": ", e.what()));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<FailoverLog>> FailoverLog::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "failovers", 1, kSchema));
  return std::unique_ptr<FailoverLog>(new FailoverLog(db));
}

absl::StatusOr<int64_t> FailoverLog::Start(const Failover& f) {
  return Try("start", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO failovers (channel, platform, state, started_at, event_id, broadcast_template, reason) "
                        "VALUES (?, ?, 'active', ?, ?, ?, ?)");
    q.bind(1, f.channel);
    q.bind(2, f.platform);
    q.bind(3, static_cast<int64_t>(ToUnixMillis(f.started_at)));
    q.bind(4, f.event_id);
    q.bind(5, f.broadcast_template);
    q.bind(6, f.reason);
    q.exec();
    return static_cast<int64_t>(db_.getLastInsertRowid());
  });
}

absl::Status FailoverLog::SetBroadcast(int64_t id, int64_t broadcast_id) {
  return Try("broadcast", [&] {
           SQLite::Statement q(db_, "UPDATE failovers SET broadcast_id = ? WHERE id = ?");
           q.bind(1, broadcast_id);
           q.bind(2, id);
           return q.exec();
         }).status();
}

absl::Status FailoverLog::Undo(const std::string& channel, TimePoint at, int64_t event_id) {
  return Try("undo", [&] {
           SQLite::Statement q(db_,
                               "UPDATE failovers SET state = 'undone', undone_at = ?, undo_event_id = ? "
                               "WHERE channel = ? AND state = 'active'");
           q.bind(1, static_cast<int64_t>(ToUnixMillis(at)));
           q.bind(2, event_id);
           q.bind(3, channel);
           return q.exec();
         }).status();
}

absl::StatusOr<std::vector<Failover>> FailoverLog::List(int limit) {
  return Try("list", [&] {
    SQLite::Statement q(db_, StrCat(kColumns, "ORDER BY id DESC LIMIT ?"));
    q.bind(1, limit);
    std::vector<Failover> out;
    while (q.executeStep()) out.push_back(Row(q));
    return out;
  });
}

absl::StatusOr<std::vector<Failover>> FailoverLog::Active() {
  return Try("active", [&] {
    SQLite::Statement q(db_, StrCat(kColumns, "WHERE state = 'active' ORDER BY id"));
    std::vector<Failover> out;
    while (q.executeStep()) out.push_back(Row(q));
    return out;
  });
}

}  // namespace faro::service
