#include "agent/protocol.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(Protocol, BatchRoundTrips) {
  ProbeBatch batch;
  EndpointSpec spec{*ParseProbeUrl("https://web.whatsapp.com/"), Layer::kWeb, "", *ParseExpectedStatus("200-399")};
  spec.expect.body_contains = "WhatsApp";
  batch.endpoints = {spec, EndpointSpec{*ParseProbeUrl("tcp://e1.whatsapp.net:5222"), Layer::kMessaging, "chat", {}}};
  batch.attempts = 3;
  auto back = ProbeBatchFromJson(ProbeBatchToJson(batch));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->endpoints.size(), 2u);
  EXPECT_EQ(back->endpoints[0].expect.body_contains, "WhatsApp");
  EXPECT_FALSE(back->endpoints[0].expect.StatusOk(404));
  EXPECT_EQ(back->endpoints[1].url.port, 5222);
  EXPECT_EQ(back->attempts, 3);
}

TEST(Protocol, BadBatchesSayWhereTheyAreWrong) {
  struct Case {
    const char* json;
    const char* expected;
  };
  const Case cases[] = {
      {R"([])", "expected a JSON object"},
      {R"({})", "\"endpoints\": expected an array"},
      {R"({"endpoints":[{"url":"ftp://x/"}]})", "endpoints[0].url"},
      {R"({"endpoints":[{"url":"https://x/","expect_status":"2xx"}]})", "endpoints[0].expect_status"},
      {R"({"endpoints":[],"attempts":0})", "\"attempts\": expected an integer from 1 to 5"},
      {R"({"endpoints":[],"timeout_ms":"soon"})", "\"timeout_ms\""},
      {R"({"endpoints":[],"slow_ms":-1})", "\"slow_ms\""},
  };
  for (const Case& c : cases) {
    auto batch = ProbeBatchFromJson(nlohmann::json::parse(c.json));
    ASSERT_FALSE(batch.ok()) << c.json;
    EXPECT_NE(batch.status().message().find(c.expected), std::string::npos) << batch.status();
  }
}

TEST(Protocol, AnswerMustMatchTheBatch) {
  const auto answer = nlohmann::json::parse(R"({"vantage":"sp","endpoints":[{"url":"https://x/","result":"ok","attempts":1}]})");
  EXPECT_TRUE(ProbeAnswerFromJson(answer, 1).ok());
  auto wrong = ProbeAnswerFromJson(answer, 2);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("2 were asked"), std::string::npos);
}

}  // namespace
}  // namespace faro
