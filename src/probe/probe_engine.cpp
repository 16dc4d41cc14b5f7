#include "probe/probe_engine.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cassert>
#include <csignal>
#include <limits>
#include <mutex>

#include "core/strings.hpp"
#include "probe/check_connection.hpp"
#include "probe/classify.hpp"

namespace faro {
namespace {

double UsToMs(curl_off_t us) { return static_cast<double>(us) / 1000.0; }

struct BodySink {
  std::string* body;
  std::size_t limit;
  bool stopped = false;
};

// Keeps the first `limit` bytes of the answer, then stops the transfer: a check has its
// answer once the status and the text it looks for are in, however long the page is.
std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const std::size_t n = size * count;
  const std::size_t room = sink->limit - std::min(sink->limit, sink->body->size());
  sink->body->append(data, std::min(n, room));
  if (n >= room) {
    sink->stopped = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR, which we expect
  }
  return n;
}

}  // namespace

struct ProbeEngine::Check {
  ProbeRequest request;
  ProbeCallback done;
  int attempt = 0;
  ProbeResult result;
  SteadyTime attempt_started;
  SteadyTime attempt_deadline;
  double dns_ms = -1;
  std::string address;
  CURL* easy = nullptr;                     // an API call's transfer
  std::unique_ptr<CheckConnection> conn;    // a check's connection
  curl_slist* connect_to = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = "";
  std::string body;
  BodySink sink{&body, 0};
  EventLoop::TimerId retry_timer = 0;
};

ProbeRequest EndpointRequest(const EndpointSpec& spec, int attempts, double slow_ms, SteadyTime deadline) {
  ProbeRequest r;
  r.url = spec.url;
  r.expect = spec.expect;
  r.body_limit = spec.expect.body_contains.empty() ? 0 : kBodyTextWindow;
  r.attempts = attempts;
  r.slow_ms = slow_ms;
  r.deadline = deadline;
  return r;
}

ProbeRequest ApiRequest(ProbeUrl url, int attempts, std::size_t body_limit, SteadyTime deadline) {
  ProbeRequest r;
  r.url = std::move(url);
  r.expect.statuses = {{200, 299}};
  r.attempts = attempts;
  r.slow_ms = std::numeric_limits<double>::infinity();
  r.deadline = deadline;
  r.body_limit = body_limit;
  r.keep_body = true;
  return r;
}

absl::StatusOr<std::unique_ptr<ProbeEngine>> ProbeEngine::Create(EngineOptions options) {
  static std::once_flag init_once;
  std::call_once(init_once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // A server that closes while a check writes must not end the process: the check reports it.
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
  });
  std::unique_ptr<ProbeEngine> engine(new ProbeEngine(std::move(options)));
  // A --ca-file that holds no certificate is a configuration error: say so now, not at the
  // first HTTPS check.
  if (!engine->options_.ca_file.empty()) FARO_RETURN_IF_ERROR(engine->LoadTrustStore());
  FARO_ASSIGN_OR_RETURN(auto yours, DnsResolver::Create(engine->loop_, engine->options_.resolver,
                                                        engine->options_.dns_timeout));
  engine->resolvers_.push_back(std::move(yours));
  return engine;
}

namespace {
// Sessions belong to a host and port: the name the certificate was checked for.
std::string SessionKey(const ProbeUrl& url) { return StrCat(url.host, ":", url.port); }
}  // namespace

