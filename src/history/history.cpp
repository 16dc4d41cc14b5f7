#include "history/history.hpp"

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "history/connection_lock.hpp"
#include "history/history_internal.hpp"
#include "store/sqlite.hpp"

namespace faro::history {
namespace {

using namespace internal;

// A raw series larger than this is refused: ask for minutes or hours instead.
constexpr int kMaxRawPoints = 200'000;
// A timing above this (about 2.8 hours) is a bug upstream, not a measurement.
constexpr double kMaxTimingMs = 1e7;

std::string SeriesKey(const Result& r) { return StrCat(r.platform, '\0', r.endpoint, '\0', r.vantage); }

absl::Status CheckResult(const Result& r, size_t index) {
  auto where = [&] { return StrCat("history: result ", index, " (", r.platform, " ", r.endpoint, " from ", r.vantage, ")"); };
  if (r.platform.empty()) return absl::InvalidArgumentError(StrCat("history: result ", index, " has no platform"));
  if (r.endpoint.empty()) return absl::InvalidArgumentError(StrCat("history: result ", index, " has no endpoint"));
  if (r.vantage.empty())
    return absl::InvalidArgumentError(StrCat(where(), " has no vantage (name the node that checked, e.g. \"local\")"));
  if (ToUnixMillis(r.at) < 0) return absl::InvalidArgumentError(StrCat(where(), " is dated before 1970"));
  if (r.http_status < 0 || r.http_status > 999)
    return absl::InvalidArgumentError(StrCat(where(), " has HTTP status ", r.http_status, "; expected 0 to 999"));
  const std::pair<const char*, const std::optional<double>*> timings[] = {
      {"dns_ms", &r.dns_ms}, {"connect_ms", &r.connect_ms}, {"tls_ms", &r.tls_ms},
      {"first_byte_ms", &r.first_byte_ms}, {"total_ms", &r.total_ms}};
  for (const auto& [name, value] : timings) {
    if (!*value) continue;
    if (!std::isfinite(**value) || **value < 0 || **value > kMaxTimingMs)
      return absl::InvalidArgumentError(
          StrCat(where(), " has ", name, " = ", **value, "; expected a number of milliseconds from 0 to 1e7"));
  }
  return absl::OkStatus();
}

void BindOptional(SQLite::Statement& q, int index, const std::optional<int64_t>& value) {
  if (value) q.bind(index, *value);
  else q.bind(index);
}

std::string IdList(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) StrAppend(out, out.empty() ? "" : ",", id);
  return out;
}

std::optional<double> Mean(int64_t sum_tenths, int64_t n) {
  if (n <= 0) return std::nullopt;
  return static_cast<double>(sum_tenths) / 10.0 / static_cast<double>(n);
}

Outcome DecodeOutcome(int64_t result) {
  switch (result / 16) {
    case 0: return Outcome::kOk;
    case 1: return Outcome::kSlow;
    default: return Outcome::kFail;
  }
}

Cause DecodeCause(int64_t result) {
  const int64_t cause = result % 16;
  return cause <= static_cast<int64_t>(Cause::kApp) ? static_cast<Cause>(cause) : Cause::kNone;
}

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("history: cannot ", what, ": ", e.what()));
}

}  // namespace

std::string_view ResolutionName(Resolution resolution) {
  switch (resolution) {
    case Resolution::kRaw: return "raw";
    case Resolution::kMinute: return "minute";
    case Resolution::kHour: return "hour";
    case Resolution::kAuto: return "auto";
  }
  return "auto";
}

History::History(SQLite::Database& db, Retention retention)
    : db_(db), retention_(retention), mutex_(ConnectionMutex(db)) {}

absl::StatusOr<std::unique_ptr<History>> History::Open(SQLite::Database& db, Retention retention) {
  if (retention.raw.count() <= 0 || retention.minute.count() <= 0 || retention.hour.count() <= 0)
    return absl::InvalidArgumentError("storage.retention: raw, minute and hour must each be at least 1h");
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "history", kSchemaVersion, kSchema));
  return std::unique_ptr<History>(new History(db, retention));
}

