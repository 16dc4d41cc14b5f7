// `faro serve`'s watch: the API of docs/api.md ("Watch"), the vantage push protocol, crowd
// reports, the public status page and the dashboard. Registered only when faro.yaml has a
// watch: section.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "core/strings.hpp"
#include "server/messaging_server.hpp"
#include "server/watch_pages.hpp"
#include "service/watch_service.hpp"

namespace faro::server {
namespace {

void Json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

std::map<std::string, std::string> Query(const httplib::Request& req) {
  std::map<std::string, std::string> q;
  for (const auto& [key, value] : req.params) q.emplace(key, value);
  return q;
}

ApiReply FromStatus(const absl::StatusOr<nlohmann::json>& result) {
  if (result.ok()) return {200, *result};
  return ErrorReply(result.status());
}

std::string BearerToken(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  return h.rfind("Bearer ", 0) == 0 ? std::string(Trim(std::string_view(h).substr(7))) : "";
}

// One key per query, whatever the order of its parameters.
std::string CacheKey(const std::map<std::string, std::string>& query) {
  std::string key;
  for (const auto& [name, value] : query) StrAppend(key, name, "=", value, "&");
  return key;
}

// A kept page: its entity tag (304 when the client has it, in either representation), and the
// gzip copy for clients that accept it. Browsers and most clients do: the copy compressed once
// at rendering is a tenth of the text, which keeps a 10,000-platform board fast under load.
void SendPage(const httplib::Request& req, httplib::Response& res, const BoardCache::Page& page) {
  const bool gzip = page.gzip != nullptr && AcceptsGzip(req.get_header_value("Accept-Encoding"));
  const std::string& etag = gzip ? page.gzip_etag : page.etag;
  if (page.gzip != nullptr) res.set_header("Vary", "Accept-Encoding");
  if (!etag.empty()) {
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "no-cache");
    // Either representation's tag says the client already has this page: both start with the
    // plain tag without its closing quote.
    const std::string_view both(page.etag.data(), page.etag.size() - 1);
    if (req.get_header_value("If-None-Match").find(both) != std::string::npos) {
      res.status = 304;
      return;
    }
  }
  res.status = page.status;
  if (gzip) res.set_header("Content-Encoding", "gzip");
  // Sent from the shared rendering, never copied per request (the board is hundreds of kB at
  // scale). A content provider also keeps the HTTP library from compressing it again.
  std::shared_ptr<const std::string> body = gzip ? page.gzip : page.body;
  res.set_content_provider(body->size(), "application/json",
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(body->data() + offset, std::min(length, body->size() - offset));
                           });
}

}  // namespace