ProbeEngine::ProbeEngine(EngineOptions options)
    : options_(std::move(options)),
      tls_sessions_(TlsSessions::Options{.resume = options_.tls_resume, .full_every = options_.tls_full_every}) {
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &ProbeEngine::OnCurlSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &ProbeEngine::OnCurlTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

ProbeEngine::~ProbeEngine() {
  AbortAll();
  if (curl_timer_) loop_.CancelTimer(curl_timer_);
  for (CURL* easy : spare_easy_) curl_easy_cleanup(easy);
  if (check_tls_) SSL_CTX_free(check_tls_);
  if (trust_store_) X509_STORE_free(trust_store_);
  curl_multi_cleanup(multi_);
  resolvers_.clear();
}

absl::StatusOr<ResolverId> ProbeEngine::AddResolver(const ResolverAddress& server) {
  FARO_ASSIGN_OR_RETURN(auto resolver, DnsResolver::Create(loop_, server, options_.dns_timeout));
  resolvers_.push_back(std::move(resolver));
  return static_cast<ResolverId>(resolvers_.size() - 1);
}

const std::string& ProbeEngine::ResolverName(ResolverId id) const { return resolvers_.at(id)->server(); }

void ProbeEngine::Submit(ProbeRequest request, ProbeCallback done) {
  auto check = std::make_unique<Check>();
  check->request = std::move(request);
  check->done = std::move(done);
  queued_.push_back(std::move(check));
  StartNext();
}

void ProbeEngine::StartNext() {
  while (!aborting_ && !queued_.empty() && active_.size() < options_.max_in_flight) {
    std::unique_ptr<Check> check = std::move(queued_.front());
    queued_.pop_front();
    Check* raw = check.get();
    active_.emplace(raw, std::move(check));
    StartAttempt(raw);
  }
}

void ProbeEngine::StartAttempt(Check* check) {
  check->attempt_started = EventLoop::Now();
  ++check->attempt;
  const auto remaining = check->request.deadline - check->attempt_started;
  const int left = check->request.attempts - check->attempt + 1;
  // Leave room for the attempts still to come: the first gets two thirds of the time.
  check->attempt_deadline =
      check->attempt_started + (left > 1 ? remaining * 2 / 3 : remaining);
  check->dns_ms = -1;
  check->address.clear();
  check->body.clear();
  check->error[0] = '\0';
  if (check->request.url.host_is_ip) {
    check->address = check->request.url.host;
    StartTransfer(check);
    return;
  }
  ResolveCoalesced(0, check->request.url.host, [this, check](const DnsAnswer& answer) { OnDns(check, answer); });
}

void ProbeEngine::ResolveCoalesced(ResolverId id, const std::string& host, LookupCallback done) {
  const std::string key = StrCat(id, "/", host);
  auto [it, fresh] = in_flight_lookups_.try_emplace(key);
  it->second.push_back(std::move(done));
  if (!fresh) return;
  resolvers_.at(id)->Resolve(host, [this, key](const DnsAnswer& answer) {
    auto node = in_flight_lookups_.extract(key);
    if (node.empty()) return;  // answered already, as a timeout, by AbortAll
    for (auto& waiter : node.mapped()) waiter(answer);
  });
}

void ProbeEngine::Lookup(ResolverId resolver, const std::string& host, LookupCallback done) {
  ++lookups_pending_;
  ResolveCoalesced(resolver, host, [this, done = std::move(done)](const DnsAnswer& answer) {
    --lookups_pending_;
    done(answer);
  });
}

void ProbeEngine::OnDns(Check* check, const DnsAnswer& answer) {
  check->dns_ms = answer.ms >= 0 ? answer.ms
                                 : std::chrono::duration<double, std::milli>(EventLoop::Now() - check->attempt_started).count();
  if (answer.status != DnsStatus::kOk) {
    AttemptFacts facts;
    facts.dns_asked = true;
    facts.dns = answer.status;
    facts.dns_detail = answer.detail;
    FinishAttempt(check, facts);
    return;
  }
  check->address = answer.addresses.front();
  StartTransfer(check);
}

void ProbeEngine::StartTransfer(Check* check) {
  if (!check->request.keep_body) return StartConnection(check);
  const ProbeRequest& req = check->request;
  const ProbeUrl& url = req.url;
  CURL* easy = AcquireEasy();
  check->easy = easy;
  const bool v6 = check->address.find(':') != std::string::npos;
  // Connect to the address our own resolver gave, whatever the URL's host.
  const std::string connect_to =
      StrCat("::", v6 ? "[" : "", check->address, v6 ? "]" : "", ":", url.port);
  check->connect_to = curl_slist_append(nullptr, connect_to.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECT_TO, check->connect_to);
  if (url.SpeaksHttp()) {
    curl_easy_setopt(easy, CURLOPT_URL, url.text.c_str());
  } else {
    const std::string host = v6 || url.host.find(':') != std::string::npos
                                 ? StrCat("[", url.host, "]") : url.host;
    const std::string as_http = StrCat(url.scheme == Scheme::kTls ? "https://" : "http://",
                                             host, ":", url.port, "/");
    curl_easy_setopt(easy, CURLOPT_URL, as_http.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  }
  curl_easy_setopt(easy, CURLOPT_PRIVATE, check);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROXY, "");  // a direct look: no proxy from the environment
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "faro-check/0.1");
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, check->error);
  // curl holds one receive buffer per transfer: small for checks (memory scales with checks
  // in flight), large for the few API answers.
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, req.body_limit > kBodyTextWindow ? 65536L : 1024L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  check->sink = BodySink{&check->body, req.body_limit};
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &check->sink);
  const auto now = EventLoop::Now();
  const long budget_ms = std::max<long>(
      1, std::chrono::duration_cast<Millis>(check->attempt_deadline - now).count());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, budget_ms);
  // Phase deadlines inside the attempt's: connecting (TCP and TLS) may take half of it, at
  // least 3 s; a connect slower than that is a failing path, and the rest is left for the
  // answer (a server that answers after 8 s is slow, not down).
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(budget_ms, std::max(3000L, budget_ms / 2)));
  if (url.UsesTls()) {
    // One trust store for every connection: curl loads no CA file itself. Should it fail to
    // load, certificates cannot be verified and the handshake fails, with cause tls.
    LoadTrustStore().IgnoreError();
    curl_easy_setopt(easy, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(easy, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, &ProbeEngine::OnSslContext);
    curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, this);
  }
  if (!req.post_body.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.post_body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.post_body.c_str());
  }
  for (const std::string& h : req.headers) check->headers = curl_slist_append(check->headers, h.c_str());
  if (check->headers) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, check->headers);
  curl_multi_add_handle(multi_, easy);
}

