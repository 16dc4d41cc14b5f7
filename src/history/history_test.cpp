#include "history/history.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "core/time_text.hpp"
#include "history/event_store.hpp"
#include "history/test_db.hpp"

namespace faro::history {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2021-10-04 15:00:00 UTC, the start of an hour (and of a minute).
const TimePoint kT0 = FromUnixMillis(1633359600000);

Result Check(TimePoint at, std::string platform, std::string endpoint, std::string vantage, Outcome outcome,
             std::optional<double> total_ms = std::nullopt, std::optional<double> dns_ms = std::nullopt) {
  Result r;
  r.at = at;
  r.platform = std::move(platform);
  r.endpoint = std::move(endpoint);
  r.vantage = std::move(vantage);
  r.outcome = outcome;
  r.total_ms = total_ms;
  r.dns_ms = dns_ms;
  if (outcome == Outcome::kFail) r.cause = Cause::kDnsServfail;
  return r;
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto history = History::Open(db_.db(), Retention{});
    ASSERT_TRUE(history.ok()) << history.status();
    history_ = std::move(*history);
  }

  std::vector<Point> SeriesOf(const std::string& platform, TimePoint from, TimePoint to, Resolution res,
                              const std::string& vantage = "", const std::string& endpoint = "") {
    auto points = history_->Series(platform, from, to, res, vantage, endpoint);
    EXPECT_TRUE(points.ok()) << points.status();
    return points.ok() ? *points : std::vector<Point>{};
  }

  static int Checks(const std::vector<Point>& points) {
    int checks = 0;
    for (const auto& p : points) checks += p.checks;
    return checks;
  }

  TestDatabase db_{"faro_history_test"};
  std::unique_ptr<History> history_;
};

TEST_F(HistoryTest, RawSeriesMergesEndpointsAndVantagesAndFilters) {
  const std::string web = "https://web.whatsapp.com/", api = "https://g.whatsapp.net/";
  ASSERT_TRUE(history_
                  ->Record({Check(kT0 + seconds(30), "whatsapp", web, "local", Outcome::kOk, 120.5, 10.0),
                            Check(kT0, "whatsapp", api, "local", Outcome::kFail),
                            Check(kT0 + seconds(10), "whatsapp", web, "sao-paulo", Outcome::kSlow, 2500.0),
                            Check(kT0 + seconds(20), "instagram", "https://www.instagram.com/", "local", Outcome::kOk)})
                  .ok());

  const auto all = SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw);
  ASSERT_EQ(all.size(), 3u);  // Instagram's result is not WhatsApp's
  EXPECT_EQ(all[0].at, kT0);  // in time order, whatever the recording order
  EXPECT_EQ(all[0].failed, 1);
  EXPECT_FALSE(all[0].total_ms.has_value());
  EXPECT_EQ(all[1].at, kT0 + seconds(10));
  EXPECT_EQ(all[1].slow, 1);
  EXPECT_DOUBLE_EQ(*all[1].total_ms, 2500.0);
  EXPECT_EQ(all[2].checks, 1);
  EXPECT_DOUBLE_EQ(*all[2].total_ms, 120.5);
  EXPECT_DOUBLE_EQ(*all[2].total_max_ms, 120.5);
  EXPECT_DOUBLE_EQ(*all[2].dns_ms, 10.0);
  EXPECT_EQ(all[2].failed + all[2].slow, 0);

  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw, "sao-paulo").size(), 1u);
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw, "local").size(), 2u);
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw, "", web).size(), 2u);
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw, "local", web).size(), 1u);
  EXPECT_TRUE(SeriesOf("telegram", kT0, kT0 + minutes(1), Resolution::kRaw).empty());
  // [from, to): the result at kT0 + 30 s is outside [kT0, kT0 + 30 s).
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + seconds(30), Resolution::kRaw).size(), 2u);
}

