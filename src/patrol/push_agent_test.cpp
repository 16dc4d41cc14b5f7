// The agent's push client against a fake Faro server on loopback (cpp-httplib): the two calls
// on their own, then the whole loop (assignment, patrol, batches, token rotation, backoff).
#include "patrol/push_agent.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

namespace faro::patrol {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class FakeServer {
 public:
  FakeServer() {
    http_.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("fine", "text/plain"); });
    http_.Get(kAssignmentPath, [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      ++assignment_calls;
      cv_.notify_all();
      if (!Authorized(req, res)) return;
      if (unavailable) {
        res.status = 503;
        return;
      }
      res.set_content(AssignmentToJson(assignment).dump(), "application/json");
    });
    http_.Post(kReadingsPath, [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!Authorized(req, res)) return;
      auto body = json::parse(req.body, nullptr, false);
      auto batch = body.is_discarded() ? absl::StatusOr<ReadingsBatch>(absl::InvalidArgumentError("not JSON"))
                                       : ReadingsFromJson(body);
      if (!batch.ok()) {
        res.status = 400;
        res.set_content(json{{"error", std::string(batch.status().message())}}.dump(), "application/json");
        return;
      }
      ++batches;
      for (Round& r : batch->accepted) rounds.push_back(std::move(r));
      res.status = 202;
      res.set_content(ReadingsAnswerToJson(ReadingsAnswer{batch->accepted.size(), batch->rejected}).dump(),
                      "application/json");
      cv_.notify_all();
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::yield();
  }
  ~FakeServer() {
    http_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path = "") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  // Waits up to 4 s for `done` (called with the server's lock held).
  bool WaitFor(const std::function<bool()>& done) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, 4s, done);
  }
  std::mutex& mu() { return mu_; }
  void Set(const std::function<void()>& change) {
    std::lock_guard<std::mutex> lock(mu_);
    change();
  }

  // Guarded by mu().
  std::string token = "s3cret";
  bool unavailable = false;
  Assignment assignment;
  int assignment_calls = 0, batches = 0;
  std::vector<Round> rounds;

 private:
  bool Authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == "Bearer " + token) return true;
    res.status = 401;
    res.set_content(R"({"error":"unknown token"})", "application/json");
    return false;
  }

  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
};

class PushAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EndpointSpec ok;
    ok.url = *ParseProbeUrl(server_.Url("/ok"));
    server_.assignment.vantage = "sao-paulo";
    server_.assignment.attempts = 1;
    server_.assignment.timeout = 2000ms;
    server_.assignment.targets = {PatrolTarget{"whatsapp", {ok}, 200ms}};
  }

  PushServer Server(const std::string& token = "s3cret") { return PushServer{server_.Url(), token, "", 3000ms, nullptr}; }

  PushAgentOptions AgentOptions() {
    PushAgentOptions o;
    o.server = Server();
    o.name = "agent-host";
    o.post_every = 50ms;
    o.backoff_min = 10ms;
    o.backoff_max = 40ms;
    o.engine.resolver = ResolverAddress{"127.0.0.1", 9};
    o.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
      log_cv_.notify_all();
    };
    return o;
  }
  std::vector<std::string> Log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  bool WaitForLogLines(std::size_t n) {
    std::unique_lock<std::mutex> lock(log_mu_);
    return log_cv_.wait_for(lock, 4s, [&] { return log_.size() >= n; });
  }

  FakeServer server_;
  std::condition_variable log_cv_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(PushAgentTest, FetchesTheAssignment) {
  auto a = FetchAssignment(Server());
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->vantage, "sao-paulo");
  ASSERT_EQ(a->targets.size(), 1u);
  EXPECT_EQ(a->targets[0].platform, "whatsapp");
  EXPECT_EQ(a->targets[0].interval, 200ms);
}

TEST_F(PushAgentTest, ARefusedTokenIsUnauthenticatedAndNeverEchoed) {
  auto a = FetchAssignment(Server("wrong-token-value"));
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(absl::IsUnauthenticated(a.status())) << a.status();
  const std::string message(a.status().message());
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(message.find("wrong-token-value"), std::string::npos) << message;

  auto posted = PostReadings(Server("wrong-token-value"), ReadingsToJson("sao-paulo", {}));
  ASSERT_FALSE(posted.ok());
  EXPECT_TRUE(absl::IsUnauthenticated(posted.status())) << posted.status();
}

TEST_F(PushAgentTest, AnUnreachableServerIsUnavailable) {
  PushServer s = Server();
  s.url = "http://127.0.0.1:9";
  auto a = FetchAssignment(s);
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(absl::IsUnavailable(a.status())) << a.status();
  server_.Set([&] { server_.unavailable = true; });
  a = FetchAssignment(Server());
  EXPECT_TRUE(absl::IsUnavailable(a.status())) << a.status();
}

