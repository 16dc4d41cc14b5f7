#include "core/event.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"

namespace faro {
namespace {

TEST(TimeText, WritesMillisecondsInUtcAndReadsOffsets) {
  EXPECT_EQ(Rfc3339(FromUnixMillis(1633362000250)), "2021-10-04T15:40:00.250Z");
  auto t = ParseRfc3339("2021-10-04T17:40:00.250+02:00");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(ToUnixMillis(*t), 1633362000250);
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
}

TEST(Event, RoundTripsThroughJson) {
  Event e;
  e.id = 7;
  e.at = FromUnixMillis(1633356000000);
  e.kind = "platform-down";
  e.subject = "whatsapp";
  e.state = "down";
  e.previous = "up";
  e.scope = "global";
  e.cause = "dns-servfail";
  e.covers_us = true;
  e.suppressed_by = "maintenance";
  e.evidence = {{"vantages", 2}};
  auto back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EventToJson(*back), EventToJson(e));
  EXPECT_TRUE(back->suppressed());
}

TEST(Event, BadJsonSaysWhichField) {
  auto missing = EventFromJson({{"at", "2021-10-04T15:40:00Z"}, {"subject", "x"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(Message(missing.status()).find("\"kind\""), std::string::npos);
  auto wrong = EventFromJson({{"at", "2021-10-04T15:40:00Z"}, {"kind", "k"}, {"subject", "x"}, {"covers_us", 1}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(Message(wrong.status()).find("covers_us"), std::string::npos);
}

}  // namespace
}  // namespace faro
