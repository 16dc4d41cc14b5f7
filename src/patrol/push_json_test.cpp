// The push protocol's JSON: round trips, strict reading of assignments, and one-by-one
// rejection of readings.
#include "patrol/push_json.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"

namespace faro::patrol {
namespace {

using nlohmann::json;

EndpointSpec Spec(const std::string& url, const std::string& status = "", const std::string& body = "",
                  const std::string& group = "") {
  EndpointSpec s;
  s.url = *ParseProbeUrl(url);
  if (!status.empty()) s.expect = *ParseExpectedStatus(status);
  s.expect.body_contains = body;
  s.group = group;
  return s;
}

Assignment SampleAssignment() {
  Assignment a;
  a.vantage = "sao-paulo";
  a.attempts = 3;
  a.timeout = std::chrono::milliseconds(8000);
  a.slow_ms = 1500;
  a.targets.push_back(PatrolTarget{"whatsapp",
                                   {Spec("https://web.whatsapp.com/", "200-399", "WhatsApp"),
                                    Spec("https://g.whatsapp.net/", "", "", "edge"),
                                    Spec("tcp://e1.whatsapp.net:443", "", "", "edge")},
                                   std::chrono::milliseconds(30000)});
  a.targets.push_back(PatrolTarget{"https://shop.example.com/", {Spec("https://shop.example.com/")},
                                   std::chrono::milliseconds(60000)});
  return a;
}

TEST(Assignment, RoundTrip) {
  const Assignment a = SampleAssignment();
  const json j = AssignmentToJson(a);
  EXPECT_EQ(j["vantage"], "sao-paulo");
  EXPECT_EQ(j["timeout_ms"], 8000);
  EXPECT_EQ(j["targets"][0]["interval_ms"], 30000);
  EXPECT_EQ(j["targets"][0]["endpoints"][0]["expect_body"], "WhatsApp");
  EXPECT_EQ(j["targets"][0]["endpoints"][1]["group"], "edge");
  EXPECT_FALSE(j["targets"][0]["endpoints"][0].contains("group"));

  auto back = AssignmentFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->vantage, "sao-paulo");
  EXPECT_EQ(back->attempts, 3);
  EXPECT_EQ(back->timeout, std::chrono::milliseconds(8000));
  EXPECT_EQ(back->slow_ms, 1500);
  ASSERT_EQ(back->targets.size(), 2u);
  const PatrolTarget& w = back->targets[0];
  EXPECT_EQ(w.platform, "whatsapp");
  EXPECT_EQ(w.interval, std::chrono::milliseconds(30000));
  ASSERT_EQ(w.endpoints.size(), 3u);
  EXPECT_EQ(w.endpoints[0].url.text, "https://web.whatsapp.com/");
  EXPECT_EQ(w.endpoints[0].expect.body_contains, "WhatsApp");
  EXPECT_TRUE(w.endpoints[0].expect.StatusOk(302));
  EXPECT_FALSE(w.endpoints[0].expect.StatusOk(404));
  EXPECT_EQ(w.endpoints[1].group, "edge");
  EXPECT_EQ(w.endpoints[2].url.text, "tcp://e1.whatsapp.net:443");
  EXPECT_EQ(back->targets[1].interval, std::chrono::milliseconds(60000));
  // Written again, it is the same text.
  EXPECT_EQ(AssignmentToJson(*back).dump(), j.dump());
}

TEST(Assignment, DefaultsWhenOptionalFieldsAreMissing) {
  auto a = AssignmentFromJson(json::parse(R"({"targets":[{"platform":"x","endpoints":[{"url":"https://x.example/"}]}]})"));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->attempts, 2);
  EXPECT_EQ(a->timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(a->slow_ms, 2000);
  EXPECT_EQ(a->targets[0].interval, std::chrono::milliseconds(30000));
}

TEST(Assignment, ErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* error;
  };
  const std::vector<Case> cases = {
      {R"([])", "assignment: expected a JSON object"},
      {R"({})", "\"targets\": expected an array"},
      {R"({"attempts": 9, "targets": []})", "\"attempts\": expected an integer from 1 to 5"},
      {R"({"timeout_ms": "10s", "targets": []})", "\"timeout_ms\": expected an integer from 100 to 60000"},
      {R"({"slow_ms": 0, "targets": []})", "\"slow_ms\": expected a positive number"},
      {R"({"targets": [{"endpoints": [{"url": "https://a/"}]}]})", "targets[0].platform: expected a non-empty string"},
      {R"({"targets": [{"platform": "a", "endpoints": []}]})", "targets[0].endpoints: expected a non-empty array"},
      {R"({"targets": [{"platform": "a", "interval_ms": 5, "endpoints": [{"url": "https://a/"}]}]})",
       "targets[0].interval_ms: expected an integer from 100 to 86400000"},
      {R"({"targets": [{"platform": "a", "endpoints": [{"url": "https://a/"}, {"url": "nope://x"}]}]})",
       "targets[0].endpoints[1].url: "},
      {R"({"targets": [{"platform": "a", "endpoints": [{"url": "https://a/", "group": 3}]}]})",
       "targets[0].endpoints[0].group: expected a string"},
      {R"({"targets": [{"platform": "a", "endpoints": [{"url": "https://a/"}]},
                       {"platform": "a", "endpoints": [{"url": "https://b/"}]}]})",
       "targets[1].platform: \"a\" is listed twice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto a = AssignmentFromJson(json::parse(c.body));
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(std::string(a.status().message()).rfind(c.error, 0), 0u) << a.status();
  }
}

Round SampleRound() {
  Round r;
  r.reading.platform = "whatsapp";
  r.reading.vantage = "sao-paulo";
  r.reading.at = *ParseRfc3339("2021-10-04T15:40:00.250Z");
  r.reading.health = watch::Health::kDown;
  r.reading.cause = Cause::kDnsServfail;
  r.reading.endpoints = 2;
  r.reading.failed = 2;
  r.reading.detail = "2 of 2 checks failed (dns-servfail)";
  history::Result a;
  a.at = *ParseRfc3339("2021-10-04T15:39:58Z");
  a.platform = "whatsapp";
  a.vantage = "sao-paulo";
  a.endpoint = "https://web.whatsapp.com/";
  a.outcome = Outcome::kFail;
  a.cause = Cause::kDnsServfail;
  a.dns_ms = 1.25;
  a.total_ms = 3.5;
  history::Result b = a;
  b.endpoint = "https://g.whatsapp.net/";
  b.http_status = 0;
  r.results = {a, b};
  return r;
}

TEST(Readings, RoundTrip) {
  Round up;
  up.reading.platform = "telegram";
  up.reading.vantage = "sao-paulo";
  up.reading.at = *ParseRfc3339("2021-10-04T15:40:01Z");
  up.reading.endpoints = 1;
  up.reading.detail = "1 of 1 checks answered";
  const json j = ReadingsToJson("sao-paulo", {SampleRound(), up});
  EXPECT_EQ(j["vantage"], "sao-paulo");
  EXPECT_EQ(j["readings"][0]["health"], "down");
  EXPECT_EQ(j["readings"][0]["cause"], "dns-servfail");
  EXPECT_EQ(j["readings"][0]["at"], "2021-10-04T15:40:00.250Z");
  EXPECT_TRUE(j["readings"][0]["results"][0]["connect_ms"].is_null());
  EXPECT_EQ(j["readings"][0]["results"][0]["dns_ms"], 1.25);
  EXPECT_TRUE(j["readings"][1]["cause"].is_null());

  auto back = ReadingsFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->vantage, "sao-paulo");
  EXPECT_TRUE(back->rejected.empty());
  ASSERT_EQ(back->accepted.size(), 2u);
  EXPECT_EQ(back->indexes, (std::vector<std::size_t>{0, 1}));
  const Round& r = back->accepted[0];
  const Round want = SampleRound();
  EXPECT_EQ(r.reading.platform, want.reading.platform);
  EXPECT_EQ(r.reading.vantage, "sao-paulo");
  EXPECT_EQ(r.reading.at, want.reading.at);
  EXPECT_EQ(r.reading.health, watch::Health::kDown);
  EXPECT_EQ(r.reading.cause, Cause::kDnsServfail);
  EXPECT_EQ(r.reading.endpoints, 2);
  EXPECT_EQ(r.reading.failed, 2);
  EXPECT_EQ(r.reading.detail, want.reading.detail);
  ASSERT_EQ(r.results.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.results[i].endpoint, want.results[i].endpoint);
    EXPECT_EQ(r.results[i].platform, "whatsapp");
    EXPECT_EQ(r.results[i].vantage, "sao-paulo");
    EXPECT_EQ(r.results[i].at, want.results[i].at);
    EXPECT_EQ(r.results[i].outcome, Outcome::kFail);
    EXPECT_EQ(r.results[i].cause, Cause::kDnsServfail);
    EXPECT_EQ(r.results[i].dns_ms, 1.25);
    EXPECT_FALSE(r.results[i].connect_ms.has_value());
    EXPECT_EQ(r.results[i].total_ms, 3.5);
  }
  EXPECT_EQ(back->accepted[1].reading.health, watch::Health::kUp);
  EXPECT_EQ(back->accepted[1].reading.cause, Cause::kNone);
  EXPECT_TRUE(back->accepted[1].results.empty());
}

