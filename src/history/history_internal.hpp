#pragma once
// Shared by history.cpp, history_compact.cpp and history_size.cpp: the tables and how values
// are encoded in them. Not part of the library's interface.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faro::history::internal {

constexpr int kSchemaVersion = 1;

// Sizes matter here: at a 30 s interval every endpoint adds 2,880 raw rows a day.
// - history_series interns (platform, endpoint, vantage) into one small integer.
// - history_raw: one row per check. at: Unix ms; result: outcome * 16 + cause; http: status
//   or 0; timings in tenths of ms, NULL when not measured. No foreign key (it would cost a
//   lookup per row). The rowid is the recording order, assigned by Record and never reused:
//   Compact folds rows by it, so each row is folded exactly once, late ones included.
// - history_minute / history_hour keep counts and sums (not means), so a late fold adds in:
//   mean = sum / n. Buckets are Unix ms / 60,000 and / 3,600,000.
// - history_state: Compact's progress (folded_through) and what each tier still holds
//   (raw_kept_since, minute_kept_since, hour_kept_since: Unix ms).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS history_series (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL, endpoint TEXT NOT NULL, vantage TEXT NOT NULL,
  UNIQUE (platform, endpoint, vantage));
CREATE TABLE IF NOT EXISTS history_raw (
  at INTEGER NOT NULL, series INTEGER NOT NULL, result INTEGER NOT NULL, http INTEGER NOT NULL,
  dns INTEGER, connect INTEGER, tls INTEGER, first_byte INTEGER, total INTEGER);
CREATE INDEX IF NOT EXISTS history_raw_by_series ON history_raw (series, at);
CREATE TABLE IF NOT EXISTS history_minute (
  series INTEGER NOT NULL, minute INTEGER NOT NULL,
  checks INTEGER NOT NULL, failed INTEGER NOT NULL, slow INTEGER NOT NULL,
  dns_sum INTEGER NOT NULL, dns_n INTEGER NOT NULL, connect_sum INTEGER NOT NULL, connect_n INTEGER NOT NULL,
  tls_sum INTEGER NOT NULL, tls_n INTEGER NOT NULL, first_byte_sum INTEGER NOT NULL, first_byte_n INTEGER NOT NULL,
  total_sum INTEGER NOT NULL, total_n INTEGER NOT NULL, total_max INTEGER NOT NULL,
  PRIMARY KEY (series, minute)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history_hour (
  series INTEGER NOT NULL, hour INTEGER NOT NULL,
  checks INTEGER NOT NULL, failed INTEGER NOT NULL, slow INTEGER NOT NULL,
  dns_sum INTEGER NOT NULL, dns_n INTEGER NOT NULL, connect_sum INTEGER NOT NULL, connect_n INTEGER NOT NULL,
  tls_sum INTEGER NOT NULL, tls_n INTEGER NOT NULL, first_byte_sum INTEGER NOT NULL, first_byte_n INTEGER NOT NULL,
  total_sum INTEGER NOT NULL, total_n INTEGER NOT NULL, total_max INTEGER NOT NULL,
  PRIMARY KEY (series, hour)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql";

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int kPhases = 5;  // dns, connect, tls, first_byte, total (in this order everywhere)

// Rounds towards minus infinity (C++ division rounds towards zero).
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

inline std::optional<int64_t> ToTenths(const std::optional<double>& ms) {
  if (!ms) return std::nullopt;
  return std::llround(*ms * 10.0);
}
inline std::optional<double> FromTenths(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return static_cast<double>(column.getInt64()) / 10.0;
}

inline int64_t ReadState(SQLite::Database& db, const char* key, int64_t fallback) {
  SQLite::Statement q(db, "SELECT value FROM history_state WHERE key = ?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getInt64() : fallback;
}
inline void WriteState(SQLite::Database& db, const char* key, int64_t value) {
  SQLite::Statement q(db, "INSERT INTO history_state (key, value) VALUES (?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  q.bind(1, key);
  q.bind(2, value);
  q.exec();
}

}  // namespace faro::history::internal
