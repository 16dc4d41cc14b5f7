#include "plan/incident_json.hpp"

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/decimal.hpp"

namespace faro::plan {
namespace {

using nlohmann::json;

json Time(const std::optional<TimePoint>& at) { return at ? json(Rfc3339(*at)) : json(); }
json Optional(const std::optional<int64_t>& value) { return value ? json(*value) : json(); }

json TextList(const std::vector<Text>& texts) {
  json out = json::array();
  for (const Text& t : texts) out.push_back(TextToJson(t));
  return out;
}

json RunToJson(const RunState& run) {
  json approvals = json::array();
  for (const PendingApproval& p : run.approvals)
    approvals.push_back({{"ask_action", p.ask_action}, {"step", p.step}, {"step_only", p.step_only},
                         {"asked_at", Rfc3339(p.asked_at)}, {"deadline", Rfc3339(p.deadline)},
                         {"escalations_done", p.escalations_done}, {"escalation_actions", p.escalation_actions}});
  json cadences = json::array();
  for (const Cadence& c : run.cadences) cadences.push_back({{"step", c.step}, {"next", Rfc3339(c.next)}, {"fired", c.fired}});
  return {{"next_step", run.next_step},   {"status", run.status},       {"wait_until", Time(run.wait_until)},
          {"approvals", approvals},       {"cadences", cadences},       {"recheck_at", Time(run.recheck_at)},
          {"recheck_step", run.recheck_step}, {"last_event", run.last_event}};
}

// Reading back: each accessor names the member when it is missing or of the wrong type.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  absl::Status Fail(const std::string& where, const std::string& what) const {
    return absl::InvalidArgumentError(StrCat(where, ": ", what));
  }
  std::string At(const std::string& key) const { return path_.empty() ? key : StrCat(path_, ".", key); }

  absl::StatusOr<const json*> Get(const json& j, const char* key, bool required = true) const {
    if (!j.is_object()) return Fail(path_.empty() ? "incident" : path_, "expected an object");
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return Fail(At(key), "missing");
      return nullptr;
    }
    return &*it;
  }
  absl::Status Str(const json& j, const char* key, std::string& out, bool required = true) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, required));
    if (!v) return absl::OkStatus();
    if (!v->is_string()) return Fail(At(key), "expected a string");
    out = v->get<std::string>();
    return absl::OkStatus();
  }
  absl::Status Int(const json& j, const char* key, int64_t& out, bool required = true) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, required));
    if (!v) return absl::OkStatus();
    if (!v->is_number_integer()) return Fail(At(key), "expected a whole number");
    out = v->get<int64_t>();
    return absl::OkStatus();
  }
  absl::Status OptInt(const json& j, const char* key, std::optional<int64_t>& out) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, false));
    if (!v) return absl::OkStatus();
    if (!v->is_number_integer()) return Fail(At(key), "expected a whole number or null");
    out = v->get<int64_t>();
    return absl::OkStatus();
  }
  absl::Status Time(const json& j, const char* key, TimePoint& out) const {
    std::string text;
    FARO_RETURN_IF_ERROR(Str(j, key, text));
    auto t = ParseRfc3339(text);
    if (!t.ok()) return Fail(At(key), Message(t.status()));
    out = *t;
    return absl::OkStatus();
  }
  absl::Status OptTime(const json& j, const char* key, std::optional<TimePoint>& out) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, false));
    if (!v) return absl::OkStatus();
    TimePoint t;
    FARO_RETURN_IF_ERROR(Time(j, key, t));
    out = t;
    return absl::OkStatus();
  }
  absl::Status TextOf(const json& j, const char* key, Text& out, bool required = true) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, required));
    if (!v) return absl::OkStatus();
    auto t = TextFromJson(*v);
    if (!t.ok()) return Fail(At(key), Message(t.status()));
    out = *t;
    return absl::OkStatus();
  }
  absl::StatusOr<const json*> List(const json& j, const char* key, bool required = true) const {
    FARO_ASSIGN_OR_RETURN(const json* v, Get(j, key, required));
    if (!v) return nullptr;
    if (!v->is_array()) return Fail(At(key), "expected a list");
    return v;
  }
  Reader Item(const char* key, size_t i) const { return Reader(StrCat(At(key), "[", i, "]")); }
  Reader Member(const char* key) const { return Reader(At(key)); }

 private:
  std::string path_;
};

