#include "history/crowd_store.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "history/test_db.hpp"

namespace faro::history {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TimePoint At(const char* text) { return *ParseRfc3339(text); }

class CrowdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto crowd = CrowdStore::Open(db_.db());
    ASSERT_TRUE(crowd.ok()) << crowd.status();
    crowd_ = std::move(*crowd);
  }

  void Report(const std::string& reporter, TimePoint at, const std::string& platform = "whatsapp") {
    ASSERT_TRUE(crowd_->Add(platform, reporter, at, "no me llegan los mensajes").ok());
  }

  int CountOf(TimePoint from, TimePoint to) {
    auto count = crowd_->Count("whatsapp", from, to);
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? *count : -1;
  }

  TestDatabase db_{"faro_crowd_store_test"};
  std::unique_ptr<CrowdStore> crowd_;
};

TEST(SlotOfWeekTest, MondayMidnightUtcIsSlotZero) {
  EXPECT_EQ(SlotOfWeek(At("2021-10-04T00:00:00Z")), 0);  // a Monday
  EXPECT_EQ(SlotOfWeek(At("2021-10-04T00:14:59Z")), 0);
  EXPECT_EQ(SlotOfWeek(At("2021-10-04T15:07:00Z")), 60);
  EXPECT_EQ(SlotOfWeek(At("2021-10-05T12:00:00Z")), 96 + 48);  // Tuesday noon
  EXPECT_EQ(SlotOfWeek(At("2021-10-10T23:45:00Z")), kSlotsPerWeek - 1);  // Sunday's last slot
  EXPECT_EQ(SlotOfWeek(At("1970-01-01T00:00:00Z")), 3 * 96);  // a Thursday
}

// Every day at 12:00 UTC six customers report and at 20:00 three do (one of them twice); on
// two Mondays at 09:00 eight do; a week ago on Monday at 15:00 two did.
TEST_F(CrowdStoreTest, BaselineAveragesEachSlotOverTheWeeks) {
  const TimePoint now = At("2021-10-04T15:07:00Z");  // Monday
  const TimePoint today = At("2021-10-04T00:00:00Z");
  for (int day = 0; day < 36; ++day) {  // five weeks and a day: the oldest must be left out
    const TimePoint midnight = today - hours(24 * day);
    for (int i = 0; i < 6; ++i) Report("noon-" + std::to_string(i), midnight + hours(12) + minutes(2 * i));
    if (day > 0) {  // today's 20:00 has not come yet
      for (int i = 0; i < 3; ++i) Report("evening-" + std::to_string(i), midnight + hours(20) + minutes(i));
      Report("evening-0", midnight + hours(20) + minutes(9));  // the same person again
    }
  }
  for (int i = 0; i < 8; ++i) {
    Report("monday-" + std::to_string(i), today + hours(9) + minutes(i));
    Report("monday-" + std::to_string(i), today - hours(24 * 7) + hours(9) + minutes(i));
  }
  Report("last-week-a", today - hours(24 * 7) + hours(15) + minutes(1));
  Report("last-week-b", today - hours(24 * 7) + hours(15) + minutes(14));
  // The slot under way (an outage, perhaps) and other platforms do not count.
  for (int i = 0; i < 10; ++i) Report("now-" + std::to_string(i), today + hours(15) + minutes(2));
  for (int i = 0; i < 10; ++i) Report("ig-" + std::to_string(i), today + hours(20) - hours(24), "instagram");

  auto baseline = crowd_->Baseline("whatsapp", now, 4, minutes(15));
  ASSERT_TRUE(baseline.ok()) << baseline.status();
  ASSERT_EQ(baseline->size(), static_cast<size_t>(kSlotsPerWeek));
  for (int weekday = 0; weekday < 7; ++weekday) {
    const int day = weekday * 96;
    EXPECT_DOUBLE_EQ((*baseline)[day + 48], 6.0) << "weekday " << weekday;  // 12:00
    EXPECT_DOUBLE_EQ((*baseline)[day + 80], 3.0) << "weekday " << weekday;  // 20:00, distinct reporters
    EXPECT_DOUBLE_EQ((*baseline)[day + 49], 0.0) << "weekday " << weekday;  // 12:15
  }
  EXPECT_DOUBLE_EQ((*baseline)[36], 4.0);  // Monday 09:00: 8 reporters in 2 of 4 weeks
  EXPECT_DOUBLE_EQ((*baseline)[96 + 36], 0.0);  // Tuesday 09:00
  EXPECT_DOUBLE_EQ((*baseline)[SlotOfWeek(now)], 0.5);  // last week's two, not today's ten
  double total = 0;
  for (double v : *baseline) total += v;
  EXPECT_DOUBLE_EQ(total, 7 * (6.0 + 3.0) + 4.0 + 0.5);

  // Per 5-minute window: a third of the 15-minute figure.
  auto per_five = crowd_->Baseline("whatsapp", now, 4, minutes(5));
  ASSERT_TRUE(per_five.ok());
  EXPECT_DOUBLE_EQ((*per_five)[48], 2.0);
  EXPECT_DOUBLE_EQ((*per_five)[80], 1.0);

  // One week: only last week's occurrences (and today's, before now's slot).
  auto one_week = crowd_->Baseline("whatsapp", now, 1, minutes(15));
  ASSERT_TRUE(one_week.ok());
  EXPECT_DOUBLE_EQ((*one_week)[36], 8.0);
  EXPECT_DOUBLE_EQ((*one_week)[SlotOfWeek(now)], 2.0);

  EXPECT_EQ(crowd_->Baseline("whatsapp", now, 0, minutes(15)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(crowd_->Baseline("whatsapp", now, 4, minutes(0)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CrowdStoreTest, CountsDistinctReportersInTheWindow) {
  const TimePoint t = At("2021-10-04T15:00:00Z");
  Report("a", t);
  Report("b", t + minutes(1));
  Report("a", t + minutes(2));  // again
  Report("c", t + minutes(5));  // outside [t, t + 5 min)
  Report("d", t, "telegram");
  EXPECT_EQ(CountOf(t, t + minutes(5)), 2);
  EXPECT_EQ(CountOf(t, t + minutes(6)), 3);
  EXPECT_EQ(CountOf(t + minutes(1), t + minutes(2)), 1);
  EXPECT_EQ(CountOf(t - hours(1), t), 0);
}

TEST_F(CrowdStoreTest, PruneDeletesOlderReports) {
  const TimePoint t = At("2021-10-04T15:00:00Z");
  Report("old", t - hours(24 * 60));
  Report("new", t);
  ASSERT_TRUE(crowd_->Prune(t - hours(24 * 35)).ok());
  EXPECT_EQ(CountOf(t - hours(24 * 365), t + hours(1)), 1);
  EXPECT_EQ(CountOf(t, t + hours(1)), 1);
}

TEST_F(CrowdStoreTest, BadReportsAreRefused) {
  const TimePoint t = At("2021-10-04T15:00:00Z");
  EXPECT_EQ(crowd_->Add("", "a", t, "").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(crowd_->Add("whatsapp", "", t, "").code(), absl::StatusCode::kInvalidArgument);
  const auto status = crowd_->Add("whatsapp", "a", t, std::string(1001, 'x'));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(status).find("1000 bytes"), std::string::npos) << status;
  EXPECT_EQ(CountOf(t - hours(1), t + hours(1)), 0);
}

}  // namespace
}  // namespace faro::history
