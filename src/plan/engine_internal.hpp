#pragma once
// Internal to the engine (engine*.cpp): its state and the pieces each file implements.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan/engine.hpp"

namespace faro::plan {

using Actions = Engine::Actions;

// An incident with the plan and playbook it runs.
struct Run {
  std::shared_ptr<const Plan> plan;
  const Playbook* playbook = nullptr;
  Incident incident;
};

// What the engine remembers of each action it made, to file outcomes and decisions.
struct ActionRef {
  int64_t incident = 0;
  std::string kind;
  int step = -1;
  int64_t approval = 0;  // for escalations: the ask-approval action they belong to
};

struct Engine::State {
  std::vector<std::shared_ptr<const Plan>> plans;
  EngineOptions options;
  std::map<int64_t, Run> runs;
  std::map<int64_t, ActionRef> actions;
  int64_t next_incident = 1, next_action = 1;

  // --- the record (engine.cpp) ---
  TimelineEntry& Record(Run& run, TimePoint at, std::string kind, std::string who, Text text,
                        nlohmann::json details = nlohmann::json::object());
  // Gives the action its id, files it, puts it on the timeline (`timeline_kind`: action,
  // approval-asked or escalated; by `who`: faro, or the person whose input made it) and
  // appends it to `out`.
  const Action& Emit(Run& run, Action action, std::string_view timeline_kind, Actions& out, Text summary,
                     int64_t approval = 0, std::string who = "faro");
  void AddLesson(Run& run, bool worked, Text lesson);
  void MakeStable(Run& run, const Event& event, Actions& out);
  void CloseNow(Run& run, TimePoint at, const std::string& who, Actions& out);
  Run* FindRun(int64_t id);

  // --- running the playbook (engine_steps.cpp) ---
  void Advance(Run& run, TimePoint now, Actions& out);
  void Ask(Run& run, int step, bool step_only, TimePoint now, Actions& out);
  void RunStepAction(Run& run, int step, TimePoint now, Actions& out);
  // Where a stopped playbook carries on: the first step after `step` that waits for the
  // recovery (`wait: { for: platform-restored | crisis-over }`), or -1. A denial or an
  // unanswered approval stops what remains before it, never the recovery after it (undoing the
  // failover, resuming the ads, the restoration check).
  int RecoveryStep(const Run& run, int step) const;
  absl::StatusOr<Actions> Decide(const Decision& decision);
  // Timers: the earliest due time of a run, and firing everything due at exactly `at`.
  std::optional<TimePoint> NextDue(const Run& run) const;
  void FireDue(Run& run, TimePoint at, Actions& out);
  void RunTimers(TimePoint limit, bool inclusive, Actions& out);

  // --- outcomes and figures (engine_outcomes.cpp) ---
  absl::StatusOr<Actions> OnOutcome(const Outcome& outcome);
};

// --- words of the engine (engine_texts.cpp) ---
// Placeholders {business} {subject} {incident} {title} {plan} filled in.
Text Expand(const Run& run, const Text& text);
Text EventText(const Plan& plan, const Event& event);
Text StatusText(const Run& run, TimePoint now);
Text DefaultNotifyText(const Run& run);
Text DefaultAssignText(const Run& run, const Step& step);
Text Capitalised(Text text);
std::vector<Recipient> RecipientsFor(const Run& run, const std::vector<std::string>& roles);
std::string Names(const std::vector<Recipient>& to, Lang lang);

// Does the step's `when:` hold for the latest triggering event?
bool ConditionHolds(const Plan& plan, const Condition& when, const nlohmann::json& event);

}  // namespace faro::plan
