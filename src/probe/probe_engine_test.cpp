// The engine against a real HTTP server on loopback (cpp-httplib, in this process) and real
// sockets: refused ports, a resolver that is not there, deadlines.
#include "probe/probe_engine.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

namespace faro {
namespace {

class ProbeEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("hello faro", "text/plain"); });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(200000, 'x') + "needle", "text/plain");
    });
    server_.Get("/503", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      res.set_content("late", "text/plain");
    });
    server_.Get("/hang", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("too late", "text/plain");
    });
    server_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.get_header_value("X-Token") + ":" + req.body, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", ClosedUdpPort()}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }

  static std::uint16_t ClosedUdpPort() { return 9; }  // discard: nothing listens on loopback

  ProbeRequest Request(const std::string& url, int attempts = 1) {
    ProbeRequest r;
    r.url = *ParseProbeUrl(url);
    r.attempts = attempts;
    r.retry_spacing = Millis(50);
    r.deadline = EventLoop::Now() + Millis(5000);
    return r;
  }
  std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  ProbeResult RunOne(ProbeRequest request) {
    ProbeResult out;
    bool done = false;
    engine_->Submit(std::move(request), [&](ProbeResult r) {
      out = std::move(r);
      done = true;
    });
    engine_->Run(EventLoop::Now() + Millis(8000));
    EXPECT_TRUE(done);
    return out;
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<ProbeEngine> engine_;
};

TEST_F(ProbeEngineTest, HealthyHttpCheckHasPhasesAndBody) {
  ProbeRequest req = Request(Url("/ok"));
  req.expect.body_contains = "faro";
  req.body_limit = 1024;
  req.keep_body = true;
  ProbeResult r = RunOne(std::move(req));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.detail;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.address, "127.0.0.1");
  EXPECT_TRUE(r.phases.connect.has_value());
  EXPECT_TRUE(r.phases.first_byte.has_value());
  EXPECT_FALSE(r.phases.tls.has_value());
  EXPECT_FALSE(r.phases.dns.has_value());  // an IP literal needs no lookup
  EXPECT_EQ(r.body, "hello faro");
}

TEST_F(ProbeEngineTest, ALongAnswerIsCutWhereTheCheckHasWhatItNeeds) {
  ProbeRequest plain = Request(Url("/big"));
  ProbeResult r = RunOne(std::move(plain));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.detail;  // stopped at the first byte, not an error
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(r.body.empty());  // a check keeps no body
  ProbeRequest far = Request(Url("/big"));
  far.expect.body_contains = "needle";  // past the window: not found
  far.body_limit = kBodyTextWindow;
  EXPECT_EQ(RunOne(std::move(far)).cause, Cause::kApp);
  ProbeRequest api = Request(Url("/big"));
  api.body_limit = 300000;
  api.keep_body = true;
  EXPECT_EQ(RunOne(std::move(api)).body.size(), 200006u);
}

TEST_F(ProbeEngineTest, MissingTextIsAnApplicationFailure) {
  ProbeRequest req = Request(Url("/ok"));
  req.expect.body_contains = "Success";
  req.body_limit = 1024;
  ProbeResult r = RunOne(std::move(req));
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.cause, Cause::kApp);
}

TEST_F(ProbeEngineTest, ServerErrorIsRetriedThenCounted) {
  ProbeResult r = RunOne(Request(Url("/503"), 2));
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.cause, Cause::kHttp5xx);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.http_status, 503);
}

TEST_F(ProbeEngineTest, RefusedPortIsTcpRefused) {
  ProbeResult r = RunOne(Request("tcp://127.0.0.1:9", 2));
  EXPECT_EQ(r.cause, Cause::kTcpRefused) << r.detail;
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(ProbeEngineTest, TcpConnectOnlyCheckSucceedsWithoutHttp) {
  ProbeResult r = RunOne(Request("tcp://127.0.0.1:" + std::to_string(port_)));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.detail;
  EXPECT_EQ(r.http_status, 0);
}

TEST_F(ProbeEngineTest, SlowAnswerIsSlowNotDown) {
  ProbeRequest req = Request(Url("/slow"));
  req.slow_ms = 100;
  ProbeResult r = RunOne(std::move(req));
  EXPECT_EQ(r.outcome, Outcome::kSlow);
  EXPECT_EQ(r.cause, Cause::kSlow);
  EXPECT_GE(*r.phases.total, 290);
}

TEST_F(ProbeEngineTest, NoAnswerBeforeTheAttemptDeadlineIsSlow) {
  ProbeRequest req = Request(Url("/hang"));
  req.deadline = EventLoop::Now() + Millis(400);
  ProbeResult r = RunOne(std::move(req));
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.cause, Cause::kSlow) << r.detail;
}

TEST_F(ProbeEngineTest, DeadResolverIsADnsFailureAndTheAttemptsAreCounted) {
  ProbeResult r = RunOne(Request("https://web.whatsapp.test/", 2));
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.cause, Cause::kDnsTimeout) << r.detail;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_TRUE(r.phases.dns.has_value());
}

