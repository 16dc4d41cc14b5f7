#include "history/crowd_store.hpp"

#include "core/strings.hpp"
#include "history/connection_lock.hpp"
#include "store/sqlite.hpp"

namespace faro::history {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int64_t kSlotMs = 15 * 60'000;
constexpr int64_t kWeekMs = 7 * 24 * 3'600'000LL;
// 1970-01-01 was a Thursday: the first Monday 00:00 UTC is 4 days (384 slots) later.
constexpr int64_t kMondaySlotOffset = 4 * 96;
constexpr size_t kMaxNoteBytes = 1000;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS crowd_reports (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL, reporter_key TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS crowd_reports_by_platform ON crowd_reports (platform, at);
)sql";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("crowd reports: cannot ", what, ": ", e.what()));
}

}  // namespace

int SlotOfWeek(TimePoint at) {
  const int64_t slot = FloorDiv(ToUnixMillis(at), kSlotMs) - kMondaySlotOffset;
  return static_cast<int>(((slot % kSlotsPerWeek) + kSlotsPerWeek) % kSlotsPerWeek);
}

CrowdStore::CrowdStore(SQLite::Database& db) : db_(db), mutex_(ConnectionMutex(db)) {}

absl::StatusOr<std::unique_ptr<CrowdStore>> CrowdStore::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "crowd", kSchemaVersion, kSchema));
  return std::unique_ptr<CrowdStore>(new CrowdStore(db));
}

absl::Status CrowdStore::Add(const std::string& platform, const std::string& reporter_key, TimePoint at,
                             const std::string& note) {
  if (platform.empty()) return absl::InvalidArgumentError("crowd reports: a report needs the platform it is about");
  if (reporter_key.empty())
    return absl::InvalidArgumentError(StrCat("crowd reports: a report about ", platform, " needs a reporter key"));
  if (note.size() > kMaxNoteBytes)
    return absl::InvalidArgumentError(StrCat("crowd reports: a note is limited to ", kMaxNoteBytes, " bytes; this one has ",
                                             note.size()));
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, "INSERT INTO crowd_reports (platform, reporter_key, at, note) VALUES (?, ?, ?, ?)");
    q.bind(1, platform);
    q.bind(2, reporter_key);
    q.bind(3, static_cast<int64_t>(ToUnixMillis(at)));
    q.bind(4, note);
    q.exec();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError(StrCat("store a report about ", platform), e);
  }
}

absl::StatusOr<std::vector<double>> CrowdStore::Baseline(const std::string& platform, TimePoint now, int weeks,
                                                         std::chrono::minutes window) {
  if (weeks < 1 || weeks > 52)
    return absl::InvalidArgumentError(StrCat("crowd reports: a baseline spans 1 to 52 weeks, not ", weeks));
  if (window < std::chrono::minutes(1) || window > std::chrono::minutes(24 * 60))
    return absl::InvalidArgumentError(
        StrCat("crowd reports: a baseline window is 1 minute to 1 day, not ", window.count(), " minutes"));
  // Whole slots only: [start of now's slot - weeks, start of now's slot) holds every slot of
  // the week exactly `weeks` times.
  const int64_t end = FloorDiv(ToUnixMillis(now), kSlotMs) * kSlotMs;
  const int64_t begin = end - weeks * kWeekMs;
  std::vector<double> totals(kSlotsPerWeek, 0.0);
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_,
                        "SELECT at / ?1, COUNT(DISTINCT reporter_key) FROM crowd_reports "
                        "WHERE platform = ?2 AND at >= ?3 AND at < ?4 GROUP BY 1");
    q.bind(1, kSlotMs);
    q.bind(2, platform);
    q.bind(3, begin);
    q.bind(4, end);
    while (q.executeStep()) {
      const int64_t slot_start = q.getColumn(0).getInt64() * kSlotMs;
      totals[SlotOfWeek(FromUnixMillis(slot_start))] += static_cast<double>(q.getColumn(1).getInt64());
    }
  } catch (const std::exception& e) {
    return StoreError(StrCat("compute the baseline of ", platform), e);
  }
  const double scale = static_cast<double>(window.count()) / 15.0 / weeks;
  for (double& total : totals) total *= scale;
  return totals;
}

absl::StatusOr<int> CrowdStore::Count(const std::string& platform, TimePoint from, TimePoint to) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_,
                        "SELECT COUNT(DISTINCT reporter_key) FROM crowd_reports WHERE platform = ? AND at >= ? AND at < ?");
    q.bind(1, platform);
    q.bind(2, static_cast<int64_t>(ToUnixMillis(from)));
    q.bind(3, static_cast<int64_t>(ToUnixMillis(to)));
    q.executeStep();
    return q.getColumn(0).getInt();
  } catch (const std::exception& e) {
    return StoreError(StrCat("count the reports about ", platform), e);
  }
}

absl::Status CrowdStore::Prune(TimePoint before) {
  std::lock_guard lock(*mutex_);
  try {
    SQLite::Statement q(db_, "DELETE FROM crowd_reports WHERE at < ?");
    q.bind(1, static_cast<int64_t>(ToUnixMillis(before)));
    q.exec();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError("prune crowd reports", e);
  }
}

}  // namespace faro::history
