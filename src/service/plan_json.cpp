// The incidents as the API shows them (docs/api.md, "Incidents"), reports, and /metrics figures.
#include <charconv>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/incident_json.hpp"
#include "plan/words.hpp"
#include "service/plan_service.hpp"
#include "service/plan_service_internal.hpp"

namespace faro::service {
namespace {

using nlohmann::json;

absl::StatusOr<int> QueryInt(const std::map<std::string, std::string>& query, const std::string& key, int fallback,
                             int min, int max) {
  auto it = query.find(key);
  if (it == query.end() || it->second.empty()) return fallback;
  int value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return absl::InvalidArgumentError(StrCat(key, ": expected a whole number from ", min, " to ", max, ", got \"", text, "\""));
  return value;
}

json MayCloseJson(const std::vector<std::string>& blocking, bool closed) {
  const bool may = !closed && blocking.empty();
  json text;
  if (closed) text = {{"es", "El incidente ya está cerrado."}, {"en", "The incident is closed."}};
  else if (may) text = {{"es", "Se puede cerrar."}, {"en", "Ready to close."}};
  else
    text = {{"es", StrCat("Todavía no se puede cerrar sin un motivo: ", Join(blocking, ", "), ".")},
            {"en", StrCat("Cannot close yet without a reason: ", Join(blocking, ", "), ".")}};
  return {{"may_close", may}, {"blocking", blocking}, {"text", text}};
}

// One line of the list: what a room of incidents shows, without the timeline.
json SummaryJson(const history::StoredIncident& row) {
  json out = {{"id", row.id},           {"plan", row.plan},       {"playbook", row.playbook},
              {"kind", row.kind},       {"state", row.state},     {"subject", row.subject},
              {"drill", row.drill},     {"opened_at", Rfc3339(row.opened_at)}, {"updated_at", Rfc3339(row.updated_at)}};
  const json record = json::parse(row.json, nullptr, false);
  if (!record.is_object()) return out;
  for (const char* key : {"title", "business", "stable_at", "closed_at", "figures"})
    if (record.contains(key)) out[key] = record[key];
  int64_t pending = 0;
  if (record.contains("run") && record["run"].is_object() && record["run"].contains("approvals") &&
      record["run"]["approvals"].is_array() && row.state != "closed")
    pending = static_cast<int64_t>(record["run"]["approvals"].size());
  out["approvals_pending"] = pending;
  json counts = {{"green", 0}, {"red", 0}, {"pending", 0}};
  if (record.contains("checklist") && record["checklist"].is_array())
    for (const auto& item : record["checklist"])
      if (item.is_object() && item.contains("state") && item["state"].is_string() && counts.contains(item["state"].get<std::string>()))
        counts[item["state"].get<std::string>()] = counts[item["state"].get<std::string>()].get<int64_t>() + 1;
  out["checklist"] = counts;
  return out;
}

}  // namespace

std::vector<std::string> PlanService::MayAnswerLocked(const plan::Incident& incident,
                                                      const plan::PendingApproval& pending) const {
  std::vector<std::string> out = incident.Holders(ApprovalRole(incident, pending));
  for (const std::string& name : EscalatedTo(incident, pending))
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  return out;
}

json PlanService::IncidentJsonLocked(const plan::Incident& incident) const {
  json out = plan::IncidentToJson(incident);
  json pending = json::array();
  if (!incident.closed()) {
    for (const plan::PendingApproval& p : incident.run.approvals) {
      const plan::TimelineEntry* asked = ActionEntry(incident, p.ask_action);
      const json params = asked != nullptr && asked->details.contains("params") ? asked->details["params"] : json::object();
      pending.push_back({{"action", p.ask_action},
                         {"step", p.step},
                         {"kind", p.step_only ? "step" : "playbook"},
                         {"for", params.value("for", std::string())},
                         {"role", params.value("role", std::string())},
                         {"question", asked != nullptr && asked->details.contains("message") ? asked->details["message"] : json()},
                         {"may_answer", MayAnswerLocked(incident, p)},
                         {"asked_at", Rfc3339(p.asked_at)},
                         {"deadline", Rfc3339(p.deadline)},
                         {"escalations", p.escalation_actions},
                         {"if_no_answer", params.value("if_no_answer", std::string())}});
    }
  }
  out["pending_approvals"] = pending;
  out["may_close"] = MayCloseJson(Blocking(incident, PlanOf(plans_, incident.plan).get()), incident.closed());
  return out;
}

absl::StatusOr<json> PlanService::IncidentsJson(const std::map<std::string, std::string>& query) {
  history::IncidentQuery q;
  if (auto it = query.find("state"); it != query.end()) q.state = it->second;
  if (auto it = query.find("kind"); it != query.end()) q.kind = it->second;
  if (!q.kind.empty() && q.kind != "outage" && q.kind != "crisis")
    return absl::InvalidArgumentError(StrCat("kind: expected outage or crisis, not \"", q.kind, "\""));
  FARO_ASSIGN_OR_RETURN(q.limit, QueryInt(query, "limit", 50, 1, 500));
  FARO_ASSIGN_OR_RETURN(q.offset, QueryInt(query, "offset", 0, 0, 1000000000));
  FARO_ASSIGN_OR_RETURN(const std::vector<history::StoredIncident> rows, store_->List(q));
  FARO_ASSIGN_OR_RETURN(const int64_t total, store_->Count(q));
  json list = json::array();
  for (const history::StoredIncident& row : rows) list.push_back(SummaryJson(row));
  return json{{"incidents", list}, {"total", total}, {"limit", q.limit}, {"offset", q.offset}};
}

absl::StatusOr<json> PlanService::IncidentJson(int64_t id) {
  {
    std::lock_guard lock(mutex_);
    if (const plan::Incident* incident = engine_->Find(id)) return IncidentJsonLocked(*incident);
  }
  FARO_ASSIGN_OR_RETURN(const std::optional<history::StoredIncident> row, store_->Get(id));
  if (!row) return absl::NotFoundError(StrCat("no incident #", id));
  // Stored and not running (closed, or its plan is no longer configured): as it was stored.
  json out = json::parse(row->json, nullptr, false);
  if (!out.is_object()) return absl::DataLossError(StrCat("incident #", id, ": its stored record is not JSON"));
  out["pending_approvals"] = json::array();
  out["may_close"] = MayCloseJson({}, row->state == "closed");
  return out;
}

absl::StatusOr<std::string> PlanService::Report(int64_t id, record::ReportFormat format, Lang lang) {
  std::string text;
  {
    std::lock_guard lock(mutex_);
    if (const plan::Incident* incident = engine_->Find(id))
      text = plan::IncidentToJson(*incident).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (text.empty()) {
    FARO_ASSIGN_OR_RETURN(const std::optional<history::StoredIncident> row, store_->Get(id));
    if (!row) return absl::NotFoundError(StrCat("no incident #", id));
    text = row->json;
  }
  return record::WriteReportFromJson(text, format, lang);
}

PlanStats PlanService::Stats() {
  PlanStats out;
  {
    std::lock_guard lock(mutex_);
    out = stats_;
    out.approvals_pending = 0;
    for (const plan::Incident* incident : engine_->Incidents())
      if (!incident->closed()) out.approvals_pending += static_cast<int64_t>(incident->run.approvals.size());
  }
  if (auto counts = store_->CountByState(); counts.ok()) out.incidents = std::move(*counts);
  for (const char* state : {"active", "stable", "closed"}) out.incidents.try_emplace(state, 0);
  return out;
}

}  // namespace faro::service
