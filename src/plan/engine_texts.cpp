// The engine's words: texts of actions and timeline entries, in Spanish and English.
#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/engine_internal.hpp"
#include "plan/words.hpp"

namespace faro::plan {
namespace {

std::string ReplaceAll(std::string text, std::string_view from, const std::string& to) {
  size_t at = 0;
  while ((at = text.find(from, at)) != std::string::npos) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

double Number(const nlohmann::json& event, const char* section, const char* key) {
  if (!event.is_object() || !event.contains("evidence") || !event["evidence"].is_object()) return 0;
  const auto& evidence = event["evidence"];
  const nlohmann::json* from = &evidence;
  if (section) {
    if (!evidence.contains(section) || !evidence[section].is_object()) return 0;
    from = &evidence[section];
  }
  if (!from->contains(key) || !(*from)[key].is_number()) return 0;
  return (*from)[key].get<double>();
}

// "25 min", or "menos de 1 min" / "less than 1 min".
Text Elapsed(TimePoint from, TimePoint to) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(to - from);
  if (minutes.count() < 1) return {"menos de 1 min", "less than 1 min"};
  return Text::Both(DurationText(minutes));
}

}  // namespace

Text Capitalised(Text text) {
  for (std::string* words : {&text.es, &text.en})
    if (!words->empty() && (*words)[0] >= 'a' && (*words)[0] <= 'z') (*words)[0] = static_cast<char>((*words)[0] - 'a' + 'A');
  return text;
}

Text Expand(const Run& run, const Text& text) {
  const Plan& plan = *run.plan;
  const Text subject = SubjectName(plan, run.incident.subject);
  Text out = text;
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    std::string& words = lang == Lang::kEs ? out.es : out.en;
    if (words.find('{') == std::string::npos) continue;
    words = ReplaceAll(words, "{business}", plan.business);
    words = ReplaceAll(words, "{subject}", subject.In(lang));
    words = ReplaceAll(words, "{incident}", StrCat(run.incident.id));
    words = ReplaceAll(words, "{title}", run.playbook->title.In(lang));
    words = ReplaceAll(words, "{plan}", plan.name.In(lang));
  }
  return out;
}

Text EventText(const Plan& plan, const Event& event) {
  if (event.evidence.is_object() && event.evidence.contains("summary")) {
    auto summary = TextFromJson(event.evidence["summary"]);
    if (summary.ok() && !summary->empty()) return *summary;
  }
  const Text subject = SubjectName(plan, event.subject);
  const std::string scope_es = event.scope.empty() ? "" : StrCat(" (", event.scope, ")");
  if (event.kind == "platform-down")
    return {StrCat(subject.es, " está caído", scope_es, "."), StrCat(subject.en, " is down", scope_es, ".")};
  if (event.kind == "platform-partial")
    return {StrCat(subject.es, " falla en parte."), StrCat(subject.en, " is partly failing.")};
  if (event.kind == "platform-degraded")
    return {StrCat(subject.es, " está lento o inestable."), StrCat(subject.en, " is slow or unstable.")};
  if (event.kind == "platform-restored")
    return {StrCat(subject.es, " funciona otra vez."), StrCat(subject.en, " works again.")};
  if (event.kind == "crisis-suspected")
    return {StrCat("Posible crisis en ", subject.es, "."), StrCat("Possible crisis at ", subject.en, ".")};
  if (event.kind == "crisis-updated")
    return {StrCat("La crisis en ", subject.es, " creció."), StrCat("The crisis at ", subject.en, " has grown.")};
  if (event.kind == "crisis-over")
    return {StrCat("Terminó la crisis en ", subject.es, "."), StrCat("The crisis at ", subject.en, " is over.")};
  return {StrCat(event.kind, ": ", subject.es, scope_es), StrCat(event.kind, ": ", subject.en, scope_es)};
}

