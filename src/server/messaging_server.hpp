#pragma once
// `faro serve`: the always-on side of messaging, over one setup::App.
//
//   GET  /health                      liveness, no auth
//   GET  /metrics                     Prometheus text, no auth (counts only)
//   GET|POST /webhooks/whatsapp, POST /webhooks/telegram, POST /webhooks/twilio
//                                     provider webhooks, verified by their own signatures
//   GET|POST /unsubscribe/{token}     RFC 8058 one-click email unsubscribe (POST acts, GET asks)
//   /api/v1/...                       JSON API with bearer tokens and roles (docs/api.md)
//
// It also runs the App's dispatcher, so what the API accepts is sent. Stop() (from a signal
// thread) stops accepting connections, lets requests in progress finish, then stops the
// dispatcher, which records the results of sends in flight.
#include <atomic>
#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "inbox/webhooks.hpp"
#include "outbox/dispatcher.hpp"
#include "server/api.hpp"
#include "server/api_tokens.hpp"
#include "server/board_cache.hpp"
#include "server/per_client_limit.hpp"
#include "server/server_log.hpp"
#include "server/webhook_intake.hpp"
#include "setup/app.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace faro::service {
class WatchService;
class ListenService;
class PlanService;
}

namespace faro::server {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1", "0.0.0.0", "localhost"
  int port = 0;      // 0: any free port
};
// "HOST:PORT" or "[IPv6]:PORT"; an error says what was expected.
absl::StatusOr<ListenAddress> ParseListen(std::string_view text);

struct ServerOptions {
  std::string listen;           // HOST:PORT; "" → the configuration's server.listen
  bool run_dispatcher = true;   // tests turn it off to look at the outbox as the API wrote it
  std::ostream* log = nullptr;  // event log (one line per event); null: nothing is logged
  size_t max_body = 1 << 20;        // JSON bodies (413 above)
  size_t max_csv_body = 10 << 20;   // POST /api/v1/contacts/import
  size_t max_vantage_body = 32 << 20;  // POST /api/v1/vantage/readings
  // The always-on watch (faro.yaml watch:): its API, vantage and crowd endpoints, the status
  // page and the dashboard. Null: messaging only.
  service::WatchService* watch = nullptr;
  // Social listening (faro.yaml listen:): POST /api/v1/mentions and GET /api/v1/listening.
  service::ListenService* listening = nullptr;
  size_t max_mentions_body = 32 << 20;  // one batch of JSON Lines
  // The contingency plans (faro.yaml plans:): the incidents API, approvals by reply, metrics.
  service::PlanService* plans = nullptr;
};

class MessagingServer {
 public:
  MessagingServer(setup::App& app, ServerOptions options);
  ~MessagingServer();
  MessagingServer(const MessagingServer&) = delete;
  MessagingServer& operator=(const MessagingServer&) = delete;

  // Reads the API tokens file (when configured) and binds the listening socket. Errors say
  // which file or address and why.
  absl::Status Bind();
  // Starts the dispatcher, serves until Stop(), stops the dispatcher. Call once, after Bind.
  void Serve();
  // Thread-safe, callable from any thread, before or during Serve.
  void Stop();
  // True once Serve accepts connections; false after `timeout` (for tests and start-up).
  bool WaitUntilServing(std::chrono::milliseconds timeout) const;

  const std::string& host() const { return address_.host; }
  int port() const { return address_.port; }  // the bound port (the real one after port 0)
  // The API answers only when a tokens file is configured and holds at least one token.
  bool api_enabled() const { return tokens_ && tokens_->size() > 0; }
  inbox::Webhooks& webhooks() { return webhooks_; }

 private:
  void Routes();
  void WatchRoutes();   // watch_routes.cpp
  void ListenRoutes();  // listen_routes.cpp
  void IncidentRoutes();  // incident_routes.cpp
  // An opaque, per-server key for a crowd reporter (address and browser), never stored raw.
  std::string ReporterKey(const std::string& address, const std::string& user_agent) const;
  void HandleWebhook(const httplib::Request& req, httplib::Response& res);
  void HandleUnsubscribe(const httplib::Request& req, httplib::Response& res, bool post);
  void HandleMetrics(httplib::Response& res);
  // The caller's token when it may do what needs `needed`; otherwise answers 401 or 403.
  std::optional<ApiToken> Authorize(const httplib::Request& req, httplib::Response& res, Role needed);
  // Authorize, check the body size (413), run `handler`, write its reply.
  void ApiCall(const httplib::Request& req, httplib::Response& res, Role needed,
               const std::function<ApiReply(const ApiRequest&)>& handler);
  outbox::Dispatcher* running_dispatcher();

  setup::App& app_;
  ServerOptions options_;
  EventLog log_;
  inbox::Webhooks webhooks_;
  WebhookIntake intake_;
  Api api_;
  std::optional<ApiTokens> tokens_;
  ListenAddress address_;
  std::unique_ptr<httplib::Server> http_;
  BoardCache board_cache_;  // GET /api/v1/watch
  // GET /api/v1/events, keyed by the query and the newest event's id (an exact key: pages of
  // the log never change once written), so a poll costs one tiny query, not a rendering.
  BoardCache events_cache_{std::chrono::hours(1)};
  std::unique_ptr<outbox::Dispatcher> dispatcher_;
  std::mutex dispatcher_mutex_;  // guards dispatcher_ between Serve and the API threads
  PerClientLimit crowd_limit_;
  std::string reporter_secret_;
  std::atomic<bool> serving_{false};
  std::atomic<bool> stop_requested_{false};
};

}  // namespace faro::server
