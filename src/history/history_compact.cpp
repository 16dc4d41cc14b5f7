// History::Compact: raw rows → minute and hour roll-ups, then retention.
#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <utility>

#include "core/strings.hpp"
#include "history/history.hpp"
#include "history/history_internal.hpp"

namespace faro::history {
namespace {

using namespace internal;

// Rows per transaction, so Record (on the probe thread) never waits long behind Compact.
constexpr int64_t kChunkRows = 20'000;

struct Bucket {
  int64_t checks = 0, failed = 0, slow = 0;
  std::array<int64_t, kPhases> sum{}, n{};
  int64_t total_max = 0;

  void Add(const Bucket& other) {
    checks += other.checks;
    failed += other.failed;
    slow += other.slow;
    for (int i = 0; i < kPhases; ++i) {
      sum[i] += other.sum[i];
      n[i] += other.n[i];
    }
    total_max = std::max(total_max, other.total_max);
  }
};

// Adds `bucket` to the roll-up row (series, bucket number) of `table`, creating it if needed.
std::string UpsertSql(const char* table, const char* column) {
  return StrCat("INSERT INTO ", table, " (series, ", column,
                ", checks, failed, slow, dns_sum, dns_n, connect_sum, connect_n, tls_sum, tls_n, "
                "first_byte_sum, first_byte_n, total_sum, total_n, total_max) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series, ", column,
                ") DO UPDATE SET checks = checks + excluded.checks, failed = failed + excluded.failed, "
                "slow = slow + excluded.slow, dns_sum = dns_sum + excluded.dns_sum, dns_n = dns_n + excluded.dns_n, "
                "connect_sum = connect_sum + excluded.connect_sum, connect_n = connect_n + excluded.connect_n, "
                "tls_sum = tls_sum + excluded.tls_sum, tls_n = tls_n + excluded.tls_n, "
                "first_byte_sum = first_byte_sum + excluded.first_byte_sum, "
                "first_byte_n = first_byte_n + excluded.first_byte_n, total_sum = total_sum + excluded.total_sum, "
                "total_n = total_n + excluded.total_n, total_max = MAX(total_max, excluded.total_max)");
}

void Upsert(SQLite::Statement& q, int64_t series, int64_t bucket_number, const Bucket& b) {
  q.bind(1, series);
  q.bind(2, bucket_number);
  q.bind(3, b.checks);
  q.bind(4, b.failed);
  q.bind(5, b.slow);
  for (int i = 0; i < kPhases; ++i) {
    q.bind(6 + 2 * i, b.sum[i]);
    q.bind(7 + 2 * i, b.n[i]);
  }
  q.bind(16, b.total_max);
  q.exec();
  q.reset();
}

}  // namespace

absl::StatusOr<bool> History::FoldChunk(Maintenance& done) {
  std::lock_guard lock(*mutex_);
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  const int64_t folded = ReadState(db_, "folded_through", 0);
  SQLite::Statement max_q(db_, "SELECT COALESCE(MAX(rowid), 0) FROM history_raw");
  max_q.executeStep();
  const int64_t newest = max_q.getColumn(0).getInt64();
  if (newest <= folded) return false;
  const int64_t upper = std::min(newest, folded + kChunkRows);

  SQLite::Statement q(db_,
                      "SELECT series, at / 60000, COUNT(*), SUM(result / 16 = 2), SUM(result / 16 = 1), "
                      "COALESCE(SUM(dns), 0), COUNT(dns), COALESCE(SUM(connect), 0), COUNT(connect), "
                      "COALESCE(SUM(tls), 0), COUNT(tls), COALESCE(SUM(first_byte), 0), COUNT(first_byte), "
                      "COALESCE(SUM(total), 0), COUNT(total), COALESCE(MAX(total), 0) "
                      "FROM history_raw WHERE rowid > ? AND rowid <= ? GROUP BY 1, 2");
  q.bind(1, folded);
  q.bind(2, upper);
  SQLite::Statement minute_q(db_, UpsertSql("history_minute", "minute"));
  std::map<std::pair<int64_t, int64_t>, Bucket> hours;
  while (q.executeStep()) {
    const int64_t series = q.getColumn(0).getInt64();
    const int64_t minute = q.getColumn(1).getInt64();
    Bucket b;
    b.checks = q.getColumn(2).getInt64();
    b.failed = q.getColumn(3).getInt64();
    b.slow = q.getColumn(4).getInt64();
    for (int i = 0; i < kPhases; ++i) {
      b.sum[i] = q.getColumn(5 + 2 * i).getInt64();
      b.n[i] = q.getColumn(6 + 2 * i).getInt64();
    }
    b.total_max = q.getColumn(15).getInt64();
    Upsert(minute_q, series, minute, b);
    ++done.minute_written;
    done.raw_rolled += b.checks;
    // The minute's delta rolls into its hour.
    hours[{series, FloorDiv(minute * kMinuteMs, kHourMs)}].Add(b);
  }
  SQLite::Statement hour_q(db_, UpsertSql("history_hour", "hour"));
  for (const auto& [key, b] : hours) Upsert(hour_q, key.first, key.second, b);
  done.hour_written += static_cast<int64_t>(hours.size());
  WriteState(db_, "folded_through", upper);
  tx.commit();
  return upper < newest;
}

absl::StatusOr<int64_t> History::DeleteChunk(const std::string& sql, int64_t before, bool raw) {
  std::lock_guard lock(*mutex_);
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(db_, sql);
  q.bind(1, before);
  // Raw rows not folded yet (recorded since the fold, dated in the past) wait for the next call.
  if (raw) q.bind(2, ReadState(db_, "folded_through", 0));
  const int64_t deleted = q.exec();
  tx.commit();
  return deleted;
}

absl::StatusOr<Maintenance> History::Compact(TimePoint now) {
  Maintenance done;
  const int64_t now_ms = ToUnixMillis(now);
  auto ms = [](std::chrono::hours h) { return static_cast<int64_t>(h.count()) * kHourMs; };
  // Kept: raw rows from raw_cut on; roll-up buckets starting at or after their cut.
  const int64_t raw_cut = now_ms - ms(retention_.raw);
  const int64_t minute_cut = CeilDiv(now_ms - ms(retention_.minute), kMinuteMs);
  const int64_t hour_cut = CeilDiv(now_ms - ms(retention_.hour), kHourMs);
  // Each statement deletes up to kChunkRows rows, found through the (series, time) keys.
  const std::string chunk = StrCat(" LIMIT ", kChunkRows, ")");
  const std::string raw_sql =
      "DELETE FROM history_raw WHERE rowid IN (SELECT rowid FROM history_raw WHERE series IN "
      "(SELECT id FROM history_series) AND at < ?1 AND rowid <= ?2" + chunk;
  const std::string minute_sql =
      "DELETE FROM history_minute WHERE (series, minute) IN (SELECT series, minute FROM "
      "history_minute WHERE series IN (SELECT id FROM history_series) AND minute < ?1" + chunk;
  const std::string hour_sql =
      "DELETE FROM history_hour WHERE (series, hour) IN (SELECT series, hour FROM "
      "history_hour WHERE series IN (SELECT id FROM history_series) AND hour < ?1" + chunk;
  try {
    for (;;) {
      FARO_ASSIGN_OR_RETURN(const bool more, FoldChunk(done));
      if (!more) break;
    }
    const std::tuple<const std::string*, int64_t, int64_t*> deletions[] = {
        {&raw_sql, raw_cut, &done.raw_deleted},
        {&minute_sql, minute_cut, &done.minute_deleted},
        {&hour_sql, hour_cut, &done.hour_deleted}};
    for (const auto& [sql, cut, count] : deletions) {
      for (;;) {
        FARO_ASSIGN_OR_RETURN(const int64_t deleted, DeleteChunk(*sql, cut, sql == &raw_sql));
        *count += deleted;
        if (deleted < kChunkRows) break;
      }
    }
    // What each tier still holds, for Series' automatic choice; it never moves back.
    std::lock_guard lock(*mutex_);
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const std::pair<const char*, int64_t> kept[] = {
        {"raw_kept_since", raw_cut}, {"minute_kept_since", minute_cut * kMinuteMs}, {"hour_kept_since", hour_cut * kHourMs}};
    for (const auto& [key, since] : kept) WriteState(db_, key, std::max(since, ReadState(db_, key, since)));
    tx.commit();
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("history: cannot compact: ", e.what()));
  }
  return done;
}

}  // namespace faro::history