TEST(Readings, AnEmptyBatchIsAHeartbeat) {
  auto back = ReadingsFromJson(ReadingsToJson("sao-paulo", {}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->accepted.empty());
  EXPECT_TRUE(back->rejected.empty());
}

TEST(Readings, BadReadingsAreRejectedOneByOne) {
  json j = ReadingsToJson("sao-paulo", {SampleRound(), SampleRound(), SampleRound(), SampleRound(), SampleRound(),
                                        SampleRound(), SampleRound(), SampleRound()});
  j["readings"][1]["health"] = "local";
  j["readings"][2]["at"] = "yesterday";
  j["readings"][3]["failed"] = 7;
  j["readings"][4]["results"][1]["outcome"] = "meh";
  j["readings"][5]["cause"] = "gremlins";
  j["readings"][6] = "not an object";
  auto back = ReadingsFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->indexes, (std::vector<std::size_t>{0, 7}));
  ASSERT_EQ(back->accepted.size(), 2u);
  ASSERT_EQ(back->rejected.size(), 6u);
  const std::vector<std::pair<std::size_t, std::string>> want = {
      {1, "readings[1].health: expected up, degraded, partial or down"},
      {2, "readings[2].at: expected an RFC 3339 time"},
      {3, "readings[3].failed: is 7, more than the 2 endpoints"},
      {4, "readings[4].results[1].outcome: expected ok, slow or fail"},
      {5, "readings[5].cause: \"gremlins\" is not a cause"},
      {6, "readings[6]: expected an object"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(back->rejected[i].index, want[i].first);
    EXPECT_EQ(back->rejected[i].error.rfind(want[i].second, 0), 0u) << back->rejected[i].error;
  }
}

TEST(Readings, AnUnreadableBodyIsOneError) {
  EXPECT_FALSE(ReadingsFromJson(json::array()).ok());
  EXPECT_FALSE(ReadingsFromJson(json{{"vantage", "x"}}).ok());
  EXPECT_FALSE(ReadingsFromJson(json{{"readings", json::array()}}).ok());
  json many = {{"vantage", "x"}, {"readings", json::array()}};
  for (std::size_t i = 0; i <= kMaxReadingsPerPost; ++i) many["readings"].push_back(nullptr);
  auto r = ReadingsFromJson(many);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("at most"), std::string::npos);
}

TEST(ReadingsAnswer, RoundTrip) {
  ReadingsAnswer a{5, {{3, "readings[3].health: expected up, degraded, partial or down"}}};
  const json j = ReadingsAnswerToJson(a);
  EXPECT_EQ(j.dump(), R"({"accepted":5,"rejected":[{"error":"readings[3].health: expected up, degraded, partial or down","index":3}]})");
  auto back = ReadingsAnswerFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->accepted, 5u);
  ASSERT_EQ(back->rejected.size(), 1u);
  EXPECT_EQ(back->rejected[0].index, 3u);
  EXPECT_FALSE(ReadingsAnswerFromJson(json::parse(R"({"accepted":-1})")).ok());
}

}  // namespace
}  // namespace faro::patrol
