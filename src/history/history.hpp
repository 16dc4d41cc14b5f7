#pragma once
// What `faro serve`'s watch remembers about its checks: every result for a while (raw), then
// 1-minute and 1-hour roll-ups for longer (docs/storage.md). Stored in the embedded SQLite
// database. Time always comes in as an argument: nothing here reads the wall clock.
//
// Thread-safe: the probe thread records and compacts while API threads read series. Calls on
// the same connection take turns (history/connection_lock.hpp); each transaction is short.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/cause.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::history {

// How long each tier is kept; configurable in faro.yaml (storage.retention: raw, minute, hour).
struct Retention {
  std::chrono::hours raw{48};
  std::chrono::hours minute{24 * 30};
  std::chrono::hours hour{24 * 365};
};

// One check of one endpoint from one vantage.
struct Result {
  TimePoint at;
  std::string platform;
  std::string endpoint;  // URL
  std::string vantage;   // the node that checked ("local", "sao-paulo")
  Outcome outcome = Outcome::kOk;
  Cause cause = Cause::kNone;
  int http_status = 0;  // 0: no HTTP answer
  // Phase timings in milliseconds; stored at 0.1 ms resolution, so they read back rounded.
  std::optional<double> dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms;
};

// One bucket of a series (raw rows are buckets of 1).
struct Point {
  TimePoint at;  // the bucket's start (a raw row's own time)
  int checks = 0, failed = 0, slow = 0;
  // Means over the checks of the bucket that measured the phase; empty when none did.
  std::optional<double> dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms;
  std::optional<double> total_max_ms;
};

enum class Resolution { kRaw, kMinute, kHour, kAuto /* raw ≤ 6 h, minute ≤ 7 d, else hour */ };
std::string_view ResolutionName(Resolution resolution);  // "raw", "minute", "hour", "auto"

// What one Compact call did.
struct Maintenance {
  int64_t raw_rolled = 0;      // raw rows folded into roll-ups
  int64_t minute_written = 0;  // minute roll-ups created or added to
  int64_t hour_written = 0;    // hour roll-ups created or added to
  int64_t raw_deleted = 0, minute_deleted = 0, hour_deleted = 0;

  int64_t rows_rolled() const { return raw_rolled; }
  int64_t rows_deleted() const { return raw_deleted + minute_deleted + hour_deleted; }
};

struct TableSize {
  std::string name;  // a table or an index
  int64_t bytes = 0;
  int64_t rows = 0;  // rows of the table (an index reports its table's rows)
};

struct TierSize {
  std::string tier;  // "raw", "minute", "hour"
  std::chrono::hours kept{0};
  int64_t bytes = 0, rows = 0;                // the tier's table and index
  double bytes_per_row = 0;                   // measured
  double rows_per_endpoint_per_day = 0;       // measured over the last day of data
  double bytes_per_endpoint_per_day = 0;      // the two above multiplied
};

// Database growth. An "endpoint" here is one endpoint checked from one vantage: an endpoint
// that three vantages check counts three times.
struct SizeReport {
  bool measured = false;  // true: from SQLite's dbstat table; false: estimated (see Size)
  std::vector<TableSize> tables;
  std::vector<TierSize> tiers;
  int64_t history_bytes = 0;   // the tables listed
  int64_t database_bytes = 0;  // the whole database file (page_count × page_size)
  int64_t free_bytes = 0;      // free pages inside the file, reused before it grows
  int endpoints = 0;           // endpoints (per vantage) with results in the last day
  // What one endpoint adds per day, all tiers together, while no tier is full yet.
  double bytes_per_endpoint_per_day = 0;
  // What one endpoint occupies once every tier is full: Σ tier per-day × days kept.
  double steady_bytes_per_endpoint = 0;
};

class History {
 public:
  // Opens (creating tables in `db`, component "history"). Writes are as durable as the
  // database was opened (store::Durability): committed when Record returns.
  static absl::StatusOr<std::unique_ptr<History>> Open(SQLite::Database& db, Retention retention);

  // Stores a batch in one transaction, all or nothing: a result without platform, endpoint or
  // vantage, with a negative or non-finite timing, or before 1970 rejects the whole batch with
  // InvalidArgument naming it. Platform/endpoint/vantage are interned into one small id.
  absl::Status Record(const std::vector<Result>& batch);

  // Folds the raw rows recorded since the last call into 1-minute and 1-hour roll-ups (each row
  // exactly once, whatever its time, so late results from vantages are counted; the current
  // minute's roll-up fills in over the next calls), then deletes what is past retention: raw
  // rows whose time, and roll-ups whose bucket start, is older than `now` minus the tier's
  // retention. Idempotent; call it every minute. Works in chunks of short transactions.
  absl::StatusOr<Maintenance> Compact(TimePoint now);

  // A platform's series in [from, to): all its endpoints and vantages merged, or only one
  // vantage and/or endpoint when given. Raw points are single results in time order; minute
  // and hour points are buckets overlapping the range. kAuto picks by span and then steps to a
  // coarser tier when the chosen one was already deleted at `from` (by the last Compact).
  // An unknown platform has an empty series.
  absl::StatusOr<std::vector<Point>> Series(const std::string& platform, TimePoint from, TimePoint to,
                                            Resolution res, const std::string& vantage = "",
                                            const std::string& endpoint = "");
  // The tier Series reads for `res` over [from, to).
  Resolution Choose(TimePoint from, TimePoint to, Resolution res);

  // The raw results of a platform in [from, to), oldest first, at most `limit` (newest kept).
  absl::StatusOr<std::vector<Result>> Results(const std::string& platform, TimePoint from, TimePoint to,
                                              int limit, const std::string& vantage = "",
                                              const std::string& endpoint = "");

  // Database growth: bytes per endpoint per day, per tier, per table and in total. Measured with
  // SQLite's dbstat table when it has one (and `use_dbstat`); else estimated: the file's used
  // pages (page_count × page_size minus free pages) split across the tables by row counts,
  // which overstates history when other components share the file. Reads every page of the
  // history tables: an occasional report, not a per-request call.
  absl::StatusOr<SizeReport> Size(TimePoint now, bool use_dbstat = true);

 private:
  History(SQLite::Database& db, Retention retention);
  absl::StatusOr<std::vector<int64_t>> SeriesIds(const std::string& platform, const std::string& vantage,
                                                 const std::string& endpoint);
  Resolution ChooseLocked(TimePoint from, TimePoint to, Resolution res);
  absl::StatusOr<bool> FoldChunk(Maintenance& done);  // true: more rows wait
  absl::StatusOr<int64_t> DeleteChunk(const std::string& sql, int64_t before, bool raw);

  SQLite::Database& db_;
  Retention retention_;
  std::shared_ptr<std::mutex> mutex_;
  // platform \0 endpoint \0 vantage → id; only ids that were committed.
  std::unordered_map<std::string, int64_t> series_ids_;
};

}  // namespace faro::history
