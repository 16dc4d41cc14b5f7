#pragma once
// The asynchronous probe engine: one thread, thousands of concurrent checks. DNS goes through
// c-ares (never a blocking call); checks make their own connections (check_connection.hpp, one
// TLS context for all of them) and API calls go through libcurl's multi interface, all on one
// epoll loop. Memory is bounded by `max_in_flight`: queued checks cost one small record each.
//
// Not thread-safe; one engine per thread. Callbacks run on the engine's thread, inside Run().
#include <curl/curl.h>
#include <openssl/types.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/probe_url.hpp"
#include "core/resolver_address.hpp"
#include "core/status.hpp"
#include "probe/dns_resolver.hpp"
#include "probe/event_loop.hpp"
#include "probe/probe_result.hpp"
#include "probe/tls_sessions.hpp"

namespace faro {

struct EngineOptions {
  std::optional<ResolverAddress> resolver;  // "yours"; unset: /etc/resolv.conf
  std::string ca_file;                      // extra trust anchors, added to the system's
  // Resume each host's TLS session (a full handshake still every tls_full_every checks of it).
  bool tls_resume = false;
  int tls_full_every = 10;
  std::size_t max_in_flight = 2000;
  Millis dns_timeout{4000};                 // per DNS query
};

struct ProbeRequest {
  ProbeUrl url;
  Expectation expect;
  int attempts = 2;               // a failure counts only when every attempt failed
  Millis retry_spacing{500};      // before the 2nd attempt; doubles after
  double slow_ms = 2000;
  SteadyTime deadline;            // no attempt runs past it
  // Bytes of the answer read before the transfer stops (0: stop at the first body byte).
  std::size_t body_limit = 0;
  // Hand the bytes read to the callback: an API call, made with libcurl. Checks drop them
  // and make their own connection (a GET; no POST body or extra headers).
  bool keep_body = false;
  // For API calls (vantages, feeds): POST body and extra headers ("Name: value").
  std::string post_body;
  std::vector<std::string> headers;
};

// How far into an answer `expect_body` text is looked for.
inline constexpr std::size_t kBodyTextWindow = 16 * 1024;

// A check of one catalog endpoint.
ProbeRequest EndpointRequest(const EndpointSpec& spec, int attempts, double slow_ms, SteadyTime deadline);
// A call to an API (a vantage agent, a status feed): never "slow", statuses 200-299 healthy.
ProbeRequest ApiRequest(ProbeUrl url, int attempts, std::size_t body_limit, SteadyTime deadline);

using ResolverId = int;  // 0 is yours; AddResolver returns the others

class ProbeEngine {
 public:
  using ProbeCallback = std::function<void(ProbeResult)>;
  using LookupCallback = std::function<void(const DnsAnswer&)>;

  static absl::StatusOr<std::unique_ptr<ProbeEngine>> Create(EngineOptions options);
  ~ProbeEngine();

  absl::StatusOr<ResolverId> AddResolver(const ResolverAddress& server);
  const std::string& ResolverName(ResolverId id) const;

  // Queues a check; `done` runs once with its result.
  void Submit(ProbeRequest request, ProbeCallback done);
  // A bare DNS lookup on one resolver (no retry), answered through `done`.
  void Lookup(ResolverId resolver, const std::string& host, LookupCallback done);

  // Runs until every submitted check and lookup has answered, or `deadline`. Checks still
  // running at the deadline answer with a timeout failure before Run returns.
  void Run(SteadyTime deadline);

  // Runs I/O and timers until `until`, or earlier once `done()` returns true (by default:
  // once nothing is in flight). Unlike Run it never aborts: checks still running at `until`
  // keep going and end by their own deadlines during later Poll or Run calls. For callers
  // that keep the engine busy continuously (patrols), submitting as checks fall due.
  void Poll(SteadyTime until, const std::function<bool()>& done = nullptr);

  // TLS handshakes so far, full and resumed.
  TlsHandshakes tls_handshakes() const { return tls_sessions_.handshakes(); }

  // Checks queued or running, plus bare lookups not yet answered.
  std::size_t InFlight() const { return queued_.size() + active_.size() + lookups_pending_; }

  EventLoop& loop() { return loop_; }

 private:
  struct Check;
  explicit ProbeEngine(EngineOptions options);
  void StartNext();
  void StartAttempt(Check* check);
  void OnDns(Check* check, const DnsAnswer& answer);
  void StartTransfer(Check* check);
  void StartConnection(Check* check);
  void OnConnectionDone(Check* check, struct ConnectionReport report);
  SSL_CTX* CheckTlsContext();  // made once, at the first TLS check
  void FinishAttempt(Check* check, const struct AttemptFacts& facts);
  void Complete(Check* check);
  void DrainCurlMessages();
  void ResolveCoalesced(ResolverId id, const std::string& host, LookupCallback done);
  void AbortAll();
  void ReleaseTransfer(Check* check);
  CURL* AcquireEasy();
  absl::Status LoadTrustStore();  // once; later calls are no-ops

  static int OnCurlSocket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int OnCurlTimer(CURLM* multi, long timeout_ms, void* self);
  static CURLcode OnSslContext(CURL* easy, void* ssl_ctx, void* self);

  EngineOptions options_;
  EventLoop loop_;
  CURLM* multi_ = nullptr;
  EventLoop::TimerId curl_timer_ = 0;
  std::vector<std::unique_ptr<DnsResolver>> resolvers_;
  std::vector<CURL*> spare_easy_;
  X509_STORE* trust_store_ = nullptr;  // shared by every TLS check; freed with the engine
  SSL_CTX* check_tls_ = nullptr;       // every check's TLS connection is made from it
  TlsSessions tls_sessions_;
  std::deque<std::unique_ptr<Check>> queued_;
  std::unordered_map<Check*, std::unique_ptr<Check>> active_;
  std::size_t lookups_pending_ = 0;
  bool aborting_ = false;  // Run's deadline passed: answer everything, start nothing
  // Identical names asked at the same time share one query; answers are not cached.
  std::unordered_map<std::string, std::vector<LookupCallback>> in_flight_lookups_;
};

}  // namespace faro
