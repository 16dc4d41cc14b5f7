#include "drill/scenario.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/time_text.hpp"

namespace faro::drill {
namespace {

TEST(Scenario, Fb2021IsTheFourthOfOctoberOutage) {
  auto s = BuiltinScenario("fb-2021");
  ASSERT_TRUE(s.ok()) << s.status();
  // Three platforms go down for everyone from DNS, then come back one by one.
  int down = 0, restored = 0;
  for (const Event& e : s->events) {
    if (e.kind == "platform-down") {
      ++down;
      EXPECT_EQ(e.scope, "global");
      EXPECT_EQ(e.cause, "dns-servfail");
      EXPECT_TRUE(e.evidence["summary"].contains("es"));
    }
    if (e.kind == "platform-restored") ++restored;
  }
  EXPECT_EQ(down, 3);
  EXPECT_EQ(restored, 3);
  // In time order, numbered 1…n, inside the window; six hours from first down to last restored.
  for (std::size_t i = 1; i < s->events.size(); ++i) {
    EXPECT_LE(s->events[i - 1].at, s->events[i].at);
    EXPECT_EQ(s->events[i].id, static_cast<int64_t>(i + 1));
  }
  const auto span = s->events.back().at - s->events.front().at;
  EXPECT_GT(span, std::chrono::hours(5) + std::chrono::minutes(50));
  EXPECT_LT(span, std::chrono::hours(6) + std::chrono::minutes(10));
  EXPECT_LT(s->start, s->events.front().at);
  EXPECT_GT(s->end, s->events.back().at);
  EXPECT_EQ(s->customers.size(), 10000u);
  EXPECT_EQ(s->campaigns.size(), 50u);
}

TEST(Scenario, TheWorldIsTheSameForASeedAndDiffersForAnother) {
  auto a = BuiltinScenario("fb-2021", {200, 20, 7});
  auto b = BuiltinScenario("fb-2021", {200, 20, 7});
  auto c = BuiltinScenario("fb-2021", {200, 20, 8});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto fingerprint = [](const Scenario& s) {
    std::string f;
    for (const Customer& x : s.customers)
      for (const std::string& ch : x.channels) f += ch[0];
    for (const Campaign& x : s.campaigns) f += x.active ? 'A' : 'P';
    return f;
  };
  EXPECT_EQ(fingerprint(*a), fingerprint(*b));
  EXPECT_NE(fingerprint(*a), fingerprint(*c));
}

TEST(Scenario, CustomersHaveChannelsAndSomeCampaignsWerePausedBefore) {
  auto s = BuiltinScenario("fb-2021", {5000, 50, 1});
  ASSERT_TRUE(s.ok());
  int whatsapp_first = 0, only_whatsapp = 0;
  for (const Customer& c : s->customers) {
    ASSERT_FALSE(c.channels.empty());
    whatsapp_first += c.channels.front() == "whatsapp";
    only_whatsapp += c.channels.size() == 1 && c.channels.front() == "whatsapp";
  }
  EXPECT_GT(whatsapp_first, 5000 * 6 / 10);  // WhatsApp is the main channel
  EXPECT_GT(only_whatsapp, 0);                // and some customers have no other way in
  int paused = 0;
  std::set<std::string> accounts;
  for (const Campaign& c : s->campaigns) {
    paused += !c.active;
    accounts.insert(c.account);
    EXPECT_GT(c.spend_per_hour_micros, 0);
  }
  EXPECT_GT(paused, 0);
  EXPECT_LT(paused, 25);
  EXPECT_EQ(accounts, (std::set<std::string>{"google", "meta", "tiktok"}));
}

TEST(Scenario, WhatsApp2022IsAPartialFailure) {
  auto s = BuiltinScenario("whatsapp-2022");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->events.size(), 2u);
  EXPECT_EQ(s->events[0].kind, "platform-partial");
  EXPECT_EQ(s->events[0].subject, "whatsapp");
  EXPECT_EQ(s->events[1].kind, "platform-restored");
  EXPECT_EQ(Rfc3339(s->events[0].at), "2022-10-25T06:37:00.000Z");
}

TEST(Scenario, ReputationSpikeCarriesTheCrisisCardMagnitude) {
  auto s = BuiltinScenario("reputation-spike");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->events.front().kind, "crisis-suspected");
  EXPECT_EQ(s->events.front().subject, "brand:nutricion-ana");
  EXPECT_GT(s->events.front().evidence["magnitude"]["per_minute"].get<double>(), 20);
  EXPECT_GT(s->events.front().evidence["magnitude"]["negative_share"].get<double>(), 0.4);
  EXPECT_EQ(s->events.back().kind, "crisis-over");
  // The mention series shows the spike: the busiest minute is well above the first one.
  int64_t peak = 0;
  for (const MentionMinute& m : s->mentions) peak = std::max(peak, m.total());
  EXPECT_GT(peak, 10 * std::max<int64_t>(1, s->mentions.front().total()));
}

TEST(Scenario, ARecordedEventLogBecomesAScenarioInTimeOrder) {
  const std::string log =
      R"({"id": 7, "at": "2024-03-05T16:50:00.000Z", "kind": "platform-restored", "subject": "facebook", "state": "up", "previous": "down"})"
      "\n\n"
      R"({"id": 5, "at": "2024-03-05T15:02:00.000Z", "kind": "platform-down", "subject": "facebook", "state": "down", "previous": "up", "scope": "global", "cause": "app"})"
      "\n";
  auto s = RecordedScenario(log, "meta-2024", {100, 5, 1});
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->events.size(), 2u);
  EXPECT_EQ(s->events[0].kind, "platform-down");
  EXPECT_EQ(s->events[0].id, 1);
  EXPECT_EQ(s->customers.size(), 100u);
  ASSERT_EQ(s->health.size(), 3u);  // up from the start, then down, then up
  EXPECT_EQ(s->health[0].health, "up");
  EXPECT_EQ(s->health[1].health, "down");
  // The API's answer works too.
  auto api = RecordedScenario(R"({"events": [)" "\n" R"({"at": "2024-03-05T15:02:00Z", "kind": "platform-down", "subject": "facebook", "state": "down"}]})",
                              "api", {10, 1, 1});
  ASSERT_TRUE(api.ok()) << api.status();
  EXPECT_EQ(api->events.size(), 1u);
}

TEST(Scenario, ABadRecordedLineIsNamed) {
  auto s = RecordedScenario("{\"at\": \"2024-03-05T15:02:00Z\", \"kind\": \"platform-down\", \"subject\": \"x\"}\nnot json\n", "log", {1, 1, 1});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("log: line 2: not JSON"), std::string::npos);
  auto missing = RecordedScenario(R"({"at": "2024-03-05T15:02:00Z", "subject": "x"})", "log", {1, 1, 1});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("line 1: event: \"kind\" is missing"), std::string::npos);
  EXPECT_FALSE(RecordedScenario("\n\n", "empty", {1, 1, 1}).ok());
}

TEST(Scenario, AnUnknownNameListsTheBuiltInOnes) {
  auto s = BuiltinScenario("fb-2012");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("fb-2021, whatsapp-2022, reputation-spike"), std::string::npos);
  EXPECT_FALSE(BuiltinScenario("fb-2021", {-1, 50, 1}).ok());
}

}  // namespace
}  // namespace faro::drill