absl::Status ReadRun(const Reader& r, const json& j, RunState& run) {
  int64_t next_step = 0, recheck_step = -1;
  FARO_RETURN_IF_ERROR(r.Int(j, "next_step", next_step));
  FARO_RETURN_IF_ERROR(r.Int(j, "recheck_step", recheck_step, false));
  run.next_step = static_cast<int>(next_step);
  run.recheck_step = static_cast<int>(recheck_step);
  FARO_RETURN_IF_ERROR(r.Str(j, "status", run.status));
  FARO_RETURN_IF_ERROR(r.OptTime(j, "wait_until", run.wait_until));
  FARO_RETURN_IF_ERROR(r.OptTime(j, "recheck_at", run.recheck_at));
  FARO_ASSIGN_OR_RETURN(const json* approvals, r.List(j, "approvals", false));
  if (approvals)
    for (size_t i = 0; i < approvals->size(); ++i) {
      const Reader a = r.Item("approvals", i);
      const json& item = (*approvals)[i];
      PendingApproval p;
      int64_t step = 0, done = 0;
      FARO_RETURN_IF_ERROR(a.Int(item, "ask_action", p.ask_action));
      FARO_RETURN_IF_ERROR(a.Int(item, "step", step));
      FARO_RETURN_IF_ERROR(a.Int(item, "escalations_done", done));
      p.step = static_cast<int>(step);
      p.escalations_done = static_cast<int>(done);
      FARO_ASSIGN_OR_RETURN(const json* only, a.Get(item, "step_only"));
      if (!only->is_boolean()) return a.Fail(a.At("step_only"), "expected true or false");
      p.step_only = only->get<bool>();
      FARO_RETURN_IF_ERROR(a.Time(item, "asked_at", p.asked_at));
      FARO_RETURN_IF_ERROR(a.Time(item, "deadline", p.deadline));
      FARO_ASSIGN_OR_RETURN(const json* escalations, a.List(item, "escalation_actions", false));
      if (escalations)
        for (const json& e : *escalations) {
          if (!e.is_number_integer()) return a.Fail(a.At("escalation_actions"), "expected whole numbers");
          p.escalation_actions.push_back(e.get<int64_t>());
        }
      run.approvals.push_back(std::move(p));
    }
  FARO_ASSIGN_OR_RETURN(const json* cadences, r.List(j, "cadences", false));
  if (cadences)
    for (size_t i = 0; i < cadences->size(); ++i) {
      const Reader c = r.Item("cadences", i);
      Cadence cadence;
      int64_t step = 0;
      FARO_RETURN_IF_ERROR(c.Int((*cadences)[i], "step", step));
      cadence.step = static_cast<int>(step);
      FARO_RETURN_IF_ERROR(c.Time((*cadences)[i], "next", cadence.next));
      FARO_RETURN_IF_ERROR(c.Int((*cadences)[i], "fired", cadence.fired));
      run.cadences.push_back(cadence);
    }
  FARO_ASSIGN_OR_RETURN(const json* last, r.Get(j, "last_event", false));
  if (last) {
    if (!last->is_object()) return r.Fail(r.At("last_event"), "expected an object (an event)");
    run.last_event = *last;
  }
  return absl::OkStatus();
}

