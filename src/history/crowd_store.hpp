#pragma once
// Crowd reports: customers telling the business "I can't reach you on WhatsApp". Counted
// against a time-of-week baseline, so a Monday-morning rush is not mistaken for an outage.
// Thread-safe; stores on the same connection take turns (history/connection_lock.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::history {

// 15-minute slots of the week, in UTC, slot 0 starting Monday 00:00.
constexpr int kSlotsPerWeek = 7 * 24 * 4;
int SlotOfWeek(TimePoint at);

class CrowdStore {
 public:
  // Opens (creating the crowd_reports table in `db`, component "crowd").
  static absl::StatusOr<std::unique_ptr<CrowdStore>> Open(SQLite::Database& db);

  // Stores one report. Durable before it returns (so before the caller hears "accepted"):
  // committed, surviving a crash of the process, and a power cut when the database was opened
  // with store::Durability::kPowerLoss. reporter_key identifies the reporter without naming
  // them (a hash, made by the caller); one reporter counts once per window. InvalidArgument
  // without platform or reporter key, or with a note over 1,000 bytes.
  absl::Status Add(const std::string& platform, const std::string& reporter_key, TimePoint at,
                   const std::string& note);

  // The time-of-day baseline: for each of the kSlotsPerWeek slots, the mean number of distinct
  // reporters in that slot over the `weeks` weeks before the slot that holds `now` (the slot
  // itself, still filling, is left out, so an outage under way does not raise its own
  // baseline), scaled to a `window`: mean × window / 15 min. Compare Count(now - window, now)
  // with result[SlotOfWeek(now)]. weeks from 1 to 52; window from 1 minute to 1 day.
  absl::StatusOr<std::vector<double>> Baseline(const std::string& platform, TimePoint now, int weeks,
                                               std::chrono::minutes window);
  // Distinct reporters of `platform` in [from, to).
  absl::StatusOr<int> Count(const std::string& platform, TimePoint from, TimePoint to);
  // Deletes every report older than `before`.
  absl::Status Prune(TimePoint before);

 private:
  explicit CrowdStore(SQLite::Database& db);

  SQLite::Database& db_;
  std::shared_ptr<std::mutex> mutex_;
};

}  // namespace faro::history
