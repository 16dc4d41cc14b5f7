// History::Size: how much the watch's storage weighs, and what one endpoint costs per day.
#include <algorithm>

#include "core/strings.hpp"
#include "history/history.hpp"
#include "history/history_internal.hpp"

namespace faro::history {
namespace {

using namespace internal;

// The tables the watch writes (the event, alert and crowd tables only when their stores were
// opened on this database).
constexpr const char* kTables[] = {"history_raw", "history_minute", "history_hour", "history_series",
                                   "history_state", "events", "alerts", "crowd_reports"};

int64_t Scalar(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  return q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getInt64() : 0;
}

int64_t Scalar(SQLite::Database& db, const std::string& sql, int64_t a, int64_t b) {
  SQLite::Statement q(db, sql);
  q.bind(1, a);
  q.bind(2, b);
  return q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getInt64() : 0;
}

// Tables of kTables that exist, each followed by its indexes (named as in sqlite_schema).
std::vector<TableSize> ListTables(SQLite::Database& db) {
  std::vector<TableSize> out;
  for (const char* table : kTables) {
    SQLite::Statement q(db,
                        "SELECT name FROM sqlite_schema WHERE tbl_name = ? AND type IN ('table', 'index') "
                        "ORDER BY type DESC, name");
    q.bind(1, table);
    std::vector<std::string> names;
    while (q.executeStep()) names.push_back(q.getColumn(0).getString());
    if (names.empty()) continue;
    const int64_t rows = Scalar(db, StrCat("SELECT COUNT(*) FROM ", table));
    for (auto& name : names) out.push_back({std::move(name), 0, rows});
  }
  return out;
}

// Bytes per table or index from dbstat; false when this SQLite has no dbstat table.
bool MeasureWithDbstat(SQLite::Database& db, std::vector<TableSize>& tables) {
  try {
    SQLite::Statement q(db, "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = ? AND aggregate = TRUE");
    for (auto& t : tables) {
      q.bind(1, t.name);
      q.executeStep();
      t.bytes = q.getColumn(0).getInt64();
      q.reset();
    }
    return true;
  } catch (const SQLite::Exception& e) {
    if (Contains(e.what(), "dbstat")) return false;
    throw;
  }
}

// Without dbstat: the used pages of the file, split across the tables by row counts (an index
// entry counts as a row).
void Estimate(std::vector<TableSize>& tables, int64_t used_bytes) {
  int64_t rows = 0;
  for (const auto& t : tables) rows += t.rows;
  for (auto& t : tables) t.bytes = rows > 0 ? static_cast<int64_t>(static_cast<double>(used_bytes) * t.rows / rows) : 0;
}

int64_t BytesOf(const std::vector<TableSize>& tables, std::string_view table, std::string_view index = "") {
  int64_t bytes = 0;
  for (const auto& t : tables)
    if (t.name == table || (!index.empty() && t.name == index)) bytes += t.bytes;
  return bytes;
}

}  // namespace

absl::StatusOr<SizeReport> History::Size(TimePoint now, bool use_dbstat) {
  std::lock_guard lock(*mutex_);
  SizeReport report;
  try {
    const int64_t page_size = Scalar(db_, "PRAGMA page_size");
    report.database_bytes = Scalar(db_, "PRAGMA page_count") * page_size;
    report.free_bytes = Scalar(db_, "PRAGMA freelist_count") * page_size;
    report.tables = ListTables(db_);
    report.measured = use_dbstat && MeasureWithDbstat(db_, report.tables);
    if (!report.measured) Estimate(report.tables, report.database_bytes - report.free_bytes);
    for (const auto& t : report.tables) report.history_bytes += t.bytes;

    // The last day of data (less when the watch is younger than a day, or raw rows are kept
    // for less), over the endpoints that had results in it.
    const int64_t now_ms = ToUnixMillis(now);
    const int64_t oldest = Scalar(db_,
                                  "SELECT MIN((SELECT MIN(at) FROM history_raw WHERE series = s.id)) "
                                  "FROM history_series s");
    const int64_t from_ms = std::max(now_ms - 24 * kHourMs, oldest);
    const double days = static_cast<double>(now_ms - from_ms) / (24.0 * kHourMs);
    const std::string per_series = "series IN (SELECT id FROM history_series)";
    if (oldest > 0 && days > 0) {
      report.endpoints = static_cast<int>(Scalar(
          db_,
          "SELECT COUNT(*) FROM history_series s WHERE EXISTS (SELECT 1 FROM history_raw r "
          "WHERE r.series = s.id AND r.at >= ? AND r.at < ?)",
          from_ms, now_ms));
    }
    struct TierSpec {
      const char* tier;
      std::chrono::hours kept;
      int64_t bytes, rows, rows_in_window;
    };
    std::vector<TierSpec> specs = {
        {"raw", retention_.raw, BytesOf(report.tables, "history_raw", "history_raw_by_series"),
         Scalar(db_, "SELECT COUNT(*) FROM history_raw"),
         Scalar(db_, StrCat("SELECT COUNT(*) FROM history_raw WHERE ", per_series, " AND at >= ? AND at < ?"),
                from_ms, now_ms)},
        {"minute", retention_.minute, BytesOf(report.tables, "history_minute"),
         Scalar(db_, "SELECT COUNT(*) FROM history_minute"),
         Scalar(db_, StrCat("SELECT COUNT(*) FROM history_minute WHERE ", per_series, " AND minute >= ? AND minute < ?"),
                FloorDiv(from_ms, kMinuteMs), CeilDiv(now_ms, kMinuteMs))},
        {"hour", retention_.hour, BytesOf(report.tables, "history_hour"),
         Scalar(db_, "SELECT COUNT(*) FROM history_hour"),
         Scalar(db_, StrCat("SELECT COUNT(*) FROM history_hour WHERE ", per_series, " AND hour >= ? AND hour < ?"),
                FloorDiv(from_ms, kHourMs), CeilDiv(now_ms, kHourMs))},
    };
    for (const auto& s : specs) {
      TierSize tier;
      tier.tier = s.tier;
      tier.kept = s.kept;
      tier.bytes = s.bytes;
      tier.rows = s.rows;
      if (s.rows > 0) tier.bytes_per_row = static_cast<double>(s.bytes) / static_cast<double>(s.rows);
      if (report.endpoints > 0 && days > 0)
        tier.rows_per_endpoint_per_day = static_cast<double>(s.rows_in_window) / report.endpoints / days;
      tier.bytes_per_endpoint_per_day = tier.bytes_per_row * tier.rows_per_endpoint_per_day;
      report.bytes_per_endpoint_per_day += tier.bytes_per_endpoint_per_day;
      report.steady_bytes_per_endpoint += tier.bytes_per_endpoint_per_day * static_cast<double>(s.kept.count()) / 24.0;
      report.tiers.push_back(std::move(tier));
    }
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("history: cannot measure the database: ", e.what()));
  }
  return report;
}

}  // namespace faro::history
