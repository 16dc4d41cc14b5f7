#pragma once
// Internal to PlanService (plan_*.cpp): what it reads off an incident's timeline, and small
// pieces of words. Not part of the library's interface.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contacts/contact.hpp"
#include "plan/action.hpp"
#include "plan/incident.hpp"
#include "plan/plan.hpp"

namespace faro::service {

// What carrying out `action` at `at` came to, for Engine::OnOutcome.
inline plan::Outcome MakeOutcome(const plan::Action& action, TimePoint at, bool ok, plan::Text detail,
                                 nlohmann::json details) {
  plan::Outcome o;
  o.action = action.id;
  o.at = at;
  o.ok = ok;
  o.detail = std::move(detail);
  o.details = std::move(details);
  return o;
}

// The identity of `contact` that a channel of `kind` writes to.
std::string& IdentitySlot(contacts::Contact& contact, channels::AddressKind kind);

std::shared_ptr<const plan::Plan> PlanOf(const std::vector<std::shared_ptr<const plan::Plan>>& plans,
                                         const std::string& id);

// The timeline entry that made action `action` (kind action, approval-asked or escalated).
const plan::TimelineEntry* ActionEntry(const plan::Incident& incident, int64_t action);
// The largest action id on the timeline (0 when none).
int64_t MaxActionOf(const plan::Incident& incident);
// Actions on the timeline without an outcome: made, stored, and not carried out before a
// restart. Requests of approvals already settled are left out (nobody needs asking again).
std::vector<plan::Action> UnfinishedActions(const plan::Incident& incident, const plan::Plan& plan);

// The pending approval that `action` asks (the ask-approval action or one of its escalations).
const plan::PendingApproval* FindPending(const plan::Incident& incident, int64_t action);
// Whether `action` was an approval request of this incident (pending or not).
bool AskedOn(const plan::Incident& incident, int64_t action);
// Whether the request (or one of its escalations) was sent to this contact.
bool ToldAbout(const plan::Incident& incident, const plan::PendingApproval& pending, int64_t contact_id);
// The role an approval request asks, and the people its escalations told.
std::string ApprovalRole(const plan::Incident& incident, const plan::PendingApproval& pending);
std::vector<std::string> EscalatedTo(const plan::Incident& incident, const plan::PendingApproval& pending);

// What keeps the incident from closing without a reason (the engine's own rule): "stable"
// while active, "restoration-check" without a checklist when its playbook has a restoration
// check (`plan` may be null: then it is assumed to), and each item not green nor overridden.
std::vector<std::string> Blocking(const plan::Incident& incident, const plan::Plan* plan);
bool AllGreen(const plan::Incident& incident);
// The parameters of the latest action of `kind` ({} when none).
nlohmann::json LatestParams(const plan::Incident& incident, const std::string& kind);

// "incident:7": how an incident holds the campaigns Faro paused for it (ads::PauseAll's holder).
std::string Holder(int64_t incident);
// The campaigns the incident's ad actions touched, by account (from the guard snapshots its
// pause outcomes carry): those it paused or found already paused.
std::map<std::string, std::set<std::string>> TouchedCampaigns(const plan::Incident& incident);

// A reply that answers an approval request: true for "sí", "si", "ok", "yes", "aprobado",
// "approve" (and close kin), false for "no", "deny", "rechazado"; nullopt for anything else.
// The whole reply must be the word (trailing punctuation and an emoji-free "!" are fine).
std::optional<bool> ReplyDecision(std::string_view text);

}  // namespace faro::service
