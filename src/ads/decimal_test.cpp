#include "ads/decimal.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace faro::ads {
namespace {

int64_t Micros(std::string_view text) {
  absl::StatusOr<Decimal> d = ParseDecimal(text, "value");
  EXPECT_TRUE(d.ok()) << text << ": " << d.status();
  return d.ok() ? d->micros : -999;
}

std::string Error(std::string_view text, std::string_view field = "spend") {
  absl::StatusOr<Decimal> d = ParseDecimal(text, field);
  EXPECT_FALSE(d.ok()) << text << " was accepted as " << (d.ok() ? d->micros : 0);
  return d.ok() ? "" : std::string(d.status().message());
}

TEST(DecimalTest, ParsesMetaStringsExactly) {
  EXPECT_EQ(Micros("123.45"), 123'450'000);
  EXPECT_EQ(Micros("12.345"), 12'345'000);
  EXPECT_EQ(Micros("0"), 0);
  EXPECT_EQ(Micros("10000"), 10'000'000'000);
  EXPECT_EQ(Micros("0.000001"), 1);
  EXPECT_EQ(Micros("-0.5"), -500'000);
  EXPECT_EQ(Micros("007.10"), 7'100'000);
  // 0.1 + 0.2 is exactly 0.3 here, unlike in binary floating point.
  EXPECT_EQ(Micros("0.1") + Micros("0.2"), Micros("0.3"));
}

TEST(DecimalTest, RoundsBeyondSixPlacesHalfAwayFromZero) {
  EXPECT_EQ(Micros("2.531645569620253"), 2'531'646);  // Meta's long CTRs
  EXPECT_EQ(Micros("1.0000004"), 1'000'000);
  EXPECT_EQ(Micros("1.0000005"), 1'000'001);
  EXPECT_EQ(Micros("1.00000049999"), 1'000'000);
  EXPECT_EQ(Micros("-1.0000005"), -1'000'001);
  EXPECT_EQ(Micros("0.9999995"), 1'000'000);
}

TEST(DecimalTest, RefusesWhatIsNotADecimalNamingTheField) {
  EXPECT_EQ(Error("12,5"), "spend: \"12,5\" is not a decimal");
  EXPECT_EQ(Error("", "cpm"), "cpm: \"\" is not a decimal");
  for (const char* bad : {"1e4", "+1", " 1", "1 ", "1.", ".5", "-", "NaN", "inf", "1,000.00", "0x10", "1.2.3", "١٢"})
    EXPECT_NE(Error(bad), "") << bad;
}

TEST(DecimalTest, RefusesValuesBeyondInt64Micros) {
  EXPECT_EQ(Micros("9223372036854.775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Error("9223372036854.775808"), "spend: \"9223372036854.775808\" is too large");
  EXPECT_NE(Error("99999999999999999999"), "");
}

TEST(DecimalTest, ClipsLongValuesInErrors) {
  const std::string message = Error(std::string(200, 'x'));
  EXPECT_LT(message.size(), 100u);  // 48 bytes of the value at most
  EXPECT_NE(message.find("…"), std::string::npos);
}

TEST(DecimalTest, ParsesCounts) {
  EXPECT_EQ(*ParseCount("10000", "impressions"), 10000);
  EXPECT_EQ(*ParseCount("0", "clicks"), 0);
  EXPECT_EQ(Message(ParseCount("1e4", "impressions").status()), "impressions: \"1e4\" is not a whole number");
  EXPECT_FALSE(ParseCount("-1", "clicks").ok());
  EXPECT_FALSE(ParseCount("2.0", "clicks").ok());
  EXPECT_FALSE(ParseCount("", "clicks").ok());
  EXPECT_EQ(Message(ParseCount("99999999999999999999", "clicks").status()),
            "clicks: \"99999999999999999999\" is too large");
}

TEST(DecimalTest, ParsesMoneyWithCurrency) {
  const absl::StatusOr<Money> cap = ParseMoney("150.00 USD", "budget_cap");
  ASSERT_TRUE(cap.ok()) << cap.status();
  EXPECT_EQ(cap->micros, 150'000'000);
  EXPECT_EQ(cap->currency, "USD");
  EXPECT_FALSE(ParseMoney("150.00", "budget_cap").ok());
  EXPECT_FALSE(ParseMoney("150.00 usd", "budget_cap").ok());
  EXPECT_FALSE(ParseMoney("150,00 EUR", "budget_cap").ok());
  EXPECT_FALSE(ParseMoney("150.00  USD", "budget_cap").ok());
  EXPECT_EQ(Message(ParseMoney("0 USD", "budget_cap").status()), "budget_cap: \"0 USD\" must be more than zero");
}

TEST(DecimalTest, FormatsBackToText) {
  EXPECT_EQ(FormatDecimal(Decimal{12'345'000}), "12.345");
  EXPECT_EQ(FormatDecimal(Decimal{7'000'000}), "7");
  EXPECT_EQ(FormatDecimal(Decimal{7'000'000}, 2), "7.00");
  EXPECT_EQ(FormatDecimal(Decimal{-500'000}), "-0.5");
  EXPECT_EQ(FormatDecimal(Decimal{1}), "0.000001");
  EXPECT_EQ(FormatDecimal(Decimal{std::numeric_limits<int64_t>::min()}), "-9223372036854.775808");
  EXPECT_EQ(FormatMoney(Money{412'500'000, "USD"}), "412.50 USD");
  for (const char* text : {"0.1", "123.45", "9223372036854.775807", "-3.000001"})
    EXPECT_EQ(FormatDecimal(*ParseDecimal(text, "x")), text);
}

TEST(DecimalTest, ComputesCtrAndCpmExactly) {
  EXPECT_EQ(CtrPercent(250, 10000).micros, 2'500'000);  // 2.5 %
  EXPECT_EQ(CtrPercent(1, 3).micros, 33'333'333);       // 33.333333 %
  EXPECT_EQ(CtrPercent(2, 3).micros, 66'666'667);       // rounded half up
  EXPECT_EQ(CtrPercent(5, 0).micros, 0);
  const Money spend{123'450'000, "USD"};
  EXPECT_EQ(CostPerMille(spend, 10000), (Money{12'345'000, "USD"}));
  EXPECT_EQ(CostPerMille(spend, 0).micros, 0);
  // Large spends do not overflow the intermediate product.
  EXPECT_EQ(MulDivMicros(std::numeric_limits<int64_t>::max() / 2, 1000, 1000), std::numeric_limits<int64_t>::max() / 2);
  EXPECT_EQ(MulDivMicros(-3, 1, 2), -2);  // -1.5 rounds away from zero
}

TEST(DecimalTest, KnowsCurrenciesWithoutCents) {
  EXPECT_EQ(MicrosPerMinorUnit("USD"), 10'000);
  EXPECT_EQ(MicrosPerMinorUnit("ARS"), 10'000);
  EXPECT_EQ(MicrosPerMinorUnit("JPY"), 1'000'000);
  EXPECT_EQ(MicrosPerMinorUnit("CLP"), 1'000'000);
}

}  // namespace
}  // namespace faro::ads
