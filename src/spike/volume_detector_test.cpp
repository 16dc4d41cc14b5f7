#include "spike/volume_detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <vector>

namespace faro::spike {
namespace {

constexpr int kPerDay = 24 * 60;  // one-minute buckets, as listening uses
const TimePoint kStart = FromUnixMillis(1700000000000);  // a Tuesday, 22:13 UTC

TimePoint Minute(int64_t i) { return kStart + std::chrono::minutes(i); }

// Deterministic Poisson counts (Knuth's method on a fixed 64-bit LCG), the same on every
// standard library.
class Mentions {
 public:
  explicit Mentions(uint64_t seed) : state_(seed) {}
  double Uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / 9007199254740992.0;
  }
  double Poisson(double mean) {
    if (mean > 60) return std::round(mean + std::sqrt(mean) * Normal());
    const double limit = std::exp(-mean);
    double p = 1;
    int k = -1;
    do {
      ++k;
      p *= Uniform();
    } while (p > limit);
    return k;
  }

 private:
  double Normal() {
    const double u = std::max(Uniform(), 1e-12), v = Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * v);
  }
  uint64_t state_;
};

// A brand's usual mentions per minute: quiet nights, busy afternoons.
double Daily(int64_t minute, double low, double high) {
  const double phase = 2 * std::numbers::pi * static_cast<double>(minute % kPerDay) / kPerDay;
  return low + (high - low) * 0.5 * (1 - std::cos(phase));
}

struct Fed {
  std::vector<double> scores;
  std::vector<int64_t> reports;  // minutes with a score > 0
};

Fed Feed(VolumeDetector& detector, int64_t from, int64_t to, const std::function<double(int64_t)>& count) {
  Fed run;
  for (int64_t i = from; i < to; ++i) {
    auto s = detector.Observe(Minute(i), count(i));
    EXPECT_TRUE(s.ok()) << s.status().message();
    const double score = s.ok() ? *s : -1;
    run.scores.push_back(score);
    if (score > 0) run.reports.push_back(i);
  }
  return run;
}

VolumeParams Params() {
  VolumeParams p;
  p.bucket_width = std::chrono::seconds(60);
  return p;
}

TEST(VolumeDetector, DailyPatternAloneDoesNotAlarmAfterWarmUp) {
  VolumeDetector detector(Params());
  Mentions m(1);
  // The one-day warm-up, then six more days of the same pattern.
  Feed(detector, 0, kPerDay, [&](int64_t i) { return m.Poisson(Daily(i, 2, 40)); });
  const Fed run = Feed(detector, kPerDay, 7 * kPerDay, [&](int64_t i) { return m.Poisson(Daily(i, 2, 40)); });
  EXPECT_TRUE(run.reports.empty()) << run.reports.size() << " reports, first at minute "
                                   << run.reports.front();
}

