#include "plan/words.hpp"

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/plan_file.hpp"

namespace faro::plan {

std::string DurationText(std::chrono::milliseconds duration) {
  int64_t ms = duration.count();
  if (ms % 1000 != 0) return StrCat(ms, " ms");
  int64_t s = ms / 1000;
  if (s % 86400 == 0) return StrCat(s / 86400, " d");
  std::vector<std::string> parts;
  if (s >= 3600) parts.push_back(StrCat(s / 3600, " h"));
  if (s % 3600 >= 60) parts.push_back(StrCat(s % 3600 / 60, " min"));
  if (s % 60 != 0) parts.push_back(StrCat(s % 60, " s"));
  return Join(parts, " ");
}

std::string ClockText(TimePoint at) {
  const std::string full = Rfc3339(at);  // 2021-10-04T15:56:00.000Z
  return StrCat(full.substr(11, 5), " UTC");
}

std::string Sentence(std::string words) {
  static const std::string_view kEnds[] = {".", "?", "!", "…"};
  for (std::string_view end : kEnds)
    if (words.size() >= end.size() && words.compare(words.size() - end.size(), end.size(), end) == 0) return words;
  return words + ".";
}

std::string PlatformName(std::string_view platform) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"whatsapp", "WhatsApp"}, {"instagram", "Instagram"}, {"facebook", "Facebook"},
      {"messenger", "Messenger"}, {"telegram", "Telegram"},  {"x", "X"},
      {"twitter", "X"},           {"tiktok", "TikTok"},        {"youtube", "YouTube"},
      {"google", "Google"},       {"email", "email"},          {"sms", "SMS"},
      {"linkedin", "LinkedIn"},   {"threads", "Threads"}};
  for (const auto& [id, name] : kNames)
    if (id == platform) return std::string(name);
  return std::string(platform);
}

Text SubjectName(const Plan& plan, const std::string& subject) {
  if (subject.rfind("brand:", 0) == 0) {
    const std::string id = subject.substr(6);
    if (const Brand* brand = plan.FindBrand(id)) return brand->name;
    if (plan.brands.empty() && !plan.business.empty()) return Text::Both(plan.business);
    return Text::Both(id);
  }
  if (subject.rfind("topic:", 0) == 0) {
    const std::string id = subject.substr(6);
    return Text{StrCat("el tema ", id), StrCat("the topic ", id)};
  }
  return Text::Both(PlatformName(subject));
}

std::string ListText(const std::vector<std::string>& items, Lang lang, bool either) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  const char* word = either ? (lang == Lang::kEs ? " o " : " or ") : (lang == Lang::kEs ? " y " : " and ");
  return StrCat(Join(head, ", "), word, items.back());
}

std::string RoleTitles(const Plan& plan, const std::vector<std::string>& roles, Lang lang) {
  std::vector<std::string> titles;
  for (const std::string& id : roles) {
    const Role* role = plan.FindRole(id);
    titles.push_back(role ? role->title.In(lang) : id);
  }
  return ListText(titles, lang);
}