TEST_F(HistoryTest, MinuteAndHourRollUpsKeepCountsAndMeans) {
  // Minute 0: three checks, one failed without timings; the means are over the two measured.
  // Minute 1: one slow check. Minute 61 (the next hour): one check.
  ASSERT_TRUE(history_
                  ->Record({Check(kT0 + seconds(5), "whatsapp", "a", "local", Outcome::kOk, 100.0, 10.0),
                            Check(kT0 + seconds(35), "whatsapp", "b", "sao-paulo", Outcome::kOk, 300.0, 30.0),
                            Check(kT0 + seconds(50), "whatsapp", "a", "local", Outcome::kFail),
                            Check(kT0 + seconds(70), "whatsapp", "a", "local", Outcome::kSlow, 900.0),
                            Check(kT0 + minutes(61), "whatsapp", "a", "local", Outcome::kOk, 50.0)})
                  .ok());
  auto done = history_->Compact(kT0 + minutes(62));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->raw_rolled, 5);
  EXPECT_EQ(done->minute_written, 4);  // (a, 0), (b, 0), (a, 1), (a, 61)
  EXPECT_EQ(done->hour_written, 3);    // (a, 15h), (b, 15h), (a, 16h)
  EXPECT_EQ(done->rows_deleted(), 0);

  const auto by_minute = SeriesOf("whatsapp", kT0, kT0 + hours(2), Resolution::kMinute);
  ASSERT_EQ(by_minute.size(), 3u);
  EXPECT_EQ(by_minute[0].at, kT0);
  EXPECT_EQ(by_minute[0].checks, 3);
  EXPECT_EQ(by_minute[0].failed, 1);
  EXPECT_DOUBLE_EQ(*by_minute[0].total_ms, 200.0);
  EXPECT_DOUBLE_EQ(*by_minute[0].dns_ms, 20.0);
  EXPECT_DOUBLE_EQ(*by_minute[0].total_max_ms, 300.0);
  EXPECT_FALSE(by_minute[0].tls_ms.has_value());
  EXPECT_EQ(by_minute[1].at, kT0 + minutes(1));
  EXPECT_EQ(by_minute[1].slow, 1);
  EXPECT_FALSE(by_minute[1].dns_ms.has_value());
  EXPECT_EQ(by_minute[2].at, kT0 + minutes(61));

  // One vantage's minutes.
  const auto sao_paulo = SeriesOf("whatsapp", kT0, kT0 + hours(2), Resolution::kMinute, "sao-paulo");
  ASSERT_EQ(sao_paulo.size(), 1u);
  EXPECT_DOUBLE_EQ(*sao_paulo[0].total_ms, 300.0);

  const auto by_hour = SeriesOf("whatsapp", kT0, kT0 + hours(2), Resolution::kHour);
  ASSERT_EQ(by_hour.size(), 2u);
  EXPECT_EQ(by_hour[0].at, kT0);
  EXPECT_EQ(by_hour[0].checks, 4);
  EXPECT_EQ(by_hour[0].failed, 1);
  EXPECT_EQ(by_hour[0].slow, 1);
  EXPECT_DOUBLE_EQ(*by_hour[0].total_ms, (100.0 + 300.0 + 900.0) / 3);
  EXPECT_DOUBLE_EQ(*by_hour[0].total_max_ms, 900.0);
  EXPECT_EQ(by_hour[1].at, kT0 + hours(1));
  EXPECT_EQ(by_hour[1].checks, 1);

  // A bucket overlapping the range counts: minutes from 15:00:30 start with the 15:00 bucket.
  EXPECT_EQ(SeriesOf("whatsapp", kT0 + seconds(30), kT0 + minutes(2), Resolution::kMinute).size(), 2u);
}

TEST_F(HistoryTest, CompactIsIdempotentAndFoldsLateResults) {
  ASSERT_TRUE(history_->Record({Check(kT0, "whatsapp", "a", "local", Outcome::kOk, 100.0)}).ok());
  ASSERT_TRUE(history_->Compact(kT0 + minutes(5)).ok());
  auto again = history_->Compact(kT0 + minutes(5));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rows_rolled(), 0);
  EXPECT_EQ(again->rows_deleted(), 0);
  auto later = history_->Compact(kT0 + minutes(6));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->rows_rolled(), 0);
  EXPECT_EQ(Checks(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kMinute)), 1);

  // A vantage delivers a result for minute 0 late: it adds to the minute and the hour.
  ASSERT_TRUE(history_->Record({Check(kT0 + seconds(40), "whatsapp", "a", "far", Outcome::kOk, 300.0)}).ok());
  auto late = history_->Compact(kT0 + minutes(7));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->rows_rolled(), 1);
  const auto minute = SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kMinute);
  ASSERT_EQ(minute.size(), 1u);
  EXPECT_EQ(minute[0].checks, 2);
  EXPECT_DOUBLE_EQ(*minute[0].total_ms, 200.0);
  EXPECT_EQ(Checks(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kHour)), 2);
}

