// A whole check run on loopback: a real HTTP server (cpp-httplib) for the targets and the
// reference host, and a real `faro agent` server as the second vantage point.
#include "check/check_run.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "agent/agent_server.hpp"
#include "check/report_json.hpp"

namespace faro {
namespace {

class CheckRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("fine", "text/plain"); });
    web_.Get("/generate_204", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    web_port_ = web_.bind_to_any_port("127.0.0.1");
    web_thread_ = std::thread([this] { web_.listen_after_bind(); });
    AgentOptions agent_options{"vantage-b", "s3cret", {}};
    agent_ = std::make_unique<AgentServer>(agent_options);
    ASSERT_TRUE(agent_->Bind("127.0.0.1", 0).ok());
    agent_thread_ = std::thread([this] { agent_->Serve(); });
    while (!web_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    web_.stop();
    agent_->Stop();
    web_thread_.join();
    agent_thread_.join();
  }

  std::string Web(const std::string& path) { return "http://127.0.0.1:" + std::to_string(web_port_) + path; }

  CheckOptions Options() {
    CheckOptions o;
    o.references = {EndpointSpec{*ParseProbeUrl(Web("/generate_204")), Layer::kReference, "", *ParseExpectedStatus("204")}};
    o.timeout = Millis(6000);
    o.read_link = [] { return LinkState{true, true}; };
    o.agent_token = "s3cret";
    return o;
  }

  CheckTarget Target(const std::string& url) {
    EndpointSpec spec{*ParseProbeUrl(url), Layer::kTarget, "", {}};
    return CheckTarget{url, url, false, {spec}, std::nullopt};
  }

  VantageSpec Vantage() { return {"vantage-b", "http://127.0.0.1:" + std::to_string(agent_->port())}; }

  httplib::Server web_;
  int web_port_ = 0;
  std::thread web_thread_, agent_thread_;
  std::unique_ptr<AgentServer> agent_;
};

TEST_F(CheckRunTest, HealthyTargetSeenFromHereAndFromTheVantage) {
  CheckOptions o = Options();
  o.vantages = {Vantage()};
  std::vector<std::string> order;
  CheckCallbacks cb;
  cb.on_local = [&](const LocalEvidence&, const LocalAssessment& a) {
    order.push_back("local");
    EXPECT_EQ(a.network, NetworkState::kOk);
  };
  cb.on_target = [&](const TargetReport& t) { order.push_back(t.evidence.target); };
  auto report = RunCheck(o, {Target(Web("/ok"))}, cb);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->targets.size(), 1u);
  const TargetReport& t = report->targets[0];
  EXPECT_EQ(t.verdict.kind, VerdictKind::kUp) << t.verdict.summary;
  ASSERT_EQ(t.evidence.vantages.size(), 1u);
  EXPECT_TRUE(t.evidence.vantages[0].reachable) << t.evidence.vantages[0].error;
  EXPECT_EQ(t.evidence.vantages[0].endpoints[0].result.outcome, Outcome::kOk);
  EXPECT_EQ(order, (std::vector<std::string>{"local", Web("/ok")}));
  EXPECT_EQ(CheckExitCode(*report), 0);
  EXPECT_EQ(CheckReportToJson(*report, Lang::kEn)["targets"][0]["vantages"][0]["result"], "ok");
}

TEST_F(CheckRunTest, RefusedEverywhereIsDownForEveryone) {
  CheckOptions o = Options();
  o.vantages = {Vantage()};
  auto report = RunCheck(o, {Target("tcp://127.0.0.1:9")}, {});
  ASSERT_TRUE(report.ok());
  const Verdict& v = report->targets[0].verdict;
  EXPECT_EQ(v.kind, VerdictKind::kDown);
  EXPECT_EQ(v.scope, Scope::kGlobal);
  EXPECT_EQ(v.cause, Cause::kTcpRefused);
  EXPECT_EQ(CheckExitCode(*report), 1);
}

TEST_F(CheckRunTest, WrongTokenIsRefusedAndMakesExitCode3) {
  CheckOptions o = Options();
  o.vantages = {Vantage()};
  o.agent_token = "wrong";
  auto report = RunCheck(o, {Target(Web("/ok"))}, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->vantage_failed);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].find("refused our token (401)"), std::string::npos) << report->errors[0];
  EXPECT_FALSE(report->targets[0].evidence.vantages[0].reachable);
  EXPECT_EQ(report->targets[0].verdict.kind, VerdictKind::kUp);
  EXPECT_EQ(CheckExitCode(*report), 3);
}

TEST_F(CheckRunTest, UnreachableVantageIsReportedNotFatal) {
  CheckOptions o = Options();
  o.vantages = {{"nowhere", "http://127.0.0.1:9"}};
  auto report = RunCheck(o, {Target(Web("/ok"))}, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->vantage_failed);
  EXPECT_NE(report->errors.at(0).find("unreachable"), std::string::npos) << report->errors[0];
  EXPECT_EQ(CheckExitCode(*report), 3);
}

TEST_F(CheckRunTest, NoLinkMeansYourConnectionAndExitCode2) {
  CheckOptions o = Options();
  o.read_link = [] { return LinkState{false, false}; };
  auto report = RunCheck(o, {Target("tcp://127.0.0.1:9")}, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->targets[0].verdict.kind, VerdictKind::kLocalNetwork);
  EXPECT_EQ(CheckExitCode(*report), 2);
}

}  // namespace
}  // namespace faro