TEST_F(PushAgentTest, PostsReadingsAndReadsTheRejections) {
  Round good;
  good.reading.platform = "whatsapp";
  good.reading.at = FromUnixMillis(1633356000000);
  good.reading.endpoints = 1;
  Round bad = good;
  bad.reading.failed = 3;  // more failures than endpoints
  auto answer = PostReadings(Server(), ReadingsToJson("sao-paulo", {good, bad, good}));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->accepted, 2u);
  ASSERT_EQ(answer->rejected.size(), 1u);
  EXPECT_EQ(answer->rejected[0].index, 1u);
  EXPECT_NE(answer->rejected[0].error.find("readings[1].failed"), std::string::npos);
  std::lock_guard<std::mutex> lock(server_.mu());
  EXPECT_EQ(server_.rounds.size(), 2u);
}

// Runs the agent on its own thread for the length of a test.
class Running {
 public:
  explicit Running(PushAgentOptions o) : agent_(std::move(o)) {
    thread_ = std::thread([this] { result_ = agent_.Run(); });
  }
  absl::Status Stop() {
    agent_.Stop();
    thread_.join();
    return result_;
  }
  PushAgent& agent() { return agent_; }

 private:
  PushAgent agent_;
  absl::Status result_;
  std::thread thread_;
};

TEST_F(PushAgentTest, PatrolsTheAssignmentAndPostsReadings) {
  Running running(AgentOptions());
  ASSERT_TRUE(server_.WaitFor([&] { return server_.rounds.size() >= 2; }));
  EXPECT_TRUE(running.Stop().ok());
  std::lock_guard<std::mutex> lock(server_.mu());
  const Round& r = server_.rounds.front();
  EXPECT_EQ(r.reading.platform, "whatsapp");
  EXPECT_EQ(r.reading.vantage, "sao-paulo") << "labelled with the server's name for this vantage";
  EXPECT_EQ(r.reading.health, watch::Health::kUp) << r.reading.detail;
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].endpoint, server_.Url("/ok"));
  EXPECT_EQ(Log().at(0), "watching 1 target for " + server_.Url() + " as vantage \"sao-paulo\"");
}

TEST_F(PushAgentTest, AnEmptyAssignmentStillSendsHeartbeats) {
  server_.Set([&] { server_.assignment.targets.clear(); });
  PushAgentOptions o = AgentOptions();
  o.heartbeat_max = 100ms;
  Running running(o);
  ASSERT_TRUE(server_.WaitFor([&] { return server_.batches >= 2; }));
  EXPECT_TRUE(running.Stop().ok());
  std::lock_guard<std::mutex> lock(server_.mu());
  EXPECT_TRUE(server_.rounds.empty());
}

TEST_F(PushAgentTest, ARotatedTokenIsReadAgainAfter401) {
  const std::string path = ::testing::TempDir() + "/faro-agent-token";
  auto write_token = [&](const std::string& token) {
    std::ofstream(path) << token << "\n";
  };
  write_token("old-token");
  server_.Set([&] { server_.token = "new-token"; });
  PushAgentOptions o = AgentOptions();
  o.server.token = *ReadTokenFile(path);
  o.token_file = path;
  Running running(o);
  ASSERT_TRUE(server_.WaitFor([&] { return server_.assignment_calls >= 3; }));
  write_token("new-token");
  ASSERT_TRUE(server_.WaitFor([&] { return !server_.rounds.empty(); }));
  EXPECT_TRUE(running.Stop().ok());
  const auto log = Log();
  ASSERT_GE(log.size(), 2u);
  EXPECT_NE(log[0].find("HTTP 401"), std::string::npos) << log[0];
  // Said once, however many retries. ("HTTP 401": the server's port may hold the digits 401.)
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [](const std::string& l) { return l.find("HTTP 401") != std::string::npos; }),
            1);
  for (const std::string& line : log) {
    EXPECT_EQ(line.find("old-token"), std::string::npos) << line;
    EXPECT_EQ(line.find("new-token"), std::string::npos) << line;
  }
  std::remove(path.c_str());
}

TEST_F(PushAgentTest, AnUnavailableServerIsRetriedAndSaidOnce) {
  server_.Set([&] { server_.unavailable = true; });
  Running running(AgentOptions());
  ASSERT_TRUE(server_.WaitFor([&] { return server_.assignment_calls >= 4; }));
  server_.Set([&] { server_.unavailable = false; });
  ASSERT_TRUE(server_.WaitFor([&] { return !server_.rounds.empty(); }));
  EXPECT_TRUE(running.Stop().ok());
  const auto log = Log();
  ASSERT_GE(log.size(), 2u);
  EXPECT_NE(log[0].find("HTTP 503"), std::string::npos) << log[0];
  // "HTTP 503", not "503": the server's port, in other lines, may hold those digits.
  std::string all;
  for (const std::string& l : log) all += l + "\n";
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [](const std::string& l) { return l.find("HTTP 503") != std::string::npos; }),
            1)
      << all;
}

TEST_F(PushAgentTest, StopsWhileTheServerIsUnreachable) {
  PushAgentOptions o = AgentOptions();
  o.server.url = "http://127.0.0.1:9";
  Running running(o);
  ASSERT_TRUE(WaitForLogLines(1));
  EXPECT_NE(Log()[0].find("127.0.0.1:9"), std::string::npos) << Log()[0];
  EXPECT_TRUE(running.Stop().ok());
  EXPECT_EQ(running.agent().Stats().assignments, 0u);
}

}  // namespace
}  // namespace faro::patrol
