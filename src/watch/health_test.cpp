#include "watch/health.hpp"

#include <gtest/gtest.h>

#include "watch/inputs.hpp"

namespace faro::watch {
namespace {

TEST(Health, NamesRoundTrip) {
  for (Health h : {Health::kUp, Health::kDegraded, Health::kPartial, Health::kDown, Health::kLocal, Health::kUnknown}) {
    auto back = HealthFromName(HealthName(h));
    ASSERT_TRUE(back.has_value()) << HealthName(h);
    EXPECT_EQ(*back, h);
  }
  EXPECT_EQ(HealthName(Health::kLocal), "local");
  EXPECT_FALSE(HealthFromName("Down").has_value());
  EXPECT_FALSE(HealthFromName("").has_value());
}

TEST(Health, WordsInBothLanguages) {
  EXPECT_EQ(HealthWords(Health::kDown, Scope::kGlobal, Lang::kEs), "caído para todos");
  EXPECT_EQ(HealthWords(Health::kDown, Scope::kGlobal, Lang::kEn), "down for everyone");
  EXPECT_EQ(HealthWords(Health::kDown, Scope::kRegional, Lang::kEs), "caído en tu región");
  EXPECT_EQ(HealthWords(Health::kDown, Scope::kUnconfirmed, Lang::kEn), "down (unconfirmed)");
  EXPECT_EQ(HealthWords(Health::kLocal, Scope::kNone, Lang::kEs), "es nuestra conexión");
  EXPECT_EQ(HealthWords(Health::kLocal, Scope::kNone, Lang::kEn), "our connection is down");
  EXPECT_EQ(HealthWords(Health::kUp, Scope::kNone, Lang::kEs), "funciona");
  EXPECT_EQ(HealthWords(Health::kPartial, Scope::kNone, Lang::kEn), "partly failing");
}

TEST(Health, LadderOrder) {
  EXPECT_LT(Severity(Health::kUp), Severity(Health::kDegraded));
  EXPECT_LT(Severity(Health::kDegraded), Severity(Health::kPartial));
  EXPECT_LT(Severity(Health::kPartial), Severity(Health::kDown));
  EXPECT_LT(Severity(Health::kLocal), 0);
  EXPECT_LT(Severity(Health::kUnknown), 0);
  for (int s = 0; s <= 3; ++s) EXPECT_EQ(Severity(HealthAtSeverity(s)), s);
}

TEST(FeedLevel, NamesRoundTrip) {
  for (FeedLevel l : {FeedLevel::kOk, FeedLevel::kMinor, FeedLevel::kMajor})
    EXPECT_EQ(FeedLevelFromName(FeedLevelName(l)), l);
  EXPECT_FALSE(FeedLevelFromName("critical").has_value());
}

}  // namespace
}  // namespace faro::watch