void MessagingServer::WatchRoutes() {
  service::WatchService* w = options_.watch;
  httplib::Server& s = *http_;
  auto get = [this](const std::string& pattern, auto call) {
    http_->Get(pattern, [this, call](const httplib::Request& req, httplib::Response& res) {
      ApiCall(req, res, Role::kViewer, [&](const ApiRequest&) { return call(req); });
    });
  };
  using R = const httplib::Request&;
  // The board: rendered at most once a second per query, however many clients poll it.
  s.Get("/api/v1/watch", [this, w](const httplib::Request& req, httplib::Response& res) {
    if (!Authorize(req, res, Role::kViewer)) return;
    const std::map<std::string, std::string> query = Query(req);
    SendPage(req, res, board_cache_.Get(CacheKey(query), std::chrono::steady_clock::now(),
                                        [&] { return FromStatus(w->WatchJson(query)); }));
  });
  get(R"(/api/v1/watch/platforms/([^/]+)/series)",
      [w](R req) { return FromStatus(w->SeriesJson(req.matches[1].str(), Query(req))); });
  // The event log: dashboards poll it; a page is rendered (and compressed) once per new event.
  s.Get("/api/v1/events", [this, w](const httplib::Request& req, httplib::Response& res) {
    if (!Authorize(req, res, Role::kViewer)) return;
    const std::map<std::string, std::string> query = Query(req);
    auto render = [&] { return FromStatus(w->EventsJson(query)); };
    const absl::StatusOr<int64_t> newest = w->LastEventId();
    if (!newest.ok()) {  // the store's error, worded as EventsJson words it
      const ApiReply reply = render();
      return Json(res, reply.status, reply.body);
    }
    SendPage(req, res, events_cache_.Get(StrCat(CacheKey(query), "#", *newest), std::chrono::steady_clock::now(),
                                         render));
  });
  get("/api/v1/alerts", [w](R req) { return FromStatus(w->AlertsJson(Query(req))); });
  get("/api/v1/failovers", [w](R) { return FromStatus(w->FailoversJson()); });
  s.Post(R"(/api/v1/alerts/(\d+)/ack)", [this, w](const httplib::Request& req, httplib::Response& res) {
    ApiCall(req, res, Role::kManager, [&](const ApiRequest& r) {
      std::string by = r.caller;
      if (!req.body.empty()) {
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (!body.is_object()) return ErrorReply(400, "the body must be a JSON object, e.g. {\"by\": \"Leo\"}");
        if (auto it = body.find("by"); it != body.end()) {
          if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 100)
            return ErrorReply(400, "by: expected a name of 1 to 100 characters");
          by = StrCat(it->get<std::string>(), " (", r.caller, ")");
        }
      }
      int64_t id = 0;
      const std::string digits = req.matches[1].str();
      if (std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc())
        return ErrorReply(404, "no such alert");
      return FromStatus(w->Acknowledge(id, by));
    });
  });

  // Vantage agents: their own tokens (watch.vantages), not API tokens.
  auto vantage = [this, w](const httplib::Request& req, httplib::Response& res) -> std::string {
    const std::string name = w->VantageFor(BearerToken(req));
    if (name.empty()) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"faro-vantage\"");
      log_.Write("vantage_refused", {{"path", req.path}});
      Json(res, 401, {{"error", "missing or unknown vantage token (watch.vantages[].token_file)"}});
    }
    return name;
  };
  s.Get(patrol::kAssignmentPath, [w, vantage](const httplib::Request& req, httplib::Response& res) {
    const std::string name = vantage(req, res);
    if (!name.empty()) Json(res, 200, patrol::AssignmentToJson(w->AssignmentFor(name)));
  });
  s.Post(patrol::kReadingsPath, [this, w, vantage](const httplib::Request& req, httplib::Response& res) {
    const std::string name = vantage(req, res);
    if (name.empty()) return;
    if (req.body.size() > options_.max_vantage_body) {
      Json(res, 413, {{"error", StrCat("at most ", options_.max_vantage_body, " bytes per batch")}});
      return;
    }
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
      Json(res, 400, {{"error", "the body is not JSON"}});
      return;
    }
    auto batch = patrol::ReadingsFromJson(body);
    if (!batch.ok()) {
      Json(res, 400, {{"error", Message(batch.status())}});
      return;
    }
    if (batch->vantage != name) {
      Json(res, 403, {{"error", StrCat("this token belongs to vantage \"", name, "\", not \"", batch->vantage, "\"")}});
      return;
    }
    Json(res, 202, patrol::ReadingsAnswerToJson(w->AcceptReadings(name, std::move(*batch))));
  });

  // Crowd reports: public, rate-limited per client address, deduplicated per reporter.
  s.Post("/api/v1/crowd-reports", [this, w](const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > 4096) {
      Json(res, 413, {{"error", "at most 4096 bytes"}});
      return;
    }
    if (!crowd_limit_.Allow(req.remote_addr, std::chrono::steady_clock::now())) {
      res.set_header("Retry-After", "60");
      Json(res, 429, {{"error", "too many reports from this address; try again in a minute"}});
      return;
    }
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("platform") || !body["platform"].is_string()) {
      Json(res, 400, {{"error", "expected {\"platform\": \"whatsapp\", \"note\": \"optional text\"}"}});
      return;
    }
    const std::string note = body.value("note", std::string());
    // The reporter: this client's address and browser, hashed with the server's secret.
    const std::string reporter = ReporterKey(req.remote_addr, req.get_header_value("User-Agent"));
    auto accepted = w->CrowdReport(body["platform"].get<std::string>(), reporter, note);
    if (!accepted.ok()) {
      const ApiReply e = ErrorReply(accepted.status());
      Json(res, e.status, e.body);
      return;
    }
    log_.Write("crowd_report", {{"platform", body["platform"].get<std::string>()}, {"accepted", *accepted ? "true" : "false"}});
    Json(res, 202, *accepted ? nlohmann::json{{"accepted", true}}
                             : nlohmann::json{{"accepted", false}, {"reason", "duplicate"}});
  });

  // Pages.
  s.Get("/status.json", [w](const httplib::Request&, httplib::Response& res) { Json(res, 200, w->StatusJson()); });
  AddPageRoutes(s);
}

}  // namespace faro::server
