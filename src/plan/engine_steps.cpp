// Running a playbook: steps in order, approvals with deadlines and escalations, waits, and
// the background cadences (status updates, reminders). docs/plans.md, "How a plan runs".
#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/engine_internal.hpp"
#include "plan/words.hpp"

namespace faro::plan {
namespace {

int64_t Seconds(milliseconds d) { return d.count() / 1000; }

nlohmann::json StepParams(const Step& step) {
  nlohmann::json params = nlohmann::json::object();
  if (!step.id.empty()) params["step_id"] = step.id;
  return params;
}

// "Pause meta ads on Instagram → Leo, Ana".
Text Summary(const Text& what, const std::vector<Recipient>& to) {
  Text text = Capitalised(what);
  if (!to.empty()) {
    text.es += StrCat(" → ", Names(to, Lang::kEs));
    text.en += StrCat(" → ", Names(to, Lang::kEn));
  }
  return text;
}

}  // namespace

void Engine::State::Advance(Run& run, TimePoint now, Actions& out) {
  Incident& incident = run.incident;
  RunState& rs = incident.run;
  const std::vector<Step>& steps = run.playbook->steps;
  if (incident.closed()) return;
  // A wait for platform-restored / crisis-over ends once the incident is stable.
  if (rs.status == "wait" && !rs.wait_until && incident.state != "active") {
    rs.status = "running";
    ++rs.next_step;
  }
  while (rs.status == "running" && rs.next_step < static_cast<int>(steps.size())) {
    const int i = rs.next_step;
    const Step& step = steps[i];
    if (!ConditionHolds(*run.plan, step.when, rs.last_event)) {
      const Text what = StepWhat(*run.plan, step);
      Record(run, now, "action", "faro",
             {StrCat("Paso ", i + 1, " omitido (no se cumple su condición): ", what.es, "."),
              StrCat("Step ", i + 1, " skipped (its condition does not hold): ", what.en, ".")},
             {{"step", i}, {"skipped", true}, {"reason", "when"}});
      ++rs.next_step;
      continue;
    }
    switch (step.kind) {
      case StepKind::kApprove:
        Ask(run, i, false, now, out);
        rs.status = "approval";
        return;
      case StepKind::kWait: {
        if (!step.wait_event.empty() && incident.state != "active") break;  // already over
        rs.status = "wait";
        const Text subject = SubjectName(*run.plan, incident.subject);
        Text text;
        if (!step.wait_event.empty()) {
          text = step.wait_event == "crisis-over"
                     ? Text{StrCat("Esperando a que termine la crisis en ", subject.es, "."),
                            StrCat("Waiting until the crisis at ", subject.en, " is over.")}
                     : Text{StrCat("Esperando a que ", subject.es, " vuelva a funcionar."),
                            StrCat("Waiting until ", subject.en, " works again.")};
        } else {
          rs.wait_until = now + step.wait_for;
          text = {StrCat("Esperando ", DurationText(step.wait_for), " (hasta las ", ClockText(*rs.wait_until), ")."),
                  StrCat("Waiting ", DurationText(step.wait_for), " (until ", ClockText(*rs.wait_until), ").")};
        }
        Record(run, now, "state", "faro", std::move(text),
               {{"playbook", "waiting"}, {"step", i},
                {"for", step.wait_event.empty() ? nlohmann::json(Seconds(step.wait_for)) : nlohmann::json(step.wait_event)}});
        return;
      }
      case StepKind::kStatusUpdates:
        rs.cadences.push_back({i, std::max(now, incident.opened_at + step.first_within), 0});
        break;
      case StepKind::kRemind:
        rs.cadences.push_back({i, now + step.every, 0});
        break;
      case StepKind::kRestorationCheck:
        RunStepAction(run, i, now, out);
        rs.recheck_at = now + step.watch_for;
        rs.recheck_step = i;
        break;
      default:
        if (step.step_approval)
          Ask(run, i, true, now, out);  // the step waits alone; the playbook goes on
        else
          RunStepAction(run, i, now, out);
        break;
    }
    ++rs.next_step;
  }
  if (rs.status == "running") {
    rs.status = "done";
    Record(run, now, "state", "faro",
           {StrCat("Protocolo «", run.playbook->title.es, "»: todos los pasos hechos."),
            StrCat("Playbook “", run.playbook->title.en, "”: every step done.")},
           {{"playbook", "done"}});
  }
}

void Engine::State::Ask(Run& run, int i, bool step_only, TimePoint now, Actions& out) {
  const Step& step = run.playbook->steps[i];
  const Approval& approval = step_only ? *step.step_approval : step.approval;
  Action action;
  action.kind = "ask-approval";
  action.step = i;
  action.at = now;
  action.to = RecipientsFor(run, {approval.role});
  const Text what = StepWhat(*run.plan, step);
  action.text = step_only ? Text{StrCat("Pedido de aprobación: ", what.es, ". ¿Sí o no?"),
                                 StrCat("Approval needed: ", what.en, ". Yes or no?")}
                          : Expand(run, step.ask);
  const TimePoint deadline = now + approval.within;
  action.params = StepParams(step);
  action.params.update({{"blocks", step_only ? "step" : "playbook"},
                        {"role", approval.role},
                        {"within_s", Seconds(approval.within)},
                        {"deadline", Rfc3339(deadline)},
                        {"if_no_answer", step_only ? "skip" : step.stop_if_no_answer ? "stop" : "continue"},
                        {"for", std::string(StepKindName(step.kind))}});
  const std::string es_names = Names(action.to, Lang::kEs), en_names = Names(action.to, Lang::kEn);
  Text summary =
      step_only ? Text{StrCat("Se pide aprobación a ", es_names, " para: ", what.es, " (plazo ", DurationText(approval.within), ")."),
                       StrCat("Approval asked of ", en_names, " to: ", what.en, " (within ", DurationText(approval.within), ").")}
                : Text{StrCat("Se pide aprobación a ", es_names, ": «", action.text.es, "» (plazo ", DurationText(approval.within), ")."),
                       StrCat("Approval asked of ", en_names, ": “", action.text.en, "” (within ", DurationText(approval.within), ").")};
  const int64_t id = Emit(run, std::move(action), "approval-asked", out, std::move(summary)).id;
  ++run.incident.figures.approvals_asked;
  run.incident.run.approvals.push_back({id, i, step_only, now, deadline, 0, {}});
}

void Engine::State::RunStepAction(Run& run, int i, TimePoint now, Actions& out) {
  const Step& step = run.playbook->steps[i];
  const Plan& plan = *run.plan;
  Action action;
  action.kind = std::string(ActionKindName(step.kind));
  action.step = i;
  action.at = now;
  action.params = StepParams(step);
  action.text = Capitalised(StepWhat(plan, step));
  switch (step.kind) {
    case StepKind::kNotify:
      action.to = RecipientsFor(run, step.roles);
      action.text = step.text.empty() ? DefaultNotifyText(run) : Expand(run, step.text);
      action.params["roles"] = step.roles;
      break;
    case StepKind::kFailover:
    case StepKind::kUndoFailover:
      action.params["channel"] = step.channel;
      if (const CustomerChannel* c = plan.FindChannel(step.channel)) action.params["platform"] = c->platform;
      break;
    case StepKind::kBroadcast:
    case StepKind::kHoldingStatement:
      action.params["channels"] = step.channels;
      action.text = Expand(run, step.text);
      break;
    case StepKind::kPauseAds:
    case StepKind::kResumeAds: {
      const AdAccount* account = plan.FindAccount(step.account);
      action.params["account"] = step.account;
      action.params["type"] = account ? account->type : "";
      action.params["platforms"] = step.platforms.empty() && account ? account->platforms : step.platforms;
      break;
    }
    case StepKind::kMoveCampaign: {
      const AdAccount* to = plan.FindAccount(step.to_account);
      action.params.update({{"account", step.account},
                            {"campaign", step.campaign},
                            {"to", step.to_account},
                            {"to_type", to ? to->type : ""},
                            {"budget_cap", StrCat(step.cap_amount, " ", step.cap_currency)},
                            {"amount", step.cap_amount},
                            {"currency", step.cap_currency}});
      break;
    }
    case StepKind::kAssignReplies:
      action.to = RecipientsFor(run, {step.role});
      action.text = step.text.empty() ? DefaultAssignText(run, step) : Expand(run, step.text);
      action.params.update({{"role", step.role}, {"from", step.from}});
      break;
    case StepKind::kRestorationCheck: {
      const Incident& incident = run.incident;
      action.params.update(
          {{"watch_for_s", Seconds(step.watch_for)},
           {"ad_tolerance", static_cast<double>(step.ad_tolerance) / kWholeShare},
           {"window", {{"from", Rfc3339(incident.opened_at)},
                       {"to", incident.stable_at ? nlohmann::json(Rfc3339(*incident.stable_at)) : nlohmann::json()}}},
           {"n", 1}});
      break;
    }
    default:
      break;
  }
  Text summary = Summary(StepWhat(plan, step), action.to);
  Emit(run, std::move(action), "action", out, std::move(summary));
}

absl::StatusOr<Actions> Engine::State::Decide(const Decision& decision) {
  auto ref = actions.find(decision.action);
  if (ref == actions.end()) return absl::NotFoundError(StrCat("no action ", decision.action, " to decide on"));
  if (ref->second.kind != "ask-approval" && ref->second.kind != "escalate")
    return absl::InvalidArgumentError(
        StrCat("action ", decision.action, " is a ", ref->second.kind, ", not an approval request"));
  const std::string person(Trim(decision.person));
  if (person.empty()) return absl::InvalidArgumentError("say who approves or denies");
  const int64_t approval_id = ref->second.kind == "escalate" ? ref->second.approval : decision.action;
  Run& run = runs.at(ref->second.incident);
  Actions out;
  RunTimers(decision.at, false, out);
  Incident& incident = run.incident;
  auto& pending = incident.run.approvals;
  auto it = std::find_if(pending.begin(), pending.end(), [&](const PendingApproval& p) { return p.ask_action == approval_id; });
  const char* kind = decision.approve ? "approved" : "denied";
  if (it == pending.end()) {
    Record(run, decision.at, kind, person,
           {StrCat(person, decision.approve ? " aprobó" : " rechazó", " tarde: la aprobación ya estaba resuelta; no cambia nada."),
            StrCat(person, decision.approve ? " approved" : " denied", " too late: the approval was already settled; nothing changes.")},
           {{"approval", approval_id}, {"late", true}, {"reason", decision.reason}});
    RunTimers(decision.at, true, out);
    return absl::FailedPreconditionError(StrCat("the approval ", approval_id, " of incident #", incident.id,
                                                " is already settled (answered, timed out or closed)"));
  }
  const PendingApproval approval = *it;
  pending.erase(it);
  const Step& step = run.playbook->steps[approval.step];
  const Text what = StepWhat(*run.plan, step);
  const std::string effect = decision.approve ? (approval.step_only ? "run" : "continue") : (approval.step_only ? "skip" : "stop");
  Text text;
  if (decision.approve) {
    ++incident.figures.approvals_granted;
    text = {StrCat(person, " aprobó: ", Sentence(approval.step_only ? what.es : Expand(run, step.ask).es)),
            StrCat(person, " approved: ", Sentence(approval.step_only ? what.en : Expand(run, step.ask).en))};
  } else {
    text = approval.step_only
               ? Text{StrCat(person, " rechazó: ", Sentence(what.es), " Se omite ese paso."),
                      StrCat(person, " denied: ", Sentence(what.en), " That step is skipped.")}
               : RecoveryStep(run, approval.step) < 0
                   ? Text{StrCat(person, " rechazó: ", Sentence(Expand(run, step.ask).es), " El protocolo se detiene."),
                          StrCat(person, " denied: ", Sentence(Expand(run, step.ask).en), " The playbook stops.")}
                   : Text{StrCat(person, " rechazó: ", Sentence(Expand(run, step.ask).es),
                                 " El protocolo se detiene hasta la recuperación."),
                          StrCat(person, " denied: ", Sentence(Expand(run, step.ask).en),
                                 " The playbook stops until the recovery.")};
  }
  if (!decision.reason.empty()) {
    text.es += StrCat(" Motivo: ", decision.reason);
    text.en += StrCat(" Reason: ", decision.reason);
  }
  Record(run, decision.at, kind, person, std::move(text),
         {{"approval", approval_id}, {"step", approval.step}, {"effect", effect}, {"reason", decision.reason},
          {"after_s", std::chrono::duration_cast<std::chrono::seconds>(decision.at - approval.asked_at).count()}});
  if (approval.step_only) {
    if (decision.approve) RunStepAction(run, approval.step, decision.at, out);
  } else if (decision.approve) {
    incident.run.status = "running";
    incident.run.next_step = approval.step + 1;
    Advance(run, decision.at, out);
  } else if (const int recovery = RecoveryStep(run, approval.step); recovery >= 0) {
    incident.run.status = "running";
    incident.run.next_step = recovery;
    Advance(run, decision.at, out);
  } else {
    incident.run.status = "stopped";
  }
  RunTimers(decision.at, true, out);
  return out;
}

int Engine::State::RecoveryStep(const Run& run, int step) const {
  const std::vector<Step>& steps = run.playbook->steps;
  for (int i = step + 1; i < static_cast<int>(steps.size()); ++i)
    if (steps[i].kind == StepKind::kWait && !steps[i].wait_event.empty()) return i;
  return -1;
}

std::optional<TimePoint> Engine::State::NextDue(const Run& run) const {
  const Incident& incident = run.incident;
  if (incident.closed()) return std::nullopt;
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  for (const PendingApproval& p : incident.run.approvals) {
    const Step& step = run.playbook->steps[p.step];
    const Approval& approval = p.step_only ? *step.step_approval : step.approval;
    if (p.escalations_done < static_cast<int>(approval.escalate.size()))
      consider(p.asked_at + approval.escalate[p.escalations_done].after);
    consider(p.deadline);
  }
  if (incident.run.wait_until) consider(*incident.run.wait_until);
  for (const Cadence& c : incident.run.cadences) consider(c.next);
  if (incident.run.recheck_at) consider(*incident.run.recheck_at);
  return next;
}

void Engine::State::FireDue(Run& run, TimePoint at, Actions& out) {
  Incident& incident = run.incident;
  RunState& rs = incident.run;
  const Plan& plan = *run.plan;
  // Approvals: escalations first, then deadlines.
  bool advance = false;
  for (size_t k = 0; k < rs.approvals.size();) {
    PendingApproval& p = rs.approvals[k];
    const Step& step = run.playbook->steps[p.step];
    const Approval& approval = p.step_only ? *step.step_approval : step.approval;
    while (p.escalations_done < static_cast<int>(approval.escalate.size()) &&
           p.asked_at + approval.escalate[p.escalations_done].after <= at) {
      const Escalation& e = approval.escalate[p.escalations_done++];
      const Text question = p.step_only ? Capitalised(StepWhat(plan, step)) : Expand(run, step.ask);
      Action action;
      action.kind = "escalate";
      action.step = -1;
      action.at = at;
      action.to = RecipientsFor(run, e.to);
      action.text = {StrCat("Nadie respondió en ", DurationText(e.after), " a: «", question.es,
                            "». Se puede aprobar o rechazar hasta las ", ClockText(p.deadline), "."),
                     StrCat("No answer within ", DurationText(e.after), " to: “", question.en,
                            "”. You can approve or deny until ", ClockText(p.deadline), ".")};
      action.params = {{"approval", p.ask_action}, {"step", p.step}, {"after_s", Seconds(e.after)},
                       {"roles", e.to}, {"deadline", Rfc3339(p.deadline)}};
      Text summary{StrCat("Sin respuesta en ", DurationText(e.after), ": se avisa a ", RoleTitles(plan, e.to, Lang::kEs),
                          " (", Names(action.to, Lang::kEs), ")."),
                   StrCat("No answer within ", DurationText(e.after), ": escalated to ", RoleTitles(plan, e.to, Lang::kEn),
                          " (", Names(action.to, Lang::kEn), ").")};
      p.escalation_actions.push_back(Emit(run, std::move(action), "escalated", out, std::move(summary), p.ask_action).id);
    }
    if (p.deadline > at) {
      ++k;
      continue;
    }
    const PendingApproval expired = p;
    rs.approvals.erase(rs.approvals.begin() + static_cast<long>(k));
    const Text question = expired.step_only ? Capitalised(StepWhat(plan, step)) : Expand(run, step.ask);
    const std::string effect = expired.step_only ? "skip" : step.stop_if_no_answer ? "stop" : "continue";
    const int recovery = effect == "stop" ? RecoveryStep(run, expired.step) : -1;
    const Text consequence = effect == "skip"   ? Text{"Se omite ese paso.", "That step is skipped."}
                             : recovery >= 0    ? Text{"El protocolo se detiene hasta la recuperación.",
                                                       "The playbook stops until the recovery."}
                             : effect == "stop" ? Text{"El protocolo se detiene.", "The playbook stops."}
                                                : Text{"El protocolo sigue.", "The playbook goes on."};
    Record(run, at, "no-answer", "faro",
           {StrCat("Nadie respondió en ", DurationText(approval.within), ": «", question.es, "». ", consequence.es),
            StrCat("Nobody answered within ", DurationText(approval.within), ": “", question.en, "”. ", consequence.en)},
           {{"approval", expired.ask_action}, {"step", expired.step}, {"effect", effect}});
    AddLesson(run, false,
              {StrCat("Nadie respondió a tiempo a «", question.es, "» (plazo ", DurationText(approval.within),
                      "): revisar quién aprueba y cómo se le avisa."),
               StrCat("Nobody answered “", question.en, "” in time (within ", DurationText(approval.within),
                      "): review who approves and how they are reached.")});
    if (effect == "stop" && recovery >= 0) {
      rs.status = "running";
      rs.next_step = recovery;
      advance = true;
    } else if (effect == "stop") {
      rs.status = "stopped";
    } else if (effect == "continue") {
      rs.status = "running";
      rs.next_step = expired.step + 1;
      advance = true;
    }
  }
  if (rs.wait_until && *rs.wait_until <= at) {
    const Step& step = run.playbook->steps[rs.next_step];
    rs.wait_until.reset();
    Record(run, at, "state", "faro",
           {StrCat("Terminó la espera de ", DurationText(step.wait_for), "."),
            StrCat("The wait of ", DurationText(step.wait_for), " is over.")},
           {{"playbook", "running"}, {"step", rs.next_step}});
    rs.status = "running";
    ++rs.next_step;
    advance = true;
  }
  for (Cadence& c : rs.cadences) {
    if (c.next > at) continue;
    const Step& step = run.playbook->steps[c.step];
    ++c.fired;
    c.next += step.every;
    const bool update = step.kind == StepKind::kStatusUpdates;
    Action action;
    action.kind = update ? "status-update" : "remind";
    action.step = -1;
    action.at = at;
    action.to = RecipientsFor(run, step.roles);
    action.text = step.text.empty() ? StatusText(run, at) : Expand(run, step.text);
    if (update) {
      action.text.es = StrCat(Sentence(action.text.es), " Próximo informe: ", ClockText(c.next), ".");
      action.text.en = StrCat(Sentence(action.text.en), " Next update: ", ClockText(c.next), ".");
    }
    action.params = {{"step", c.step}, {"n", c.fired}, {"every_s", Seconds(step.every)}, {"next", Rfc3339(c.next)}};
    if (!step.id.empty()) action.params["step_id"] = step.id;
    Text summary = update ? Text{StrCat("Informe de situación n.º ", c.fired), StrCat("Status update #", c.fired)}
                          : Text{StrCat("Recordatorio n.º ", c.fired), StrCat("Reminder #", c.fired)};
    Emit(run, std::move(action), "action", out, Summary(summary, RecipientsFor(run, step.roles)));
  }
  if (rs.recheck_at && *rs.recheck_at <= at) {
    rs.recheck_at.reset();
    const Step& step = run.playbook->steps[rs.recheck_step];
    Action action;
    action.kind = "restoration-check";
    action.step = -1;
    action.at = at;
    action.text = {StrCat("Verificar la restauración otra vez: terminó la vigilancia de ", DurationText(step.watch_for), "."),
                   StrCat("Check the restoration again: the ", DurationText(step.watch_for), " of watching are over.")};
    action.params = {{"step", rs.recheck_step},
                     {"watch_for_s", Seconds(step.watch_for)},
                     {"ad_tolerance", static_cast<double>(step.ad_tolerance) / kWholeShare},
                     {"window", {{"from", Rfc3339(incident.opened_at)},
                                 {"to", incident.stable_at ? nlohmann::json(Rfc3339(*incident.stable_at)) : nlohmann::json()}}},
                     {"n", 2}};
    Text summary = action.text;
    Emit(run, std::move(action), "action", out, std::move(summary));
  }
  if (advance) Advance(run, at, out);
}

void Engine::State::RunTimers(TimePoint limit, bool inclusive, Actions& out) {
  // Firing a timer may start others at the same instant (an approval that times out reaches a
  // cadence due now); every timer is strictly later once fired, so this ends. The bound is a
  // safety net for a broken invariant, never reached by a valid plan.
  int same_instant = 0;
  TimePoint last{};
  while (true) {
    Run* due_run = nullptr;
    TimePoint due{};
    for (auto& [id, run] : runs) {
      auto next = NextDue(run);
      if (next && (!due_run || *next < due)) {
        due_run = &run;
        due = *next;
      }
    }
    if (!due_run || due > limit || (!inclusive && due == limit)) return;
    same_instant = due == last ? same_instant + 1 : 0;
    last = due;
    if (same_instant > 10000) return;
    FireDue(*due_run, due, out);
  }
}

}  // namespace faro::plan