SSL_CTX* ProbeEngine::CheckTlsContext() {
  if (check_tls_ != nullptr) return check_tls_;
  // Should the trust store fail to load, certificates cannot be verified and every handshake
  // fails, with cause tls.
  LoadTrustStore().IgnoreError();
  check_tls_ = SSL_CTX_new(TLS_client_method());
  if (check_tls_ == nullptr) return nullptr;
  SSL_CTX_set1_cert_store(check_tls_, trust_store_);
  SSL_CTX_set_verify(check_tls_, SSL_VERIFY_PEER, nullptr);
  // A server that closes without TLS's close_notify ends its answer like a plain one does.
  SSL_CTX_set_options(check_tls_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(check_tls_, SSL_MODE_RELEASE_BUFFERS);
  tls_sessions_.Configure(check_tls_);
  return check_tls_;
}

void ProbeEngine::StartConnection(Check* check) {
  const ProbeRequest& req = check->request;
  ConnectionPlan plan;
  plan.url = &req.url;
  plan.address = check->address;
  if (req.url.UsesTls()) {
    plan.tls = CheckTlsContext();
    plan.sessions = &tls_sessions_;
  }
  plan.body_limit = req.body_limit;
  // Connecting (TCP and TLS) may take half of the attempt, at least 3 s; a connect slower than
  // that is a failing path, and the rest is left for the answer (a server that answers after
  // 8 s is slow, not down).
  const SteadyTime now = EventLoop::Now();
  const auto budget = std::max(check->attempt_deadline - now, SteadyTime::duration(Millis(1)));
  plan.deadline = now + budget;
  plan.connect_deadline = now + std::min(budget, std::max<SteadyTime::duration>(Millis(3000), budget / 2));
  check->conn = CheckConnection::Start(loop_, std::move(plan), [this, check](ConnectionReport report) {
    OnConnectionDone(check, std::move(report));
  });
}

void ProbeEngine::OnConnectionDone(Check* check, ConnectionReport report) {
  std::unique_ptr<CheckConnection> conn = std::move(check->conn);  // freed on return
  const ProbeRequest& req = check->request;
  AttemptFacts facts = std::move(report.facts);
  facts.uses_tls = req.url.UsesTls();
  facts.speaks_http = req.url.SpeaksHttp();
  facts.slow_ms = req.slow_ms;
  check->body = std::move(report.body);
  if (facts.speaks_http && facts.http_status > 0) {
    facts.status_expected = req.expect.StatusOk(facts.http_status);
    facts.body_expected = req.expect.body_contains.empty() ||
                          check->body.find(req.expect.body_contains) != std::string::npos;
  }
  Phases& p = check->result.phases;
  p = report.phases;
  if (check->dns_ms >= 0) p.dns = check->dns_ms;
  p.total = std::chrono::duration<double, std::milli>(EventLoop::Now() - check->attempt_started).count();
  facts.total_ms = *p.total;
  check->result.http_status = facts.http_status;
  FinishAttempt(check, facts);
}

void ProbeEngine::DrainCurlMessages() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    Check* check = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&check));
    const ProbeRequest& req = check->request;
    AttemptFacts facts;
    facts.curl_code = msg->data.result;
    if (facts.curl_code == CURLE_WRITE_ERROR && check->sink.stopped) facts.curl_code = CURLE_OK;
    facts.uses_tls = req.url.UsesTls();
    facts.speaks_http = req.url.SpeaksHttp();
    facts.slow_ms = req.slow_ms;
    facts.curl_error = check->error;
    long os_errno = 0, status = 0;
    curl_off_t t_lookup = 0, t_connect = 0, t_app = 0, t_pre = 0, t_start = 0, t_total = 0;
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &t_lookup);
    curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &t_connect);
    curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &t_app);
    curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &t_pre);
    curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &t_start);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &t_total);
    facts.os_errno = static_cast<int>(os_errno);
    facts.connected = t_connect > 0;
    facts.tls_done = t_app > 0;
    facts.http_status = static_cast<int>(status);
    if (facts.speaks_http && status > 0) {
      facts.status_expected = req.expect.StatusOk(facts.http_status);
      facts.body_expected = req.expect.body_contains.empty() ||
                            check->body.find(req.expect.body_contains) != std::string::npos;
    }
    Phases& p = check->result.phases;
    p = Phases{};
    if (check->dns_ms >= 0) p.dns = check->dns_ms;
    if (t_connect > 0) p.connect = UsToMs(t_connect - t_lookup);
    if (t_app > 0) p.tls = UsToMs(t_app - t_connect);
    if (t_start > 0) p.first_byte = UsToMs(t_start - t_pre);
    p.total = UsToMs(t_total) + std::max(0.0, check->dns_ms);
    facts.total_ms = *p.total;
    check->result.http_status = facts.http_status;
    ReleaseTransfer(check);
    FinishAttempt(check, facts);
  }
}

