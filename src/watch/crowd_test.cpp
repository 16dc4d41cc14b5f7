#include "watch/crowd.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/strings.hpp"
#include "watch/watch_test_util.hpp"

namespace faro::watch {
namespace {

using std::chrono::minutes;
using testing::At;

TEST(SlotOfWeek, MondayMidnightUtcIsZero) {
  EXPECT_EQ(SlotOfWeek(FromUnixMillis(1633305600000)), 0);    // Mon 2021-10-04 00:00 UTC
  EXPECT_EQ(SlotOfWeek(At(0)), 56);                            // Mon 14:00 → 14 × 4
  EXPECT_EQ(SlotOfWeek(At(14 * 60 + 59)), 56);                 // 14:14:59
  EXPECT_EQ(SlotOfWeek(At(15 * 60)), 57);                      // 14:15
  EXPECT_EQ(SlotOfWeek(FromUnixMillis(1633305600000 - 1)), kSlotsPerWeek - 1);  // Sun 23:59:59.999
  EXPECT_EQ(SlotOfWeek(FromUnixMillis(0)), 3 * 96);            // Thursday 1970-01-01
  EXPECT_EQ(SlotOfWeek(FromUnixMillis(-1)), 3 * 96 - 1);       // before the epoch too
}

TEST(CrowdCounter, OneReportPerReporterPerDedupWindow) {
  CrowdCounter c;
  EXPECT_TRUE(c.Accept("ana", At(0)));
  EXPECT_FALSE(c.Accept("ana", At(60)));
  EXPECT_FALSE(c.Accept("ana", At(29 * 60 + 59)));
  EXPECT_TRUE(c.Accept("leo", At(60)));
  EXPECT_TRUE(c.Accept("ana", At(30 * 60))) << "counts again once the dedup window has passed";
  EXPECT_FALSE(c.Accept("ana", At(10))) << "older than the report already held";
}

TEST(CrowdCounter, CountsTheRecentWindowOnly) {
  CrowdCounter c;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(c.Accept(StrCat("r", i), At(i * 60)));
  EXPECT_EQ(c.Count(At(5 * 60)), 4);
  EXPECT_EQ(c.Count(At(15 * 60 + 30)), 3) << "the report at 0 left the 15-minute window";
  EXPECT_EQ(c.Count(At(40 * 60)), 0);
}

TEST(CrowdCounter, SurgeWithoutBaselineNeedsTheMinimum) {
  CrowdCounter c;
  for (int i = 0; i < 4; ++i) c.Accept(StrCat("r", i), At(i));
  EXPECT_FALSE(c.Surge(At(10)));
  c.Accept("r4", At(5));
  EXPECT_TRUE(c.Surge(At(10)));
  EXPECT_FALSE(c.Surge(At(15 * 60 + 10))) << "ends as the reports age out";
}

TEST(CrowdCounter, SurgeAgainstTheBaselineOfThisTimeOfWeek) {
  CrowdCounter c;
  std::vector<double> baseline(kSlotsPerWeek, 1.0);
  baseline[SlotOfWeek(At(0))] = 10.0;  // Monday 14:00–14:15 is busy
  c.SetBaseline(baseline);
  ASSERT_TRUE(c.has_baseline());
  for (int i = 0; i < 29; ++i) c.Accept(StrCat("r", i), At(i));
  EXPECT_EQ(c.Baseline(At(60)), 10.0);
  EXPECT_FALSE(c.Surge(At(60))) << "29 < 3 × 10";
  c.Accept("r29", At(30));
  EXPECT_TRUE(c.Surge(At(60)));
  // A quiet slot: the minimum (5) decides, since 3 × 1 < 5.
  CrowdCounter quiet;
  quiet.SetBaseline(std::vector<double>(kSlotsPerWeek, 1.0));
  for (int i = 0; i < 5; ++i) quiet.Accept(StrCat("r", i), At(i));
  EXPECT_TRUE(quiet.Surge(At(10)));
}

TEST(CrowdCounter, BadBaselineIsRefusedAndCleared) {
  EXPECT_TRUE(CheckCrowdBaseline(std::vector<double>(kSlotsPerWeek, 0)).ok());
  auto short_one = CheckCrowdBaseline(std::vector<double>(24, 1));
  EXPECT_FALSE(short_one.ok());
  EXPECT_TRUE(Contains(Message(short_one), "expected 672 values")) << Message(short_one);
  std::vector<double> negative(kSlotsPerWeek, 1);
  negative[7] = -2;
  EXPECT_TRUE(Contains(Message(CheckCrowdBaseline(negative)), "slot 7")) << Message(CheckCrowdBaseline(negative));
  negative[7] = std::nan("");
  EXPECT_FALSE(CheckCrowdBaseline(negative).ok());
  CrowdCounter c;
  c.SetBaseline(std::vector<double>(kSlotsPerWeek, 50));
  c.SetBaseline(std::vector<double>(3, 50));
  EXPECT_FALSE(c.has_baseline());
  EXPECT_EQ(c.Baseline(At(0)), 0);
}

TEST(CrowdCounter, MemoryStaysBounded) {
  CrowdCounter c;
  // 100 new reporters a minute for 10 hours: only the last 30 minutes are remembered.
  for (int minute = 0; minute < 600; ++minute)
    for (int i = 0; i < 100; ++i) c.Accept(StrCat("m", minute, "-", i), At(minute * 60 + i * 0.1));
  EXPECT_LE(c.remembered(), 31u * 100u);
  EXPECT_GE(c.remembered(), 29u * 100u);
}

TEST(OutboxTracker, FailingNeedsEnoughSendsAndShare) {
  OutboxTracker o;
  o.Add(At(0), true);
  o.Add(At(1), true);
  o.Add(At(2), true);
  o.Add(At(3), true);
  EXPECT_FALSE(o.Failing(At(4))) << "4 sends are below the minimum of 5";
  o.Add(At(4), false);
  EXPECT_TRUE(o.Failing(At(5)));
  EXPECT_EQ(o.Sends(At(5)), 5);
  EXPECT_EQ(o.Faults(At(5)), 4);
  for (int i = 0; i < 4; ++i) o.Add(At(10 + i), false);
  EXPECT_FALSE(o.Failing(At(20))) << "4 of 9 is under half";
  o.Add(At(20), true);
  EXPECT_TRUE(o.Failing(At(21))) << "5 of 10 is half";
  EXPECT_FALSE(o.Failing(At(5 * 60 + 30))) << "the window slid past them";
}

TEST(OutboxTracker, OutOfOrderResultsStillSlideOut) {
  OutboxTracker o;
  o.Add(At(100), true);
  o.Add(At(50), true);  // a result reported late
  EXPECT_EQ(o.Sends(At(100)), 2);
  o.Forget(At(50 + 5 * 60));
  EXPECT_EQ(o.Sends(At(50 + 5 * 60)), 1);
}

}  // namespace
}  // namespace faro::watch