absl::Status ReadFigures(const Reader& r, const json& j, Figures& f) {
  FARO_RETURN_IF_ERROR(r.Int(j, "contacts_told", f.contacts_told));
  FARO_RETURN_IF_ERROR(r.Int(j, "messages_rerouted", f.messages_rerouted));
  FARO_RETURN_IF_ERROR(r.Int(j, "campaigns_paused", f.campaigns_paused));
  std::string spend;
  FARO_RETURN_IF_ERROR(r.Str(j, "spend_protected", spend));
  auto micros = ParseDecimalMicros(spend, "");
  if (!micros.ok())
    return r.Fail(r.At("spend_protected"), StrCat(Message(micros.status()), " (an amount such as \"412.50\")"));
  f.spend_protected_micros = *micros;
  FARO_RETURN_IF_ERROR(r.Str(j, "currency", f.currency, false));
  FARO_RETURN_IF_ERROR(r.OptInt(j, "unanswered_left", f.unanswered_left));
  FARO_RETURN_IF_ERROR(r.Int(j, "approvals_asked", f.approvals_asked));
  FARO_RETURN_IF_ERROR(r.Int(j, "approvals_granted", f.approvals_granted));
  FARO_RETURN_IF_ERROR(r.OptInt(j, "first_message_after_s", f.first_message_after_s));
  return absl::OkStatus();
}

absl::Status ReadLists(const Reader& r, const json& j, Incident& incident) {
  FARO_ASSIGN_OR_RETURN(const json* roles, r.List(j, "roles"));
  for (size_t i = 0; i < roles->size(); ++i) {
    const Reader x = r.Item("roles", i);
    const json& item = (*roles)[i];
    RoleHolding h;
    FARO_RETURN_IF_ERROR(x.Str(item, "role", h.role));
    FARO_RETURN_IF_ERROR(x.TextOf(item, "title", h.title));
    FARO_RETURN_IF_ERROR(x.Str(item, "person", h.person));
    FARO_RETURN_IF_ERROR(x.Time(item, "from", h.from));
    FARO_RETURN_IF_ERROR(x.OptTime(item, "until", h.until));
    incident.roles.push_back(std::move(h));
  }
  FARO_ASSIGN_OR_RETURN(const json* timeline, r.List(j, "timeline"));
  for (size_t i = 0; i < timeline->size(); ++i) {
    const Reader x = r.Item("timeline", i);
    const json& item = (*timeline)[i];
    TimelineEntry e;
    FARO_RETURN_IF_ERROR(x.Int(item, "seq", e.seq));
    FARO_RETURN_IF_ERROR(x.Time(item, "at", e.at));
    FARO_RETURN_IF_ERROR(x.Str(item, "kind", e.kind));
    FARO_RETURN_IF_ERROR(x.Str(item, "who", e.who));
    FARO_RETURN_IF_ERROR(x.TextOf(item, "text", e.text));
    FARO_ASSIGN_OR_RETURN(const json* details, x.Get(item, "details", false));
    if (details) {
      if (!details->is_object()) return x.Fail(x.At("details"), "expected an object");
      e.details = *details;
    }
    incident.timeline.push_back(std::move(e));
  }
  FARO_ASSIGN_OR_RETURN(const json* checklist, r.List(j, "checklist"));
  for (size_t i = 0; i < checklist->size(); ++i) {
    const Reader x = r.Item("checklist", i);
    const json& item = (*checklist)[i];
    ChecklistItem c;
    FARO_RETURN_IF_ERROR(x.Str(item, "item", c.item));
    FARO_RETURN_IF_ERROR(x.Str(item, "state", c.state));
    FARO_RETURN_IF_ERROR(x.TextOf(item, "text", c.text, false));
    FARO_ASSIGN_OR_RETURN(const json* details, x.Get(item, "details", false));
    if (details) c.details = *details;
    incident.checklist.push_back(std::move(c));
  }
  FARO_ASSIGN_OR_RETURN(const json* overrides, r.List(j, "overrides"));
  for (size_t i = 0; i < overrides->size(); ++i) {
    const Reader x = r.Item("overrides", i);
    const json& item = (*overrides)[i];
    Override o;
    FARO_RETURN_IF_ERROR(x.Str(item, "item", o.item));
    FARO_RETURN_IF_ERROR(x.Str(item, "by", o.by));
    FARO_RETURN_IF_ERROR(x.Str(item, "reason", o.reason));
    FARO_RETURN_IF_ERROR(x.Time(item, "at", o.at));
    incident.overrides.push_back(std::move(o));
  }
  return absl::OkStatus();
}

