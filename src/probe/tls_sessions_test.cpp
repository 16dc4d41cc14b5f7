// TLS session resumption against a real TLS server on loopback (cpp-httplib over OpenSSL, in
// this process), with a certificate the test makes: what is resumed, how often a full handshake
// still verifies the certificate, and that a failure starts the host afresh.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "probe/probe_engine.hpp"
#include "probe/test_certificate.hpp"

namespace faro {
namespace {

class TlsSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTestCertificate({"127.0.0.1"});
    server_ = std::make_unique<httplib::SSLServer>((dir_ + "/cert.pem").c_str(), (dir_ + "/key.pem").c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Get("/ok", [this](const httplib::Request&, httplib::Response& res) {
      res.status = failing_ ? 503 : 204;
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<ProbeEngine> Engine(bool resume, int full_every) {
    auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", 9},
                                                    .ca_file = dir_ + "/cert.pem",
                                                    .tls_resume = resume,
                                                    .tls_full_every = full_every});
    EXPECT_TRUE(engine.ok()) << engine.status();
    return std::move(*engine);
  }

  // One check at a time, as a patrol checks a host once per round.
  ProbeResult Check(ProbeEngine& engine) {
    ProbeRequest r;
    r.url = *ParseProbeUrl("https://127.0.0.1:" + std::to_string(port_) + "/ok");
    r.expect.statuses = {{204, 204}};
    r.attempts = 1;
    r.deadline = EventLoop::Now() + Millis(5000);
    ProbeResult out;
    engine.Submit(std::move(r), [&](ProbeResult result) { out = std::move(result); });
    engine.Run(EventLoop::Now() + Millis(8000));
    return out;
  }

  std::string dir_;
  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> failing_{false};
};

TEST_F(TlsSessionsTest, WithoutResumptionEveryCheckIsAFullHandshake) {
  auto engine = Engine(false, 10);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Check(*engine).outcome, Outcome::kOk);
  EXPECT_EQ(engine->tls_handshakes().full, 4u);
  EXPECT_EQ(engine->tls_handshakes().resumed, 0u);
}

TEST_F(TlsSessionsTest, ResumesAndStillVerifiesTheCertificateEveryFewChecks) {
  auto engine = Engine(true, 4);
  for (int i = 0; i < 12; ++i) ASSERT_EQ(Check(*engine).outcome, Outcome::kOk) << i;
  // Full, then three resumed, over and over: the certificate is verified every 4th check.
  EXPECT_EQ(engine->tls_handshakes().full, 3u);
  EXPECT_EQ(engine->tls_handshakes().resumed, 9u);
}

TEST_F(TlsSessionsTest, AFailedCheckStartsTheHostAfresh) {
  auto engine = Engine(true, 100);
  EXPECT_EQ(Check(*engine).outcome, Outcome::kOk);   // full
  EXPECT_EQ(Check(*engine).outcome, Outcome::kOk);   // resumed
  failing_ = true;
  EXPECT_EQ(Check(*engine).outcome, Outcome::kFail);  // resumed, then 503: the session is dropped
  failing_ = false;
  EXPECT_EQ(Check(*engine).outcome, Outcome::kOk);   // full again
  EXPECT_EQ(engine->tls_handshakes().full, 2u);
  EXPECT_EQ(engine->tls_handshakes().resumed, 2u);
}

TEST_F(TlsSessionsTest, AnUntrustedCertificateFailsAndIsNeverResumed) {
  auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", 9}, .tls_resume = true});
  ASSERT_TRUE(engine.ok());
  for (int i = 0; i < 3; ++i) {
    const ProbeResult r = Check(**engine);
    EXPECT_EQ(r.outcome, Outcome::kFail);
    EXPECT_EQ(r.cause, Cause::kTls);
  }
  EXPECT_EQ((*engine)->tls_handshakes().resumed, 0u);
}

}  // namespace
}  // namespace faro
