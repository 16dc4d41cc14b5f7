#pragma once
// The plan engine: pure and deterministic (docs/plans.md, "How a plan runs"). It reads events,
// people's decisions and notes, the outcomes of its actions and the time, and answers with the
// actions now due, in order. No I/O and no clock: every timer (approval deadlines,
// escalations, waits, cadences) fires from Tick() or from an input whose time has passed it,
// so a six-hour drill is a loop of inputs and ticks.
//
// Every input, action, outcome, decision, escalation, state change and note goes on the
// incident's timeline. Inputs that name something unknown (an incident, an approval) are
// refused with a status saying what; nothing is dropped silently.
//
// Not thread-safe: one caller at a time (the server serialises inputs).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/status.hpp"
#include "plan/action.hpp"
#include "plan/incident.hpp"
#include "plan/plan.hpp"

namespace faro::plan {

struct EngineOptions {
  bool drill = false;  // incidents are marked as drills
  int64_t first_incident_id = 1;
  int64_t first_action_id = 1;
};

// How someone changes who holds a role.
enum class RoleChange {
  kTake,      // the person takes the role alone: the others hand it over to them
  kJoin,      // the person holds it too
  kHandOver,  // the person stops holding it
};

class Engine {
 public:
  using Actions = std::vector<Action>;

  explicit Engine(std::shared_ptr<const Plan> plan, EngineOptions options = {});
  Engine(std::vector<std::shared_ptr<const Plan>> plans, EngineOptions options = {});
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  // An event from the watch or from listening. A matching trigger opens an incident unless one
  // for the same plan, playbook and subject is open (then the event joins its timeline); an
  // event about an open incident's subject goes on its timeline; `platform-restored` /
  // `crisis-over` make it stable. Suppressed events never open incidents.
  Actions OnEvent(const Event& event);
  // Fires every timer due at or before `now`.
  Actions Tick(TimePoint now);

  // Approve or deny. A decision after the approval was settled (answered, or timed out) is
  // recorded on the timeline and refused with FailedPrecondition.
  absl::StatusOr<Actions> Decide(const Decision& decision);
  absl::StatusOr<Actions> OnOutcome(const Outcome& outcome);
  // The restoration check's result (items replace the previous checklist). All green (or
  // overridden before) closes the incident.
  absl::StatusOr<Actions> OnChecklist(int64_t incident, std::vector<ChecklistItem> items, TimePoint at);
  // A person closes the incident. Items not green need a reason, which overrides each of them;
  // without one the close is refused (FailedPrecondition) and the refusal is on the timeline.
  absl::StatusOr<Actions> Close(int64_t incident, const std::string& person, const std::string& reason, TimePoint at);
  absl::StatusOr<Actions> AssignRole(int64_t incident, const std::string& role, const std::string& person,
                                     TimePoint at, RoleChange change = RoleChange::kTake);
  // A note. "worked:" / "funcionó:" and "change:" / "cambiar:" make it a lesson. Notes are
  // accepted on closed incidents too (postmortems are written after).
  absl::StatusOr<Actions> AddNote(int64_t incident, const std::string& who, const std::string& text, TimePoint at);
  // A person posts a status update now (the incident room's "Post an update"). It reaches the
  // same people as the playbook's status updates: the roles of its (first running, else first)
  // `status_updates` step, or every role of the plan when the playbook has none; as a
  // `status-update` action, on the timeline by that person with their words. A running cadence
  // counts it and starts over from it: the next automatic update is due `every` after this one
  // (PagerDuty's "at least every 20 minutes" is about the last update, whoever sent it).
  // Refused for a closed incident (FailedPrecondition), an empty text or no author.
  absl::StatusOr<Actions> PostStatusUpdate(int64_t incident, const std::string& who, const std::string& text,
                                           TimePoint at);
  // A minute of mention counts for the open incidents about `subject` (series only: not on the
  // timeline, it would drown it). Returns how many incidents took it.
  int OnMentionMinute(const std::string& subject, const MentionMinute& minute);

  // Resume an incident read back from JSON (IncidentFromJson): its plan must be one of the
  // engine's, its id unused. Later ids continue after the largest seen.
  absl::Status Adopt(Incident incident);

  const Incident* Find(int64_t id) const;
  std::vector<const Incident*> Incidents() const;  // in id order
  // The earliest pending timer, if any (a drill may jump straight to it).
  std::optional<TimePoint> NextTimer() const;

 private:
  struct State;  // engine_internal.hpp
  std::unique_ptr<State> state_;
};

}  // namespace faro::plan