TEST(VolumeDetector, QuietWeekendsAreLearnedAsUsual) {
  VolumeDetector detector(Params());
  Mentions m(10);
  // Weekdays 30 mentions a minute, weekends (UTC) 8.
  auto count = [&](int64_t i) {
    const int64_t day = (ToUnixMillis(Minute(i)) / 1000) / 86400;
    const int64_t weekday = (day + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
    return m.Poisson(weekday >= 5 ? 8 : 30);
  };
  Feed(detector, 0, 14 * kPerDay, count);
  const Fed third_week = Feed(detector, 14 * kPerDay, 21 * kPerDay, count);
  EXPECT_TRUE(third_week.reports.empty()) << third_week.reports.size() << " reports, first at minute "
                                          << third_week.reports.front();
}

TEST(VolumeDetector, SpikeIsReportedWithinMinutes) {
  VolumeDetector detector(Params());
  Mentions m(2);
  const int64_t spike = 4 * kPerDay + 600;
  auto count = [&](int64_t i) {
    const double usual = Daily(i, 2, 40);
    return m.Poisson(i >= spike && i < spike + 30 ? 4 * usual : usual);
  };
  const Fed before = Feed(detector, 0, spike, count);
  const Fed during = Feed(detector, spike, spike + 30, count);
  ASSERT_FALSE(during.reports.empty());
  EXPECT_LE(during.reports.front() - spike, 3);
  EXPECT_GT(during.scores[static_cast<size_t>(during.reports.front() - spike)], 0.3);
  // One episode is one alert, plus at most one escalation when it grows far worse.
  ASSERT_LE(during.reports.size(), 2u);
  if (during.reports.size() == 2) {
    EXPECT_GT(during.scores[static_cast<size_t>(during.reports[1] - spike)],
              during.scores[static_cast<size_t>(during.reports[0] - spike)]);
  }
  for (int64_t r : before.reports) EXPECT_LT(r, 2 * kPerDay) << "report before the spike";
}

TEST(VolumeDetector, QuietBrandBurstIsReportedAndItsNoiseIsNot) {
  VolumeDetector detector(Params());
  Mentions m(3);
  const int64_t burst = 5 * kPerDay + 200;
  // Mostly zeros (0.3 mentions a minute), then 8 a minute for 10 minutes.
  const Fed quiet = Feed(detector, 0, burst, [&](int64_t) { return m.Poisson(0.3); });
  int64_t after_warm_up = 0;
  for (int64_t r : quiet.reports) after_warm_up += r >= 2 * kPerDay;
  EXPECT_LE(after_warm_up, 1) << "noise of a quiet brand reported as spikes";
  const Fed during = Feed(detector, burst, burst + 10, [&](int64_t) { return m.Poisson(8); });
  ASSERT_FALSE(during.reports.empty());
  EXPECT_LE(during.reports.front() - burst, 2);
}

TEST(VolumeDetector, LevelShiftIsReportedOnceThenBecomesNormal) {
  VolumeDetector detector(Params());
  Mentions m(4);
  const int64_t shift = 3 * kPerDay;
  Feed(detector, 0, shift, [&](int64_t) { return m.Poisson(10); });
  const Fed first_day = Feed(detector, shift, shift + kPerDay, [&](int64_t) { return m.Poisson(40); });
  ASSERT_FALSE(first_day.reports.empty());
  EXPECT_LE(first_day.reports.front() - shift, 5);
  // A day later the expectation has moved most of the way from 10 to 40 mentions a minute.
  EXPECT_GT(std::expm1(detector.expected_log()), 30.0);
  EXPECT_LT(std::expm1(detector.expected_log()), 50.0);
  const Fed later = Feed(detector, shift + kPerDay, shift + 4 * kPerDay, [&](int64_t) { return m.Poisson(40); });
  EXPECT_TRUE(later.reports.empty()) << later.reports.size() << " reports at the new level";
}

TEST(VolumeDetector, FallsAreReportedOnlyWhenWatched) {
  for (bool watch : {true, false}) {
    VolumeParams p = Params();
    p.watch_drops = watch;
    VolumeDetector detector(p);
    Mentions m(5);
    const int64_t outage = 3 * kPerDay + 100;
    Feed(detector, 0, outage, [&](int64_t) { return m.Poisson(30); });
    const Fed down = Feed(detector, outage, outage + 60, [&](int64_t) { return m.Poisson(1); });
    EXPECT_EQ(!down.reports.empty(), watch) << "watch_drops=" << watch;
  }
}

TEST(VolumeDetector, HoldOffKeepsQuietUnlessTheEvidenceEscalates) {
  VolumeDetector detector(Params());
  Mentions m(6);
  const int64_t first = 3 * kPerDay;
  Feed(detector, 0, first, [&](int64_t) { return m.Poisson(20); });
  // A small stir: three times the usual for five minutes.
  const Fed stir = Feed(detector, first, first + 5, [&](int64_t) { return m.Poisson(60); });
  ASSERT_EQ(stir.reports.size(), 1u);
  Feed(detector, first + 5, first + 120, [&](int64_t) { return m.Poisson(20); });
  // A similar stir two hours later is the same story: no second alert.
  const Fed again = Feed(detector, first + 120, first + 125, [&](int64_t) { return m.Poisson(60); });
  EXPECT_TRUE(again.reports.empty());
  Feed(detector, first + 125, first + 240, [&](int64_t) { return m.Poisson(20); });
  // A storm is news within minutes, hold-off or not.
  const Fed storm = Feed(detector, first + 240, first + 300, [&](int64_t) { return m.Poisson(400); });
  ASSERT_EQ(storm.reports.size(), 1u);
  EXPECT_LE(storm.reports.front() - (first + 240), 10);
  EXPECT_GT(storm.scores[static_cast<size_t>(storm.reports.front() - (first + 240))],
            stir.scores[static_cast<size_t>(stir.reports.front() - first)]);
}

TEST(VolumeDetector, AToldStormIsNotToldAgainWithinTheHoldOff) {
  VolumeDetector detector(Params());
  Mentions m(16);
  const int64_t first = 3 * kPerDay;
  Feed(detector, 0, first, [&](int64_t) { return m.Poisson(20); });
  // A storm straight away: told once, however long it lasts within the hold-off.
  const Fed storm = Feed(detector, first, first + 60, [&](int64_t) { return m.Poisson(400); });
  EXPECT_EQ(storm.reports.size(), 1u);
  Feed(detector, first + 60, first + 180, [&](int64_t) { return m.Poisson(20); });
  // The same storm two hours later is the same story: it is not four times the one told.
  const Fed again = Feed(detector, first + 180, first + 240, [&](int64_t) { return m.Poisson(400); });
  EXPECT_TRUE(again.reports.empty()) << again.reports.size() << " reports";
}

// A record: one minute busier than any of the last weeks is told even when its evidence alone
// is too little (one minute at six times the usual, after a long stir the detector got used
// to); another minute that only matches it is not.
TEST(VolumeDetector, ARecordMinuteIsToldOnceAndItsEqualIsNot) {
  const auto run = [](bool records) {
    VolumeParams p = Params();
    if (!records) p.record_memory = std::chrono::seconds(0);
    VolumeDetector detector(p);
    Mentions m(21);
    std::vector<Fed> parts;
    const int64_t stir = 3 * kPerDay + 600, record = 4 * kPerDay + 900, equal = 6 * kPerDay + 900;
    const auto usual = [&](int64_t) { return m.Poisson(10); };
    Feed(detector, 0, stir, usual);
    parts.push_back(Feed(detector, stir, stir + 120, [](int64_t) { return 30.0; }));  // two hours at 3x
    Feed(detector, stir + 120, record, usual);
    // One minute at 60 (six times the usual), in an hour of the usual.
    const auto spike_at = [&](int64_t at) {
      return [&m, at](int64_t i) { return i == at ? 60.0 : m.Poisson(10); };
    };
    parts.push_back(Feed(detector, record, record + 60, spike_at(record)));
    Feed(detector, record + 60, equal, usual);
    parts.push_back(Feed(detector, equal, equal + 60, spike_at(equal)));
    return parts;
  };
  const std::vector<Fed> with = run(true), without = run(false);
  ASSERT_FALSE(with[0].reports.empty());
  ASSERT_FALSE(without[0].reports.empty()) << "the stir is told by its evidence";
  // Its first minute is itself a record (30 against the usual 10's noise): told at once.
  EXPECT_EQ(with[0].reports.front(), 3 * kPerDay + 600);
  EXPECT_GT(without[0].reports.front(), with[0].reports.front());
  ASSERT_EQ(with[1].reports.size(), 1u);
  EXPECT_EQ(with[1].reports.front() % kPerDay, 900) << "told on the record minute";
  EXPECT_GE(with[1].scores[0], VolumeParams{}.record_score);
  EXPECT_TRUE(without[1].reports.empty()) << "without records the minute is too little evidence";
  EXPECT_TRUE(with[2].reports.empty()) << "as busy as the record is no record";
}

// Records share the hold-off: a new record an hour after one told is the same story.
TEST(VolumeDetector, ARecordWithinTheHoldOffIsNotToldAgain) {
  VolumeDetector detector(Params());
  Mentions m(22);
  const int64_t first = 3 * kPerDay;
  Feed(detector, 0, first, [&](int64_t) { return m.Poisson(10); });
  const auto spike = [&](int64_t at, double count) {
    return [&m, at, count](int64_t i) { return i == at ? count : m.Poisson(10); };
  };
  const Fed one = Feed(detector, first, first + 60, spike(first, 60));
  ASSERT_EQ(one.reports.size(), 1u);
  const Fed two = Feed(detector, first + 60, first + 120, spike(first + 60, 70));
  EXPECT_TRUE(two.reports.empty());
  // Past the hold-off a higher minute is news again.
  Feed(detector, first + 120, first + kPerDay + 60, [&](int64_t) { return m.Poisson(10); });
  const Fed three = Feed(detector, first + kPerDay + 60, first + kPerDay + 61, [](int64_t) { return 80.0; });
  EXPECT_EQ(three.reports.size(), 1u);
}

TEST(VolumeDetector, ScoresStayInUnitIntervalOnWildInput) {
  VolumeDetector detector(Params());
  Mentions m(7);
  const Fed run = Feed(detector, 0, 6 * kPerDay, [&](int64_t i) {
    const double u = m.Uniform();
    if (u < 0.002) return 1e7 * m.Uniform();  // absurd bursts
    if (i % 997 < 30) return 0.0;             // dead periods
    return m.Poisson(Daily(i, 0.1, 300));
  });
  for (double s : run.scores) {
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
  EXPECT_FALSE(run.reports.empty());
}

TEST(VolumeDetector, SameInputSameScores) {
  auto once = [] {
    VolumeDetector detector(Params());
    Mentions m(8);
    return Feed(detector, 0, 4 * kPerDay, [&](int64_t i) {
      return m.Poisson(i % 2000 < 20 ? 50 : Daily(i, 1, 20));
    }).scores;
  };
  const std::vector<double> a = once(), b = once();
  EXPECT_EQ(a, b);
  int64_t reports = 0;
  for (double s : a) reports += s > 0;
  EXPECT_GT(reports, 0);
}

TEST(VolumeDetector, GapsAreAcceptedAndForgetOldEvidence) {
  VolumeDetector detector(Params());
  Mentions m(9);
  Feed(detector, 0, 2 * kPerDay, [&](int64_t) { return m.Poisson(10); });
  // Evidence builds up, then the source goes silent for 10 hours (no buckets at all).
  Feed(detector, 2 * kPerDay, 2 * kPerDay + 3, [&](int64_t) { return m.Poisson(25); });
  EXPECT_GT(detector.evidence(), 0);
  const int64_t back = 2 * kPerDay + 3 + 600;
  auto s = detector.Observe(Minute(back), 10);
  ASSERT_TRUE(s.ok());
  EXPECT_LT(detector.evidence(), 1.0);
}

TEST(VolumeDetector, BadInputIsRefusedWithTheReason) {
  VolumeDetector detector(Params());
  ASSERT_TRUE(detector.Observe(Minute(10), 3).ok());
  auto same = detector.Observe(Minute(10), 3);
  ASSERT_FALSE(same.ok());
  EXPECT_NE(std::string(same.status().message()).find("not after"), std::string::npos);
  auto nan = detector.Observe(Minute(11), std::nan(""));
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(std::string(nan.status().message()).find("finite"), std::string::npos);
  EXPECT_TRUE(detector.Observe(Minute(11), 3).ok());

  VolumeParams bad = Params();
  bad.slot_width = std::chrono::seconds(7 * 60);  // does not divide a day
  VolumeDetector broken(bad);
  auto s = broken.Observe(Minute(0), 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("slot_width"), std::string::npos);
  bad = Params();
  bad.habituation = 1.5;
  EXPECT_FALSE(ValidateVolumeParams(bad).ok());
  bad = Params();
  bad.record_memory = std::chrono::seconds(-1);
  const absl::Status negative = ValidateVolumeParams(bad);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(std::string(negative.message()).find("record_memory"), std::string::npos);
  bad = Params();
  bad.record_score = 0;
  EXPECT_FALSE(ValidateVolumeParams(bad).ok());
  bad = Params();
  bad.record_min_z = std::nan("");
  EXPECT_FALSE(ValidateVolumeParams(bad).ok());
  // A storm line above the saturation of the evidence could never be reached.
  bad = Params();
  bad.max_evidence = 30;
  bad.escalate_at = 40;
  const absl::Status unreachable = ValidateVolumeParams(bad);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_NE(std::string(unreachable.message()).find("escalate_at"), std::string::npos);
}

}  // namespace
}  // namespace faro::spike
