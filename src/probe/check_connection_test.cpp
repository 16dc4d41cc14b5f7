// A check's own connection against servers that misbehave on purpose: a loopback TCP server
// in this process that answers each connection with bytes the test scripts (informational
// answers, chunked bodies, answers cut short, resets, garbage instead of TLS), and a real TLS
// server (cpp-httplib over OpenSSL) for certificate names. Outcome and cause come from the
// engine's classifier, as in a patrol.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#include "probe/check_connection.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "probe/probe_engine.hpp"
#include "probe/test_certificate.hpp"

namespace faro {
namespace {

// Accepts connections on 127.0.0.1 and runs `script` on each, on its own thread, one at a time.
class ScriptedServer {
 public:
  using Script = std::function<void(int fd)>;
  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(listener_, 16), 0);
    thread_ = std::thread([this] {
      for (;;) {
        const int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0 || stopping_) {
          if (fd >= 0) close(fd);
          return;
        }
        script_(fd);
        close(fd);
      }
    });
  }
  ~ScriptedServer() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    thread_.join();
    close(listener_);
  }
  int port() const { return port_; }

 private:
  Script script_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Reads the request's head (up to the blank line), as a server does before answering.
std::string ReadRequest(int fd) {
  std::string got;
  char buf[1024];
  while (got.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

void SendAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// Answers every request with `answer`, sent in pieces of `piece` bytes (the parser must
// cope with an answer split anywhere).
ScriptedServer::Script Answer(std::string answer, std::size_t piece = 1 << 20) {
  return [answer = std::move(answer), piece](int fd) {
    ReadRequest(fd);
    for (std::size_t at = 0; at < answer.size(); at += piece) {
      SendAll(fd, answer.substr(at, piece));
      if (piece < answer.size()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
}

class CheckConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", 9}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
  }

  ProbeResult Check(const std::string& url, const std::string& expect_text = "") {
    ProbeRequest r;
    r.url = *ParseProbeUrl(url);
    r.expect.body_contains = expect_text;
    r.body_limit = expect_text.empty() ? 0 : kBodyTextWindow;
    r.attempts = 1;
    r.deadline = EventLoop::Now() + Millis(3000);
    ProbeResult out;
    bool done = false;
    engine_->Submit(std::move(r), [&](ProbeResult result) {
      out = std::move(result);
      done = true;
    });
    engine_->Run(EventLoop::Now() + Millis(6000));
    EXPECT_TRUE(done);
    return out;
  }
  std::string Url(const ScriptedServer& server, const std::string& path = "/") {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
  }

  std::unique_ptr<ProbeEngine> engine_;
};

TEST_F(CheckConnectionTest, SendsAPlainGetOfThePathAndQuery) {
  std::string request;
  ScriptedServer server([&](int fd) {
    request = ReadRequest(fd);
    SendAll(fd, "HTTP/1.1 204 No Content\r\n\r\n");
  });
  const ProbeResult r = Check(Url(server, "/status?region=eu"));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.detail;
  EXPECT_EQ(r.http_status, 204);
  EXPECT_EQ(request.rfind("GET /status?region=eu HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nConnection: close\r\n"), std::string::npos);
  ASSERT_TRUE(r.phases.connect.has_value());
  ASSERT_TRUE(r.phases.first_byte.has_value());
  EXPECT_FALSE(r.phases.tls.has_value());
}

TEST_F(CheckConnectionTest, AnInformationalAnswerIsSkipped) {
  ScriptedServer server(Answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
  const ProbeResult r = Check(Url(server));
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.cause, Cause::kHttp5xx);
}

TEST_F(CheckConnectionTest, TextIsFoundInAChunkedBodySplitAnywhere) {
  const std::string answer =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "6\r\nhello \r\n"
      "a\r\nWhatsApp i\r\n"
      "8\r\ns up now\r\n"
      "0\r\n\r\n";
  ScriptedServer server(Answer(answer, 3));
  EXPECT_EQ(Check(Url(server), "WhatsApp is up").outcome, Outcome::kOk);
  // The chunk-size lines are not part of the text: "a\r\n" never reaches the search.
  EXPECT_EQ(Check(Url(server), "hello a").cause, Cause::kApp);
}

TEST_F(CheckConnectionTest, AnAnswerWithoutLengthIsReadToTheClose) {
  ScriptedServer server(Answer("HTTP/1.0 200 OK\r\n\r\nthe page ends with the connection"));
  EXPECT_EQ(Check(Url(server), "with the connection").outcome, Outcome::kOk);
}

TEST_F(CheckConnectionTest, ABodyCutShortIsAnApplicationFailure) {
  ScriptedServer server(Answer("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this"));
  const ProbeResult r = Check(Url(server), "never sent");
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.cause, Cause::kApp);
  EXPECT_NE(r.detail.find("closed before the answer was complete"), std::string::npos) << r.detail;
}

TEST_F(CheckConnectionTest, NoAnswerAtAllIsAnEmptyReply) {
  ScriptedServer server([](int fd) { ReadRequest(fd); });
  const ProbeResult r = Check(Url(server));
  EXPECT_EQ(r.cause, Cause::kApp);
  EXPECT_EQ(r.detail, "empty reply from server");
}

TEST_F(CheckConnectionTest, GarbageInsteadOfHttpIsSaidSo) {
  ScriptedServer server(Answer("SSH-2.0-OpenSSH_9.2\r\n"));
  const ProbeResult r = Check(Url(server));
  EXPECT_EQ(r.cause, Cause::kApp);
  EXPECT_NE(r.detail.find("malformed HTTP answer"), std::string::npos) << r.detail;
}

TEST_F(CheckConnectionTest, AnAnswerCutInsideItsHeadersIsSaidSo) {
  ScriptedServer server(Answer("HTTP/1.1 200 OK\r\nContent-Type: text/"));
  const ProbeResult r = Check(Url(server));
  EXPECT_EQ(r.cause, Cause::kApp);
  EXPECT_EQ(r.detail, "the answer ended inside its headers");
}

TEST_F(CheckConnectionTest, AResetIsTheConnectionRefusedMidway) {
  ScriptedServer server([](int fd) {
    ReadRequest(fd);
    linger hard{1, 0};  // close with RST
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
  });
  const ProbeResult r = Check(Url(server));
  EXPECT_EQ(r.cause, Cause::kTcpRefused);
  EXPECT_EQ(r.detail, "connection reset by peer");
}

TEST_F(CheckConnectionTest, GarbageInsteadOfTlsIsATlsFailure) {
  ScriptedServer server([](int fd) {
    char buf[512];
    (void)recv(fd, buf, sizeof(buf), 0);  // the ClientHello
    SendAll(fd, "HTTP/1.1 400 Bad Request\r\n\r\n");
  });
  const ProbeResult r = Check("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(r.cause, Cause::kTls);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_TRUE(r.phases.connect.has_value());
  EXPECT_FALSE(r.phases.tls.has_value());
}

TEST_F(CheckConnectionTest, AServerThatHangsUpDuringTheHandshakeIsATlsFailure) {
  ScriptedServer server([](int fd) {
    char buf[512];
    (void)recv(fd, buf, sizeof(buf), 0);
  });
  const ProbeResult r = Check("tls://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.cause, Cause::kTls);
  EXPECT_NE(r.detail.find("closed the connection during the TLS handshake"), std::string::npos) << r.detail;
}

TEST_F(CheckConnectionTest, AServerThatNeverFinishesTheHandshakeTimesOutAsTls) {
  ScriptedServer server([](int fd) {
    char buf[512];
    (void)recv(fd, buf, sizeof(buf), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  });
  const ProbeResult r = Check("tls://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.cause, Cause::kTls);
  EXPECT_EQ(r.detail, "TLS handshake timed out");
}

TEST_F(CheckConnectionTest, ChunkedWinsOverAContentLengthSentWithIt) {
  ScriptedServer server(Answer(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nbienvenue\r\n0\r\n\r\n"));
  EXPECT_EQ(Check(Url(server), "bienvenue").outcome, Outcome::kOk);
}

TEST_F(CheckConnectionTest, TheRunsDeadlineEndsAHandshakeAsATlsTimeout) {
  ScriptedServer server([](int fd) {
    char buf[512];
    (void)recv(fd, buf, sizeof(buf), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });
  ProbeRequest r;
  r.url = *ParseProbeUrl("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  r.attempts = 1;
  r.deadline = EventLoop::Now() + Millis(5000);  // the connection's own deadline is 3 s away
  ProbeResult out;
  engine_->Submit(std::move(r), [&](ProbeResult result) { out = std::move(result); });
  engine_->Run(EventLoop::Now() + Millis(300));  // the run ends first
  EXPECT_EQ(out.cause, Cause::kTls);
  EXPECT_EQ(out.detail, "TLS handshake timed out");
}

// Real TLS servers (cpp-httplib over OpenSSL) with a trusted certificate that names 127.0.0.2.
class CheckConnectionTlsTest : public CheckConnectionTest {
 protected:
  void SetUp() override {
    dir_ = MakeTestCertificate({"127.0.0.2"});
    auto engine = ProbeEngine::Create(EngineOptions{.resolver = ResolverAddress{"127.0.0.1", 9},
                                                    .ca_file = dir_ + "/cert.pem"});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
  }
  void TearDown() override {
    for (auto& server : servers_) server->stop();
    for (auto& thread : threads_) thread.join();
    std::filesystem::remove_all(dir_);
  }
  // A server on `address`; returns its port.
  int Serve(const std::string& address) {
    auto& server = servers_.emplace_back(
        std::make_unique<httplib::SSLServer>((dir_ + "/cert.pem").c_str(), (dir_ + "/key.pem").c_str()));
    server->Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("bienvenida", "text/plain"); });
    const int port = server->bind_to_any_port(address);
    httplib::SSLServer* raw = server.get();
    threads_.emplace_back([raw] { raw->listen_after_bind(); });
    while (!raw->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return port;
  }
  std::string dir_;
  std::vector<std::unique_ptr<httplib::SSLServer>> servers_;
  std::vector<std::thread> threads_;
};

TEST_F(CheckConnectionTlsTest, TheCertificateIsVerifiedForTheAddressAsked) {
  const ProbeResult ok = Check("https://127.0.0.2:" + std::to_string(Serve("127.0.0.2")) + "/", "bienvenida");
  EXPECT_EQ(ok.outcome, Outcome::kOk) << ok.detail;
  EXPECT_TRUE(ok.phases.tls.has_value());
  // The same trusted certificate, served on an address it does not name.
  const ProbeResult other = Check("https://127.0.0.1:" + std::to_string(Serve("127.0.0.1")) + "/");
  EXPECT_EQ(other.cause, Cause::kTls);
  EXPECT_EQ(other.detail, "certificate problem: the certificate does not name 127.0.0.1");
}

// Host names, with the connection driven directly (no resolver needed): a context that
// verifies, as the engine's does, and the certificate's names checked against the URL's host.
class CheckConnectionNameTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void Serve(const std::vector<std::string>& names) {
    dir_ = MakeTestCertificate(names);
    server_ = std::make_unique<httplib::SSLServer>((dir_ + "/cert.pem").c_str(), (dir_ + "/key.pem").c_str());
    server_->Get("/", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("sni=" + req.get_header_value("Host"), "text/plain");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ConnectionReport Connect(const std::string& host) {
    const ProbeUrl url = *ParseProbeUrl("https://" + host + ":" + std::to_string(port_) + "/");
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    EXPECT_EQ(SSL_CTX_load_verify_locations(ctx, (dir_ + "/cert.pem").c_str(), nullptr), 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    EventLoop loop;
    const SteadyTime now = EventLoop::Now();
    std::optional<ConnectionReport> report;
    auto conn = CheckConnection::Start(
        loop, ConnectionPlan{.url = &url, .address = "127.0.0.1", .tls = ctx, .body_limit = 64,
                             .connect_deadline = now + Millis(3000), .deadline = now + Millis(3000)},
        [&](ConnectionReport r) { report = std::move(r); });
    loop.RunUntil([&] { return report.has_value(); }, now + Millis(5000));
    conn.reset();
    SSL_CTX_free(ctx);
    EXPECT_TRUE(report.has_value());
    return report.value_or(ConnectionReport{});
  }
  std::string dir_;
  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(CheckConnectionNameTest, TheCertificateMustNameTheHostAsked) {
  Serve({"shop.faro.test"});
  const ConnectionReport ok = Connect("shop.faro.test");
  EXPECT_EQ(ok.facts.curl_code, 0) << ok.facts.curl_error;
  EXPECT_EQ(ok.facts.http_status, 200);
  EXPECT_EQ(ok.body, "sni=shop.faro.test:" + std::to_string(port_));
  const ConnectionReport other = Connect("tienda.faro.test");
  EXPECT_EQ(Classify(other.facts).cause, Cause::kTls);
  EXPECT_EQ(other.facts.curl_error, "certificate problem: the certificate does not name tienda.faro.test");
}

TEST_F(CheckConnectionNameTest, AWildcardCoversOneWholeLabelOnly) {
  Serve({"*.faro.test", "f*.example.test"});
  EXPECT_EQ(Connect("shop.faro.test").facts.curl_code, 0);
  EXPECT_NE(Connect("a.shop.faro.test").facts.curl_code, 0);  // two labels
  EXPECT_NE(Connect("fo.example.test").facts.curl_code, 0);   // a partial wildcard: refused, as libcurl does
}

}  // namespace
}  // namespace faro
