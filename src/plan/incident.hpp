#pragma once
// An incident: one run of a playbook, from the event that opened it to its closing, with
// everything that happened on its timeline (docs/plans.md, "Incidents"). The JSON form
// (incident_json.hpp, docs/schemas/incident.schema.json) is what reports, the crisis log and
// the dashboard read.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "plan/text.hpp"

namespace faro::plan {

// Timeline kinds: event, opened, state, action, outcome, approval-asked, approved, denied,
// escalated, no-answer, role, note, check, override, closed.
struct TimelineEntry {
  int64_t seq = 0;  // 1, 2, 3 … within the incident
  TimePoint at;
  std::string kind;
  std::string who = "faro";  // a person's name for decisions, notes, roles and overrides
  Text text;
  nlohmann::json details = nlohmann::json::object();
};

// A person holding a role from `from` until `until` (open while they still hold it).
struct RoleHolding {
  std::string role;
  Text title;
  std::string person;
  TimePoint from;
  std::optional<TimePoint> until;
};

// One point of the restoration check: scheduled-posts, outbox-drained, unanswered,
// campaigns-resumed, ad-figures, watching. state: green, red or pending.
struct ChecklistItem {
  std::string item, state;
  Text text;
  nlohmann::json details = nlohmann::json::object();
};

// A person closing the incident over an item that was not green, with their reason.
struct Override {
  std::string item, by, reason;
  TimePoint at;
};

struct Figures {
  int64_t contacts_told = 0, messages_rerouted = 0, campaigns_paused = 0;
  int64_t spend_protected_micros = 0;  // millionths of the currency unit, summed exactly
  std::string currency;                // "" until an outcome reports spend
  std::optional<int64_t> unanswered_left;
  int64_t approvals_asked = 0, approvals_granted = 0;
  std::optional<int64_t> first_message_after_s;  // first message customers got, after opening
};

struct PlatformPoint {
  TimePoint at;
  std::string platform, health;
};

struct MentionMinute {
  TimePoint minute;
  int64_t mentions = 0, negative = 0, positive = 0, neutral = 0, unknown = 0;
};

struct Lessons {
  std::vector<Text> worked, change;
};

// Where the engine is in the playbook; kept with the incident so a restart (or a drill saved
// half-way) resumes exactly. Readers other than the engine ignore it.
struct PendingApproval {
  int64_t ask_action = 0;  // the ask-approval action; decisions name it (or an escalation of it)
  int step = 0;
  bool step_only = false;   // a step's own `approval:` (skip on no) vs an `approve` step (stop)
  TimePoint asked_at, deadline;
  int escalations_done = 0;
  std::vector<int64_t> escalation_actions;
};

struct Cadence {
  int step = 0;
  TimePoint next;
  int64_t fired = 0;
};

struct RunState {
  int next_step = 0;
  // "running", "approval" (an approve step waits), "wait", "stopped", "done".
  std::string status = "running";
  std::optional<TimePoint> wait_until;  // a wait by duration
  std::vector<PendingApproval> approvals;
  std::vector<Cadence> cadences;
  std::optional<TimePoint> recheck_at;  // the restoration check runs again at the end of watching
  int recheck_step = -1;
  nlohmann::json last_event = nlohmann::json::object();  // the latest triggering event (for `when:`)
};

struct Incident {
  int64_t id = 0;
  std::string plan, playbook, kind;  // kind: outage | crisis
  Text title;
  std::string business, subject;
  std::string state = "active";  // active, stable, closed
  TimePoint opened_at;
  std::optional<TimePoint> stable_at, closed_at;
  bool drill = false;
  std::vector<RoleHolding> roles;
  std::vector<TimelineEntry> timeline;
  std::vector<ChecklistItem> checklist;
  std::vector<Override> overrides;
  Figures figures;
  std::vector<PlatformPoint> platform_series;
  std::vector<MentionMinute> mention_series;
  Lessons lessons;
  RunState run;

  bool closed() const { return state == "closed"; }
  // People holding `role` now, in the order they took it.
  std::vector<std::string> Holders(const std::string& role) const;
};

}  // namespace faro::plan