absl::Status History::Record(const std::vector<Result>& batch) {
  for (size_t i = 0; i < batch.size(); ++i) FARO_RETURN_IF_ERROR(CheckResult(batch[i], i));
  if (batch.empty()) return absl::OkStatus();
  std::lock_guard lock(*mutex_);
  std::unordered_map<std::string, int64_t> added;  // series created in this transaction
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    // Rowids continue past anything Compact already folded, even when old rows were deleted.
    SQLite::Statement next_q(db_,
                             "SELECT MAX(COALESCE((SELECT MAX(rowid) FROM history_raw), 0), "
                             "COALESCE((SELECT value FROM history_state WHERE key = 'folded_through'), 0))");
    next_q.executeStep();
    int64_t rowid = next_q.getColumn(0).getInt64();
    SQLite::Statement find(db_, "SELECT id FROM history_series WHERE platform = ? AND endpoint = ? AND vantage = ?");
    SQLite::Statement create(db_, "INSERT INTO history_series (platform, endpoint, vantage) VALUES (?, ?, ?)");
    SQLite::Statement insert(db_,
                             "INSERT INTO history_raw (rowid, at, series, result, http, dns, connect, tls, "
                             "first_byte, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Result& r : batch) {
      const std::string key = SeriesKey(r);
      int64_t series = 0;
      if (auto it = series_ids_.find(key); it != series_ids_.end()) {
        series = it->second;
      } else if (auto jt = added.find(key); jt != added.end()) {
        series = jt->second;
      } else {
        find.bind(1, r.platform);
        find.bind(2, r.endpoint);
        find.bind(3, r.vantage);
        if (find.executeStep()) {
          series = find.getColumn(0).getInt64();
        } else {
          create.bind(1, r.platform);
          create.bind(2, r.endpoint);
          create.bind(3, r.vantage);
          create.exec();
          create.reset();
          series = db_.getLastInsertRowid();
        }
        find.reset();
        added.emplace(key, series);
      }
      insert.bind(1, ++rowid);
      insert.bind(2, static_cast<int64_t>(ToUnixMillis(r.at)));
      insert.bind(3, series);
      insert.bind(4, static_cast<int>(r.outcome) * 16 + static_cast<int>(r.cause));
      insert.bind(5, r.http_status);
      BindOptional(insert, 6, ToTenths(r.dns_ms));
      BindOptional(insert, 7, ToTenths(r.connect_ms));
      BindOptional(insert, 8, ToTenths(r.tls_ms));
      BindOptional(insert, 9, ToTenths(r.first_byte_ms));
      BindOptional(insert, 10, ToTenths(r.total_ms));
      insert.exec();
      insert.reset();
    }
    tx.commit();
  } catch (const std::exception& e) {
    return StoreError(StrCat("record ", batch.size(), " results"), e);
  }
  series_ids_.merge(added);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> History::SeriesIds(const std::string& platform, const std::string& vantage,
                                                        const std::string& endpoint) {
  std::vector<int64_t> ids;
  SQLite::Statement q(db_,
                      "SELECT id FROM history_series WHERE platform = ?1 AND (?2 = '' OR vantage = ?2) "
                      "AND (?3 = '' OR endpoint = ?3) ORDER BY id");
  q.bind(1, platform);
  q.bind(2, vantage);
  q.bind(3, endpoint);
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  return ids;
}

Resolution History::Choose(TimePoint from, TimePoint to, Resolution res) {
  std::lock_guard lock(*mutex_);
  try {
    return ChooseLocked(from, to, res);
  } catch (const std::exception&) {
    return res == Resolution::kAuto ? Resolution::kHour : res;
  }
}

Resolution History::ChooseLocked(TimePoint from, TimePoint to, Resolution res) {
  if (res != Resolution::kAuto) return res;
  using std::chrono::hours;
  const auto span = to - from;
  Resolution chosen = span <= hours(6) ? Resolution::kRaw : span <= hours(24 * 7) ? Resolution::kMinute : Resolution::kHour;
  const int64_t from_ms = ToUnixMillis(from);
  if (chosen == Resolution::kRaw && from_ms < ReadState(db_, "raw_kept_since", 0)) chosen = Resolution::kMinute;
  if (chosen == Resolution::kMinute && from_ms < ReadState(db_, "minute_kept_since", 0)) chosen = Resolution::kHour;
  return chosen;
}

