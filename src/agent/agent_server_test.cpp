// The agent as a client sees it: a real HTTP server on loopback.
#include "agent/agent_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace faro {
namespace {

class AgentServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<AgentServer>(AgentOptions{"here", "tok-123", {}});
    ASSERT_TRUE(server_->Bind("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    for (int i = 0; i < 200 && !client_->Get("/v1/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }
  httplib::Result Probe(const std::string& body, const std::string& token) {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client_->Post("/v1/probe", headers, body, "application/json");
  }

  std::unique_ptr<AgentServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(AgentServerTest, RefusesMissingOrWrongTokensWith401) {
  const std::string body = R"({"endpoints":[]})";
  auto none = Probe(body, "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer realm=\"faro-agent\"");
  auto wrong = Probe(body, "tok-124");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto prefix = Probe(body, "tok-12");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->status, 401);
}

TEST_F(AgentServerTest, RunsTheChecksAndAnswersInOrder) {
  const std::string body =
      R"({"endpoints":[{"url":"tcp://127.0.0.1:9"},{"url":"http://127.0.0.1:)" + std::to_string(server_->port()) +
      R"(/v1/health","expect_status":"200"}],"attempts":1,"timeout_ms":3000})";
  auto res = Probe(body, "tok-123");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto json = nlohmann::json::parse(res->body);
  auto answer = ProbeAnswerFromJson(json, 2);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->vantage, "here");
  EXPECT_EQ(answer->endpoints[0].result.cause, Cause::kTcpRefused);
  EXPECT_EQ(answer->endpoints[1].result.outcome, Outcome::kOk);
}

TEST_F(AgentServerTest, MalformedRequestsGet400WithTheReason) {
  auto not_json = Probe("{oops", "tok-123");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  auto bad_url = Probe(R"({"endpoints":[{"url":"gopher://x/"}]})", "tok-123");
  ASSERT_TRUE(bad_url);
  EXPECT_EQ(bad_url->status, 400);
  EXPECT_NE(bad_url->body.find("endpoints[0].url"), std::string::npos) << bad_url->body;
}

TEST(AgentServer, RefusesToStartWithoutAToken) {
  AgentServer server(AgentOptions{"here", "", {}});
  EXPECT_FALSE(server.Bind("127.0.0.1", 0).ok());
}

}  // namespace
}  // namespace faro
