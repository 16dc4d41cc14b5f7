#pragma once
// Test support: runs the engine over a scripted scenario on a simulated clock (the files in
// testdata/scenarios) and writes a transcript of every input and the actions it produced, plus
// the final incidents as JSON. Golden files pin both (FARO_UPDATE_GOLDEN=1 rewrites them).
//
// A scenario (YAML):
//   plan: examples/plans/small-business.yaml      # relative to the repository
//   start: "2021-10-04T15:39:00Z"
//   script:                                       # in time order; `at` is after `start`
//     - { at: 0s, event: { kind: platform-down, subject: whatsapp, scope: global } }
//     - { at: 30s, outcome: { kind: failover, details: { messages_rerouted: 120 } } }
//     - { at: 5m, tick: true }
//     - { at: 6m, decide: { person: Ana, approve: true } }          # the latest approval asked
//     - { at: 7m, note: { who: Leo, text: "worked: …" } }
//     - { at: 7m, status_update: { who: Ana, text: "…" } }            # a person posts one
//     - { at: 8m, assign: { role: approver, person: Marta, change: take } }
//     - { at: 2h, checklist: [{ item: watching, state: green }] }
//     - { at: 3h, close: { by: Ana, reason: "…" }, expect_error: true }
//     - { at: 4m, mentions: { subject: "brand:x", mentions: 12, negative: 4 } }
// `incident: N` picks the incident (default: the latest opened); an outcome names its action
// by `action: ID` or by `kind` (the latest action of that kind, optionally of `step`); a
// decision by `action`, `step`, or `via: escalate` (the latest escalation).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/engine.hpp"
#include "plan/incident_json.hpp"
#include "plan/plan_file.hpp"

namespace faro::plan::testing {

inline std::string SourcePath(const std::string& relative) { return StrCat(FARO_SOURCE_DIR, "/", relative); }

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Empty when `actual` is exactly `expected`; otherwise where they first differ.
inline std::string GoldenDifference(const std::string& name, const std::string& expected, const std::string& actual) {
  if (expected == actual) return "";
  if (expected.empty()) return StrCat(name, " is missing; run with FARO_UPDATE_GOLDEN=1 and review it");
  size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
  const long line = std::count(actual.begin(), actual.begin() + static_cast<long>(at), '\n') + 1;
  return StrCat(name, " differs from line ", line, " (FARO_UPDATE_GOLDEN=1 rewrites it; review the diff)");
}

// True when the golden file holds exactly `actual`. With FARO_UPDATE_GOLDEN=1 the file is
// rewritten first (then review the diff before committing it).
inline bool GoldenMatches(const std::string& relative, const std::string& actual, std::string* why = nullptr) {
  const std::string path = SourcePath(relative);
  const char* update = std::getenv("FARO_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") std::ofstream(path, std::ios::binary) << actual;
  const std::string difference = GoldenDifference(relative, ReadText(path), actual);
  if (why) *why = difference;
  return difference.empty();
}

// YAML → JSON for event evidence and outcome details: numbers stay numbers.
inline nlohmann::json ToJson(const YAML::Node& node) {
  if (!node || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(ToJson(item));
    return out;
  }
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[kv.first.as<std::string>()] = ToJson(kv.second);
    return out;
  }
  const std::string text = node.as<std::string>();
  if (node.Tag() == "!") return text;  // quoted
  int64_t i = 0;
  double d = 0;
  bool b = false;
  if (YAML::convert<int64_t>::decode(node, i)) return i;
  if (YAML::convert<double>::decode(node, d)) return d;
  if (YAML::convert<bool>::decode(node, b)) return b;
  return text;
}

// "1h40m", "4m30s", "90s": pieces added up.
inline std::chrono::milliseconds ScriptTime(const std::string& text) {
  std::chrono::milliseconds total{0};
  size_t at = 0;
  while (at < text.size()) {
    size_t end = at;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    auto piece = ParseDuration(text.substr(at, end - at));
    EXPECT_TRUE(piece.ok()) << text << ": " << piece.status();
    if (!piece.ok() || end == at) return total;
    total += *piece;
    at = end;
  }
  return total;
}