absl::Status ReadSeries(const Reader& r, const json& j, Incident& incident) {
  FARO_ASSIGN_OR_RETURN(const json* platform, r.List(j, "platform", false));
  if (platform)
    for (size_t i = 0; i < platform->size(); ++i) {
      const Reader x = r.Item("platform", i);
      PlatformPoint p;
      FARO_RETURN_IF_ERROR(x.Time((*platform)[i], "at", p.at));
      FARO_RETURN_IF_ERROR(x.Str((*platform)[i], "platform", p.platform));
      FARO_RETURN_IF_ERROR(x.Str((*platform)[i], "health", p.health));
      incident.platform_series.push_back(std::move(p));
    }
  FARO_ASSIGN_OR_RETURN(const json* mentions, r.List(j, "mentions", false));
  if (mentions)
    for (size_t i = 0; i < mentions->size(); ++i) {
      const Reader x = r.Item("mentions", i);
      const json& item = (*mentions)[i];
      MentionMinute m;
      FARO_RETURN_IF_ERROR(x.Time(item, "minute", m.minute));
      FARO_RETURN_IF_ERROR(x.Int(item, "mentions", m.mentions));
      FARO_RETURN_IF_ERROR(x.Int(item, "negative", m.negative));
      FARO_RETURN_IF_ERROR(x.Int(item, "positive", m.positive));
      FARO_RETURN_IF_ERROR(x.Int(item, "neutral", m.neutral));
      FARO_RETURN_IF_ERROR(x.Int(item, "unknown", m.unknown));
      incident.mention_series.push_back(m);
    }
  return absl::OkStatus();
}

absl::Status ReadLessons(const Reader& r, const json& j, Lessons& lessons) {
  for (const char* key : {"worked", "change"}) {
    FARO_ASSIGN_OR_RETURN(const json* list, r.List(j, key, false));
    if (!list) continue;
    for (size_t i = 0; i < list->size(); ++i) {
      auto text = TextFromJson((*list)[i]);
      if (!text.ok()) return r.Fail(StrCat(r.At(key), "[", i, "]"), Message(text.status()));
      (key[0] == 'w' ? lessons.worked : lessons.change).push_back(*text);
    }
  }
  return absl::OkStatus();
}

}  // namespace

nlohmann::json IncidentToJson(const Incident& incident) {
  json roles = json::array();
  for (const RoleHolding& h : incident.roles)
    roles.push_back({{"role", h.role}, {"title", TextToJson(h.title)}, {"person", h.person}, {"from", Rfc3339(h.from)},
                     {"until", Time(h.until)}});
  json timeline = json::array();
  for (const TimelineEntry& e : incident.timeline)
    timeline.push_back({{"seq", e.seq}, {"at", Rfc3339(e.at)}, {"kind", e.kind}, {"who", e.who},
                        {"text", TextToJson(e.text)}, {"details", e.details}});
  json checklist = json::array();
  for (const ChecklistItem& c : incident.checklist)
    checklist.push_back({{"item", c.item}, {"state", c.state}, {"text", TextToJson(c.text)}, {"details", c.details}});
  json overrides = json::array();
  for (const Override& o : incident.overrides)
    overrides.push_back({{"item", o.item}, {"by", o.by}, {"reason", o.reason}, {"at", Rfc3339(o.at)}});
  const Figures& f = incident.figures;
  json figures = {{"contacts_told", f.contacts_told},
                  {"messages_rerouted", f.messages_rerouted},
                  {"campaigns_paused", f.campaigns_paused},
                  {"spend_protected", FormatDecimal(f.spend_protected_micros, 2)},
                  {"currency", f.currency.empty() ? json() : json(f.currency)},
                  {"unanswered_left", Optional(f.unanswered_left)},
                  {"approvals_asked", f.approvals_asked},
                  {"approvals_granted", f.approvals_granted},
                  {"first_message_after_s", Optional(f.first_message_after_s)}};
  json platform = json::array();
  for (const PlatformPoint& p : incident.platform_series)
    platform.push_back({{"at", Rfc3339(p.at)}, {"platform", p.platform}, {"health", p.health}});
  json mentions = json::array();
  for (const MentionMinute& m : incident.mention_series)
    mentions.push_back({{"minute", Rfc3339(m.minute)}, {"mentions", m.mentions}, {"negative", m.negative},
                        {"positive", m.positive}, {"neutral", m.neutral}, {"unknown", m.unknown}});
  return {{"id", incident.id},
          {"plan", incident.plan},
          {"playbook", incident.playbook},
          {"kind", incident.kind},
          {"title", TextToJson(incident.title)},
          {"business", incident.business},
          {"subject", incident.subject},
          {"state", incident.state},
          {"opened_at", Rfc3339(incident.opened_at)},
          {"stable_at", Time(incident.stable_at)},
          {"closed_at", Time(incident.closed_at)},
          {"drill", incident.drill},
          {"roles", roles},
          {"timeline", timeline},
          {"checklist", checklist},
          {"overrides", overrides},
          {"figures", figures},
          {"series", {{"platform", platform}, {"mentions", mentions}}},
          {"lessons", {{"worked", TextList(incident.lessons.worked)}, {"change", TextList(incident.lessons.change)}}},
          {"run", RunToJson(incident.run)}};
}

