#include "spike/negative_share_detector.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace faro::spike {
namespace {

const TimePoint kStart = FromUnixMillis(1700000000000);
TimePoint Minute(int64_t i) { return kStart + std::chrono::minutes(i); }

// Deterministic "k negative out of n" draws from a fixed 64-bit LCG.
class Draws {
 public:
  explicit Draws(uint64_t seed) : state_(seed) {}
  int64_t Negative(int64_t total, double share) {
    int64_t k = 0;
    for (int64_t i = 0; i < total; ++i) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      k += static_cast<double>(state_ >> 11) / 9007199254740992.0 < share;
    }
    return k;
  }

 private:
  uint64_t state_;
};

std::vector<int64_t> Reports(NegativeShareDetector& d, int64_t from, int64_t to, int64_t total,
                             double share, Draws& draws, std::vector<double>* scores = nullptr) {
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) {
    auto s = d.Observe(Minute(i), total, draws.Negative(total, share));
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) break;
    EXPECT_GE(*s, 0.0);
    EXPECT_LE(*s, 1.0);
    if (scores) scores->push_back(*s);
    if (*s > 0) out.push_back(i);
  }
  return out;
}

TEST(NegativeShareDetector, SteadyShareIsNotReported) {
  NegativeShareDetector d;
  Draws draws(1);
  const std::vector<int64_t> reports = Reports(d, 0, 3 * 1440, 40, 0.12, draws);
  EXPECT_TRUE(reports.empty()) << reports.size() << " reports, first at minute " << reports.front();
  EXPECT_NEAR(d.usual_share(), 0.12, 0.02);
}

TEST(NegativeShareDetector, RisingShareIsReportedWithinMinutesOnce) {
  NegativeShareDetector d;
  Draws draws(2);
  Reports(d, 0, 2 * 1440, 40, 0.12, draws);
  const std::vector<int64_t> crisis = Reports(d, 2 * 1440, 2 * 1440 + 30, 40, 0.45, draws);
  ASSERT_FALSE(crisis.empty());
  EXPECT_LE(crisis.front() - 2 * 1440, 3);
  EXPECT_EQ(crisis.size(), 1u) << "debounced: one report for one rise";
  // The usual share did not learn from the crisis.
  EXPECT_LT(d.usual_share(), 0.16);
}

TEST(NegativeShareDetector, FewMentionsAreNotEnough) {
  NegativeShareDetector d;
  Draws draws(3);
  Reports(d, 0, 1440, 20, 0.1, draws);
  // A minute of two mentions, both negative: a 100% share, but two complaints are not a wave.
  auto s = d.Observe(Minute(1440), 2, 2);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 0.0);
  // Six complaints out of six in one minute are.
  s = d.Observe(Minute(1441), 6, 6);
  ASSERT_TRUE(s.ok());
  EXPECT_GT(*s, 0.0);
}

TEST(NegativeShareDetector, VolumeAloneIsNotNegativity) {
  NegativeShareDetector d;
  Draws draws(4);
  Reports(d, 0, 1440, 20, 0.1, draws);
  // Ten times the mentions at the usual share: a volume spike, not a sentiment one.
  EXPECT_TRUE(Reports(d, 1440, 1500, 200, 0.1, draws).empty());
}

TEST(NegativeShareDetector, SameInputSameScores) {
  auto once = [] {
    NegativeShareDetector d;
    Draws draws(5);
    std::vector<double> scores;
    Reports(d, 0, 1440, 30, 0.1, draws, &scores);
    Reports(d, 1440, 1500, 30, 0.5, draws, &scores);
    return scores;
  };
  EXPECT_EQ(once(), once());
}

TEST(NegativeShareDetector, BadInputIsRefusedWithTheReason) {
  NegativeShareDetector d;
  auto s = d.Observe(Minute(0), 3, 5);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("5 negative of 3"), std::string::npos);
  ASSERT_TRUE(d.Observe(Minute(1), 3, 1).ok());
  EXPECT_FALSE(d.Observe(Minute(1), 3, 1).ok());
  NegativeShareParams bad;
  bad.min_share = 0.7;
  EXPECT_FALSE(NegativeShareDetector(bad).Observe(Minute(0), 1, 0).ok());
}

}  // namespace
}  // namespace faro::spike
