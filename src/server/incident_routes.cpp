// `faro serve`'s incidents API (docs/api.md, "Incidents"): the incidents the contingency plans
// opened, people's approvals, notes, status updates, roles and closing, the restoration check on
// demand, and reports; and the crisis log the closed ones go to (crisis_log_routes.cpp).
// Registered only when faro.yaml has plans:. Changes are stored before they are answered.
#include <httplib.h>

#include <charconv>

#include "core/strings.hpp"
#include "server/crisis_log_routes.hpp"
#include "server/messaging_server.hpp"
#include "server/watch_pages.hpp"
#include "service/plan_service.hpp"

namespace faro::server {
namespace {

void Send(httplib::Response& res, const ApiReply& reply) {
  res.status = reply.status;
  res.set_content(reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// A report is opened with the API token, or by a signed link (crisis_log_routes.hpp) that
// carries ?expires=&sig= instead. A signature that does not hold is 403, said in words.
enum class LinkCheck { kNone, kValid, kRefused };
LinkCheck CheckSignedLink(const httplib::Request& req, TimePoint now, httplib::Response& res) {
  if (!req.has_param("sig")) return LinkCheck::kNone;
  if (ProcessReportLinks().Valid(req.path, req.get_param_value("expires"), req.get_param_value("sig"), now))
    return LinkCheck::kValid;
  res.status = 403;
  res.set_content("This report link has expired or is not valid: open the report again from the dashboard.\n"
                  "Este enlace al informe venció o no es válido: vuelve a abrir el informe desde el panel.\n",
                  "text/plain; charset=utf-8");
  return LinkCheck::kRefused;
}

// Reports are whole pages of their own: no script, styles inline, nothing fetched.
void SendReport(httplib::Response& res, std::string body, bool html) {
  res.status = 200;
  res.set_header("Cache-Control", "private, no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (html) {
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    res.set_header("Referrer-Policy", "no-referrer");  // the link's signature stays here
  }
  res.set_content(std::move(body), html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8");
}

// The API's usual statuses, plus: a person not allowed to answer 403, and a change the
// incident's state refuses (already closed, an approval already settled) 409.
ApiReply Failure(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kPermissionDenied) return ErrorReply(403, Message(status));
  if (status.code() == absl::StatusCode::kFailedPrecondition) return ErrorReply(409, Message(status));
  return ErrorReply(status);
}

ApiReply FromStatus(const absl::StatusOr<nlohmann::json>& result) {
  if (result.ok()) return {200, *result};
  return Failure(result.status());
}

std::optional<int64_t> Id(const std::string& digits) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size() || id < 1) return std::nullopt;
  return id;
}

// A required, non-blank string field of at most `max` bytes.
absl::StatusOr<std::string> Required(const JsonBody& body, std::string_view key, size_t max, std::string_view example) {
  FARO_ASSIGN_OR_RETURN(const std::optional<std::string> value, body.String(key));
  if (!value || Trim(*value).empty())
    return absl::InvalidArgumentError(StrCat("field \"", key, "\" is required, e.g. ", example));
  if (value->size() > max) return absl::InvalidArgumentError(StrCat("field \"", key, "\" has more than ", max, " bytes"));
  return std::string(Trim(*value));
}

absl::StatusOr<std::string> Optional(const JsonBody& body, std::string_view key, size_t max) {
  FARO_ASSIGN_OR_RETURN(const std::optional<std::string> value, body.String(key));
  if (!value) return std::string();
  if (value->size() > max) return absl::InvalidArgumentError(StrCat("field \"", key, "\" has more than ", max, " bytes"));
  return std::string(Trim(*value));
}

}  // namespace

void MessagingServer::IncidentRoutes() {
  service::PlanService* plans = options_.plans;
  using R = const httplib::Request&;
  using A = const ApiRequest&;
  // Each route: the role it needs, then the incident id from the path (404 when not a number).
  auto route = [this](bool post, const std::string& pattern, Role role, auto call) {
    auto handler = [this, role, call](const httplib::Request& req, httplib::Response& res) {
      ApiCall(req, res, role, [&](const ApiRequest& r) {
        const std::optional<int64_t> id = Id(req.matches[1].str());
        if (!id) return ErrorReply(404, StrCat("no incident \"", req.matches[1].str(), "\""));
        return call(req, r, *id);
      });
    };
    if (post) http_->Post(pattern, handler);
    else http_->Get(pattern, handler);
  };

  http_->Get("/api/v1/incidents", [this, plans](const httplib::Request& req, httplib::Response& res) {
    ApiCall(req, res, Role::kViewer, [&](A r) { return FromStatus(plans->IncidentsJson(r.query)); });
  });
  route(false, R"(/api/v1/incidents/([^/]+))", Role::kViewer, [this, plans](R, A, int64_t id) {
    auto incident = plans->IncidentJson(id);
    if (!incident.ok()) return Failure(incident.status());
    auto updates = plans->StatusUpdatesJson(id);
    if (updates.ok()) (*incident)["status_updates"] = std::move(*updates);
    (*incident)["report_links"] = ProcessReportLinks().All(StrCat("/api/v1/incidents/", id, "/report"), app_.clock().Now());
    return ApiReply{200, std::move(*incident)};
  });

  route(true, R"(/api/v1/incidents/([^/]+)/approvals/([^/]+))", Role::kManager, [plans](R req, A r, int64_t id) {
    const std::optional<int64_t> action = Id(req.matches[2].str());
    if (!action) return ErrorReply(404, StrCat("no approval request \"", req.matches[2].str(), "\""));
    auto body = JsonBody::Parse(r.body, {"decision", "reason", "as"});
    if (!body.ok()) return Failure(body.status());
    auto decision = Required(*body, "decision", 20, "{\"decision\": \"approve\"} or {\"decision\": \"deny\"}");
    if (!decision.ok()) return Failure(decision.status());
    if (*decision != "approve" && *decision != "deny")
      return ErrorReply(400, StrCat("decision: expected \"approve\" or \"deny\", got \"", *decision, "\""));
    auto reason = Optional(*body, "reason", 2000);
    if (!reason.ok()) return Failure(reason.status());
    auto as = Optional(*body, "as", 100);
    if (!as.ok()) return Failure(as.status());
    // The person: the one named by "as", or the token's own name.
    const std::string person = as->empty() ? r.caller : *as;
    std::string why = *reason;
    if (!as->empty() && *as != r.caller) why = StrCat(why, why.empty() ? "" : " ", "[via ", r.caller, "]");
    return FromStatus(plans->Decide(id, *action, *decision == "approve", person, why));
  });

  route(true, R"(/api/v1/incidents/([^/]+)/notes)", Role::kManager, [plans](R, A r, int64_t id) {
    auto body = JsonBody::Parse(r.body, {"text"});
    if (!body.ok()) return Failure(body.status());
    auto text = Required(*body, "text", 10000, "{\"text\": \"worked: the Telegram notice went out in 3 minutes\"}");
    if (!text.ok()) return Failure(text.status());
    return FromStatus(plans->AddNote(id, r.caller, *text));
  });

  route(true, R"(/api/v1/incidents/([^/]+)/status-updates)", Role::kManager, [plans](R, A r, int64_t id) {
    auto body = JsonBody::Parse(r.body, {"text"});
    if (!body.ok()) return Failure(body.status());
    auto text = Required(*body, "text", 4000, "{\"text\": \"Telegram works; we answered 12 customers\"}");
    if (!text.ok()) return Failure(text.status());
    return FromStatus(plans->PostStatusUpdate(id, r.caller, *text));
  });

  route(true, R"(/api/v1/incidents/([^/]+)/roles)", Role::kManager, [plans](R, A r, int64_t id) {
    auto body = JsonBody::Parse(r.body, {"role", "person", "change"});
    if (!body.ok()) return Failure(body.status());
    auto role = Required(*body, "role", 100, "{\"role\": \"community-manager\", \"person\": \"Leo\", \"change\": \"take\"}");
    if (!role.ok()) return Failure(role.status());
    auto person = Required(*body, "person", 100, "{\"role\": \"community-manager\", \"person\": \"Leo\"}");
    if (!person.ok()) return Failure(person.status());
    auto change = Optional(*body, "change", 20);
    if (!change.ok()) return Failure(change.status());
    plan::RoleChange how = plan::RoleChange::kTake;
    if (*change == "join") how = plan::RoleChange::kJoin;
    else if (*change == "hand-over") how = plan::RoleChange::kHandOver;
    else if (!change->empty() && *change != "take")
      return ErrorReply(400, StrCat("change: expected take, join or hand-over, got \"", *change, "\""));
    return FromStatus(plans->AssignRole(id, *role, *person, how));
  });

  route(true, R"(/api/v1/incidents/([^/]+)/close)", Role::kManager, [plans](R, A r, int64_t id) {
    auto body = JsonBody::Parse(r.body, {"reason"}, /*empty_ok=*/true);
    if (!body.ok()) return Failure(body.status());
    auto reason = Optional(*body, "reason", 2000);
    if (!reason.ok()) return Failure(reason.status());
    auto answer = plans->Close(id, r.caller, *reason);
    if (!answer.ok()) return Failure(answer.status());
    if (!answer->closed) return ApiReply{409, {{"error", answer->error}, {"blocking", answer->blocking}}};
    return ApiReply{200, answer->incident};
  });

  route(true, R"(/api/v1/incidents/([^/]+)/restoration-check)", Role::kManager, [plans](R, A r, int64_t id) {
    if (!Trim(r.body).empty() && Trim(r.body) != "{}") return ErrorReply(400, "this call takes no body (or {})");
    auto checked = plans->CheckRestorationNow(id);
    plans->WriteCrisisLog();  // an all-green check closes a stable incident
    return FromStatus(checked);
  });

  // Reports: Markdown or one printable HTML page, in ?lang=es|en (else Accept-Language, else
  // the business's language).
  auto report = [this, plans](record::ReportFormat format) {
    return [this, plans, format](const httplib::Request& req, httplib::Response& res) {
      const LinkCheck link = CheckSignedLink(req, app_.clock().Now(), res);
      if (link == LinkCheck::kRefused || (link == LinkCheck::kNone && !Authorize(req, res, Role::kViewer))) return;
      const std::optional<int64_t> id = Id(req.matches[1].str());
      if (!id) return Send(res, ErrorReply(404, StrCat("no incident \"", req.matches[1].str(), "\"")));
      auto lang = ReportLang(req.get_param_value("lang"), req.get_header_value("Accept-Language"), plans->lang());
      if (!lang.ok()) return Send(res, ErrorReply(lang.status()));
      auto text = plans->Report(*id, format, *lang);
      if (!text.ok()) return Send(res, Failure(text.status()));
      SendReport(res, std::move(*text), format == record::ReportFormat::kHtml);
    };
  };
  http_->Get(R"(/api/v1/incidents/([^/]+)/report\.md)", report(record::ReportFormat::kMarkdown));
  http_->Get(R"(/api/v1/incidents/([^/]+)/report\.html)", report(record::ReportFormat::kHtml));

  // The crisis log: the closed incidents of faro.yaml's crisis_log: folder (crisis_log_routes.cpp).
  auto cache = std::make_shared<CrisisLogCache>();
  http_->Get("/api/v1/crisis-log", [this, plans, cache](const httplib::Request& req, httplib::Response& res) {
    ApiCall(req, res, Role::kViewer, [&](A r) {
      auto lang = ReportLang(req.get_param_value("lang"), req.get_header_value("Accept-Language"), plans->lang());
      if (!lang.ok()) return ErrorReply(lang.status());
      return CrisisLogList(*cache, plans->crisis_log_dir(), r.query, *lang, ProcessReportLinks(), app_.clock().Now(),
                           plans->CrisisLogUnwritten());
    });
  });
  http_->Get(R"(/api/v1/crisis-log/([^/]+)/report\.(html|md))", [this, plans](const httplib::Request& req,
                                                                              httplib::Response& res) {
    const LinkCheck link = CheckSignedLink(req, app_.clock().Now(), res);
    if (link == LinkCheck::kRefused || (link == LinkCheck::kNone && !Authorize(req, res, Role::kViewer))) return;
    auto lang = ReportLang(req.get_param_value("lang"), req.get_header_value("Accept-Language"), plans->lang());
    if (!lang.ok()) return Send(res, ErrorReply(lang.status()));
    FileReply file = CrisisLogReport(plans->crisis_log_dir(), req.matches[1].str(), req.matches[2].str(), *lang);
    if (file.status != 200) {
      res.status = file.status;
      res.set_content(file.body, file.content_type);
      return;
    }
    SendReport(res, std::move(file.body), req.matches[2].str() == "html");
  });

  // The incident room and the crisis log pages of the dashboard (web/src/incidents.*, crisis_log.*).
  AddIncidentPages(*http_);
  if (options_.watch == nullptr && options_.listening == nullptr) AddPageRoutes(*http_);
}

}  // namespace faro::server
