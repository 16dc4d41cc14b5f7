#include "outbox/token_bucket.hpp"

#include <gtest/gtest.h>

namespace faro::outbox {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucket, SpacesSendsAtTheRate) {
  FakeClock clock;
  TokenBucket bucket(Rate{30, milliseconds(1000)}, 1);
  EXPECT_EQ(bucket.Take(clock.Now()).count(), 0);
  const auto wait = bucket.Take(clock.Now());
  EXPECT_GE(wait.count(), 33);
  EXPECT_LE(wait.count(), 34);
  clock.Advance(wait);
  EXPECT_EQ(bucket.Take(clock.Now()).count(), 0);
}

TEST(TokenBucket, BurstThenRate) {
  FakeClock clock;
  TokenBucket bucket(Rate{10, milliseconds(1000)}, 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(bucket.Take(clock.Now()).count(), 0) << i;
  EXPECT_EQ(bucket.Take(clock.Now()).count(), 100);
  // Over one simulated minute at most 10/s (+ the burst) go out.
  int sent = 5;
  for (int ms = 0; ms < 60000; ms += 5) {
    clock.Advance(milliseconds(5));
    if (bucket.Take(clock.Now()).count() == 0) ++sent;
  }
  EXPECT_GE(sent, 600);
  EXPECT_LE(sent, 606);
}

TEST(TokenBucket, ProviderPauseWins) {
  FakeClock clock;
  TokenBucket bucket(Rate{30, milliseconds(1000)}, 30);
  bucket.PauseUntil(clock.Now() + milliseconds(23000));
  EXPECT_EQ(bucket.WaitFor(clock.Now()).count(), 23000);
  clock.Advance(milliseconds(23000));
  EXPECT_EQ(bucket.Take(clock.Now()).count(), 0);
  EXPECT_GT(bucket.Take(clock.Now()).count(), 0) << "no burst right after a pause";
}

TEST(KeyedBuckets, PerRecipientAndForgetsIdleOnes) {
  FakeClock clock;
  KeyedBuckets buckets(Rate{1, milliseconds(6000)}, 1);
  EXPECT_EQ(buckets.Take("+15550001", clock.Now()).count(), 0);
  EXPECT_EQ(buckets.Take("+15550002", clock.Now()).count(), 0);
  EXPECT_EQ(buckets.Take("+15550001", clock.Now()).count(), 6000);
  EXPECT_EQ(buckets.size(), 2u);
  clock.Advance(milliseconds(60000));
  EXPECT_EQ(buckets.Take("+15550003", clock.Now()).count(), 0);
  EXPECT_EQ(buckets.size(), 1u);
}

}  // namespace
}  // namespace faro::outbox
