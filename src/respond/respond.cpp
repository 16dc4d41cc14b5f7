#include "respond/respond.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::respond {
namespace {

bool Has(const std::vector<std::string>& roles, const std::string& role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string SummaryOf(const Event& e, Lang lang) {
  if (auto s = e.evidence.find("summary"); s != e.evidence.end() && s->is_object()) {
    auto it = s->find(lang == Lang::kEs ? "es" : "en");
    if (it != s->end() && it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  }
  // No words from the detector: say it plainly from the fields.
  std::string what = StrCat(e.subject, ": ", e.kind);
  if (!e.scope.empty()) what = StrCat(what, " (", e.scope, ")");
  if (!e.cause.empty()) what = StrCat(what, ", ", e.cause);
  return what;
}

std::string Hhmm(TimePoint at) { return Rfc3339(at).substr(11, 5) + " UTC"; }

std::vector<Notice> Tell(const std::vector<TeamMember>& team, const std::vector<std::string>& roles,
                         const std::set<int64_t>& told, int level, const std::string& subject_en,
                         const std::string& subject_es, const std::string& text_en, const std::string& text_es) {
  std::vector<Notice> out;
  std::set<int64_t> seen = told;
  for (const TeamMember& m : team) {
    if (!Has(roles, m.role) || !seen.insert(m.contact_id).second) continue;
    const bool es = m.lang == Lang::kEs;
    out.push_back({m, level, es ? subject_es : subject_en, es ? text_es : text_en});
  }
  return out;
}

}  // namespace

std::string AlertWords(const Event& event, Lang lang) { return SummaryOf(event, lang); }

bool IsRecovery(const std::string& kind) {
  return kind == "platform-restored" || kind == "link-restored" || kind == "vantage-back" || kind == "flapping-over";
}

std::string AlertSubject(const Event& e, Lang lang) {
  const bool es = lang == Lang::kEs;
  if (IsRecovery(e.kind)) return es ? StrCat("Faro: ", e.subject, " se recuperó") : StrCat("Faro: ", e.subject, " recovered");
  return StrCat("Faro: ", SummaryOf(e, lang));
}

std::string AlertText(const Event& e, Lang lang, const std::string& business) {
  const bool es = lang == Lang::kEs;
  const std::string what = SummaryOf(e, lang);
  if (IsRecovery(e.kind))
    return es ? StrCat("[", business, "] Resuelto: ", what, " (", Hhmm(e.at), ").")
              : StrCat("[", business, "] Resolved: ", what, " (", Hhmm(e.at), ").");
  return es ? StrCat("[", business, "] ", what, " desde las ", Hhmm(e.at),
                     ". Responde OK para confirmar que lo has visto, o usa el panel de Faro.")
            : StrCat("[", business, "] ", what, " since ", Hhmm(e.at),
                     ". Reply OK to acknowledge, or use the Faro dashboard.");
}

AlertDecision DecideAlert(const Event& event, const std::optional<AlertView>& open, const AlertRules& rules,
                          const std::vector<TeamMember>& team, const std::string& business) {
  AlertDecision d;
  if (IsRecovery(event.kind)) {
    // Recoveries are told even when suppressed by flapping: the alert they close was not.
    if (!open || event.suppressed_by == "maintenance") return d;
    if (event.kind == "flapping-over" && open->kind != "flapping") return d;
    d.resolve = open->id;
    if (rules.tell_recovery) {
      const std::string en = AlertText(event, Lang::kEn, business), es = AlertText(event, Lang::kEs, business);
      const std::string sen = AlertSubject(event, Lang::kEn), ses = AlertSubject(event, Lang::kEs);
      for (const TeamMember& m : team)
        if (open->told.contains(m.contact_id))
          d.notices.push_back({m, open->level, m.lang == Lang::kEs ? ses : sen, m.lang == Lang::kEs ? es : en, true});
    }
    return d;
  }
  if (event.suppressed() || !rules.kinds.contains(event.kind)) return d;
  if (open) {  // already alerted about this subject: record, do not page again
    d.update = open->id;
    return d;
  }
  d.open = true;
  d.notices = Tell(team, rules.notify, {}, 0, AlertSubject(event, Lang::kEn), AlertSubject(event, Lang::kEs),
                   AlertText(event, Lang::kEn, business), AlertText(event, Lang::kEs, business));
  return d;
}

std::vector<Escalation> DueEscalations(const std::vector<AlertView>& open, TimePoint now, const AlertRules& rules,
                                       const std::vector<TeamMember>& team, const std::string& business) {
  std::vector<Escalation> out;
  for (const AlertView& a : open) {
    if (a.acknowledged) continue;
    int level = a.level;
    std::vector<Notice> notices;
    std::set<int64_t> told = a.told;
    // Every step that came due since the last one reached (a late tick catches up in one go).
    while (level < static_cast<int>(rules.escalate.size()) &&
           now >= a.created_at + rules.escalate[static_cast<std::size_t>(level)].after) {
      const EscalationStep& step = rules.escalate[static_cast<std::size_t>(level)];
      ++level;
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(step.after).count();
      const std::string en = StrCat("[", business, "] Not acknowledged after ", minutes, " min: ", a.words_en,
                                    ". Reply OK to acknowledge.");
      const std::string es = StrCat("[", business, "] Sin confirmar tras ", minutes, " min: ", a.words_es,
                                    ". Responde OK para confirmar.");
      for (Notice& n : Tell(team, step.roles, told, level, StrCat("Faro (escalated): ", a.subject),
                            StrCat("Faro (escalado): ", a.subject), en, es)) {
        told.insert(n.person.contact_id);
        notices.push_back(std::move(n));
      }
    }
    if (level != a.level) out.push_back({a.id, level, std::move(notices)});
  }
  return out;
}

std::vector<FailoverAction> DecideFailover(const Event& event, const std::vector<FailoverRule>& rules,
                                           const std::set<std::string>& active) {
  std::vector<FailoverAction> out;
  // Maintenance and flapping suppress acting; the flapping-over announcement is unsuppressed.
  if (event.suppressed()) return out;
  const bool down = event.kind == "platform-down";
  const bool restored = event.kind == "platform-restored";
  if (!down && !restored) return out;
  for (const FailoverRule& rule : rules) {
    if (rule.platform != event.subject) continue;
    if (restored) {
      if (active.contains(rule.channel))
        out.push_back({FailoverAction::Kind::kRestore, rule.channel, rule.platform, "",
                       StrCat(event.subject, " restored (event ", event.id, ")")});
      continue;
    }
    if (!rule.automatic || active.contains(rule.channel) || !rule.scopes.contains(event.scope)) continue;
    if (event.scope == "regional" && !event.covers_us) continue;  // works from here: customers here are fine
    out.push_back({FailoverAction::Kind::kFail, rule.channel, rule.platform, rule.broadcast_template,
                   StrCat(event.subject, " down, ", event.scope, event.cause.empty() ? "" : ", ", event.cause,
                          " (event ", event.id, ")")});
  }
  return out;
}

}  // namespace faro::respond