namespace {

std::string AccountPlatforms(const Plan& plan, const Step& step, Lang lang) {
  std::vector<std::string> names;
  const AdAccount* account = plan.FindAccount(step.account);
  for (const std::string& p : step.platforms.empty() && account ? account->platforms : step.platforms)
    names.push_back(PlatformName(p));
  return ListText(names, lang);
}

std::string Channels(const std::vector<std::string>& channels, Lang lang) { return ListText(channels, lang); }

std::string StepWords(const Plan& plan, const Step& step, Lang lang) {
  const bool es = lang == Lang::kEs;
  switch (step.kind) {
    case StepKind::kNotify:
      return StrCat(es ? "avisar a " : "notify ", RoleTitles(plan, step.roles, lang));
    case StepKind::kApprove:
      return StrCat(es ? "pedir aprobación: «" : "ask for approval: “", step.ask.In(lang), es ? "» — " : "” — ",
                    ApprovalInWords(plan, step.approval).In(lang), "; ",
                    step.stop_if_no_answer ? (es ? "si nadie responde, detener el protocolo" : "if nobody answers, stop the playbook")
                                           : (es ? "si nadie responde, seguir" : "if nobody answers, go on"));
    case StepKind::kFailover:
      return es ? StrCat("pasar los mensajes de ", step.channel, " a los otros canales")
                : StrCat("fail ", step.channel, " over to the other channels");
    case StepKind::kUndoFailover:
      return es ? StrCat("volver a usar ", step.channel) : StrCat("move messages back to ", step.channel);
    case StepKind::kBroadcast:
      return es ? StrCat("avisar a los clientes por ", Channels(step.channels, lang))
                : StrCat("tell customers on ", Channels(step.channels, lang));
    case StepKind::kPauseAds:
      return es ? StrCat("pausar los anuncios de ", step.account, " en ", AccountPlatforms(plan, step, lang))
                : StrCat("pause ", step.account, " ads on ", AccountPlatforms(plan, step, lang));
    case StepKind::kResumeAds:
      return es ? StrCat("reanudar los anuncios de ", step.account, " que Faro pausó")
                : StrCat("resume the ", step.account, " ads Faro paused");
    case StepKind::kMoveCampaign:
      return es ? StrCat("mover la campaña «", step.campaign, "» de ", step.account, " a ", step.to_account,
                         " con un tope de ", step.cap_amount, " ", step.cap_currency)
                : StrCat("move the campaign “", step.campaign, "” from ", step.account, " to ", step.to_account,
                         " with a cap of ", step.cap_amount, " ", step.cap_currency);
    case StepKind::kHoldingStatement:
      return es ? StrCat("publicar un comunicado provisorio en ", Channels(step.channels, lang))
                : StrCat("publish a holding statement on ", Channels(step.channels, lang));
    case StepKind::kAssignReplies: {
      const Role* role = plan.FindRole(step.role);
      const std::string title = role ? role->title.In(lang) : step.role;
      return es ? StrCat("asignar a ", title, " las respuestas personales a quienes escribieron por ", step.from)
                : StrCat("assign ", title, " to answer personally the people who wrote on ", step.from);
    }
    case StepKind::kStatusUpdates:
      return es ? StrCat("informes de situación a ", RoleTitles(plan, step.roles, lang), ": el primero antes de ",
                         DurationText(step.first_within), ", luego cada ", DurationText(step.every), ", hasta cerrar")
                : StrCat("status updates to ", RoleTitles(plan, step.roles, lang), ": the first within ",
                         DurationText(step.first_within), ", then every ", DurationText(step.every), ", until closed");
    case StepKind::kRemind:
      return es ? StrCat("recordar a ", RoleTitles(plan, step.roles, lang), " cada ", DurationText(step.every), ": «",
                         step.text.es, "»")
                : StrCat("remind ", RoleTitles(plan, step.roles, lang), " every ", DurationText(step.every), ": “",
                         step.text.en, "”");
    case StepKind::kWait:
      if (step.wait_event == "platform-restored")
        return es ? "esperar a que la plataforma vuelva a funcionar" : "wait until the platform works again";
      if (step.wait_event == "crisis-over") return es ? "esperar a que termine la crisis" : "wait until the crisis is over";
      return StrCat(es ? "esperar " : "wait ", DurationText(step.wait_for));
    case StepKind::kRestorationCheck:
      return es ? StrCat("verificar la restauración (vigilar ", DurationText(step.watch_for),
                         "; tolerancia de las cifras de anuncios: ", ShareText(step.ad_tolerance), ")")
                : StrCat("check the restoration (watch for ", DurationText(step.watch_for),
                         "; ad figures tolerance: ", ShareText(step.ad_tolerance), ")");
  }
  return "";
}

std::string ConditionWords(const Condition& when, Lang lang) {
  const bool es = lang == Lang::kEs;
  std::vector<std::string> parts;
  if (!when.scope.empty()) parts.push_back(StrCat(es ? "alcance " : "scope ", Join(when.scope, "/")));
  if (!when.platforms.empty()) parts.push_back(StrCat(es ? "plataforma " : "platform ", Join(when.platforms, "/")));
  if (!when.crisis.empty()) parts.push_back(StrCat(es ? "el tipo de crisis es " : "the crisis is ", ListText(when.crisis, lang, true)));
  if (when.min_share > 0) parts.push_back(StrCat(es ? "tráfico ≥ " : "traffic ≥ ", ShareText(when.min_share)));
  if (when.min_per_minute > 0) parts.push_back(StrCat("≥ ", when.min_per_minute, es ? " menciones/min" : " mentions/min"));
  if (when.min_negative_share > 0)
    parts.push_back(StrCat("≥ ", ShareText(when.min_negative_share), es ? " negativas" : " negative"));
  return Join(parts, ", ");
}

}  // namespace

Text ApprovalInWords(const Plan& plan, const Approval& approval) {
  Text text;
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    const bool es = lang == Lang::kEs;
    std::string words = StrCat(es ? "aprueba " : "approved by ", RoleTitles(plan, {approval.role}, lang),
                               es ? ", plazo " : ", within ", DurationText(approval.within));
    for (const Escalation& e : approval.escalate)
      StrAppend(words, es ? "; sin respuesta a los " : "; no answer after ", DurationText(e.after),
                es ? ": avisar a " : ": tell ", RoleTitles(plan, e.to, lang));
    (es ? text.es : text.en) = words;
  }
  return text;
}