void ProbeEngine::FinishAttempt(Check* check, const AttemptFacts& facts) {
  if (facts.dns_asked) {
    check->result.phases = Phases{};
    check->result.phases.dns = check->dns_ms;
    check->result.phases.total = check->dns_ms;
    check->result.http_status = 0;
  }
  const Classification c = Classify(facts);
  ProbeResult& r = check->result;
  r.outcome = c.outcome;
  r.cause = c.cause;
  r.detail = c.detail;
  r.attempts = check->attempt;
  r.address = check->address;
  // A host that failed is verified from scratch next time.
  if (c.outcome == Outcome::kFail && facts.uses_tls) tls_sessions_.Forget(SessionKey(check->request.url));
  if (c.outcome != Outcome::kFail || check->attempt >= check->request.attempts || aborting_) {
    Complete(check);
    return;
  }
  const Millis spacing = check->request.retry_spacing * (1 << (check->attempt - 1));
  const SteadyTime retry_at = EventLoop::Now() + spacing;
  // Not worth a try that would have under 200 ms to run.
  if (retry_at + Millis(200) >= check->request.deadline) {
    Complete(check);
    return;
  }
  check->retry_timer = loop_.AddTimer(retry_at, [this, check] {
    check->retry_timer = 0;
    StartAttempt(check);
  });
}

void ProbeEngine::Complete(Check* check) {
  auto node = active_.extract(check);
  assert(!node.empty());
  std::unique_ptr<Check> owned = std::move(node.mapped());
  if (owned->request.keep_body) owned->result.body = std::move(owned->body);
  ProbeCallback done = std::move(owned->done);
  ProbeResult result = std::move(owned->result);
  owned.reset();
  done(std::move(result));
  StartNext();
}

