#include "outbox/retry_policy.hpp"

#include <gtest/gtest.h>

namespace faro::outbox {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, GrowsWithJitterUpToTheCap) {
  BackoffPolicy policy;
  policy.base = milliseconds(1000);
  policy.cap = milliseconds(60000);
  std::mt19937_64 random(7);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const int64_t ceiling = std::min<int64_t>(60000, 1000LL << (attempt - 1));
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < 200; ++i) {
      const int64_t w = Backoff(policy, attempt, random).count();
      EXPECT_GE(w, 500);
      EXPECT_LE(w, ceiling);
      lo = std::min(lo, w);
      hi = std::max(hi, w);
    }
    if (attempt >= 3) {
      EXPECT_GT(hi - lo, ceiling / 4) << "jitter spreads retries, attempt " << attempt;
    }
  }
}

TEST(CircuitBreaker, OpensAfterConsecutiveFaultsAndProbesOnce) {
  FakeClock clock;
  CircuitBreaker breaker({3, milliseconds(30000), milliseconds(120000)});
  EXPECT_FALSE(breaker.OnFailure(clock.Now()));
  EXPECT_FALSE(breaker.OnFailure(clock.Now()));
  EXPECT_TRUE(breaker.OnFailure(clock.Now()));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_FALSE(breaker.Allow(clock.Now()));
  clock.Advance(milliseconds(30000));
  EXPECT_TRUE(breaker.Allow(clock.Now()));   // the trial
  EXPECT_FALSE(breaker.Allow(clock.Now()));  // only one at a time
  EXPECT_TRUE(breaker.OnFailure(clock.Now()));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(breaker.reopen_at() - clock.Now(), milliseconds(60000)) << "cool-down doubles";
  clock.Advance(milliseconds(60000));
  EXPECT_TRUE(breaker.Allow(clock.Now()));
  EXPECT_TRUE(breaker.OnSuccess(clock.Now()));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.Allow(clock.Now()));
  EXPECT_TRUE(breaker.Allow(clock.Now()));
}

TEST(CircuitBreaker, SuccessResetsTheCount) {
  FakeClock clock;
  CircuitBreaker breaker({3, milliseconds(1000), milliseconds(1000)});
  breaker.OnFailure(clock.Now());
  breaker.OnFailure(clock.Now());
  breaker.OnSuccess(clock.Now());
  breaker.OnFailure(clock.Now());
  breaker.OnFailure(clock.Now());
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
}

}  // namespace
}  // namespace faro::outbox
