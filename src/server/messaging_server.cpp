#include "server/messaging_server.hpp"

#include <httplib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <thread>

#include "core/strings.hpp"
#include "inbox/payloads.hpp"
#include "server/metrics.hpp"
#include "server/listen_metrics.hpp"
#include "server/plan_metrics.hpp"
#include "server/watch_metrics.hpp"
#include "service/plan_service.hpp"
#include "service/watch_service.hpp"
#include "server/unsubscribe_page.hpp"

namespace faro::server {
namespace {

constexpr std::string_view kJson = "application/json";

void Reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // Stored text may hold invalid UTF-8 (an old import, a provider's bytes): replaced, not thrown.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), std::string(kJson));
}

inbox::WebhookSecrets SecretsFrom(const setup::FaroConfig& config) {
  inbox::WebhookSecrets s;
  s.whatsapp_app_secret = config.secrets.whatsapp_app_secret;
  s.whatsapp_verify_token = config.secrets.whatsapp_verify_token;
  s.telegram_secret_token = config.secrets.telegram_secret_token;
  s.twilio_auth_token = config.secrets.twilio_auth_token;
  s.public_base_url = config.server.public_url;
  return s;
}

std::string_view ProviderOfPath(std::string_view path) {
  if (Contains(path, "whatsapp")) return "whatsapp";
  if (Contains(path, "telegram")) return "telegram";
  if (Contains(path, "twilio")) return "twilio";
  return "unknown";
}

// Paths as logged: the unsubscribe token is a per-person credential and stays out of logs;
// query strings (hub.verify_token) are never logged.
std::string LoggedPath(const std::string& path) {
  if (path.rfind("/unsubscribe/", 0) == 0) return "/unsubscribe/…";
  return path;
}

ApiRequest ToApiRequest(const httplib::Request& req, const std::optional<ApiToken>& token) {
  ApiRequest r;
  for (const auto& [key, value] : req.params) r.query.emplace(key, value);
  r.body = req.body;
  r.idempotency_key = req.get_header_value("Idempotency-Key");
  if (token) r.caller = token->name.empty() ? StrCat(RoleName(token->role), "-token") : token->name;
  return r;
}

}  // namespace

absl::StatusOr<ListenAddress> ParseListen(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        StrCat("listen address \"", text, "\": expected HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080"));
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return bad();
  ListenAddress out;
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
  } else if (Contains(host, ":")) {
    return bad();  // an IPv6 address needs brackets
  }
  out.host = std::string(host);
  const std::string_view port = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  if (ec != std::errc() || end != port.data() + port.size() || out.port < 0 || out.port > 65535) return bad();
  return out;
}

MessagingServer::MessagingServer(setup::App& app, ServerOptions options)
    : app_(app),
      options_(std::move(options)),
      log_(options_.log),
      webhooks_(SecretsFrom(app.config())),
      intake_(app, webhooks_, log_),
      api_(app, [this] { return running_dispatcher(); }, log_),
      http_(std::make_unique<httplib::Server>()) {
  if (options_.watch != nullptr) {
    unsigned char secret[32];
    if (RAND_bytes(secret, sizeof secret) != 1) std::abort();  // no randomness: nothing is safe
    reporter_secret_.assign(reinterpret_cast<const char*>(secret), sizeof secret);
    crowd_limit_.SetPerMinute(app.config().watch.crowd_per_minute);
  }
  // A team member's reply: an answer to an approval request ("sí", "no"), an acknowledgement of
  // an alert ("ok", "visto"), or both ("ok" approves and acknowledges: the person is there).
  if (options_.watch != nullptr || options_.plans != nullptr) {
    service::WatchService* watch = options_.watch;
    service::PlanService* plans = options_.plans;
    intake_.OnMessage([watch, plans](int64_t contact, const std::string& channel, const std::string& text) {
      if (plans != nullptr) plans->AnswerByReply(contact, channel, text);
      if (watch != nullptr) watch->AcknowledgeByReply(contact, channel, text);
    });
  }
  Routes();
}