// A real UDP DNS server on loopback that answers every query with one response code.
class FixedRcodeDns {
 public:
  explicit FixedRcodeDns(int rcode) : rcode_(rcode) {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    timeval tv{0, 100000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    thread_ = std::thread([this] {
      unsigned char buf[512];
      while (!stop_) {
        sockaddr_in from{};
        socklen_t from_len = sizeof from;
        const ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 12) continue;
        buf[2] = 0x81;                                // QR, RD
        buf[3] = static_cast<unsigned char>(0x80 | rcode_);  // RA, RCODE
        sendto(fd_, buf, n, 0, reinterpret_cast<sockaddr*>(&from), from_len);  // question echoed, no answers
      }
    });
  }
  ~FixedRcodeDns() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int rcode_;
  int fd_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(ProbeEngineTest, ServfailAndNxdomainAreToldApart) {
  for (auto [rcode, cause] : {std::pair{2, Cause::kDnsServfail}, std::pair{3, Cause::kDnsNxdomain}}) {
    FixedRcodeDns dns(rcode);
    auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", dns.port()}});
    ASSERT_TRUE(engine.ok());
    ProbeResult result;
    (*engine)->Submit(Request("https://facebook.com/", 1), [&](ProbeResult r) { result = std::move(r); });
    (*engine)->Run(EventLoop::Now() + Millis(5000));
    EXPECT_EQ(result.cause, cause) << "rcode " << rcode << ": " << result.detail;
  }
}

TEST_F(ProbeEngineTest, PostCarriesBodyAndHeaders) {
  ProbeRequest req = Request(Url("/echo"));
  req.post_body = "{\"x\":1}";
  req.body_limit = 1024;
  req.keep_body = true;
  req.headers = {"X-Token: abc"};
  ProbeResult r = RunOne(std::move(req));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.detail;
  EXPECT_EQ(r.body, "abc:{\"x\":1}");
}

TEST(ProbeEngine, ACaFileWithoutCertificatesIsRefusedAtStart) {
  const std::string path = ::testing::TempDir() + "/faro-not-a-ca.pem";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not a certificate\n", f);
  std::fclose(f);
  auto engine = ProbeEngine::Create(EngineOptions{.ca_file = path});
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find("no PEM certificate"), std::string::npos) << engine.status();
  std::remove(path.c_str());
}

TEST_F(ProbeEngineTest, ManyChecksWithASmallWindowAllAnswer) {
  auto engine = ProbeEngine::Create(EngineOptions{.max_in_flight = 16});
  ASSERT_TRUE(engine.ok());
  int ok = 0, answered = 0;
  for (int i = 0; i < 300; ++i) {
    (*engine)->Submit(Request(Url("/ok")), [&](ProbeResult r) {
      ++answered;
      ok += r.outcome == Outcome::kOk;
    });
  }
  (*engine)->Run(EventLoop::Now() + Millis(20000));
  EXPECT_EQ(answered, 300);
  EXPECT_EQ(ok, 300);
}

TEST_F(ProbeEngineTest, TheRunDeadlineAnswersEveryCheck) {
  auto engine = ProbeEngine::Create(EngineOptions{.max_in_flight = 2});
  ASSERT_TRUE(engine.ok());
  int answered = 0, not_started = 0;
  for (int i = 0; i < 5; ++i) {
    ProbeRequest req = Request(Url("/hang"));
    (*engine)->Submit(std::move(req), [&](ProbeResult r) {
      ++answered;
      EXPECT_EQ(r.outcome, Outcome::kFail);
      not_started += r.detail.find("not started") != std::string::npos;
    });
  }
  (*engine)->Run(EventLoop::Now() + Millis(200));
  EXPECT_EQ(answered, 5);
  EXPECT_EQ(not_started, 3);
}

TEST_F(ProbeEngineTest, PollNeverAbortsChecksStillRunning) {
  bool answered = false;
  ProbeResult result;
  ProbeRequest req = Request(Url("/slow"));  // answers after 300 ms
  req.slow_ms = 5000;
  engine_->Submit(std::move(req), [&](ProbeResult r) {
    result = std::move(r);
    answered = true;
  });
  // A poll that ends before the answer leaves the check running, not failed.
  engine_->Poll(EventLoop::Now() + Millis(50));
  EXPECT_FALSE(answered);
  EXPECT_EQ(engine_->InFlight(), 1u);
  // The next poll sees it through; with nothing left in flight Poll returns by itself.
  engine_->Poll(EventLoop::Now() + Millis(8000));
  ASSERT_TRUE(answered);
  EXPECT_EQ(result.outcome, Outcome::kOk) << result.detail;
  EXPECT_EQ(engine_->InFlight(), 0u);
}

TEST_F(ProbeEngineTest, PollStopsWhenTheCallerSaysDone) {
  bool ticked = false;
  engine_->loop().AddTimer(EventLoop::Now() + Millis(10), [&] { ticked = true; });
  // Nothing in flight, but the caller waits for its own timer.
  engine_->Poll(EventLoop::Now() + Millis(8000), [&] { return ticked; });
  EXPECT_TRUE(ticked);
}

}  // namespace
}  // namespace faro