TEST_F(HistoryTest, RetentionDeletesEachTierAndSeriesAnswersFromRollUps) {
  std::vector<Result> batch;
  for (int i = 0; i < 120; ++i)  // one hour at a 30 s interval
    batch.push_back(Check(kT0 + seconds(30 * i), "whatsapp", "a", "local", Outcome::kOk, 100.0 + i % 2 * 100));
  ASSERT_TRUE(history_->Record(batch).ok());
  ASSERT_EQ(history_->Compact(kT0 + hours(1))->raw_rolled, 120);

  // Within 48 h raw rows are kept, and a 1-hour window is answered from them.
  auto kept = history_->Compact(kT0 + hours(47));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->rows_deleted(), 0);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(1), Resolution::kAuto), Resolution::kRaw);
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kAuto).size(), 120u);

  // Past 48 h the raw rows go; the same window is answered from minutes.
  auto raw_gone = history_->Compact(kT0 + hours(49) + minutes(1));
  ASSERT_TRUE(raw_gone.ok());
  EXPECT_EQ(raw_gone->raw_deleted, 120);
  EXPECT_EQ(raw_gone->minute_deleted, 0);
  EXPECT_TRUE(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kRaw).empty());
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(1), Resolution::kAuto), Resolution::kMinute);
  const auto minutes_left = SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kAuto);
  ASSERT_EQ(minutes_left.size(), 60u);
  EXPECT_EQ(Checks(minutes_left), 120);
  EXPECT_DOUBLE_EQ(*minutes_left[0].total_ms, 150.0);

  // Past 30 days the minutes go; hours answer.
  auto minutes_gone = history_->Compact(kT0 + hours(24 * 30 + 2));
  ASSERT_TRUE(minutes_gone.ok());
  EXPECT_EQ(minutes_gone->minute_deleted, 60);
  EXPECT_EQ(minutes_gone->hour_deleted, 0);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(1), Resolution::kAuto), Resolution::kHour);
  const auto hours_left = SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kAuto);
  ASSERT_EQ(hours_left.size(), 1u);
  EXPECT_EQ(hours_left[0].checks, 120);
  EXPECT_DOUBLE_EQ(*hours_left[0].total_ms, 150.0);
  EXPECT_DOUBLE_EQ(*hours_left[0].total_max_ms, 200.0);

  // Past a year the hours go too.
  auto all_gone = history_->Compact(kT0 + hours(24 * 365 + 2));
  ASSERT_TRUE(all_gone.ok());
  EXPECT_EQ(all_gone->hour_deleted, 1);
  EXPECT_TRUE(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kAuto).empty());

  // Recording continues after every row was deleted: new rows are folded, not skipped.
  const TimePoint later = kT0 + hours(24 * 366);
  ASSERT_TRUE(history_->Record({Check(later, "whatsapp", "a", "local", Outcome::kOk, 80.0)}).ok());
  auto fresh = history_->Compact(later + minutes(1));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->raw_rolled, 1);
  EXPECT_EQ(Checks(SeriesOf("whatsapp", later, later + minutes(1), Resolution::kMinute)), 1);
}

TEST_F(HistoryTest, AutomaticResolutionFollowsTheSpan) {
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(6), Resolution::kAuto), Resolution::kRaw);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(7), Resolution::kAuto), Resolution::kMinute);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(24 * 7), Resolution::kAuto), Resolution::kMinute);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(24 * 8), Resolution::kAuto), Resolution::kHour);
  EXPECT_EQ(history_->Choose(kT0, kT0 + hours(24 * 8), Resolution::kRaw), Resolution::kRaw);
}

TEST_F(HistoryTest, ResultsRoundTripWithCausesAndNames) {
  Result r = Check(kT0, "whatsapp", "https://web.whatsapp.com/", "sao-paulo", Outcome::kFail);
  r.cause = Cause::kHttp5xx;
  r.http_status = 503;
  r.connect_ms = 12.3;
  r.tls_ms = 45.6;
  r.first_byte_ms = 78.9;
  r.total_ms = 140.04;  // kept at 0.1 ms
  ASSERT_TRUE(history_->Record({r, Check(kT0 + seconds(30), "whatsapp", "x", "local", Outcome::kOk)}).ok());
  auto results = history_->Results("whatsapp", kT0, kT0 + minutes(1), 10, "sao-paulo");
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 1u);
  const Result& back = (*results)[0];
  EXPECT_EQ(back.at, kT0);
  EXPECT_EQ(back.endpoint, "https://web.whatsapp.com/");
  EXPECT_EQ(back.vantage, "sao-paulo");
  EXPECT_EQ(back.outcome, Outcome::kFail);
  EXPECT_EQ(back.cause, Cause::kHttp5xx);
  EXPECT_EQ(back.http_status, 503);
  EXPECT_FALSE(back.dns_ms.has_value());
  EXPECT_DOUBLE_EQ(*back.connect_ms, 12.3);
  EXPECT_DOUBLE_EQ(*back.tls_ms, 45.6);
  EXPECT_DOUBLE_EQ(*back.first_byte_ms, 78.9);
  EXPECT_DOUBLE_EQ(*back.total_ms, 140.0);
  // The limit keeps the newest, returned oldest first.
  auto newest = history_->Results("whatsapp", kT0, kT0 + minutes(1), 1);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].endpoint, "x");
}