int ProbeEngine::OnCurlSocket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
  auto* self = static_cast<ProbeEngine*>(self_ptr);
  if (what == CURL_POLL_REMOVE) {
    self->loop_.Unwatch(fd);
    return 0;
  }
  const std::uint32_t events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
  self->loop_.Watch(fd, events, [self, fd](std::uint32_t ev) {
    int flags = 0;
    if (ev & EPOLLIN) flags |= CURL_CSELECT_IN;
    if (ev & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (ev & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
    int running = 0;
    curl_multi_socket_action(self->multi_, fd, flags, &running);
    self->DrainCurlMessages();
  });
  return 0;
}

CURLcode ProbeEngine::OnSslContext(CURL*, void* ssl_ctx, void* self_ptr) {
  auto* self = static_cast<ProbeEngine*>(self_ptr);
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  if (self->trust_store_ != nullptr) SSL_CTX_set1_cert_store(ctx, self->trust_store_);
  return CURLE_OK;
}

int ProbeEngine::OnCurlTimer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<ProbeEngine*>(self_ptr);
  if (self->curl_timer_) self->loop_.CancelTimer(self->curl_timer_);
  self->curl_timer_ = 0;
  if (timeout_ms < 0) return 0;
  self->curl_timer_ = self->loop_.AddTimer(EventLoop::Now() + Millis(timeout_ms), [self] {
    self->curl_timer_ = 0;
    int running = 0;
    curl_multi_socket_action(self->multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    self->DrainCurlMessages();
  });
  return 0;
}

void ProbeEngine::Run(SteadyTime deadline) {
  loop_.RunUntil([this] { return active_.empty() && queued_.empty() && lookups_pending_ == 0; },
                 deadline);
  AbortAll();
}

void ProbeEngine::Poll(SteadyTime until, const std::function<bool()>& done) {
  if (done) {
    loop_.RunUntil(done, until);
  } else {
    loop_.RunUntil([this] { return InFlight() == 0; }, until);
  }
}

void ProbeEngine::AbortAll() {
  // Whatever is left ran out of time: each answers once, as a timeout of the phase it was in.
  aborting_ = true;
  auto lookups = std::move(in_flight_lookups_);
  in_flight_lookups_.clear();
  DnsAnswer late;
  late.status = DnsStatus::kTimeout;
  late.detail = "no DNS answer before the run's deadline";
  late.ms = -1;
  for (auto& [key, waiters] : lookups)
    for (auto& waiter : waiters) waiter(late);
  while (!queued_.empty()) {
    std::unique_ptr<Check> check = std::move(queued_.front());
    queued_.pop_front();
    check->result.outcome = Outcome::kFail;
    check->result.cause = Cause::kTcpTimeout;
    check->result.detail = "not started: the run's --timeout was reached first";
    check->done(std::move(check->result));
  }
  while (!active_.empty()) {
    Check* check = active_.begin()->first;
    if (check->retry_timer) {
      loop_.CancelTimer(check->retry_timer);
      check->retry_timer = 0;
      Complete(check);  // keeps the failure of its last attempt
      continue;
    }
    if (check->conn) {
      check->conn->Abandon();  // answers through OnConnectionDone, as a timeout
      continue;
    }
    AttemptFacts facts;
    if (check->easy) {
      curl_off_t t_connect = 0, t_app = 0;
      curl_easy_getinfo(check->easy, CURLINFO_CONNECT_TIME_T, &t_connect);
      curl_easy_getinfo(check->easy, CURLINFO_APPCONNECT_TIME_T, &t_app);
      facts.curl_code = CURLE_OPERATION_TIMEDOUT;
      facts.connected = t_connect > 0;
      facts.tls_done = t_app > 0;
      facts.uses_tls = check->request.url.UsesTls();
      ReleaseTransfer(check);
    } else {
      facts.dns_asked = true;
      facts.dns = DnsStatus::kTimeout;
    }
    FinishAttempt(check, facts);
  }
  aborting_ = false;
}

absl::Status ProbeEngine::LoadTrustStore() {
  if (trust_store_ != nullptr) return absl::OkStatus();
  // The system's trust anchors plus --ca-file, parsed once per engine, and only when a TLS
  // check needs them: loading a CA bundle costs milliseconds, more than the handshake.
  trust_store_ = X509_STORE_new();
  if (trust_store_ == nullptr || X509_STORE_set_default_paths(trust_store_) != 1)
    return absl::InternalError("cannot load the system's trust anchors");
  if (!options_.ca_file.empty() && X509_STORE_load_file(trust_store_, options_.ca_file.c_str()) != 1)
    return absl::InvalidArgumentError(StrCat(options_.ca_file, ": no PEM certificate could be read from it"));
  return absl::OkStatus();
}

CURL* ProbeEngine::AcquireEasy() {
  if (spare_easy_.empty()) return curl_easy_init();
  CURL* easy = spare_easy_.back();
  spare_easy_.pop_back();
  return easy;
}

void ProbeEngine::ReleaseTransfer(Check* check) {
  curl_multi_remove_handle(multi_, check->easy);
  // Handles are reused (reset, not freed): it saves an allocation storm at thousands of
  // checks a second. A connect-only handle keeps its connection until cleanup, so it goes.
  if (check->request.url.SpeaksHttp() && spare_easy_.size() < options_.max_in_flight) {
    curl_easy_reset(check->easy);
    spare_easy_.push_back(check->easy);
  } else {
    curl_easy_cleanup(check->easy);
  }
  check->easy = nullptr;
  curl_slist_free_all(check->connect_to);
  curl_slist_free_all(check->headers);
  check->connect_to = check->headers = nullptr;
}

}  // namespace faro
