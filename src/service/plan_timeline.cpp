// What PlanService reads off an incident's timeline (plan_service_internal.hpp).
#include <algorithm>
#include <set>

#include "core/strings.hpp"
#include "service/plan_service_internal.hpp"

namespace faro::service {
namespace {

bool MakesAction(const plan::TimelineEntry& e) {
  return (e.kind == "action" || e.kind == "approval-asked" || e.kind == "escalated") && e.details.is_object() &&
         e.details.contains("action") && e.details["action"].is_number_integer();
}

int64_t OutcomeAction(const plan::TimelineEntry& e) {
  if (e.kind != "outcome" || !e.details.is_object() || !e.details.contains("action") ||
      !e.details["action"].is_number_integer())
    return 0;
  return e.details["action"].get<int64_t>();
}

std::vector<int64_t> RequestActions(const plan::PendingApproval& p) {
  std::vector<int64_t> out = {p.ask_action};
  out.insert(out.end(), p.escalation_actions.begin(), p.escalation_actions.end());
  return out;
}

}  // namespace

std::string& IdentitySlot(contacts::Contact& c, channels::AddressKind kind) {
  switch (kind) {
    case channels::AddressKind::kPhone: return c.phone;
    case channels::AddressKind::kEmail: return c.email;
    case channels::AddressKind::kTelegram: return c.telegram;
    case channels::AddressKind::kInstagram: return c.instagram;
    case channels::AddressKind::kMessenger: return c.messenger;
    case channels::AddressKind::kX: return c.x_handle;
    case channels::AddressKind::kNone: break;
  }
  static thread_local std::string none;
  none.clear();
  return none;
}

std::shared_ptr<const plan::Plan> PlanOf(const std::vector<std::shared_ptr<const plan::Plan>>& plans,
                                         const std::string& id) {
  for (const auto& p : plans)
    if (p->id == id) return p;
  return nullptr;
}

const plan::TimelineEntry* ActionEntry(const plan::Incident& incident, int64_t action) {
  for (const plan::TimelineEntry& e : incident.timeline)
    if (MakesAction(e) && e.details["action"].get<int64_t>() == action) return &e;
  return nullptr;
}

int64_t MaxActionOf(const plan::Incident& incident) {
  int64_t max = 0;
  for (const plan::TimelineEntry& e : incident.timeline)
    if (MakesAction(e)) max = std::max(max, e.details["action"].get<int64_t>());
  return max;
}

std::vector<plan::Action> UnfinishedActions(const plan::Incident& incident, const plan::Plan& p) {
  std::set<int64_t> done;
  for (const plan::TimelineEntry& e : incident.timeline)
    if (int64_t a = OutcomeAction(e)) done.insert(a);
  std::set<int64_t> pending;
  for (const plan::PendingApproval& ap : incident.run.approvals)
    for (int64_t a : RequestActions(ap)) pending.insert(a);
  std::vector<plan::Action> out;
  if (incident.closed()) return out;
  for (const plan::TimelineEntry& e : incident.timeline) {
    if (!MakesAction(e)) continue;
    plan::Action a;
    a.id = e.details["action"].get<int64_t>();
    if (done.contains(a.id)) continue;
    a.kind = e.details.value("action_kind", std::string());
    if ((a.kind == "ask-approval" || a.kind == "escalate") && !pending.contains(a.id)) continue;
    a.incident = incident.id;
    a.playbook = incident.playbook;
    a.step = e.details.value("step", -1);
    a.at = e.at;
    if (e.details.contains("params") && e.details["params"].is_object()) a.params = e.details["params"];
    if (e.details.contains("message"))
      if (auto text = plan::TextFromJson(e.details["message"]); text.ok()) a.text = *text;
    if (e.details.contains("to") && e.details["to"].is_array()) {
      for (const auto& name : e.details["to"]) {
        if (!name.is_string()) continue;
        plan::Recipient r;
        r.person = name.get<std::string>();
        r.lang = p.lang;
        if (const plan::Person* person = p.FindPerson(r.person)) {
          r.lang = person->lang;
          r.reach = person->reach;
        }
        a.to.push_back(std::move(r));
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

const plan::PendingApproval* FindPending(const plan::Incident& incident, int64_t action) {
  for (const plan::PendingApproval& p : incident.run.approvals)
    for (int64_t a : RequestActions(p))
      if (a == action) return &p;
  return nullptr;
}

bool AskedOn(const plan::Incident& incident, int64_t action) {
  const plan::TimelineEntry* e = ActionEntry(incident, action);
  return e != nullptr && (e->kind == "approval-asked" || e->kind == "escalated");
}

bool ToldAbout(const plan::Incident& incident, const plan::PendingApproval& pending, int64_t contact_id) {
  const std::vector<int64_t> requests = RequestActions(pending);
  for (const plan::TimelineEntry& e : incident.timeline) {
    const int64_t a = OutcomeAction(e);
    if (a == 0 || std::find(requests.begin(), requests.end(), a) == requests.end()) continue;
    if (!e.details.contains("told") || !e.details["told"].is_array()) continue;
    for (const auto& told : e.details["told"])
      if (told.is_object() && told.value("contact_id", int64_t{0}) == contact_id) return true;
  }
  return false;
}

std::string ApprovalRole(const plan::Incident& incident, const plan::PendingApproval& pending) {
  const plan::TimelineEntry* e = ActionEntry(incident, pending.ask_action);
  if (e == nullptr || !e->details.contains("params") || !e->details["params"].is_object()) return {};
  return e->details["params"].value("role", std::string());
}

std::vector<std::string> EscalatedTo(const plan::Incident& incident, const plan::PendingApproval& pending) {
  std::vector<std::string> out;
  for (int64_t a : pending.escalation_actions) {
    const plan::TimelineEntry* e = ActionEntry(incident, a);
    if (e == nullptr || !e->details.contains("to") || !e->details["to"].is_array()) continue;
    for (const auto& name : e->details["to"])
      if (name.is_string() && std::find(out.begin(), out.end(), name.get<std::string>()) == out.end())
        out.push_back(name.get<std::string>());
  }
  return out;
}

std::vector<std::string> Blocking(const plan::Incident& incident, const plan::Plan* plan) {
  std::vector<std::string> out;
  if (incident.closed()) return out;
  if (incident.state == "active") out.push_back("stable");
  bool checks = true;
  if (const plan::Playbook* playbook = plan != nullptr ? plan->FindPlaybook(incident.playbook) : nullptr)
    checks = std::any_of(playbook->steps.begin(), playbook->steps.end(),
                         [](const plan::Step& step) { return step.kind == plan::StepKind::kRestorationCheck; });
  if (incident.checklist.empty() && checks) out.push_back("restoration-check");
  for (const plan::ChecklistItem& item : incident.checklist) {
    const bool overridden = std::any_of(incident.overrides.begin(), incident.overrides.end(),
                                        [&](const plan::Override& o) { return o.item == item.item; });
    if (item.state != "green" && !overridden) out.push_back(item.item);
  }
  return out;
}

bool AllGreen(const plan::Incident& incident) {
  for (const plan::ChecklistItem& item : incident.checklist)
    if (item.state != "green") return false;
  return !incident.checklist.empty();
}

nlohmann::json LatestParams(const plan::Incident& incident, const std::string& kind) {
  for (auto it = incident.timeline.rbegin(); it != incident.timeline.rend(); ++it)
    if (MakesAction(*it) && it->details.value("action_kind", std::string()) == kind && it->details.contains("params"))
      return it->details["params"];
  return nlohmann::json::object();
}

std::string Holder(int64_t incident) { return StrCat("incident:", incident); }

std::map<std::string, std::set<std::string>> TouchedCampaigns(const plan::Incident& incident) {
  std::map<std::string, std::set<std::string>> out;
  const std::string holder = Holder(incident.id);
  for (const plan::TimelineEntry& e : incident.timeline) {
    if (e.kind != "outcome" || !e.details.is_object() || e.details.value("action_kind", std::string()) != "pause-ads")
      continue;
    if (!e.details.contains("guard") || !e.details["guard"].is_object() || !e.details["guard"].contains("campaigns"))
      continue;
    for (const auto& c : e.details["guard"]["campaigns"]) {
      if (!c.is_object()) continue;
      bool held = false;
      if (c.contains("held_by") && c["held_by"].is_array())
        for (const auto& h : c["held_by"]) held |= h.is_string() && h.get<std::string>() == holder;
      if (held || c.value("state", std::string()) == "already-paused")
        out[c.value("account", std::string())].insert(c.value("id", std::string()));
    }
  }
  return out;
}

std::optional<bool> ReplyDecision(std::string_view text) {
  std::string word = ToLower(Trim(text));
  while (!word.empty() && (word.back() == '.' || word.back() == '!')) word.pop_back();
  word = std::string(Trim(word));
  static const std::set<std::string> kYes = {"sí", "sÍ", "si", "ok", "okay", "yes", "aprobado", "aprobada", "apruebo",
                                             "approve", "approved"};
  static const std::set<std::string> kNo = {"no", "deny", "denied", "rechazado", "rechazada", "rechazo"};
  if (kYes.contains(word)) return true;
  if (kNo.contains(word)) return false;
  return std::nullopt;
}

}  // namespace faro::service
