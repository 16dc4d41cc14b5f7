#include "record/report.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "record/charts.hpp"
#include "record/doc.hpp"
#include "record/words.hpp"

namespace faro::record {
namespace {

using std::chrono::milliseconds;

std::string L(Lang lang, std::string_view es, std::string_view en) { return std::string(lang == Lang::kEs ? es : en); }

milliseconds Between(TimePoint a, TimePoint b) { return std::chrono::duration_cast<milliseconds>(b - a); }

// "15:39:07" (or "15:39" without seconds), with the date in front on the first row and
// whenever the day changes.
class RowTime {
 public:
  explicit RowTime(bool seconds = true) : clock_chars_(seconds ? 8 : 5) {}
  std::string operator()(TimePoint at) {
    const std::string t = Rfc3339(at);
    const std::string date = t.substr(0, 10), clock = t.substr(11, clock_chars_);
    if (date == last_date_) return clock;
    last_date_ = date;
    return StrCat(date, " ", clock);
  }

 private:
  std::size_t clock_chars_;
  std::string last_date_;
};

std::string StateCss(ItemState s) { return std::string(ItemStateName(s)); }

std::string StateWord(ItemState s, Lang lang) {
  switch (s) {
    case ItemState::kGreen: return L(lang, "verde", "green");
    case ItemState::kRed: return L(lang, "ROJO", "RED");
    case ItemState::kPending: return L(lang, "pendiente", "pending");
  }
  return "";
}

std::string Money(int64_t micros, const std::string& currency, Lang lang) {
  return currency.empty() ? FormatDecimal(micros, 2, lang) : StrCat(FormatDecimal(micros, 2, lang), " ", currency);
}

// ---- sections --------------------------------------------------------------------------------

void Title(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(1, StrCat(L(lang, "Informe del incidente #", "Incident report #"), r.id, ": ", r.title.In(lang)), "",
              r.drill ? L(lang, "simulacro", "drill") : "");
  std::vector<std::string> meta;
  if (!r.business.empty()) meta.push_back(r.business);
  if (!r.plan.empty()) meta.push_back(StrCat(L(lang, "plan ", "plan "), r.plan));
  meta.push_back(StrCat(L(lang, "guía ", "playbook "), r.playbook));
  meta.push_back(StrCat(L(lang, "estado: ", "state: "), IncidentStateName(r.state, lang)));
  doc.Paragraph(Plain(Join(meta, " · ")), "meta");
}

std::string ImpactSentence(const IncidentRecord& r, Lang lang) {
  const Figures& f = r.figures;
  std::vector<std::string> parts;
  parts.push_back(StrCat(FormatCount(f.messages_rerouted, lang), L(lang, " mensajes desviados a otros canales", " messages re-routed to other channels")));
  parts.push_back(StrCat(FormatCount(f.contacts_told, lang), L(lang, " contactos avisados", " contacts told")));
  std::string paused = StrCat(FormatCount(f.campaigns_paused, lang), L(lang, " campañas pausadas", " campaigns paused"));
  if (f.spend_protected_micros > 0)
    StrAppend(paused, " (", Money(f.spend_protected_micros, f.currency, lang), L(lang, " de gasto protegido)", " of spend protected)"));
  parts.push_back(paused);
  if (f.unanswered_left)
    parts.push_back(StrCat(FormatCount(*f.unanswered_left, lang),
                           L(lang, " conversaciones sin respuesta al final", " conversations left unanswered at the end")));
  return StrCat(Join(parts, "; "), ".");
}

void Summary(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Resumen", "Summary"), "summary");
  std::vector<Runs> items;
  std::string what = IncidentKindName(r.kind, lang);
  if (!r.subject.empty()) StrAppend(what, ": ", r.subject);
  if (!r.business.empty()) StrAppend(what, " — ", r.business);
  items.push_back({Run{L(lang, "Qué pasó: ", "What happened: "), true}, Run{StrCat(r.title.In(lang), " (", what, ").")}});
  items.push_back({Run{L(lang, "Cuándo: ", "When: "), true}, Run{StrCat(L(lang, "abierto el ", "opened "), DateTime(r.opened_at), ".")}});
  std::string how_long;
  if (r.stable_at)
    how_long = StrCat(L(lang, "estable tras ", "stable after "), FormatDuration(r.OutageLength(), lang), " (",
                      DateTime(*r.stable_at), ")");
  else
    how_long = StrCat(L(lang, "sin estabilizar tras ", "not stable yet after "), FormatDuration(r.OutageLength(), lang));
  if (r.closed_at)
    StrAppend(how_long, L(lang, "; cerrado tras ", "; closed after "), FormatDuration(Between(r.opened_at, *r.closed_at), lang),
              " (", DateTime(*r.closed_at), ")");
  else
    StrAppend(how_long, L(lang, "; sigue abierto", "; still open"));
  items.push_back({Run{L(lang, "Cuánto duró: ", "For how long: "), true}, Run{StrCat(how_long, ".")}});
  items.push_back({Run{L(lang, "Impacto: ", "Impact: "), true}, Run{ImpactSentence(r, lang)}});
  if (r.figures.first_message_after_s)
    items.push_back({Run{L(lang, "Primer mensaje a clientes: ", "First message to customers: "), true},
                     Run{StrCat(L(lang, "a los ", ""), FormatDuration(std::chrono::seconds(*r.figures.first_message_after_s), lang),
                                L(lang, " de abrirse el incidente.", " after the incident opened."))}});
  if (r.drill)
    items.push_back({Run{L(lang, "Simulacro: ", "Drill: "), true},
                     Run{L(lang, "fue un ensayo; ningún cliente recibió mensajes reales.",
                           "this was a rehearsal; no customer received real messages.")}});
  doc.List(std::move(items));
}

void Timeline(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Cronología", "Timeline"), "timeline");
  if (r.timeline.empty()) {
    doc.Paragraph(Plain(L(lang, "La cronología está vacía.", "The timeline is empty.")));
    return;
  }
  Table t;
  t.head = {"#", L(lang, "Hora (UTC)", "Time (UTC)"), L(lang, "Qué", "What"), L(lang, "Quién", "Who"), L(lang, "Detalle", "Detail")};
  t.numeric = {true};
  RowTime when;
  for (const TimelineEntry& e : r.timeline) {
    t.rows.push_back({Plain(StrCat(e.seq)), Plain(when(e.at)), Plain(TimelineKindName(e.kind, lang)), Plain(e.who),
                      Plain(e.text.In(lang))});
    t.row_css.push_back(StrCat("kind-", e.kind));
  }
  doc.AddTable(std::move(t));
}

void PlatformStatus(Doc& doc, const IncidentRecord& r, Lang lang, ReportFormat format) {
  doc.Heading(2, L(lang, "Estado de las plataformas", "Platform status"), "platform-status");
  const std::vector<StatusPeriod> periods = PlatformPeriods(r);
  if (periods.empty()) {
    doc.Paragraph(Plain(L(lang, "El registro no trae el estado de las plataformas.", "The record has no platform status.")));
    return;
  }
  if (format == ReportFormat::kHtml)
    doc.Figure(PlatformStatusSvg(r, lang), L(lang, "Una franja por plataforma, coloreada según su estado (hora UTC).",
                                             "One band per platform, coloured by its health (UTC)."));
  Table t;
  t.head = {L(lang, "Plataforma", "Platform"), L(lang, "Estado", "Health"), L(lang, "Desde", "From"),
            L(lang, "Hasta", "Until"), L(lang, "Duración", "Length")};
  t.numeric = {false, false, false, false, true};
  for (const StatusPeriod& p : periods) {
    t.rows.push_back({Plain(p.platform), {Run{HealthName(p.health, lang), false, "", StrCat("health-", p.health)}},
                      Plain(DateTime(p.from)), Plain(DateTime(p.until)), Plain(FormatDuration(Between(p.from, p.until), lang))});
  }
  doc.AddTable(std::move(t));
}

void Mentions(Doc& doc, const IncidentRecord& r, Lang lang, ReportFormat format) {
  doc.Heading(2, L(lang, "Menciones y sentimiento", "Mention volume and sentiment"), "mentions");
  if (r.mention_series.empty()) {
    doc.Paragraph(Plain(L(lang, "El registro no trae menciones.", "The record has no mentions.")));
    return;
  }
  const MentionTotals t = SumMentions(r.mention_series);
  const int64_t negative_pct = t.mentions == 0 ? 0 : (t.negative * 100 + t.mentions / 2) / t.mentions;
  doc.Paragraph(Plain(StrCat(FormatCount(t.mentions, lang), L(lang, " menciones en total: ", " mentions in all: "),
                             FormatCount(t.negative, lang), L(lang, " negativas (", " negative ("), negative_pct, " %), ",
                             FormatCount(t.neutral, lang), L(lang, " neutras, ", " neutral, "), FormatCount(t.positive, lang),
                             L(lang, " positivas, ", " positive, "), FormatCount(t.unknown, lang),
                             L(lang, " sin clasificar. Pico: ", " unclassified. Peak: "), FormatCount(t.peak, lang),
                             L(lang, " menciones por minuto a las ", " mentions a minute at "), ClockTime(t.peak_minute), ".")));
  if (format == ReportFormat::kHtml) {
    doc.Figure(MentionsSvg(r, lang), L(lang, "Menciones por minuto, apiladas por sentimiento (hora UTC).",
                                       "Mentions per minute, stacked by sentiment (UTC)."));
    return;
  }
  std::chrono::minutes bucket{1};
  const std::vector<MentionBucket> buckets = MentionBuckets(r, 24, &bucket);
  Table table;
  table.head = {StrCat(L(lang, "Desde (UTC, cada ", "From (UTC, every "), FormatDuration(bucket, lang), ")"),
                L(lang, "Menciones", "Mentions"), L(lang, "Negativas", "Negative"), L(lang, "Neutras", "Neutral"),
                L(lang, "Positivas", "Positive"), L(lang, "Sin clasificar", "Unclassified")};
  table.numeric = {false, true, true, true, true, true};
  RowTime when(false);
  for (const MentionBucket& b : buckets)
    table.rows.push_back({Plain(when(b.from)), Plain(FormatCount(b.totals.mentions, lang)),
                          Plain(FormatCount(b.totals.negative, lang)), Plain(FormatCount(b.totals.neutral, lang)),
                          Plain(FormatCount(b.totals.positive, lang)), Plain(FormatCount(b.totals.unknown, lang))});
  doc.AddTable(std::move(table));
}

void FiguresSection(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Cifras", "Figures"), "figures");
  const Figures& f = r.figures;
  Table t;
  t.head = {L(lang, "Qué", "What"), L(lang, "Cuánto", "How many")};
  t.numeric = {false, true};
  auto row = [&](std::string_view es, std::string_view en, std::string value) {
    t.rows.push_back({Plain(L(lang, es, en)), Plain(std::move(value))});
  };
  row("Mensajes desviados a otros canales", "Messages re-routed to other channels", FormatCount(f.messages_rerouted, lang));
  row("Contactos avisados", "Contacts told", FormatCount(f.contacts_told, lang));
  row("Campañas pausadas", "Campaigns paused", FormatCount(f.campaigns_paused, lang));
  row("Gasto protegido", "Spend protected", Money(f.spend_protected_micros, f.currency, lang));
  row("Aprobaciones pedidas", "Approvals asked", FormatCount(f.approvals_asked, lang));
  row("Aprobaciones concedidas", "Approvals granted", FormatCount(f.approvals_granted, lang));
  row("Primer mensaje a clientes tras", "First message to customers after",
      f.first_message_after_s ? FormatDuration(std::chrono::seconds(*f.first_message_after_s), lang) : "—");
  row("Conversaciones sin respuesta al final", "Conversations left unanswered at the end",
      f.unanswered_left ? FormatCount(*f.unanswered_left, lang) : "—");
  doc.AddTable(std::move(t));
}

// Each campaign the incident's ad steps touched, from the ad guard's record each pause-ads and
// resume-ads outcome carries (details.guard): paused by Faro, already paused before (left
// alone), resumed, still paused for another incident, changed by a person. The record is shared
// by every incident of the account, so a campaign paused by Faro counts here only when this
// incident holds it ("incident:ID" in held_by) or held it before resuming it.
struct CampaignRow {
  std::string account, id, name;
  std::string state;  // the guard's word, as this incident last saw it
  TimePoint at;
};

std::vector<CampaignRow> CampaignRows(const IncidentRecord& r) {
  const std::string holder = StrCat("incident:", r.id);
  std::vector<CampaignRow> rows;
  auto find = [&](const std::string& account, const std::string& id) -> CampaignRow* {
    for (CampaignRow& row : rows)
      if (row.account == account && row.id == id) return &row;
    return nullptr;
  };
  auto text = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  for (const TimelineEntry& e : r.timeline) {
    if (e.kind != "outcome" || !e.details.is_object()) continue;
    const std::string kind = text(e.details, "action_kind");
    if (kind != "pause-ads" && kind != "resume-ads") continue;
    if (!e.details.contains("guard") || !e.details["guard"].is_object()) continue;
    const nlohmann::json& guard = e.details["guard"];
    if (!guard.contains("campaigns") || !guard["campaigns"].is_array()) continue;
    for (const nlohmann::json& c : guard["campaigns"]) {
      if (!c.is_object()) continue;
      const std::string account = text(c, "account"), id = text(c, "id"), state = text(c, "state");
      if (id.empty() || state.empty()) continue;
      bool ours = false;
      if (c.contains("held_by") && c["held_by"].is_array())
        for (const nlohmann::json& h : c["held_by"]) ours |= h.is_string() && h.get<std::string>() == holder;
      CampaignRow* row = find(account, id);
      if (row == nullptr) {
        // New to this incident: what it paused, or found already paused, on its own pause.
        if (kind != "pause-ads" || (state == "paused-by-faro" && !ours) ||
            (state != "paused-by-faro" && state != "already-paused" && state != "pause-failed"))
          continue;
        rows.push_back({account, id, text(c, "name"), state, e.at});
        continue;
      }
      if (row->state == state && !(state == "paused-by-faro" && kind == "resume-ads")) continue;
      // After this incident's resume, a campaign still paused by Faro is held by another one.
      row->state = state == "paused-by-faro" && kind == "resume-ads" && !ours ? "held-elsewhere" : state;
      row->at = e.at;
    }
  }
  return rows;
}

std::string CampaignStateWords(const std::string& state, Lang lang) {
  if (state == "paused-by-faro") return L(lang, "pausada por Faro", "paused by Faro");
  if (state == "already-paused") return L(lang, "ya estaba pausada antes; se dejó así", "already paused before; left so");
  if (state == "resumed") return L(lang, "reanudada", "resumed");
  if (state == "held-elsewhere") return L(lang, "sigue pausada por otro incidente", "still paused for another incident");
  if (state == "changed-by-person")
    return L(lang, "cambiada por una persona; Faro no la tocó", "changed by a person; Faro left it alone");
  if (state == "pause-failed") return L(lang, "no se pudo pausar", "could not be paused");
  if (state == "resume-failed") return L(lang, "no se pudo reanudar", "could not be resumed");
  if (state == "left-alone") return L(lang, "no se tocó", "left alone");
  return state;
}

void Campaigns(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Campañas", "Campaigns"), "campaigns");
  const std::vector<CampaignRow> rows = CampaignRows(r);
  if (rows.empty()) {
    doc.Paragraph(Plain(L(lang, "Faro no pausó ni reanudó campañas en este incidente.",
                          "Faro paused and resumed no campaigns in this incident.")));
    return;
  }
  Table t;
  t.head = {L(lang, "Cuenta", "Account"), L(lang, "Campaña", "Campaign"), L(lang, "Cómo quedó", "How it was left"),
            L(lang, "Desde (UTC)", "Since (UTC)")};
  RowTime when;
  for (const CampaignRow& row : rows)
    t.rows.push_back({Plain(row.account), Plain(row.name.empty() ? row.id : row.name),
                      Plain(CampaignStateWords(row.state, lang)), Plain(when(row.at))});
  doc.AddTable(std::move(t));
}

void Approvals(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Aprobaciones", "Approvals"), "approvals");
  Table t;
  t.head = {L(lang, "Hora (UTC)", "Time (UTC)"), L(lang, "Qué", "What"), L(lang, "Quién", "Who"), L(lang, "Detalle", "Detail")};
  RowTime when;
  for (const TimelineEntry& e : r.timeline) {
    if (e.kind != "approval-asked" && e.kind != "approved" && e.kind != "denied" && e.kind != "escalated" &&
        e.kind != "no-answer")
      continue;
    t.rows.push_back({Plain(when(e.at)), Plain(TimelineKindName(e.kind, lang)), Plain(e.who), Plain(e.text.In(lang))});
  }
  doc.Paragraph(Plain(StrCat(L(lang, "Pedidas: ", "Asked: "), FormatCount(r.figures.approvals_asked, lang),
                             L(lang, "; concedidas: ", "; granted: "), FormatCount(r.figures.approvals_granted, lang), ".")));
  if (t.rows.empty()) {
    doc.Paragraph(Plain(L(lang, "No se pidió ninguna aprobación.", "No approval was asked.")));
    return;
  }
  doc.AddTable(std::move(t));
}

void Checklist(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Verificación tras la recuperación", "Restoration checklist"), "checklist");
  if (r.checklist.empty()) {
    doc.Paragraph(Plain(L(lang, "No se hizo la verificación tras la recuperación.", "No restoration check was run.")));
  } else {
    Table t;
    t.head = {L(lang, "Punto", "Item"), L(lang, "Estado", "State"), L(lang, "Qué se vio", "What was found")};
    for (const CheckItem& c : r.checklist) {
      t.rows.push_back({Plain(ChecklistItemName(c.item, lang)), {Run{StateWord(c.state, lang), true, "", StateCss(c.state)}},
                        Plain(c.text.In(lang))});
    }
    doc.AddTable(std::move(t));
  }
  if (r.overrides.empty()) return;
  doc.Heading(3, L(lang, "Excepciones con motivo", "Overrides"), "overrides");
  Table t;
  t.head = {L(lang, "Punto", "Item"), L(lang, "Quién", "Who"), L(lang, "Motivo", "Reason"), L(lang, "Cuándo", "When")};
  for (const Override& o : r.overrides)
    t.rows.push_back({Plain(ChecklistItemName(o.item, lang)), Plain(o.by), Plain(o.reason), Plain(DateTime(o.at))});
  doc.AddTable(std::move(t));
}

void Lessons(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Qué funcionó y qué cambiar", "What worked and what to change"), "lessons");
  for (const auto& [title, list] : {std::pair{L(lang, "Qué funcionó", "What worked"), &r.worked},
                                    std::pair{L(lang, "Qué cambiar", "What to change"), &r.change}}) {
    doc.Heading(3, title);
    if (list->empty()) {
      doc.Paragraph(Plain(L(lang, "Nada anotado.", "Nothing noted.")));
      continue;
    }
    std::vector<Runs> items;
    for (const Text& t : *list) items.push_back(Plain(t.In(lang)));
    doc.List(std::move(items));
  }
}

void Roles(Doc& doc, const IncidentRecord& r, Lang lang) {
  doc.Heading(2, L(lang, "Roles y quién los tuvo", "Roles and who held them"), "roles");
  if (r.roles.empty()) {
    doc.Paragraph(Plain(L(lang, "El registro no trae roles.", "The record has no roles.")));
    return;
  }
  Table t;
  t.head = {L(lang, "Rol", "Role"), L(lang, "Persona", "Person"), L(lang, "Desde", "From"), L(lang, "Hasta", "Until")};
  for (const RoleHeld& h : r.roles) {
    const std::string role = h.title.empty() ? h.role : h.title.In(lang);
    t.rows.push_back({Plain(role), Plain(h.person), Plain(DateTime(h.from)),
                      Plain(h.until ? DateTime(*h.until) : L(lang, "hasta el final", "to the end"))});
  }
  doc.AddTable(std::move(t));
}

}  // namespace

std::string WriteReport(const IncidentRecord& r, ReportFormat format, Lang lang) {
  Doc doc;
  Title(doc, r, lang);
  Summary(doc, r, lang);
  Timeline(doc, r, lang);
  PlatformStatus(doc, r, lang, format);
  Mentions(doc, r, lang, format);
  FiguresSection(doc, r, lang);
  Campaigns(doc, r, lang);
  Approvals(doc, r, lang);
  Checklist(doc, r, lang);
  Lessons(doc, r, lang);
  Roles(doc, r, lang);
  doc.Footer(L(lang, "Informe escrito por Faro a partir del registro del incidente. Horas en UTC.",
               "Report written by Faro from the incident record. Times are UTC."));
  if (format == ReportFormat::kMarkdown) return doc.Markdown();
  return doc.Html(StrCat(L(lang, "Incidente #", "Incident #"), r.id, ": ", r.title.In(lang)), lang);
}

absl::StatusOr<std::string> WriteReportFromJson(std::string_view incident_json, ReportFormat format, Lang lang) {
  FARO_ASSIGN_OR_RETURN(const IncidentRecord record, ParseIncidentText(incident_json));
  return WriteReport(record, format, lang);
}

std::string ReportFileName(ReportFormat format, Lang lang) {
  return StrCat("report.", LangCode(lang), format == ReportFormat::kHtml ? ".html" : ".md");
}

}  // namespace faro::record