absl::StatusOr<std::vector<Point>> History::Series(const std::string& platform, TimePoint from, TimePoint to,
                                                   Resolution res, const std::string& vantage,
                                                   const std::string& endpoint) {
  if (platform.empty()) return absl::InvalidArgumentError("history: a series needs a platform");
  if (to <= from)
    return absl::InvalidArgumentError(
        StrCat("history: the series of ", platform, " needs from (", Rfc3339(from), ") before to (", Rfc3339(to), ")"));
  const int64_t from_ms = ToUnixMillis(from), to_ms = ToUnixMillis(to);
  std::lock_guard lock(*mutex_);
  std::vector<Point> points;
  try {
    FARO_ASSIGN_OR_RETURN(const std::vector<int64_t> ids, SeriesIds(platform, vantage, endpoint));
    if (ids.empty()) return points;
    const Resolution chosen = ChooseLocked(from, to, res);
    if (chosen == Resolution::kRaw) {
      SQLite::Statement q(db_, StrCat("SELECT at, result, dns, connect, tls, first_byte, total FROM history_raw "
                                      "WHERE series IN (", IdList(ids), ") AND at >= ? AND at < ? "
                                      "ORDER BY at, rowid LIMIT ", kMaxRawPoints + 1));
      q.bind(1, from_ms);
      q.bind(2, to_ms);
      while (q.executeStep()) {
        if (points.size() == kMaxRawPoints)
          return absl::OutOfRangeError(StrCat("history: more than ", kMaxRawPoints, " raw results for ", platform,
                                              " between ", Rfc3339(from), " and ", Rfc3339(to),
                                              "; ask for minutes, hours or auto"));
        Point p;
        p.at = FromUnixMillis(q.getColumn(0).getInt64());
        const Outcome outcome = DecodeOutcome(q.getColumn(1).getInt64());
        p.checks = 1;
        p.failed = outcome == Outcome::kFail;
        p.slow = outcome == Outcome::kSlow;
        p.dns_ms = FromTenths(q.getColumn(2));
        p.connect_ms = FromTenths(q.getColumn(3));
        p.tls_ms = FromTenths(q.getColumn(4));
        p.first_byte_ms = FromTenths(q.getColumn(5));
        p.total_ms = FromTenths(q.getColumn(6));
        p.total_max_ms = p.total_ms;
        points.push_back(p);
      }
      return points;
    }
    const bool minutes = chosen == Resolution::kMinute;
    const int64_t bucket_ms = minutes ? kMinuteMs : kHourMs;
    const char* column = minutes ? "minute" : "hour";
    SQLite::Statement q(
        db_, StrCat("SELECT ", column, ", SUM(checks), SUM(failed), SUM(slow), SUM(dns_sum), SUM(dns_n), "
                    "SUM(connect_sum), SUM(connect_n), SUM(tls_sum), SUM(tls_n), SUM(first_byte_sum), "
                    "SUM(first_byte_n), SUM(total_sum), SUM(total_n), MAX(total_max) FROM history_", column,
                    " WHERE series IN (", IdList(ids), ") AND ", column, " >= ? AND ", column, " < ? GROUP BY ",
                    column, " ORDER BY ", column));
    q.bind(1, FloorDiv(from_ms, bucket_ms));
    q.bind(2, CeilDiv(to_ms, bucket_ms));
    while (q.executeStep()) {
      Point p;
      p.at = FromUnixMillis(q.getColumn(0).getInt64() * bucket_ms);
      p.checks = q.getColumn(1).getInt();
      p.failed = q.getColumn(2).getInt();
      p.slow = q.getColumn(3).getInt();
      std::optional<double>* means[kPhases] = {&p.dns_ms, &p.connect_ms, &p.tls_ms, &p.first_byte_ms, &p.total_ms};
      for (int i = 0; i < kPhases; ++i) *means[i] = Mean(q.getColumn(4 + 2 * i).getInt64(), q.getColumn(5 + 2 * i).getInt64());
      if (p.total_ms) p.total_max_ms = static_cast<double>(q.getColumn(14).getInt64()) / 10.0;
      points.push_back(p);
    }
    return points;
  } catch (const std::exception& e) {
    return StoreError(StrCat("read the series of ", platform), e);
  }
}

absl::StatusOr<std::vector<Result>> History::Results(const std::string& platform, TimePoint from, TimePoint to,
                                                     int limit, const std::string& vantage,
                                                     const std::string& endpoint) {
  if (platform.empty()) return absl::InvalidArgumentError("history: results need a platform");
  if (limit <= 0) return absl::InvalidArgumentError(StrCat("history: results limit must be positive, not ", limit));
  std::lock_guard lock(*mutex_);
  std::vector<Result> results;
  try {
    FARO_ASSIGN_OR_RETURN(const std::vector<int64_t> ids, SeriesIds(platform, vantage, endpoint));
    if (ids.empty()) return results;
    SQLite::Statement q(db_, StrCat("SELECT r.at, s.platform, s.endpoint, s.vantage, r.result, r.http, r.dns, "
                                    "r.connect, r.tls, r.first_byte, r.total FROM history_raw r "
                                    "JOIN history_series s ON s.id = r.series WHERE r.series IN (", IdList(ids),
                                    ") AND r.at >= ? AND r.at < ? ORDER BY r.at DESC, r.rowid DESC LIMIT ?"));
    q.bind(1, static_cast<int64_t>(ToUnixMillis(from)));
    q.bind(2, static_cast<int64_t>(ToUnixMillis(to)));
    q.bind(3, limit);
    while (q.executeStep()) {
      Result r;
      r.at = FromUnixMillis(q.getColumn(0).getInt64());
      r.platform = q.getColumn(1).getString();
      r.endpoint = q.getColumn(2).getString();
      r.vantage = q.getColumn(3).getString();
      r.outcome = DecodeOutcome(q.getColumn(4).getInt64());
      r.cause = DecodeCause(q.getColumn(4).getInt64());
      r.http_status = q.getColumn(5).getInt();
      r.dns_ms = FromTenths(q.getColumn(6));
      r.connect_ms = FromTenths(q.getColumn(7));
      r.tls_ms = FromTenths(q.getColumn(8));
      r.first_byte_ms = FromTenths(q.getColumn(9));
      r.total_ms = FromTenths(q.getColumn(10));
      results.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return StoreError(StrCat("read the results of ", platform), e);
  }
  std::reverse(results.begin(), results.end());
  return results;
}

}  // namespace faro::history
