#include "verdict/evidence_json.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(EvidenceJson, EndpointRoundTrips) {
  EndpointEvidence e;
  e.url = "https://web.whatsapp.com/";
  e.layer = Layer::kWeb;
  e.result.outcome = Outcome::kFail;
  e.result.cause = Cause::kHttp5xx;
  e.result.attempts = 2;
  e.result.http_status = 503;
  e.result.address = "192.0.2.10";
  e.result.detail = "HTTP 503";
  e.result.phases.dns = 1.25;
  e.result.phases.connect = 0.5;
  e.result.phases.total = 3;
  const nlohmann::json j = EndpointToJson(e);
  EXPECT_EQ(j["result"], "fail");
  EXPECT_EQ(j["cause"], "http-5xx");
  EXPECT_EQ(j["status"], 503);
  EXPECT_TRUE(j["group"].is_null());
  EXPECT_FALSE(j["phases_ms"].contains("tls"));
  auto back = EndpointFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->result.cause, Cause::kHttp5xx);
  EXPECT_EQ(back->result.attempts, 2);
  EXPECT_EQ(*back->result.phases.dns, 1.25);
  EXPECT_FALSE(back->result.phases.tls.has_value());
}

TEST(EvidenceJson, StrictReadingRejectsWhatDoesNotFit) {
  for (const char* bad : {R"([])", R"({"result":"ok"})", R"({"url":"x","result":"great"})",
                          R"({"url":"x","result":"fail","cause":"meteor"})", R"({"url":"x","result":"ok","attempts":"2"})"}) {
    EXPECT_FALSE(EndpointFromJson(nlohmann::json::parse(bad)).ok()) << bad;
  }
}

}  // namespace
}  // namespace faro