std::string MessagingServer::ReporterKey(const std::string& address, const std::string& user_agent) const {
  const std::string data = StrCat(address, "\n", user_agent);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), reporter_secret_.data(), static_cast<int>(reporter_secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

MessagingServer::~MessagingServer() {
  Stop();
  if (dispatcher_) dispatcher_->Stop();
}

outbox::Dispatcher* MessagingServer::running_dispatcher() {
  std::lock_guard lock(dispatcher_mutex_);
  return dispatcher_.get();
}

std::optional<ApiToken> MessagingServer::Authorize(const httplib::Request& req, httplib::Response& res, Role needed) {
  if (!api_enabled()) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"faro\"");
    Reply(res, 401, {{"error", "the API is off: no server.api_tokens_file with tokens is configured"}});
    return std::nullopt;
  }
  std::optional<ApiToken> token = tokens_->Check(req.get_header_value("Authorization"));
  if (!token) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"faro\"");
    log_.Write("api_refused", {{"path", req.path}, {"status", "401"}});
    Reply(res, 401, {{"error", "missing or unknown bearer token (Authorization: Bearer <token>)"}});
    return std::nullopt;
  }
  if (token->role < needed) {
    log_.Write("api_refused", {{"path", req.path}, {"status", "403"}, {"caller", token->name}});
    Reply(res, 403, {{"error", StrCat("this needs the ", RoleName(needed), " role; the token is ", RoleName(token->role))}});
    return std::nullopt;
  }
  return token;
}

void MessagingServer::ApiCall(const httplib::Request& req, httplib::Response& res, Role needed,
                              const std::function<ApiReply(const ApiRequest&)>& handler) {
  const std::optional<ApiToken> token = Authorize(req, res, needed);
  if (!token) return;
  if (req.body.size() > options_.max_body) {
    Reply(res, 413, {{"error", StrCat("the body has ", req.body.size(), " bytes; at most ", options_.max_body, " here")}});
    return;
  }
  const ApiReply reply = handler(ToApiRequest(req, token));
  Reply(res, reply.status, reply.body);
}

void MessagingServer::Routes() {
  httplib::Server& s = *http_;
  s.set_payload_max_length(options_.max_csv_body);
  // A client that goes silent for 10 s while sending its request is dropped, so it does not
  // hold one of the workers (providers send their small bodies at once).
  s.set_read_timeout(10, 0);
  // Small JSON answers go out at once: without it, Nagle's algorithm and the client's delayed
  // ACK hold each keep-alive answer ~40 ms.
  s.set_tcp_nodelay(true);
  s.set_write_timeout(30, 0);

  s.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200, {{"status", "ok"}, {"version", FARO_VERSION}});
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { HandleMetrics(res); });

  auto webhook = [this](const httplib::Request& req, httplib::Response& res) { HandleWebhook(req, res); };
  s.Get(R"(/webhooks/[^/]+/?)", webhook);
  s.Post(R"(/webhooks/[^/]+/?)", webhook);

  s.Get(R"(/unsubscribe/([^/]+))",
        [this](const httplib::Request& req, httplib::Response& res) { HandleUnsubscribe(req, res, false); });
  s.Post(R"(/unsubscribe/([^/]+))",
         [this](const httplib::Request& req, httplib::Response& res) { HandleUnsubscribe(req, res, true); });

  auto get = [this](const std::string& pattern, auto call) {
    http_->Get(pattern, [this, call](const httplib::Request& req, httplib::Response& res) {
      ApiCall(req, res, Role::kViewer, [&](const ApiRequest& r) { return call(req, r); });
    });
  };
  auto post = [this](const std::string& pattern, auto call) {
    http_->Post(pattern, [this, call](const httplib::Request& req, httplib::Response& res) {
      ApiCall(req, res, Role::kManager, [&](const ApiRequest& r) { return call(req, r); });
    });
  };
  using R = const httplib::Request&;
  using A = const ApiRequest&;
  get("/api/v1/contacts", [this](R, A r) { return api_.ListContacts(r); });
  // The CSV is read through a content reader: httplib would otherwise parse a body sent as
  // application/x-www-form-urlencoded (curl --data-binary's default) and refuse it above 8 KB.
  s.Post("/api/v1/contacts/import",
         [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
           const std::optional<ApiToken> token = Authorize(req, res, Role::kManager);
           std::string body;
           bool too_big = false;
           // Read to the end even when refused, so the connection stays usable.
           reader([&](const char* data, size_t length) {
             too_big |= body.size() + length > options_.max_csv_body;
             if (token && !too_big) body.append(data, length);
             return true;
           });
           if (!token) return;
           if (too_big) {
             Reply(res, 413, {{"error", StrCat("the CSV is larger than ", options_.max_csv_body, " bytes; split it")}});
             return;
           }
           ApiRequest r = ToApiRequest(req, token);
           r.body = std::move(body);
           const ApiReply reply = api_.ImportContacts(r);
           Reply(res, reply.status, reply.body);
         });
  post("/api/v1/messages", [this](R, A r) { return api_.SendMessage(r); });
  post("/api/v1/broadcasts", [this](R, A r) { return api_.StartBroadcast(r); });
  get("/api/v1/broadcasts", [this](R, A r) { return api_.ListBroadcasts(r); });
  get(R"(/api/v1/broadcasts/([^/]+))", [this](R req, A) { return api_.GetBroadcast(req.matches[1].str()); });
  get("/api/v1/outbox", [this](R, A r) { return api_.OutboxSummary(r); });
  get(R"(/api/v1/outbox/messages/([^/]+))", [this](R req, A) { return api_.GetMessage(req.matches[1].str()); });
  post(R"(/api/v1/channels/([^/]+)/down)", [this](R req, A r) { return api_.ChannelDown(req.matches[1].str(), r); });
  post(R"(/api/v1/channels/([^/]+)/up)", [this](R req, A r) { return api_.ChannelUp(req.matches[1].str(), r); });
  get("/api/v1/inbox", [this](R, A r) { return api_.ListConversations(r); });
  if (options_.watch != nullptr) WatchRoutes();
  if (options_.listening != nullptr) ListenRoutes();
  if (options_.plans != nullptr) IncidentRoutes();

  // Answers without a body (no route, a method not served, 413 from the library) get one.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string what = res.status == 404   ? "no such endpoint"
                             : res.status == 413 ? "the body is too large"
                                                 : StrCat("HTTP ", res.status);
    if (req.path.rfind("/api/", 0) == 0) Reply(res, res.status, {{"error", what}});
    else res.set_content(what + "\n", "text/plain");
  });
  s.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_.Write("internal_error", {{"path", LoggedPath(req.path)}, {"error", what}});
    Reply(res, 500, {{"error", "internal error; the server log has the details"}});
  });
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    log_.Write("http", {{"method", req.method}, {"path", LoggedPath(req.path)}, {"status", std::to_string(res.status)},
                        {"remote", req.remote_addr}});
  });
}