inline std::string Offset(TimePoint start, TimePoint at) {
  const int64_t s = std::chrono::duration_cast<std::chrono::seconds>(at - start).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "+%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

class ScenarioRunner {
 public:
  explicit ScenarioRunner(const std::string& relative) {
    const YAML::Node root = YAML::LoadFile(SourcePath(relative));
    auto plan = LoadPlanFile(SourcePath(root["plan"].as<std::string>()));
    EXPECT_TRUE(plan.ok()) << plan.status();
    if (plan.ok()) plan_ = *plan;
    start_ = *ParseRfc3339(root["start"].as<std::string>());
    drill_ = root["drill"] && root["drill"].as<bool>();
    for (const auto& item : root["script"]) script_.push_back(item);
    engine_ = std::make_unique<Engine>(plan_, EngineOptions{drill_});
  }

  size_t size() const { return script_.size(); }
  const std::string& transcript() const { return transcript_; }
  Engine& engine() { return *engine_; }
  const std::vector<Action>& actions() const { return actions_; }

  // Runs the script items [from, to).
  void Run(size_t from, size_t to) {
    if (!plan_) return;  // the plan did not load: already reported
    for (size_t i = from; i < to && i < script_.size(); ++i) Step(script_[i]);
  }

  // A restart: the incidents go through JSON into a new engine, which carries on.
  void Restart() {
    auto fresh = std::make_unique<Engine>(plan_, EngineOptions{drill_});
    for (const Incident* incident : engine_->Incidents()) {
      auto back = IncidentFromJson(nlohmann::json::parse(IncidentToJson(*incident).dump()));
      ASSERT_TRUE(back.ok()) << back.status();
      ASSERT_TRUE(fresh->Adopt(*back).ok());
    }
    engine_ = std::move(fresh);
  }

  std::string IncidentsJson() const {
    nlohmann::json all = nlohmann::json::array();
    for (const Incident* incident : engine_->Incidents()) all.push_back(IncidentToJson(*incident));
    return all.dump(2) + "\n";
  }

 private:
  void Emit(const std::vector<Action>& actions) {
    for (const Action& a : actions) {
      actions_.push_back(a);
      StrAppend(transcript_, "  → ", ActionToJson(a).dump(), "\n");
    }
  }

  void Result(const absl::StatusOr<std::vector<Action>>& result, bool expect_error) {
    if (result.ok()) {
      EXPECT_FALSE(expect_error) << "expected an error at: " << line_;
      Emit(*result);
    } else {
      EXPECT_TRUE(expect_error) << line_ << ": " << result.status();
      StrAppend(transcript_, "  ! ", absl::StatusCodeToString(result.status().code()), ": ", Message(result.status()), "\n");
    }
  }

  int64_t IncidentOf(const YAML::Node& item) const {
    if (item["incident"]) return item["incident"].as<int64_t>();
    const auto all = engine_->Incidents();
    return all.empty() ? 0 : all.back()->id;
  }

  int64_t LatestAction(const std::string& kind, int step) const {
    for (auto it = actions_.rbegin(); it != actions_.rend(); ++it)
      if (it->kind == kind && (step < 0 || it->step == step)) return it->id;
    ADD_FAILURE() << "no action of kind " << kind << " before: " << line_;
    return 0;
  }

  void Step(const YAML::Node& item) {
    const TimePoint at = start_ + ScriptTime(item["at"].as<std::string>());
    const bool expect_error = item["expect_error"] && item["expect_error"].as<bool>();
    const std::string when = Offset(start_, at);
    if (const YAML::Node e = item["event"]) {
      Event event;
      event.id = ++event_id_;
      event.at = at;
      event.kind = e["kind"].as<std::string>();
      event.subject = e["subject"].as<std::string>();
      event.state = e["state"] ? e["state"].as<std::string>() : "";
      event.previous = e["previous"] ? e["previous"].as<std::string>() : "";
      event.scope = e["scope"] ? e["scope"].as<std::string>() : "";
      event.suppressed_by = e["suppressed_by"] ? e["suppressed_by"].as<std::string>() : "";
      if (e["evidence"]) event.evidence = ToJson(e["evidence"]);
      line_ = StrCat(when, " event ", event.kind, " ", event.subject, event.scope.empty() ? "" : " scope=", event.scope,
                     event.suppressed() ? " suppressed=" : "", event.suppressed_by);
      StrAppend(transcript_, line_, "\n");
      Emit(engine_->OnEvent(event));
    } else if (item["tick"]) {
      line_ = StrCat(when, " tick");
      StrAppend(transcript_, line_, "\n");
      Emit(engine_->Tick(at));
    } else if (const YAML::Node o = item["outcome"]) {
      Outcome outcome;
      outcome.at = at;
      outcome.action = o["action"] ? o["action"].as<int64_t>()
                                   : LatestAction(o["kind"].as<std::string>(), o["step"] ? o["step"].as<int>() : -1);
      outcome.ok = !o["ok"] || o["ok"].as<bool>();
      if (o["detail"]) outcome.detail = *TextFromYaml(o["detail"]);
      if (o["details"]) outcome.details = ToJson(o["details"]);
      line_ = StrCat(when, " outcome of #", outcome.action, outcome.ok ? " ok" : " failed", " ", outcome.details.dump());
      StrAppend(transcript_, line_, "\n");
      Result(engine_->OnOutcome(outcome), expect_error);
    } else if (const YAML::Node d = item["decide"]) {
      Decision decision;
      decision.at = at;
      decision.person = d["person"].as<std::string>();
      decision.approve = d["approve"].as<bool>();
      if (d["reason"]) decision.reason = d["reason"].as<std::string>();
      if (d["action"]) decision.action = d["action"].as<int64_t>();
      else if (d["via"]) decision.action = LatestAction("escalate", -1);
      else decision.action = LatestAction("ask-approval", d["step"] ? d["step"].as<int>() : -1);
      line_ = StrCat(when, " ", decision.person, decision.approve ? " approves #" : " denies #", decision.action);
      StrAppend(transcript_, line_, "\n");
      Result(engine_->Decide(decision), expect_error);
    } else if (const YAML::Node n = item["note"]) {
      line_ = StrCat(when, " note by ", n["who"].as<std::string>());
      StrAppend(transcript_, line_, "\n");
      Result(engine_->AddNote(IncidentOf(item), n["who"].as<std::string>(), n["text"].as<std::string>(), at), expect_error);
    } else if (const YAML::Node u = item["status_update"]) {
      line_ = StrCat(when, " status update by ", u["who"].as<std::string>());
      StrAppend(transcript_, line_, "\n");
      Result(engine_->PostStatusUpdate(IncidentOf(item), u["who"].as<std::string>(), u["text"].as<std::string>(), at),
             expect_error);
    } else if (const YAML::Node a = item["assign"]) {
      const std::string change = a["change"] ? a["change"].as<std::string>() : "take";
      line_ = StrCat(when, " ", a["person"].as<std::string>(), " ", change, " ", a["role"].as<std::string>());
      StrAppend(transcript_, line_, "\n");
      Result(engine_->AssignRole(IncidentOf(item), a["role"].as<std::string>(), a["person"].as<std::string>(), at,
                                 change == "join" ? RoleChange::kJoin
                                 : change == "hand-over" ? RoleChange::kHandOver
                                                         : RoleChange::kTake),
             expect_error);
    } else if (const YAML::Node c = item["checklist"]) {
      std::vector<ChecklistItem> items;
      std::vector<std::string> states;
      for (const auto& x : c) {
        ChecklistItem ci;
        ci.item = x["item"].as<std::string>();
        ci.state = x["state"].as<std::string>();
        if (x["text"]) ci.text = *TextFromYaml(x["text"]);
        if (x["details"]) ci.details = ToJson(x["details"]);
        states.push_back(StrCat(ci.item, "=", ci.state));
        items.push_back(std::move(ci));
      }
      line_ = StrCat(when, " checklist ", Join(states, " "));
      StrAppend(transcript_, line_, "\n");
      Result(engine_->OnChecklist(IncidentOf(item), std::move(items), at), expect_error);
    } else if (const YAML::Node c = item["close"]) {
      const std::string reason = c["reason"] ? c["reason"].as<std::string>() : "";
      line_ = StrCat(when, " close by ", c["by"].as<std::string>(), reason.empty() ? "" : " with a reason");
      StrAppend(transcript_, line_, "\n");
      Result(engine_->Close(IncidentOf(item), c["by"].as<std::string>(), reason, at), expect_error);
    } else if (const YAML::Node m = item["mentions"]) {
      MentionMinute minute;
      minute.minute = at;
      minute.mentions = m["mentions"].as<int64_t>();
      minute.negative = m["negative"] ? m["negative"].as<int64_t>() : 0;
      minute.positive = m["positive"] ? m["positive"].as<int64_t>() : 0;
      minute.neutral = m["neutral"] ? m["neutral"].as<int64_t>() : 0;
      minute.unknown = m["unknown"] ? m["unknown"].as<int64_t>() : 0;
      const int taken = engine_->OnMentionMinute(m["subject"].as<std::string>(), minute);
      line_ = StrCat(when, " mentions ", minute.mentions, " → ", taken, " incident(s)");
      StrAppend(transcript_, line_, "\n");
    } else {
      ADD_FAILURE() << "unknown script item at " << when;
    }
  }

  std::shared_ptr<const Plan> plan_;
  TimePoint start_;
  bool drill_ = false;
  std::vector<YAML::Node> script_;
  std::unique_ptr<Engine> engine_;
  std::vector<Action> actions_;
  std::string transcript_, line_;
  int64_t event_id_ = 0;
};

}  // namespace faro::plan::testing