absl::StatusOr<Incident> IncidentFromJson(const nlohmann::json& j) {
  const Reader r("");
  if (!j.is_object()) return absl::InvalidArgumentError("incident: expected a JSON object");
  Incident incident;
  FARO_RETURN_IF_ERROR(r.Int(j, "id", incident.id));
  FARO_RETURN_IF_ERROR(r.Str(j, "plan", incident.plan));
  FARO_RETURN_IF_ERROR(r.Str(j, "playbook", incident.playbook));
  FARO_RETURN_IF_ERROR(r.Str(j, "kind", incident.kind));
  FARO_RETURN_IF_ERROR(r.TextOf(j, "title", incident.title));
  FARO_RETURN_IF_ERROR(r.Str(j, "business", incident.business));
  FARO_RETURN_IF_ERROR(r.Str(j, "subject", incident.subject));
  FARO_RETURN_IF_ERROR(r.Str(j, "state", incident.state));
  if (incident.state != "active" && incident.state != "stable" && incident.state != "closed")
    return r.Fail("state", StrCat("expected active, stable or closed, got \"", incident.state, "\""));
  FARO_RETURN_IF_ERROR(r.Time(j, "opened_at", incident.opened_at));
  FARO_RETURN_IF_ERROR(r.OptTime(j, "stable_at", incident.stable_at));
  FARO_RETURN_IF_ERROR(r.OptTime(j, "closed_at", incident.closed_at));
  FARO_ASSIGN_OR_RETURN(const json* drill, r.Get(j, "drill", false));
  if (drill) {
    if (!drill->is_boolean()) return r.Fail("drill", "expected true or false");
    incident.drill = drill->get<bool>();
  }
  FARO_RETURN_IF_ERROR(ReadLists(r, j, incident));
  FARO_ASSIGN_OR_RETURN(const json* figures, r.Get(j, "figures"));
  FARO_RETURN_IF_ERROR(ReadFigures(r.Member("figures"), *figures, incident.figures));
  FARO_ASSIGN_OR_RETURN(const json* series, r.Get(j, "series", false));
  if (series) FARO_RETURN_IF_ERROR(ReadSeries(r.Member("series"), *series, incident));
  FARO_ASSIGN_OR_RETURN(const json* lessons, r.Get(j, "lessons", false));
  if (lessons) FARO_RETURN_IF_ERROR(ReadLessons(r.Member("lessons"), *lessons, incident.lessons));
  FARO_ASSIGN_OR_RETURN(const json* run, r.Get(j, "run", false));
  if (run) {
    FARO_RETURN_IF_ERROR(ReadRun(r.Member("run"), *run, incident.run));
  } else {
    // A record without engine state (written elsewhere): nothing left to run.
    incident.run.status = incident.state == "closed" ? "done" : "stopped";
  }
  return incident;
}

}  // namespace faro::plan