void MessagingServer::HandleWebhook(const httplib::Request& req, httplib::Response& res) {
  inbox::WebhookRequest w;
  w.method = req.method;
  w.path = req.path;
  const size_t q = req.target.find('?');
  if (q != std::string::npos) w.query = inbox::ParseFormUrlEncoded(std::string_view(req.target).substr(q + 1));
  w.url = StrCat("http://", req.get_header_value("Host"), req.target);
  for (const auto& [name, value] : req.headers) w.headers.emplace_back(ToLower(name), value);
  w.body = req.body;
  w.received_at = app_.clock().Now();
  const inbox::HandleResult result = webhooks_.Handle(w);
  const std::string_view provider = ProviderOfPath(req.path);
  for (const std::string& warning : result.warnings)
    log_.Write("webhook_warning", {{"provider", std::string(provider)}, {"warning", warning}});
  int status = result.response.status;
  IntakeSummary summary;
  if (!result.events.empty()) {
    summary = intake_.Record(result.events);
    // The store failed: the provider redelivers on any non-2xx answer, and recording is idempotent.
    if (summary.errors > 0) status = 503;
  }
  log_.Write("webhook", {{"provider", std::string(provider)},
                         {"method", req.method},
                         {"status", std::to_string(status)},
                         {"events", std::to_string(result.events.size())},
                         {"messages", std::to_string(summary.messages)},
                         {"statuses", std::to_string(summary.statuses)},
                         {"duplicates", std::to_string(summary.duplicates)},
                         {"skipped", std::to_string(summary.skipped)}});
  res.status = status;
  if (status == 503) res.set_content("could not record the events; please deliver again\n", "text/plain");
  else res.set_content(result.response.body, result.response.content_type);
}

