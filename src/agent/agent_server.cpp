#include "agent/agent_server.hpp"

#include <httplib.h>
#include <openssl/crypto.h>

#include "core/strings.hpp"

namespace faro {
namespace {

void ReplyJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void ReplyError(httplib::Response& res, int status, const std::string& message) {
  ReplyJson(res, status, {{"error", message}});
}

}  // namespace

absl::StatusOr<std::vector<EndpointEvidence>> ProbeBatchHere(const EngineOptions& options, const ProbeBatch& batch) {
  FARO_ASSIGN_OR_RETURN(auto engine, ProbeEngine::Create(options));
  const SteadyTime deadline = EventLoop::Now() + Millis(batch.timeout_ms);
  std::vector<EndpointEvidence> out(batch.endpoints.size());
  for (std::size_t i = 0; i < batch.endpoints.size(); ++i) {
    const EndpointSpec& spec = batch.endpoints[i];
    out[i].url = spec.url.text;
    engine->Submit(EndpointRequest(spec, batch.attempts, batch.slow_ms, deadline), [&out, i](ProbeResult r) { out[i].result = std::move(r); });
  }
  engine->Run(deadline);
  return out;
}

AgentServer::AgentServer(AgentOptions options)
    : options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
    ReplyJson(res, 200, {{"status", "ok"}, {"vantage", options_.name}});
  });
  server_->Post("/v1/probe", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorised(req.get_header_value("Authorization"))) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"faro-agent\"");
      ReplyError(res, 401, "missing or wrong bearer token");
      return;
    }
    const auto json = nlohmann::json::parse(req.body, nullptr, false);
    if (json.is_discarded()) {
      ReplyError(res, 400, "request body is not JSON");
      return;
    }
    auto batch = ProbeBatchFromJson(json);
    if (!batch.ok()) {
      ReplyError(res, 400, Message(batch.status()));
      return;
    }
    auto evidence = ProbeBatchHere(options_.engine, *batch);
    if (!evidence.ok()) {
      ReplyError(res, 500, Message(evidence.status()));
      return;
    }
    ReplyJson(res, 200, ProbeAnswerToJson(ProbeAnswer{options_.name, std::move(*evidence)}));
  });
  // Every answer of a check batch can be large; it is written in one piece.
  server_->set_payload_max_length(64 * 1024 * 1024);
  server_->set_read_timeout(30, 0);
  server_->set_write_timeout(30, 0);
}

AgentServer::~AgentServer() = default;

bool AgentServer::Authorised(const std::string& header) const {
  constexpr std::string_view kPrefix = "Bearer ";
  if (options_.token.empty() || header.size() != kPrefix.size() + options_.token.size() ||
      header.compare(0, kPrefix.size(), kPrefix) != 0)
    return false;
  return CRYPTO_memcmp(header.data() + kPrefix.size(), options_.token.data(), options_.token.size()) == 0;
}

absl::Status AgentServer::Bind(const std::string& host, int port) {
  if (options_.token.empty())
    return absl::FailedPreconditionError("FARO_AGENT_TOKEN is not set: the agent refuses to run without a token");
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) return absl::UnavailableError(StrCat("cannot listen on ", host, ":", port, " (in use, or not an address of this host)"));
  return absl::OkStatus();
}

void AgentServer::Serve() { server_->listen_after_bind(); }

void AgentServer::Stop() { server_->stop(); }

}  // namespace faro
