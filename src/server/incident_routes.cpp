// `faro serve`'s incidents API (docs/api.md, "Incidents"): the incidents the contingency plans
// opened, people's approvals, notes, roles and closing, the restoration check on demand, and
// reports. Registered only when faro.yaml has plans:. Changes are stored before they are answered.
#include <httplib.h>

#include <charconv>

#include "core/strings.hpp"
#include "server/messaging_server.hpp"
#include "service/plan_service.hpp"

namespace faro::server {
namespace {

void Send(httplib::Response& res, const ApiReply& reply) {
  res.status = reply.status;
  res.set_content(reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
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
  route(false, R"(/api/v1/incidents/([^/]+))", Role::kViewer,
        [plans](R, A, int64_t id) { return FromStatus(plans->IncidentJson(id)); });

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
    return FromStatus(plans->CheckRestorationNow(id));
  });

  // Reports: Markdown or one printable HTML page, in ?lang=es|en (else Accept-Language, else
  // the business's language).
  auto report = [this, plans](record::ReportFormat format) {
    return [this, plans, format](const httplib::Request& req, httplib::Response& res) {
      if (!Authorize(req, res, Role::kViewer)) return;
      const std::optional<int64_t> id = Id(req.matches[1].str());
      if (!id) return Send(res, ErrorReply(404, StrCat("no incident \"", req.matches[1].str(), "\"")));
      Lang lang = plans->lang();
      const std::string wanted = req.get_param_value("lang");
      if (wanted == "es") lang = Lang::kEs;
      else if (wanted == "en") lang = Lang::kEn;
      else if (!wanted.empty()) return Send(res, ErrorReply(400, StrCat("lang: expected es or en, got \"", wanted, "\"")));
      else if (const std::string accept = ToLower(req.get_header_value("Accept-Language")); !accept.empty())
        lang = accept.rfind("es", 0) == 0 ? Lang::kEs : Lang::kEn;
      auto text = plans->Report(*id, format, lang);
      if (!text.ok()) return Send(res, Failure(text.status()));
      res.status = 200;
      res.set_content(*text, format == record::ReportFormat::kHtml ? "text/html; charset=utf-8"
                                                                   : "text/markdown; charset=utf-8");
    };
  };
  http_->Get(R"(/api/v1/incidents/([^/]+)/report\.md)", report(record::ReportFormat::kMarkdown));
  http_->Get(R"(/api/v1/incidents/([^/]+)/report\.html)", report(record::ReportFormat::kHtml));
}

}  // namespace faro::server
