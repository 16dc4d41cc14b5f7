// Outage chatter on synthetic streams: quiet days raise nothing; an outage's chatter surges
// within three minutes; the reaction is compared with the volume detector's on the same series.
#include "crisis/outage_chatter.hpp"

#include <gtest/gtest.h>

#include <iostream>

#include "core/strings.hpp"
#include "crisis/crisis_watch.hpp"
#include "crisis/test_stream.hpp"
#include "listen/query.hpp"
#include "spike/volume_detector.hpp"

namespace faro::crisis {
namespace {

using testing::Feed;
using testing::kDay0;
using testing::kMinute;
using testing::Post;
using testing::Random;

constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::shared_ptr<const RuleSet> Rules() {
  std::vector<RuleDef> defs(3);
  defs[0].id = "nutricion-ana";
  defs[0].keywords.push_back(*ParseKeyword("nutricion ana"));
  defs[1].kind = RuleDef::Kind::kTopic;
  defs[1].id = "whatsapp-caido";
  defs[1].platform = "whatsapp";
  defs[1].keywords.push_back(*ParseKeyword("whatsapp caido"));
  defs[2].kind = RuleDef::Kind::kTopic;
  defs[2].id = "whatsapp-down";
  defs[2].platform = "whatsapp";
  defs[2].keywords.push_back(*ParseKeyword("whatsapp down"));
  auto rules = RuleSet::Compile(defs);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

struct Scenario {
  std::vector<Post> posts;
  int64_t outage_start = 0;  // ms
};

// Days of brand mentions (about one a minute, which keeps minutes closing) and a little
// everyday chatter ("is whatsapp down?" about every 20 minutes, more by day); then, if asked,
// an outage whose chatter ramps up: 2, 5, 10, 20, 35, 50 a minute for an hour.
Scenario Build(uint64_t seed, int64_t days, bool outage) {
  Random rng(seed);
  Scenario s;
  const int64_t end = kDay0 + days * kDay;
  s.outage_start = outage ? end - 3 * kHour + 7 * kMinute : INT64_MAX;
  for (int64_t minute = kDay0; minute < end; minute += kMinute) {
    const int64_t hour = (minute % kDay) / kHour;
    const double chatter = (hour >= 8 && hour < 23) ? 0.08 : 0.02;
    const int brand = rng.Poisson(1.0), usual = rng.Poisson(chatter);
    int extra = 0;
    if (minute >= s.outage_start && minute < s.outage_start + kHour) {
      static const int kRamp[] = {2, 5, 10, 20, 35};
      const int64_t k = (minute - s.outage_start) / kMinute;
      extra = rng.Poisson(k < 5 ? kRamp[k] : 50);
    }
    for (int i = 0; i < brand; ++i) {
      Post p;
      p.ms = minute + rng.Below(60000);
      p.author = StrCat("fan", rng.Below(300));
      p.text = "Nutrición Ana";
      p.rules = {0};
      s.posts.push_back(std::move(p));
    }
    for (int i = 0; i < usual + extra; ++i) {
      Post p;
      p.ms = minute + rng.Below(60000);
      p.author = StrCat("user", rng.Below(100000));
      const bool english = rng.Below(3) == 0;
      p.text = english ? "whatsapp down?" : "¿whatsapp caído?";
      p.rules = {english ? 2 : 1};
      if (rng.Below(10) == 0) p.rules = {1, 2};  // both rules: still one mention
      p.polarity = Polarity::kNegative;
      s.posts.push_back(std::move(p));
    }
  }
  std::stable_sort(s.posts.begin(), s.posts.end(), [](const Post& a, const Post& b) { return a.ms < b.ms; });
  return s;
}

struct Played {
  std::vector<ChatterSignal> signals;
  std::vector<int64_t> emitted_ms;  // the time of the mention whose arrival closed the minute
};

Played Play(const Scenario& s) {
  auto rules = Rules();
  OutageChatter chatter(*rules);
  Played out;
  int64_t now = 0;
  chatter.OnSignal([&](const ChatterSignal& signal) {
    out.signals.push_back(signal);
    out.emitted_ms.push_back(now);
  });
  Feed feed(rules, nullptr, &chatter);
  for (const Post& p : s.posts) {
    now = p.ms;
    feed.Add(p);
  }
  feed.Finish();
  EXPECT_EQ(chatter.platforms(), std::vector<std::string>{"whatsapp"});
  return out;
}

TEST(OutageChatter, QuietDaysRaiseNoSurgeAndEveryMinuteHasASignal) {
  const Played played = Play(Build(11, 4, false));
  ASSERT_GT(played.signals.size(), 4u * 1440u - 10u);
  int surges = 0;
  for (std::size_t i = 0; i < played.signals.size(); ++i) {
    surges += played.signals[i].surge;
    EXPECT_EQ(played.signals[i].platform, "whatsapp");
    if (i > 0) {
      ASSERT_EQ(played.signals[i].at - played.signals[i - 1].at, std::chrono::minutes(1));
    }
  }
  EXPECT_EQ(surges, 0);
  EXPECT_LT(played.signals.back().usual, 0.2);
}

// Minutes from the outage's first minute to the first surge (signal minute), and to when the
// signal went out; then the same series through the volume detector.
TEST(OutageChatter, SurgeWithinThreeMinutesAndNoLaterThanTheVolumeDetector) {
  const Scenario s = Build(12, 2, true);
  const Played played = Play(s);
  int64_t surge_minute = -1, emitted_after_ms = -1;
  int64_t total = 0;
  for (std::size_t i = 0; i < played.signals.size(); ++i) {
    const ChatterSignal& signal = played.signals[i];
    if (signal.surge && surge_minute < 0) {
      surge_minute = (ToUnixMillis(signal.at) - s.outage_start) / kMinute;
      emitted_after_ms = played.emitted_ms[i] - s.outage_start;
      ASSERT_GE(surge_minute, 0) << "a surge before the outage";
    }
    total += signal.mentions;
  }
  ASSERT_GE(surge_minute, 0) << "no surge";
  EXPECT_LE(surge_minute, 2);  // within the outage's first three minutes
  EXPECT_LE(emitted_after_ms, 4 * kMinute);

  // The volume detector (crisis settings) on the same per-minute counts.
  spike::VolumeDetector volume(CrisisOptions().volume);
  int64_t volume_minute = -1;
  for (const ChatterSignal& signal : played.signals) {
    auto score = volume.Observe(signal.at, static_cast<double>(signal.mentions));
    ASSERT_TRUE(score.ok()) << score.status();
    if (volume_minute < 0 && *score > 0 && *score >= CrisisOptions().volume_open_score && ToUnixMillis(signal.at) >= s.outage_start)
      volume_minute = (ToUnixMillis(signal.at) - s.outage_start) / kMinute;
  }
  std::cout << "outage chatter: surge in outage minute " << surge_minute << ", signal out "
            << emitted_after_ms / 1000 << " s after the outage began; volume detector: minute " << volume_minute
            << "\n";
  EXPECT_TRUE(volume_minute < 0 || surge_minute <= volume_minute);
  EXPECT_GT(total, 0);

  // The surge ends once the chatter is gone.
  EXPECT_FALSE(played.signals.back().surge);
}

TEST(ChatterDetector, StartsFromNothingAndEndsAfterCalm) {
  ChatterOptions options;
  ChatterDetector detector(options);
  TimePoint t = FromUnixMillis(kDay0);
  // No history at all: ten mentions in a minute are already a surge.
  EXPECT_FALSE(detector.Observe(t, 0).surge);
  t += std::chrono::minutes(1);
  EXPECT_TRUE(detector.Observe(t, 10).surge);
  for (int i = 0; i < options.calm_for.count() - 1; ++i) {
    t += std::chrono::minutes(1);
    EXPECT_TRUE(detector.Observe(t, 0).surge) << i;
  }
  t += std::chrono::minutes(1);
  EXPECT_FALSE(detector.Observe(t, 0).surge);
  // Four mentions in two minutes are not enough (min_mentions is 5).
  t += std::chrono::minutes(1);
  EXPECT_FALSE(detector.Observe(t, 2).surge);
  t += std::chrono::minutes(1);
  EXPECT_FALSE(detector.Observe(t, 2).surge);
}

}  // namespace
}  // namespace faro::crisis