Text StepWhat(const Plan& plan, const Step& step) {
  return {StepWords(plan, step, Lang::kEs), StepWords(plan, step, Lang::kEn)};
}

std::optional<Text> ActionKindWords(std::string_view kind) {
  struct Words {
    std::string_view kind, es, en;
  };
  static constexpr Words kWords[] = {
      {"notify", "avisar al equipo", "notify the team"},
      {"ask-approval", "pedir aprobación", "ask for approval"},
      {"escalate", "avisar a más gente de la aprobación sin respuesta", "escalate the unanswered approval"},
      {"failover", "pasar los mensajes del canal caído a los otros canales", "fail the channel that is down over to the others"},
      {"undo-failover", "volver a usar el canal que estaba caído", "move messages back to the channel that was down"},
      {"broadcast", "avisar a los clientes", "tell customers"},
      {"pause-ads", "pausar los anuncios", "pause the ads"},
      {"resume-ads", "reanudar los anuncios que Faro pausó", "resume the ads Faro paused"},
      {"move-campaign", "mover la campaña a otra cuenta", "move the campaign to another account"},
      {"holding-statement", "publicar un comunicado provisorio", "publish a holding statement"},
      {"assign-replies", "asignar las respuestas personales", "assign the personal replies"},
      {"status-update", "enviar el informe de situación", "send the status update"},
      {"remind", "enviar el recordatorio", "send the reminder"},
      {"wait", "esperar en el protocolo", "wait in the playbook"},
      {"restoration-check", "verificar la restauración", "check the restoration"},
  };
  for (const Words& w : kWords)
    if (w.kind == kind) return Text{std::string(w.es), std::string(w.en)};
  return std::nullopt;
}

Text StepInWords(const Plan& plan, const Step& step) {
  Text text;
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    std::string words = StepWords(plan, step, lang);
    if (step.step_approval)
      StrAppend(words, " (", ApprovalInWords(plan, *step.step_approval).In(lang), ")");
    if (!step.when.empty())
      StrAppend(words, lang == Lang::kEs ? " — solo si " : " — only if ", ConditionWords(step.when, lang));
    (lang == Lang::kEs ? text.es : text.en) = words;
  }
  return text;
}

Text TriggerInWords(const Plan& plan, const Trigger& trigger) {
  Text text;
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    const bool es = lang == Lang::kEs;
    std::string words;
    if (trigger.on == TriggerKind::kCrisisSuspected) {
      words = es ? "posible crisis" : "suspected crisis";
      std::vector<std::string> whom;
      for (const std::string& b : trigger.brands) whom.push_back(SubjectName(plan, "brand:" + b).In(lang));
      for (const std::string& t : trigger.topics) whom.push_back(SubjectName(plan, "topic:" + t).In(lang));
      if (!whom.empty()) StrAppend(words, es ? " en " : " at ", ListText(whom, lang, true));
      std::vector<std::string> limits;
      if (trigger.min_per_minute > 0)
        limits.push_back(StrCat("≥ ", trigger.min_per_minute, es ? " menciones/min" : " mentions/min"));
      if (trigger.min_negative_share > 0)
        limits.push_back(StrCat("≥ ", ShareText(trigger.min_negative_share), es ? " negativas" : " negative"));
      if (!limits.empty()) StrAppend(words, " (", Join(limits, es ? " y " : " and "), ")");
    } else {
      std::vector<std::string> names;
      for (const std::string& p : trigger.platforms) names.push_back(PlatformName(p));
      const std::string list = ListText(names, lang, true);
      if (trigger.on == TriggerKind::kPlatformPartial)
        words = es ? StrCat(list, " falla en parte") : StrCat(list, " partly failing");
      else
        words = es ? StrCat(list, " caído (", Join(trigger.scope, ", "), ")")
                   : StrCat(list, " down (", Join(trigger.scope, ", "), ")");
      if (trigger.min_share > 0) {
        std::vector<std::string> shares;
        for (const std::string& p : trigger.platforms) shares.push_back(StrCat(p, " ", ShareText(plan.ShareOn(p))));
        StrAppend(words, es ? " si lleva ≥ " : " if it carries ≥ ", ShareText(trigger.min_share),
                  es ? " de las conversaciones (" : " of conversations (", Join(shares, ", "), ")");
      }
    }
    StrAppend(words, " → ", trigger.run);
    (es ? text.es : text.en) = words;
  }
  return text;
}

}  // namespace faro::plan