void MessagingServer::HandleUnsubscribe(const httplib::Request& req, httplib::Response& res, bool post) {
  const std::string& business = app_.config().business.name;
  const Lang lang = app_.config().business.lang;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Robots-Tag", "noindex");
  const std::optional<int64_t> id = app_.CheckUnsubscribeToken(req.matches[1].str());
  std::optional<contacts::Contact> contact;
  if (id) {
    auto found = app_.contacts().Get(*id);
    if (found.ok()) contact = std::move(*found);
  }
  if (!contact) {
    res.status = 404;
    res.set_content(UnsubscribeUnknownText(lang), "text/plain; charset=utf-8");
    return;
  }
  if (!post) {
    // Never unsubscribe on GET: mail scanners and link previews follow links.
    res.status = 200;
    res.set_content(UnsubscribeConfirmPage(business, lang), "text/html; charset=utf-8");
    return;
  }
  int changed = 0;
  for (const setup::ConfiguredChannel& c : app_.config().channels) {
    if (c.info.type != "smtp" || contact->ConsentFor(c.info.id) == contacts::ConsentState::kOptedOut) continue;
    contacts::Consent consent{contacts::ConsentState::kOptedOut, app_.clock().Now(), "one-click unsubscribe"};
    if (absl::Status st = app_.contacts().SetConsent(contact->id, c.info.id, consent, "one-click unsubscribe"); !st.ok()) {
      log_.Write("unsubscribe_error", {{"contact", std::to_string(contact->id)}, {"error", Message(st)}});
      res.status = 503;
      res.set_content("please try again in a minute / inténtalo de nuevo en un minuto\n", "text/plain; charset=utf-8");
      return;
    }
    ++changed;
  }
  if (changed > 0) app_.directory().Invalidate();
  log_.Write("unsubscribe", {{"contact", std::to_string(contact->id)}, {"channels", std::to_string(changed)}});
  res.status = 200;
  res.set_content(UnsubscribedText(business, lang), "text/plain; charset=utf-8");
}

void MessagingServer::HandleMetrics(httplib::Response& res) {
  MetricsSnapshot snapshot;
  for (const setup::ConfiguredChannel& c : app_.config().channels) snapshot.channels.push_back(c.info.id);
  if (auto counts = app_.outbox().CountsByChannel(); counts.ok()) snapshot.outbox = std::move(*counts);
  snapshot.down = app_.outbox().DownSet();
  if (outbox::Dispatcher* d = running_dispatcher()) snapshot.dispatcher = d->stats();
  snapshot.webhooks["whatsapp"] = webhooks_.Counters(inbox::kWhatsAppCloud);
  snapshot.webhooks["telegram"] = webhooks_.Counters(inbox::kTelegramBot);
  snapshot.webhooks["twilio"] = webhooks_.Counters(inbox::kTwilioSms);
  res.status = 200;
  std::string text = RenderMetrics(snapshot);
  if (options_.watch != nullptr) text += WatchMetrics(*options_.watch);
  if (options_.listening != nullptr) text += ListenMetrics(*options_.listening);
  if (options_.plans != nullptr) text += PlanMetrics(*options_.plans);
  res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
}

absl::Status MessagingServer::Bind() {
  FARO_ASSIGN_OR_RETURN(address_, ParseListen(options_.listen.empty() ? app_.config().server.listen : options_.listen));
  const std::string& tokens_file = app_.config().server.api_tokens_file;
  if (!tokens_file.empty()) {
    FARO_ASSIGN_OR_RETURN(ApiTokens tokens, ApiTokens::Load(tokens_file));
    tokens_ = std::move(tokens);
  }
  const int requested = address_.port;
  address_.port = requested == 0 ? http_->bind_to_any_port(address_.host)
                                 : (http_->bind_to_port(address_.host, requested) ? requested : -1);
  if (address_.port <= 0)
    return absl::UnavailableError(StrCat("cannot listen on ", address_.host, ":", requested,
                                         " (the port is in use, or the host is not an address of this machine)"));
  return absl::OkStatus();
}

void MessagingServer::Serve() {
  if (options_.run_dispatcher) {
    std::lock_guard lock(dispatcher_mutex_);
    dispatcher_ = app_.MakeDispatcher();
    if (options_.watch != nullptr) {
      // Every send's outcome is a signal for the watch: a provider failing our own messages.
      auto recorded = std::move(dispatcher_->on_result);
      service::WatchService* watch = options_.watch;
      dispatcher_->on_result = [recorded, watch](const outbox::Message& m, const channels::SendResult& r) {
        if (recorded) recorded(m, r);
        watch->SendOutcome(m.channel, r.provider_fault);
      };
    }
    dispatcher_->Start();
  }
  log_.Write("serving", {{"listen", StrCat(address_.host, ":", address_.port)},
                         {"api", api_enabled() ? "on" : "off"},
                         {"dispatcher", options_.run_dispatcher ? "on" : "off"}});
  serving_ = true;
  if (!stop_requested_) http_->listen_after_bind();
  serving_ = false;
  // Every request has finished (the library joins its workers); now the sends in flight.
  if (outbox::Dispatcher* d = running_dispatcher()) d->Stop();
  log_.Write("stopped", {});
}

void MessagingServer::Stop() {
  stop_requested_ = true;
  // Serve may be between its check and the library's start: wait until it runs, then stop it.
  while (serving_ && !http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_->stop();
}

bool MessagingServer::WaitUntilServing(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!http_->is_running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace faro::server
