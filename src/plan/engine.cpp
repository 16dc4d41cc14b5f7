#include "plan/engine.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/engine_internal.hpp"
#include "plan/words.hpp"

namespace faro::plan {
namespace {

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

double Magnitude(const Event& event, const char* key) {
  const auto& evidence = event.evidence;
  if (!evidence.is_object() || !evidence.contains("magnitude")) return 0;
  const auto& magnitude = evidence["magnitude"];
  if (!magnitude.is_object() || !magnitude.contains(key) || !magnitude[key].is_number()) return 0;
  return magnitude[key].get<double>();
}

bool Matches(const Plan& plan, const Trigger& trigger, const Event& event) {
  switch (trigger.on) {
    case TriggerKind::kPlatformDown:
      return event.kind == "platform-down" && Has(trigger.platforms, event.subject) &&
             Has(trigger.scope, event.scope) && plan.ShareOn(event.subject) >= trigger.min_share;
    case TriggerKind::kPlatformPartial:
      return event.kind == "platform-partial" && Has(trigger.platforms, event.subject) &&
             plan.ShareOn(event.subject) >= trigger.min_share;
    case TriggerKind::kCrisisSuspected: {
      if (event.kind != "crisis-suspected" && event.kind != "crisis-updated") return false;
      const bool brand = event.subject.rfind("brand:", 0) == 0;
      const bool topic = event.subject.rfind("topic:", 0) == 0;
      if (!brand && !topic) return false;
      if (!trigger.brands.empty() || !trigger.topics.empty()) {
        const std::string id = event.subject.substr(6);
        if (!(brand ? Has(trigger.brands, id) : Has(trigger.topics, id))) return false;
      }
      // Shares compared in basis points, as the plan keeps them.
      const double negative = Magnitude(event, "negative_share") * kWholeShare;
      return Magnitude(event, "per_minute") >= trigger.min_per_minute && negative + 1e-6 >= trigger.min_negative_share;
    }
  }
  return false;
}

// The event that makes an incident stable: a crisis (subject brand:… or topic:…) is over, a
// platform (subject: its id) works again.
bool IsRecovery(const Run& run, const Event& event) {
  const bool crisis = run.incident.subject.find(':') != std::string::npos;
  return event.kind == (crisis ? "crisis-over" : "platform-restored");
}

bool IsTriggerKind(const Event& event) {
  return event.kind == "platform-down" || event.kind == "platform-partial" || event.kind == "crisis-suspected" ||
         event.kind == "crisis-updated";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The record

TimelineEntry& Engine::State::Record(Run& run, TimePoint at, std::string kind, std::string who, Text text,
                                     nlohmann::json details) {
  TimelineEntry entry;
  entry.seq = static_cast<int64_t>(run.incident.timeline.size()) + 1;
  entry.at = at;
  entry.kind = std::move(kind);
  entry.who = std::move(who);
  entry.text = std::move(text);
  entry.details = std::move(details);
  run.incident.timeline.push_back(std::move(entry));
  return run.incident.timeline.back();
}

const Action& Engine::State::Emit(Run& run, Action action, std::string_view timeline_kind, Actions& out, Text summary,
                                  int64_t approval, std::string who) {
  action.id = next_action++;
  action.incident = run.incident.id;
  action.playbook = run.playbook->id;
  actions[action.id] = ActionRef{run.incident.id, action.kind, action.step, approval};
  nlohmann::json to = nlohmann::json::array();
  for (const Recipient& r : action.to) to.push_back(r.person);
  Record(run, action.at, std::string(timeline_kind), std::move(who), std::move(summary),
         {{"action", action.id}, {"action_kind", action.kind}, {"step", action.step}, {"to", to},
          {"params", action.params}, {"message", TextToJson(action.text)}});
  out.push_back(std::move(action));
  return out.back();
}

void Engine::State::AddLesson(Run& run, bool worked, Text lesson) {
  auto& list = worked ? run.incident.lessons.worked : run.incident.lessons.change;
  if (std::find(list.begin(), list.end(), lesson) == list.end()) list.push_back(std::move(lesson));
}

Run* Engine::State::FindRun(int64_t id) {
  auto it = runs.find(id);
  return it == runs.end() ? nullptr : &it->second;
}

void Engine::State::MakeStable(Run& run, const Event& event, Actions& out) {
  Incident& incident = run.incident;
  incident.state = "stable";
  incident.stable_at = event.at;
  const Text subject = SubjectName(*run.plan, incident.subject);
  const bool crisis = event.kind == "crisis-over";
  Record(run, event.at, "state", "faro",
         {StrCat("Estado: estable. ", crisis ? StrCat("Terminó la crisis en ", subject.es)
                                             : StrCat(subject.es, " funciona otra vez"), "."),
          StrCat("State: stable. ", crisis ? StrCat("The crisis at ", subject.en, " is over")
                                           : StrCat(subject.en, " works again"), ".")},
         {{"from", "active"}, {"to", "stable"}, {"event", event.kind}});
  Advance(run, event.at, out);
}

void Engine::State::CloseNow(Run& run, TimePoint at, const std::string& who, Actions& out) {
  (void)out;
  Incident& incident = run.incident;
  nlohmann::json cancelled = nlohmann::json::array();
  for (const PendingApproval& p : incident.run.approvals) cancelled.push_back(p.ask_action);
  incident.run.approvals.clear();
  incident.run.cadences.clear();
  incident.run.recheck_at.reset();
  incident.run.wait_until.reset();
  if (incident.run.status == "running" || incident.run.status == "approval" || incident.run.status == "wait")
    incident.run.status = "stopped";
  const std::string from = incident.state;
  incident.state = "closed";
  incident.closed_at = at;
  if (!incident.figures.first_message_after_s) {
    bool speaks_to_customers = false;
    for (const Step& s : run.playbook->steps)
      speaks_to_customers |= s.kind == StepKind::kBroadcast || s.kind == StepKind::kHoldingStatement;
    if (speaks_to_customers)
      AddLesson(run, false,
                {"Los clientes no recibieron ningún mensaje durante el incidente.",
                 "Customers got no message during the incident."});
  }
  Record(run, at, "closed", who, {StrCat("Incidente #", incident.id, " cerrado."), StrCat("Incident #", incident.id, " closed.")},
         {{"from", from}, {"cancelled_approvals", cancelled}});
}

// ---------------------------------------------------------------------------------------------
// Engine

Engine::Engine(std::shared_ptr<const Plan> plan, EngineOptions options)
    : Engine(std::vector<std::shared_ptr<const Plan>>{std::move(plan)}, options) {}

Engine::Engine(std::vector<std::shared_ptr<const Plan>> plans, EngineOptions options)
    : state_(std::make_unique<State>()) {
  state_->plans = std::move(plans);
  state_->options = options;
  state_->next_incident = options.first_incident_id;
  state_->next_action = options.first_action_id;
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

Engine::Actions Engine::OnEvent(const Event& event) {
  State& s = *state_;
  Actions out;
  s.RunTimers(event.at, false, out);
  // The event joins every open incident about its subject.
  for (auto& [id, run] : s.runs) {
    Incident& incident = run.incident;
    if (incident.closed() || incident.subject != event.subject) continue;
    s.Record(run, event.at, "event", "faro", EventText(*run.plan, event), EventToJson(event));
    if (event.kind.rfind("platform-", 0) == 0)
      incident.platform_series.push_back({event.at, event.subject, event.state});
    if (event.suppressed()) continue;
    if (IsTriggerKind(event)) incident.run.last_event = EventToJson(event);
    if (incident.state == "active" && IsRecovery(run, event)) s.MakeStable(run, event, out);
  }
  if (!event.suppressed()) {
    for (const auto& plan : s.plans) {
      for (const Trigger& trigger : plan->triggers) {
        if (!Matches(*plan, trigger, event)) continue;
        bool open = false;
        for (const auto& [id, run] : s.runs)
          open |= !run.incident.closed() && run.incident.plan == plan->id && run.incident.playbook == trigger.run &&
                  run.incident.subject == event.subject;
        if (open) continue;  // the same outage or crisis: already on that incident's timeline
        const Playbook* playbook = plan->FindPlaybook(trigger.run);
        if (!playbook) continue;  // the loader refuses such plans
        Run run;
        run.plan = plan;
        run.playbook = playbook;
        Incident& incident = run.incident;
        incident.id = s.next_incident++;
        incident.plan = plan->id;
        incident.playbook = playbook->id;
        incident.kind = std::string(PlaybookKindName(playbook->kind));
        incident.title = playbook->title;
        incident.business = plan->business;
        incident.subject = event.subject;
        incident.opened_at = event.at;
        incident.drill = s.options.drill;
        incident.run.last_event = EventToJson(event);
        for (const Role& role : plan->roles)
          for (const Person& person : role.people)
            incident.roles.push_back({role.id, role.title, person.name, event.at, std::nullopt});
        if (event.kind.rfind("platform-", 0) == 0)
          incident.platform_series.push_back({event.at, event.subject, event.state});
        Run& placed = s.runs.emplace(incident.id, std::move(run)).first->second;
        s.Record(placed, event.at, "event", "faro", EventText(*plan, event), EventToJson(event));
        const Text subject = SubjectName(*plan, event.subject);
        s.Record(placed, event.at, "opened", "faro",
                 {StrCat("Incidente #", placed.incident.id, " abierto: ", playbook->title.es, " (", subject.es, ")."),
                  StrCat("Incident #", placed.incident.id, " opened: ", playbook->title.en, " (", subject.en, ").")},
                 {{"plan", plan->id}, {"playbook", playbook->id}, {"trigger", TriggerKindName(trigger.on)},
                  {"trigger_line", trigger.line}, {"event", event.id}, {"drill", s.options.drill}});
        s.Advance(placed, event.at, out);
      }
    }
  }
  s.RunTimers(event.at, true, out);
  return out;
}

Engine::Actions Engine::Tick(TimePoint now) {
  Actions out;
  state_->RunTimers(now, true, out);
  return out;
}

absl::StatusOr<Engine::Actions> Engine::Decide(const Decision& decision) { return state_->Decide(decision); }

absl::StatusOr<Engine::Actions> Engine::OnOutcome(const Outcome& outcome) { return state_->OnOutcome(outcome); }

absl::StatusOr<Engine::Actions> Engine::OnChecklist(int64_t id, std::vector<ChecklistItem> items, TimePoint at) {
  State& s = *state_;
  Run* run = s.FindRun(id);
  if (!run) return absl::NotFoundError(StrCat("no incident #", id));
  if (run->incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is already closed"));
  if (items.empty()) return absl::InvalidArgumentError("a checklist needs at least one item");
  for (const ChecklistItem& item : items) {
    if (item.item.empty()) return absl::InvalidArgumentError("a checklist item needs a name (\"item\")");
    if (item.state != "green" && item.state != "red" && item.state != "pending")
      return absl::InvalidArgumentError(
          StrCat("checklist item \"", item.item, "\": state must be green, red or pending, not \"", item.state, "\""));
  }
  Actions out;
  s.RunTimers(at, false, out);
  if (run->incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is already closed"));
  Incident& incident = run->incident;
  incident.checklist = std::move(items);
  int green = 0, red = 0, pending = 0;
  std::vector<std::string> open_items;
  nlohmann::json states = nlohmann::json::object();
  for (const ChecklistItem& item : incident.checklist) {
    states[item.item] = item.state;
    if (item.state == "green") ++green;
    else (item.state == "red" ? red : pending)++;
    if (item.item == "unanswered" && item.details.is_object() && item.details.contains("unanswered_left") &&
        item.details["unanswered_left"].is_number_integer())
      incident.figures.unanswered_left = item.details["unanswered_left"].get<int64_t>();
    bool overridden = false;
    for (const Override& o : incident.overrides) overridden |= o.item == item.item;
    if (item.state != "green" && !overridden) open_items.push_back(item.item);
  }
  s.Record(*run, at, "check", "faro",
           {StrCat("Verificación de la restauración: ", green, " en verde, ", red, " en rojo, ", pending,
                   pending == 1 ? " pendiente." : " pendientes."),
            StrCat("Restoration check: ", green, " green, ", red, " red, ", pending, " pending.")},
           {{"items", states}, {"green", green}, {"red", red}, {"pending", pending}});
  if (open_items.empty() && incident.state == "stable") s.CloseNow(*run, at, "faro", out);
  s.RunTimers(at, true, out);
  return out;
}

absl::StatusOr<Engine::Actions> Engine::Close(int64_t id, const std::string& person, const std::string& reason,
                                              TimePoint at) {
  State& s = *state_;
  Run* run = s.FindRun(id);
  if (!run) return absl::NotFoundError(StrCat("no incident #", id));
  if (person.empty()) return absl::InvalidArgumentError("say who closes the incident");
  Actions out;
  s.RunTimers(at, false, out);
  Incident& incident = run->incident;
  if (incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is already closed"));
  // What is not green: each checklist item not green and not yet overridden; no checklist when
  // the playbook has a restoration check; an incident whose platform or crisis was never seen
  // over.
  std::vector<std::string> open_items;
  if (incident.state == "active") open_items.push_back("stable");
  const bool checks = std::any_of(run->playbook->steps.begin(), run->playbook->steps.end(),
                                  [](const Step& step) { return step.kind == StepKind::kRestorationCheck; });
  if (incident.checklist.empty() && checks) open_items.push_back("restoration-check");
  for (const ChecklistItem& item : incident.checklist) {
    bool overridden = false;
    for (const Override& o : incident.overrides) overridden |= o.item == item.item;
    if (item.state != "green" && !overridden) open_items.push_back(item.item);
  }
  const std::string reason_text(Trim(reason));
  if (!open_items.empty() && reason_text.empty()) {
    const std::string list = Join(open_items, ", ");
    s.Record(*run, at, "check", person,
             {StrCat(person, " quiso cerrar el incidente, pero no está todo en verde (", list,
                     "): hace falta un motivo para cerrarlo igual."),
              StrCat(person, " tried to close the incident, but not everything is green (", list,
                     "): closing over it needs a reason.")},
             {{"close_refused", true}, {"not_green", open_items}});
    s.RunTimers(at, true, out);
    return absl::FailedPreconditionError(
        StrCat("incident #", id, " cannot close: not green: ", list, "; give a reason to close over them"));
  }
  for (const std::string& item : open_items) {
    incident.overrides.push_back({item, person, reason_text, at});
    s.Record(*run, at, "override", person,
             {StrCat(person, " cierra pese a «", item, "»: ", reason_text),
              StrCat(person, " closes over “", item, "”: ", reason_text)},
             {{"item", item}, {"reason", reason_text}});
  }
  s.CloseNow(*run, at, person, out);
  return out;
}

absl::StatusOr<Engine::Actions> Engine::AssignRole(int64_t id, const std::string& role_id, const std::string& person,
                                                   TimePoint at, RoleChange change) {
  State& s = *state_;
  Run* run = s.FindRun(id);
  if (!run) return absl::NotFoundError(StrCat("no incident #", id));
  const Role* role = run->plan->FindRole(role_id);
  if (!role) return absl::NotFoundError(StrCat("the plan has no role \"", role_id, "\""));
  if (Trim(person).empty()) return absl::InvalidArgumentError("say who takes or hands over the role");
  Actions out;
  s.RunTimers(at, false, out);
  Incident& incident = run->incident;
  if (incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is closed"));
  const std::vector<std::string> holders = incident.Holders(role_id);
  const bool holds = std::find(holders.begin(), holders.end(), person) != holders.end();
  auto end_holding = [&](const std::string& who) {
    for (RoleHolding& h : incident.roles)
      if (h.role == role_id && h.person == who && !h.until) h.until = at;
  };
  const Text& title = role->title;
  Text text;
  std::vector<std::string> before = holders;
  switch (change) {
    case RoleChange::kTake:
      if (holds && holders.size() == 1)
        return absl::FailedPreconditionError(StrCat(person, " already holds ", role_id, " alone"));
      for (const std::string& other : holders)
        if (other != person) end_holding(other);
      if (!holds) incident.roles.push_back({role_id, title, person, at, std::nullopt});
      text = {StrCat(person, " toma el rol ", title.es, " (antes: ", ListText(holders, Lang::kEs), ")."),
              StrCat(person, " takes the role ", title.en, " (before: ", ListText(holders, Lang::kEn), ").")};
      break;
    case RoleChange::kJoin:
      if (holds) return absl::FailedPreconditionError(StrCat(person, " already holds ", role_id));
      incident.roles.push_back({role_id, title, person, at, std::nullopt});
      text = {StrCat(person, " se suma al rol ", title.es, "."), StrCat(person, " joins the role ", title.en, ".")};
      break;
    case RoleChange::kHandOver:
      if (!holds) return absl::FailedPreconditionError(StrCat(person, " does not hold ", role_id));
      if (holders.size() == 1)
        return absl::FailedPreconditionError(
            StrCat(person, " is the only one holding ", role_id, ": give the role to someone else first"));
      end_holding(person);
      text = {StrCat(person, " deja el rol ", title.es, "."), StrCat(person, " hands over the role ", title.en, ".")};
      break;
  }
  s.Record(*run, at, "role", person, std::move(text),
           {{"role", role_id},
            {"change", change == RoleChange::kTake ? "take" : change == RoleChange::kJoin ? "join" : "hand-over"},
            {"before", before},
            {"now", incident.Holders(role_id)}});
  s.RunTimers(at, true, out);
  return out;
}

absl::StatusOr<Engine::Actions> Engine::AddNote(int64_t id, const std::string& who, const std::string& text,
                                                TimePoint at) {
  State& s = *state_;
  Run* run = s.FindRun(id);
  if (!run) return absl::NotFoundError(StrCat("no incident #", id));
  const std::string words(Trim(text));
  if (words.empty()) return absl::InvalidArgumentError("the note is empty");
  if (Trim(who).empty()) return absl::InvalidArgumentError("say who writes the note");
  Actions out;
  s.RunTimers(at, false, out);
  nlohmann::json details = nlohmann::json::object();
  const std::string lower = ToLower(words);
  // Tags people type at the start of a note, in either language.
  static const std::pair<std::string_view, bool> kTags[] = {
      {"worked:", true}, {"funcionó:", true}, {"funciono:", true}, {"change:", false}, {"cambiar:", false}};
  for (const auto& [tag, worked] : kTags) {
    if (lower.rfind(tag, 0) != 0) continue;
    const std::string lesson(Trim(std::string_view(words).substr(tag.size())));
    if (!lesson.empty()) {
      s.AddLesson(*run, worked, Text::Both(lesson));
      details["lesson"] = worked ? "worked" : "change";
    }
    break;
  }
  s.Record(*run, at, "note", std::string(Trim(who)), Text::Both(words), details);
  s.RunTimers(at, true, out);
  return out;
}

absl::StatusOr<Engine::Actions> Engine::PostStatusUpdate(int64_t id, const std::string& who, const std::string& text,
                                                         TimePoint at) {
  State& s = *state_;
  Run* run = s.FindRun(id);
  if (!run) return absl::NotFoundError(StrCat("no incident #", id));
  const std::string words(Trim(text));
  const std::string author(Trim(who));
  if (words.empty()) return absl::InvalidArgumentError("the status update is empty");
  if (author.empty()) return absl::InvalidArgumentError("say who posts the status update");
  Actions out;
  s.RunTimers(at, false, out);
  Incident& incident = run->incident;
  if (incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is closed: add a note instead"));
  // The audience: the running cadence's step, else the playbook's first status_updates step,
  // else the whole team.
  const std::vector<Step>& steps = run->playbook->steps;
  Cadence* cadence = nullptr;
  for (Cadence& c : incident.run.cadences)
    if (!cadence && steps[c.step].kind == StepKind::kStatusUpdates) cadence = &c;
  int step = cadence ? cadence->step : -1;
  for (int i = 0; step < 0 && i < static_cast<int>(steps.size()); ++i)
    if (steps[i].kind == StepKind::kStatusUpdates) step = i;
  std::vector<std::string> roles;
  if (step >= 0) {
    roles = steps[step].roles;
  } else {
    for (const Role& role : run->plan->roles) roles.push_back(role.id);
  }
  Action action;
  action.kind = "status-update";
  action.step = -1;  // made by a person, not by a step: like the cadence's own updates
  action.at = at;
  action.to = RecipientsFor(*run, roles);
  const Text title = run->playbook->title;
  action.text = {StrCat("Informe de situación de ", author, " (incidente #", id, ", ", title.es, "): ", Sentence(words)),
                 StrCat("Status update from ", author, " (incident #", id, ", ", title.en, "): ", Sentence(words))};
  action.params = {{"by", author}, {"roles", roles}};
  if (step >= 0) action.params["step"] = step;
  if (cadence) {
    const Step& cadence_step = steps[cadence->step];
    ++cadence->fired;
    cadence->next = at + cadence_step.every;
    action.text.es += StrCat(" Próximo informe: ", ClockText(cadence->next), ".");
    action.text.en += StrCat(" Next update: ", ClockText(cadence->next), ".");
    action.params.update({{"n", cadence->fired},
                          {"every_s", std::chrono::duration_cast<std::chrono::seconds>(cadence_step.every).count()},
                          {"next", Rfc3339(cadence->next)}});
    if (!cadence_step.id.empty()) action.params["step_id"] = cadence_step.id;
  }
  const std::string es_names = Names(action.to, Lang::kEs), en_names = Names(action.to, Lang::kEn);
  Text summary{StrCat("Informe de situación de ", author, " → ", es_names.empty() ? "nadie" : es_names, ": ", words),
               StrCat("Status update from ", author, " → ", en_names.empty() ? "nobody" : en_names, ": ", words)};
  s.Emit(*run, std::move(action), "action", out, std::move(summary), 0, author);
  s.RunTimers(at, true, out);
  return out;
}

int Engine::OnMentionMinute(const std::string& subject, const MentionMinute& minute) {
  int taken = 0;
  for (auto& [id, run] : state_->runs) {
    if (run.incident.closed() || run.incident.subject != subject) continue;
    run.incident.mention_series.push_back(minute);
    ++taken;
  }
  return taken;
}

absl::Status Engine::Adopt(Incident incident) {
  State& s = *state_;
  std::shared_ptr<const Plan> plan;
  for (const auto& p : s.plans)
    if (p->id == incident.plan) plan = p;
  if (!plan) return absl::NotFoundError(StrCat("incident #", incident.id, ": the engine has no plan \"", incident.plan, "\""));
  const Playbook* playbook = plan->FindPlaybook(incident.playbook);
  if (!playbook)
    return absl::NotFoundError(
        StrCat("incident #", incident.id, ": plan \"", plan->id, "\" has no playbook \"", incident.playbook, "\""));
  if (s.runs.count(incident.id)) return absl::AlreadyExistsError(StrCat("incident #", incident.id, " is already here"));
  // The engine state must fit the playbook as the plan has it now (a plan edited since could
  // have fewer steps, or a step without its approval).
  const int steps = static_cast<int>(playbook->steps.size());
  const RunState& rs = incident.run;
  const auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(StrCat("incident #", incident.id, ": ", what, " does not fit playbook \"",
                                             playbook->id, "\" of plan \"", plan->id, "\" as it is now"));
  };
  if (rs.next_step < 0 || rs.next_step > steps) return bad("its next step");
  if ((rs.status == "approval" || rs.status == "wait") && rs.next_step == steps) return bad("its waiting step");
  if (rs.status == "approval" && playbook->steps[rs.next_step].kind != StepKind::kApprove) return bad("its approval");
  for (const PendingApproval& p : rs.approvals)
    if (p.step < 0 || p.step >= steps || (p.step_only ? !playbook->steps[p.step].step_approval
                                                       : playbook->steps[p.step].kind != StepKind::kApprove))
      return bad(StrCat("the approval asked by action ", p.ask_action));
  for (const Cadence& c : rs.cadences)
    if (c.step < 0 || c.step >= steps || !IsBackground(playbook->steps[c.step].kind)) return bad("a cadence");
  if (rs.recheck_at && (rs.recheck_step < 0 || rs.recheck_step >= steps ||
                        playbook->steps[rs.recheck_step].kind != StepKind::kRestorationCheck))
    return bad("its second restoration check");
  if (rs.wait_until && (rs.next_step == steps || playbook->steps[rs.next_step].kind != StepKind::kWait))
    return bad("its wait");
  // The timeline says which actions were made: outcomes and decisions may still name them.
  for (const TimelineEntry& entry : incident.timeline) {
    const nlohmann::json& d = entry.details;
    if (!d.is_object() || !d.contains("action") || !d["action"].is_number_integer() || !d.contains("action_kind") ||
        !d["action_kind"].is_string())
      continue;
    const int64_t action = d["action"].get<int64_t>();
    const int step = d.contains("step") && d["step"].is_number_integer() ? d["step"].get<int>() : -1;
    ActionRef ref{incident.id, d["action_kind"].get<std::string>(), step, 0};
    if (ref.kind == "escalate" && d.contains("params") && d["params"].is_object() && d["params"].contains("approval") &&
        d["params"]["approval"].is_number_integer())
      ref.approval = d["params"]["approval"].get<int64_t>();
    s.actions[action] = ref;
    s.next_action = std::max(s.next_action, action + 1);
  }
  s.next_incident = std::max(s.next_incident, incident.id + 1);
  Run run;
  run.plan = plan;
  run.playbook = playbook;
  run.incident = std::move(incident);
  s.runs.emplace(run.incident.id, std::move(run));
  return absl::OkStatus();
}

const Incident* Engine::Find(int64_t id) const {
  auto it = state_->runs.find(id);
  return it == state_->runs.end() ? nullptr : &it->second.incident;
}

std::vector<const Incident*> Engine::Incidents() const {
  std::vector<const Incident*> out;
  for (const auto& [id, run] : state_->runs) out.push_back(&run.incident);
  return out;
}

std::optional<TimePoint> Engine::NextTimer() const {
  std::optional<TimePoint> next;
  for (const auto& [id, run] : state_->runs)
    if (auto due = state_->NextDue(run); due && (!next || *due < *next)) next = due;
  return next;
}

}  // namespace faro::plan