TEST_F(HistoryTest, BadInputIsRefusedWithoutWritingAnything) {
  Result nan = Check(kT0, "whatsapp", "a", "local", Outcome::kOk);
  nan.dns_ms = std::nan("");
  auto status = history_->Record({Check(kT0, "whatsapp", "a", "local", Outcome::kOk), nan});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(status).find("result 1"), std::string::npos) << status;
  EXPECT_NE(Message(status).find("dns_ms"), std::string::npos) << status;

  status = history_->Record({Check(kT0, "whatsapp", "a", "", Outcome::kOk)});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(status).find("vantage"), std::string::npos) << status;
  Result negative = Check(kT0, "whatsapp", "a", "local", Outcome::kOk, -1.0);
  EXPECT_EQ(history_->Record({negative}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(SeriesOf("whatsapp", kT0 - hours(1), kT0 + hours(1), Resolution::kRaw).empty());

  EXPECT_EQ(history_->Series("whatsapp", kT0, kT0, Resolution::kRaw).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(history_->Series("", kT0, kT0 + hours(1), Resolution::kRaw).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(History::Open(db_.db(), Retention{hours(0)}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(HistoryTest, ReopeningKeepsDataAndNames) {
  ASSERT_TRUE(history_->Record({Check(kT0, "whatsapp", "a", "local", Outcome::kOk, 10.0)}).ok());
  auto reopened = History::Open(db_.db(), Retention{});
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->Record({Check(kT0 + seconds(30), "whatsapp", "a", "local", Outcome::kOk, 30.0)}).ok());
  EXPECT_EQ(SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kRaw, "local", "a").size(), 2u);
  ASSERT_TRUE((*reopened)->Compact(kT0 + minutes(1)).ok());
  const auto minute = SeriesOf("whatsapp", kT0, kT0 + minutes(1), Resolution::kMinute);
  ASSERT_EQ(minute.size(), 1u);
  EXPECT_DOUBLE_EQ(*minute[0].total_ms, 20.0);
}

// The probe thread records and compacts while API threads read series and the event log is
// appended on the same connection: nothing fails and nothing is lost or counted twice.
TEST_F(HistoryTest, ThreadsShareTheConnection) {
  auto events = EventStore::Open(db_.db());
  ASSERT_TRUE(events.ok());
  std::atomic<int> failures{0};
  std::thread prober([&] {
    for (int batch = 0; batch < 50; ++batch) {
      std::vector<Result> results;
      for (int i = 0; i < 20; ++i)
        results.push_back(Check(kT0 + seconds(batch * 20 + i), "whatsapp", "a", "local", Outcome::kOk, 10.0));
      if (!history_->Record(results).ok()) ++failures;
      if (batch % 10 == 0 && !history_->Compact(kT0 + seconds(batch * 20)).ok()) ++failures;
    }
  });
  std::thread reader([&] {
    for (int i = 0; i < 50; ++i)
      if (!history_->Series("whatsapp", kT0, kT0 + hours(1), Resolution::kMinute).ok()) ++failures;
  });
  std::thread detector([&] {
    for (int i = 0; i < 50; ++i) {
      Event e;
      e.at = kT0 + seconds(i);
      e.kind = "platform-degraded";
      e.subject = "whatsapp";
      if (!(*events)->Append(e).ok()) ++failures;
    }
  });
  prober.join();
  reader.join();
  detector.join();
  EXPECT_EQ(failures, 0);
  ASSERT_TRUE(history_->Compact(kT0 + hours(1)).ok());
  EXPECT_EQ(Checks(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kMinute)), 1000);
  EXPECT_EQ(Checks(SeriesOf("whatsapp", kT0, kT0 + hours(1), Resolution::kHour)), 1000);
  EXPECT_EQ((*events)->List({.limit = 1000})->size(), 50u);
}

// 100 endpoints checked every 30 s for one day: 288,000 results.
TEST_F(HistoryTest, SizeReportsBytesPerEndpointPerDay) {
  constexpr int kEndpoints = 100;
  const TimePoint start = kT0 - hours(15);  // midnight UTC
  std::vector<Result> batch;
  for (int tick = 0; tick < 2880; ++tick) {
    for (int e = 0; e < kEndpoints; ++e) {
      const bool failed = (tick + e) % 97 == 0;
      Result r = Check(start + seconds(30 * tick) + milliseconds(e * 7), "platform" + std::to_string(e % 6),
                       "https://endpoint" + std::to_string(e) + ".example/", "local",
                       failed ? Outcome::kFail : Outcome::kOk);
      if (!failed) {
        r.http_status = 200;
        r.dns_ms = 1.0 + e % 5;
        r.connect_ms = 20.0 + tick % 7;
        r.tls_ms = 40.0 + e % 11;
        r.first_byte_ms = 90.0 + tick % 13;
        r.total_ms = 180.0 + (tick * e) % 50;
      }
      batch.push_back(std::move(r));
      if (batch.size() == 1000) {
        ASSERT_TRUE(history_->Record(batch).ok());
        batch.clear();
      }
    }
  }
  const TimePoint now = start + hours(24);
  ASSERT_TRUE(history_->Compact(now).ok());
  auto size = history_->Size(now);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_TRUE(size->measured);
  EXPECT_EQ(size->endpoints, kEndpoints);
  ASSERT_EQ(size->tiers.size(), 3u);
  const TierSize& raw = size->tiers[0];
  const TierSize& minute = size->tiers[1];
  const TierSize& hour = size->tiers[2];
  EXPECT_EQ(raw.rows, 288000);
  EXPECT_NEAR(raw.rows_per_endpoint_per_day, 2880, 1);
  EXPECT_NEAR(minute.rows_per_endpoint_per_day, 1440, 1);
  EXPECT_NEAR(hour.rows_per_endpoint_per_day, 24, 0.5);
  // A raw row with its index entry: more than its payload, far less than a kilobyte.
  EXPECT_GT(raw.bytes_per_row, 25);
  EXPECT_LT(raw.bytes_per_row, 120);
  EXPECT_GT(minute.bytes_per_row, 20);
  EXPECT_LT(minute.bytes_per_row, 150);
  EXPECT_GT(size->bytes_per_endpoint_per_day, 100'000);
  EXPECT_LT(size->bytes_per_endpoint_per_day, 1'000'000);
  EXPECT_GT(size->steady_bytes_per_endpoint, size->bytes_per_endpoint_per_day);
  EXPECT_GT(size->history_bytes, 0);
  EXPECT_LE(size->history_bytes, size->database_bytes);

  std::printf("size: %d endpoints x 1 day at 30 s: %.0f bytes per endpoint per day "
              "(raw %.1f B/row x %.0f rows, minute %.1f B/row x %.0f, hour %.1f B/row x %.0f); "
              "%.2f MB per endpoint when every tier is full; history %.1f MB, file %.1f MB\n",
              size->endpoints, size->bytes_per_endpoint_per_day, raw.bytes_per_row, raw.rows_per_endpoint_per_day,
              minute.bytes_per_row, minute.rows_per_endpoint_per_day, hour.bytes_per_row,
              hour.rows_per_endpoint_per_day, size->steady_bytes_per_endpoint / 1e6, size->history_bytes / 1e6,
              size->database_bytes / 1e6);
  for (const TableSize& t : size->tables)
    std::printf("size:   %-28s %10lld bytes %8lld rows\n", t.name.c_str(), static_cast<long long>(t.bytes),
                static_cast<long long>(t.rows));

  // Without dbstat the figure is estimated from the file; still positive and of the same order.
  auto estimated = history_->Size(now, /*use_dbstat=*/false);
  ASSERT_TRUE(estimated.ok());
  EXPECT_FALSE(estimated->measured);
  EXPECT_GT(estimated->bytes_per_endpoint_per_day, size->bytes_per_endpoint_per_day / 3);
  EXPECT_LT(estimated->bytes_per_endpoint_per_day, size->bytes_per_endpoint_per_day * 3);
}

}  // namespace
}  // namespace faro::history
