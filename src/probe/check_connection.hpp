#pragma once
// One check's own connection: TCP connect, TLS handshake, an HTTP/1.1 GET and the start of its
// answer, on a non-blocking socket watched by the engine's event loop.
//
// Why not libcurl for checks: libcurl 7.88 builds an SSL_CTX for every connection (~90 µs with
// OpenSSL 3, a fifth of the CPU of a patrol of 10,000 HTTPS endpoints); every check's
// connection here is made from one context the engine keeps (~1 µs). API calls (POST bodies,
// headers, long answers kept whole) stay on libcurl.
//
// What a connection reports is an AttemptFacts in libcurl's vocabulary (CURLcode and errno),
// so one classifier (classify.cpp) decides the outcome and cause of both kinds of transfer.
//
// The request is the one a browser's first look would be: GET of the URL's path and query,
// Host, a User-Agent, "Connection: close"; no redirects followed, no compression asked for.
// The answer is read up to `body_limit` bytes of body (chunked or not), then the connection is
// closed: a check has its answer once the status and the text it looks for are in.
#include <openssl/types.h>

#include <functional>
#include <memory>
#include <string>

#include "core/probe_url.hpp"
#include "probe/classify.hpp"
#include "probe/event_loop.hpp"
#include "probe/probe_result.hpp"
#include "probe/tls_sessions.hpp"

namespace faro {

struct ConnectionPlan {
  const ProbeUrl* url = nullptr;  // must outlive the connection
  std::string address;            // IPv4 or IPv6 literal to connect to
  SSL_CTX* tls = nullptr;         // needed when the URL uses TLS
  TlsSessions* sessions = nullptr;
  std::size_t body_limit = 0;     // body bytes read before stopping (0: stop after the headers)
  SteadyTime connect_deadline;    // TCP and TLS done by then
  SteadyTime deadline;            // the whole answer read by then
};

struct ConnectionReport {
  // curl_code, os_errno, connected, tls_done, http_status and curl_error (the detail) are set;
  // the caller adds what it knows (expectations, slowness).
  AttemptFacts facts;
  Phases phases;  // connect, tls and first_byte
  std::string body;
};

class CheckConnection {
 public:
  using Done = std::function<void(ConnectionReport)>;

  // Starts connecting. `done` runs once, from the loop (never inside Start), after the socket
  // is closed; it may destroy the connection.
  static std::unique_ptr<CheckConnection> Start(EventLoop& loop, ConnectionPlan plan, Done done);
  ~CheckConnection();
  // Ends the connection now as a timeout of the phase it is in (the run's deadline came);
  // `done` runs before this returns.
  void Abandon();
  CheckConnection(const CheckConnection&) = delete;
  CheckConnection& operator=(const CheckConnection&) = delete;

 private:
  enum class Phase { kConnecting, kHandshake, kSending, kReading };
  struct Parser;
  CheckConnection(EventLoop& loop, ConnectionPlan plan, Done done);
  void Begin();
  void OnReady(std::uint32_t events);
  void OnConnected();
  void Handshake();
  void Send();
  void Read();
  void Succeed();
  // Ends the connection with a libcurl code, the errno behind it and words for a person.
  void Fail(int curl_code, int os_errno, std::string detail);
  void FailTls(int ssl_error, int err);
  std::string ConnectFailed(int err) const;
  void WatchFor(std::uint32_t events);
  void ArmTimer(SteadyTime when);
  void Close();
  void Report();

  EventLoop& loop_;
  ConnectionPlan plan_;
  Done done_;
  Phase phase_ = Phase::kConnecting;
  int fd_ = -1;
  std::uint32_t watching_ = 0;
  EventLoop::TimerId timer_ = 0;
  SSL* ssl_ = nullptr;
  std::string request_;
  std::size_t sent_ = 0;
  std::unique_ptr<Parser> parser_;
  bool got_bytes_ = false;
  SteadyTime started_, connected_at_, tls_at_, sent_at_;
  ConnectionReport report_;
};

}  // namespace faro