Text StatusText(const Run& run, TimePoint now) {
  const Incident& incident = run.incident;
  const RunState& rs = incident.run;
  const Text subject = SubjectName(*run.plan, incident.subject);
  const Text since = incident.state == "stable" && incident.stable_at ? Elapsed(*incident.stable_at, now)
                                                                      : Elapsed(incident.opened_at, now);
  Text state = incident.state == "stable"
                   ? Text{StrCat("estable desde hace ", since.es), StrCat("stable for ", since.en)}
                   : Text{StrCat("activo desde hace ", since.es), StrCat("active for ", since.en)};
  Text doing;
  if (rs.status == "approval") {
    const Step& step = run.playbook->steps[rs.next_step];
    std::vector<std::string> holders = incident.Holders(step.approval.role);
    doing = {StrCat("esperando la aprobación de ", ListText(holders, Lang::kEs)),
             StrCat("waiting for ", ListText(holders, Lang::kEn), " to approve")};
  } else if (rs.status == "wait" && rs.wait_until) {
    doing = {StrCat("esperando hasta las ", ClockText(*rs.wait_until)), StrCat("waiting until ", ClockText(*rs.wait_until))};
  } else if (rs.status == "wait") {
    doing = incident.subject.find(':') != std::string::npos
                ? Text{"esperando a que termine la crisis", "waiting until the crisis is over"}
                : Text{StrCat("esperando a que ", subject.es, " vuelva"), StrCat("waiting until ", subject.en, " is back")};
  } else if (rs.status == "stopped") {
    doing = {"el protocolo se detuvo", "the playbook has stopped"};
  } else if (rs.status == "done") {
    doing = {"todos los pasos están hechos", "every step is done"};
  } else {
    doing = {"en curso", "in progress"};
  }
  const size_t steps = run.playbook->steps.size();
  const int waiting = static_cast<int>(incident.run.approvals.size());
  Text text{StrCat("Incidente #", incident.id, " — ", run.playbook->title.es, ": ", state.es, ". Pasos hechos: ",
                   std::min<size_t>(rs.next_step, steps), " de ", steps, ". Ahora: ", doing.es, "."),
            StrCat("Incident #", incident.id, " — ", run.playbook->title.en, ": ", state.en, ". Steps done: ",
                   std::min<size_t>(rs.next_step, steps), " of ", steps, ". Now: ", doing.en, ".")};
  if (waiting > 0) {
    text.es += StrCat(" Aprobaciones pendientes: ", waiting, ".");
    text.en += StrCat(" Approvals pending: ", waiting, ".");
  }
  return text;
}

Text DefaultNotifyText(const Run& run) {
  const Incident& incident = run.incident;
  const Text subject = SubjectName(*run.plan, incident.subject);
  return {StrCat("Incidente #", incident.id, ": ", run.playbook->title.es, " (", subject.es,
                 "). Empieza el protocolo de contingencia; cada paso queda en la línea de tiempo."),
          StrCat("Incident #", incident.id, ": ", run.playbook->title.en, " (", subject.en,
                 "). The contingency playbook has started; every step goes on the timeline.")};
}

Text DefaultAssignText(const Run& run, const Step& step) {
  (void)run;
  return {StrCat("Responder personalmente, por mensaje directo, a quienes escribieron por ", step.from,
                 " durante el incidente."),
          StrCat("Answer personally, by direct message, the people who wrote on ", step.from, " during the incident.")};
}

std::vector<Recipient> RecipientsFor(const Run& run, const std::vector<std::string>& roles) {
  std::vector<Recipient> out;
  const Plan& plan = *run.plan;
  for (const std::string& role : roles) {
    for (const std::string& name : run.incident.Holders(role)) {
      if (std::any_of(out.begin(), out.end(), [&](const Recipient& r) { return r.person == name; })) continue;
      Recipient recipient;
      recipient.person = name;
      recipient.role = role;
      recipient.lang = plan.lang;
      if (const Person* person = plan.FindPerson(name)) {
        recipient.lang = person->lang;
        recipient.reach = person->reach;
      }
      out.push_back(std::move(recipient));
    }
  }
  return out;
}

std::string Names(const std::vector<Recipient>& to, Lang lang) {
  std::vector<std::string> names;
  for (const Recipient& r : to) names.push_back(r.person);
  return ListText(names, lang);
}

bool ConditionHolds(const Plan& plan, const Condition& when, const nlohmann::json& event) {
  if (when.empty()) return true;
  const auto text = [&](const char* key) -> std::string {
    return event.is_object() && event.contains(key) && event[key].is_string() ? event[key].get<std::string>() : "";
  };
  const std::string subject = text("subject");
  if (!when.scope.empty() && !Has(when.scope, text("scope"))) return false;
  if (!when.platforms.empty() && !Has(when.platforms, subject)) return false;
  if (!when.crisis.empty()) {
    const nlohmann::json evidence = event.is_object() && event.contains("evidence") ? event["evidence"] : nlohmann::json();
    const std::string kind = evidence.is_object() && evidence.contains("kind") && evidence["kind"].is_string()
                                 ? evidence["kind"].get<std::string>()
                                 : "";
    if (!Has(when.crisis, kind)) return false;
  }
  if (when.min_share > 0 && plan.ShareOn(subject) < when.min_share) return false;
  if (when.min_per_minute > 0 && Number(event, "magnitude", "per_minute") < when.min_per_minute) return false;
  if (when.min_negative_share > 0 &&
      Number(event, "magnitude", "negative_share") * kWholeShare + 1e-6 < when.min_negative_share)
    return false;
  return true;
}

}  // namespace faro::plan
