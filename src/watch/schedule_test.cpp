#include "watch/schedule.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/strings.hpp"
#include "watch/watch_test_util.hpp"

namespace faro::watch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::At;

std::vector<std::string> Keys(int n, std::string_view prefix = "platform-") {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) keys.push_back(StrCat(prefix, i));
  return keys;
}

TEST(Schedule, TenThousandKeysAreSpreadOverTheInterval) {
  Schedule s(seconds(30));
  s.Set(Keys(10000), At(0));
  std::map<int64_t, int> per_second;
  std::map<std::string, int> per_key;
  for (int64_t ms = 0; ms < 300000; ms += 100) {
    for (const std::string& key : s.Due(At(ms / 1000.0))) {
      ++per_second[ms / 1000];
      ++per_key[key];
    }
  }
  const double mean = 10000.0 / 30;
  for (const auto& [second, count] : per_second) {
    EXPECT_LE(count, 2 * mean) << "second " << second;
    EXPECT_GE(count, mean / 2) << "second " << second;
  }
  EXPECT_EQ(per_second.size(), 300u) << "no empty second in ten intervals";
  ASSERT_EQ(per_key.size(), 10000u);
  for (const auto& [key, count] : per_key) {
    EXPECT_GE(count, 9) << key;
    EXPECT_LE(count, 11) << key;
  }
}

TEST(Schedule, JitterStaysWithinBounds) {
  const milliseconds interval = seconds(30);
  Schedule s(interval, 0.1, 7);
  const auto keys = Keys(200);
  s.Set(keys, At(0));
  std::map<std::string, std::vector<int64_t>> times;
  for (int64_t ms = 0; ms <= 10 * 30000; ms += 250)
    for (const std::string& key : s.Due(At(ms / 1000.0))) times[key].push_back(ms);
  bool some_jitter = false;
  for (const std::string& key : keys) {
    const auto& t = times[key];
    ASSERT_GE(t.size(), 9u) << key;
    const int64_t phase = s.Phase(key).count();
    for (int64_t when : t) {
      // Nearest phase-aligned time (from the epoch) to this due time.
      const int64_t abs_ms = testing::kStartMs + when;
      const int64_t offset = ((abs_ms - phase) % 30000 + 30000) % 30000;
      const int64_t jitter = offset > 15000 ? offset - 30000 : offset;
      EXPECT_LE(std::abs(jitter), 3000 + 250) << key << " at " << when;  // ±10 %, plus the polling step
      some_jitter |= std::abs(jitter) > 500;
    }
    for (size_t i = 1; i < t.size(); ++i) {
      EXPECT_GE(t[i] - t[i - 1], 30000 - 2 * 3000 - 250) << key;
      EXPECT_LE(t[i] - t[i - 1], 30000 + 2 * 3000 + 250) << key;
    }
  }
  EXPECT_TRUE(some_jitter) << "jitter is applied";
}

TEST(Schedule, DeterministicForASeedDifferentAcrossSeeds) {
  auto due_times = [](uint64_t seed) {
    Schedule s(seconds(30), 0.1, seed);
    s.Set(Keys(50), At(0));
    std::vector<int64_t> out;
    for (const std::string& k : Keys(50)) out.push_back(ToUnixMillis(s.NextDue(k)));
    return out;
  };
  EXPECT_EQ(due_times(1), due_times(1));
  EXPECT_NE(due_times(1), due_times(2));
  EXPECT_EQ(StableHash("whatsapp"), StableHash("whatsapp"));
  EXPECT_NE(StableHash("whatsapp"), StableHash("instagram"));
}

TEST(Schedule, SetKeepsPhasesOfKeptKeysAndDropsOthers) {
  Schedule s(seconds(30), 0);
  s.Set({"whatsapp", "instagram", "telegram"}, At(0));
  const TimePoint wa = s.NextDue("whatsapp");
  EXPECT_GE(wa, At(0));
  EXPECT_LT(wa, At(30));
  EXPECT_EQ((ToUnixMillis(wa) - testing::kStartMs) % 30000, s.Phase("whatsapp").count()) << "At(0) is a multiple of 30 s";
  s.Set({"whatsapp", "tiktok"}, At(10));
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.NextDue("whatsapp"), wa) << "kept";
  EXPECT_EQ(s.NextDue("instagram"), TimePoint::max()) << "dropped";
  EXPECT_GE(s.NextDue("tiktok"), At(10));
  EXPECT_LT(s.NextDue("tiktok"), At(40));
  // In steady state, each key once per interval.
  s.Due(At(40));
  std::map<std::string, int> seen;
  for (int t = 41; t <= 70; ++t)
    for (const std::string& k : s.Due(At(t))) ++seen[k];
  EXPECT_EQ(seen, (std::map<std::string, int>{{"tiktok", 1}, {"whatsapp", 1}}));
}

TEST(Schedule, IntervalPerKey) {
  Schedule s(seconds(30), 0);
  s.SetWithIntervals(std::vector<std::pair<std::string, milliseconds>>{{"whatsapp", seconds(10)}, {"telegram", seconds(60)}}, At(0));
  std::map<std::string, int> seen;
  for (int t = 0; t < 120; ++t)
    for (const std::string& k : s.Due(At(t))) ++seen[k];
  EXPECT_EQ(seen["whatsapp"], 12);
  EXPECT_EQ(seen["telegram"], 2);
  // Changing a key's interval places it anew.
  s.SetWithIntervals(std::vector<std::pair<std::string, milliseconds>>{{"whatsapp", seconds(60)}, {"telegram", seconds(60)}}, At(120));
  seen.clear();
  for (int t = 120; t < 240; ++t)
    for (const std::string& k : s.Due(At(t))) ++seen[k];
  EXPECT_EQ(seen["whatsapp"], 2);
}

TEST(Schedule, MissedRoundsAreSkippedNotReplayed) {
  Schedule s(seconds(30), 0.1);
  s.Set(Keys(100), At(0));
  const auto due = s.Due(At(3600));  // the caller was away for an hour
  EXPECT_EQ(due.size(), 100u) << "each key once";
  EXPECT_GT(s.NextDue(), At(3600));
  EXPECT_LE(s.NextDue(), At(3600 + 33));
  EXPECT_TRUE(s.Due(At(3600)).empty());
}

TEST(Schedule, EmptyAndOddArguments) {
  Schedule s(milliseconds(0), 5.0);  // brought into range: 1 ms, jitter ≤ 0.45
  EXPECT_EQ(s.NextDue(), TimePoint::max());
  EXPECT_TRUE(s.Due(At(0)).empty());
  s.Set({"a", "a", "b"}, At(0));
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.Due(At(1)).size(), 2u);
}

}  // namespace
}  // namespace faro::watch
