#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace faro {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(Decimal, ParsesExactly) {
  EXPECT_EQ(*ParseDecimalMicros("412.50", "spend"), 412'500'000);
  EXPECT_EQ(*ParseDecimalMicros("-3", "spend"), -3'000'000);
  EXPECT_EQ(*ParseDecimalMicros("0.000001", "spend"), 1);
  EXPECT_EQ(*ParseDecimalMicros("9223372036854.775807", "spend"), kMax);
  EXPECT_EQ(*ParseDecimalMicros("2.531645569620253", "ctr"), 2'531'646);  // rounded at the 7th place
  for (const char* bad : {"", ".", "-", "+7", "7.", ".5", "1,5", "1e3", "12a", " 1", "9223372036854.775808"})
    EXPECT_FALSE(ParseDecimalMicros(bad, "spend").ok()) << bad;
}

TEST(Decimal, ErrorsNameTheFieldWhenThereIsOne) {
  EXPECT_EQ(Message(ParseDecimalMicros("1,5", "spend").status()), "spend: \"1,5\" is not a decimal");
  EXPECT_EQ(Message(ParseDecimalMicros("1,5", "").status()), "\"1,5\" is not a decimal");
  EXPECT_EQ(Message(ParseDecimalMicros("99999999999999", "cap").status()), "cap: \"99999999999999\" is too large");
  EXPECT_EQ(QuotedValue("a\nb"), "\"a?b\"");
}

TEST(Decimal, FormatsTheShortestTextWithAtLeastSomePlaces) {
  EXPECT_EQ(FormatDecimal(412'500'000, 2), "412.50");
  EXPECT_EQ(FormatDecimal(1, 2), "0.000001");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(-1'500'000, 2), "-1.50");
  EXPECT_EQ(FormatDecimal(7'000'000), "7");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::min()), "-9223372036854.775808");
}

TEST(Decimal, FormatsFixedPlacesRoundingHalfAwayFromZero) {
  EXPECT_EQ(FormatFixed(412'500'000, 2), "412.50");
  EXPECT_EQ(FormatFixed(1'005'000, 2), "1.01");
  EXPECT_EQ(FormatFixed(-1'005'000, 2), "-1.01");
  EXPECT_EQ(FormatFixed(1'004'999, 2), "1.00");
  EXPECT_EQ(FormatFixed(2'500'000, 0), "3");
  EXPECT_EQ(FormatFixed(7, 6), "0.000007");
}

TEST(Decimal, DividesRoundingHalfAwayFromZero) {
  EXPECT_EQ(DivRound(5, 2), 3);
  EXPECT_EQ(DivRound(-5, 2), -3);
  EXPECT_EQ(DivRound(5, -2), -3);
  EXPECT_EQ(DivRound(4, 3), 1);
  EXPECT_EQ(MulDivRound(-3, 1, 2), -2);
  EXPECT_EQ(MulDivRound(5, 7, 0), 0);
  EXPECT_EQ(MulDivRound(kMax / 2, 1000, 1000), kMax / 2);  // no overflow in the product
  EXPECT_EQ(MulDivRound(kMax, 10, 1), kMax);               // saturates
}

}  // namespace
}  // namespace faro
