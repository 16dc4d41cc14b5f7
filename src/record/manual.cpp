#include "record/manual.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/strings.hpp"
#include "record/doc.hpp"
#include "record/files.hpp"
#include "record/search_text.hpp"
#include "record/words.hpp"

namespace faro::record {
namespace {

using std::chrono::milliseconds;

std::string L(Lang lang, std::string_view es, std::string_view en) { return std::string(lang == Lang::kEs ? es : en); }

// Cases of one kind (and platform, for outages).
struct Group {
  std::string key;    // "outage:whatsapp", "crisis", "other-kind"
  std::string title;  // "Caída de plataforma: whatsapp"
  std::vector<const LogEntry*> cases;  // newest first, as the log orders them
};

std::vector<Group> Grouped(const std::vector<const LogEntry*>& entries, Lang lang) {
  std::map<std::string, Group> by_key;
  for (const LogEntry* e : entries) {
    const IncidentRecord& r = e->record;
    Group g;
    if (r.kind == "outage") {
      const std::string platform = r.subject.empty() ? L(lang, "sin plataforma", "no platform") : r.subject;
      g.key = StrCat("outage:", platform);
      g.title = StrCat(IncidentKindName(r.kind, lang), ": ", platform);
    } else {
      g.key = r.kind;
      g.title = IncidentKindName(r.kind, lang);
    }
    auto [it, added] = by_key.emplace(g.key, std::move(g));
    it->second.cases.push_back(e);
  }
  std::vector<Group> out;
  for (auto& [key, g] : by_key) out.push_back(std::move(g));
  // Most cases first; then outages, crises and the rest, each by name.
  auto rank = [](const Group& g) { return g.key.rfind("outage:", 0) == 0 ? 0 : g.key == "crisis" ? 1 : 2; };
  std::stable_sort(out.begin(), out.end(), [&](const Group& a, const Group& b) {
    if (a.cases.size() != b.cases.size()) return a.cases.size() > b.cases.size();
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return a.key < b.key;
  });
  return out;
}

// A lesson's identity: folded (case, accents), spaces collapsed, final punctuation dropped.
std::string LessonKey(std::string_view text) {
  const std::vector<std::string> words = SearchWords(text);
  std::string key = Join(words, " ");
  while (!key.empty() && (key.back() == '.' || key.back() == '!' || key.back() == ';')) key.pop_back();
  return key;
}

struct CountedLesson {
  std::string text;  // the wording first seen
  int cases = 0;
};

std::vector<CountedLesson> Aggregate(const std::vector<const LogEntry*>& cases, bool worked, Lang lang) {
  std::vector<CountedLesson> out;
  std::map<std::string, std::size_t> index;
  // Oldest case first, so the wording kept is the first one the team wrote.
  for (auto it = cases.rbegin(); it != cases.rend(); ++it) {
    std::set<std::string> in_this_case;
    for (const Text& t : worked ? (*it)->record.worked : (*it)->record.change) {
      const std::string& text = t.In(lang);
      const std::string key = LessonKey(text);
      if (key.empty() || !in_this_case.insert(key).second) continue;
      auto [pos, added] = index.emplace(key, out.size());
      if (added) out.push_back({text, 0});
      ++out[pos->second].cases;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.cases > b.cases; });
  return out;
}

// The steps that ran: the engine writes each action it emits on the timeline (as "action",
// "approval-asked" or "escalated") with details.action_kind, and each outcome with the same
// action_kind and ok.
struct StepCount {
  std::string kind;
  int cases = 0;
  int64_t times = 0;
  int64_t failed = 0;
  int64_t first_rank_sum = 0;  // where it first came in each case (1 = the first action)
};

std::vector<StepCount> StepsRun(const std::vector<const LogEntry*>& cases) {
  std::map<std::string, StepCount> by_kind;
  for (const LogEntry* e : cases) {
    std::set<std::string> seen;
    int64_t rank = 0;
    for (const TimelineEntry& t : e->record.timeline) {
      const auto it = t.details.find("action_kind");
      if (it == t.details.end() || !it->is_string()) continue;
      const std::string kind = it->get<std::string>();
      if (t.kind == "outcome") {
        const auto ok = t.details.find("ok");
        if (ok != t.details.end() && ok->is_boolean() && !ok->get<bool>()) {
          by_kind[kind].kind = kind;
          ++by_kind[kind].failed;
        }
        continue;
      }
      if (t.kind != "action" && t.kind != "approval-asked" && t.kind != "escalated") continue;
      ++rank;
      StepCount& c = by_kind[kind];
      c.kind = kind;
      ++c.times;
      if (seen.insert(kind).second) {
        ++c.cases;
        c.first_rank_sum += rank;
      }
    }
  }
  std::vector<StepCount> out;
  for (auto& [kind, c] : by_kind)
    if (c.times > 0) out.push_back(c);  // (an outcome without its action is not a step that ran)
  // In the order they usually come: by average first position (compared exactly).
  std::stable_sort(out.begin(), out.end(), [](const StepCount& a, const StepCount& b) {
    return a.first_rank_sum * b.cases < b.first_rank_sum * a.cases;
  });
  return out;
}

milliseconds Median(std::vector<milliseconds> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string PlainLink(const LogEntry& e, ReportFormat format, Lang lang) { return CaseReportLink(e, format, lang); }

void GroupSection(Doc& doc, const Group& g, int level, ReportFormat format, Lang lang) {
  doc.Heading(level, g.title);
  // How many, when, how long.
  const IncidentRecord& newest = g.cases.front()->record;
  const IncidentRecord& oldest = g.cases.back()->record;
  std::vector<milliseconds> lengths;
  for (const LogEntry* e : g.cases)
    if (e->record.stable_at || e->record.closed_at) lengths.push_back(e->record.OutageLength());
  std::string facts = StrCat(L(lang, "Casos: ", "Cases: "), static_cast<int64_t>(g.cases.size()));
  if (g.cases.size() == 1)
    StrAppend(facts, L(lang, ", el ", ", on "), DateOnly(oldest.opened_at), ".");
  else
    StrAppend(facts, L(lang, ", del ", ", from "), DateOnly(oldest.opened_at), L(lang, " al ", " to "),
              DateOnly(newest.opened_at), ".");
  if (lengths.size() == 1) {
    StrAppend(facts, L(lang, " Duración (de la apertura a la estabilidad): ", " Duration (from opening to stable): "),
              FormatDuration(lengths[0], lang), ".");
  } else if (!lengths.empty()) {
    const auto [shortest, longest] = std::minmax_element(lengths.begin(), lengths.end());
    StrAppend(facts, L(lang, " Duración típica (mediana, de la apertura a la estabilidad): ",
                       " Typical duration (median, from opening to stable): "),
              FormatDuration(Median(lengths), lang), L(lang, " (entre ", " (from "), FormatDuration(*shortest, lang),
              L(lang, " y ", " to "), FormatDuration(*longest, lang), ").");
  }
  if (lengths.size() < g.cases.size())
    StrAppend(facts, L(lang, " Casos aún sin estabilizar: ", " Cases not stable yet: "),
              static_cast<int64_t>(g.cases.size() - lengths.size()), ".");
  doc.Paragraph(Plain(facts));

  // Totals of the figures.
  int64_t rerouted = 0, told = 0, paused = 0, asked = 0, granted = 0;
  std::map<std::string, int64_t> spend;
  for (const LogEntry* e : g.cases) {
    const Figures& f = e->record.figures;
    rerouted += f.messages_rerouted;
    told += f.contacts_told;
    paused += f.campaigns_paused;
    asked += f.approvals_asked;
    granted += f.approvals_granted;
    if (f.spend_protected_micros > 0) spend[f.currency] += f.spend_protected_micros;
  }
  std::string totals = StrCat(L(lang, "En total: ", "In all: "), FormatCount(rerouted, lang),
                              L(lang, " mensajes desviados, ", " messages re-routed, "), FormatCount(told, lang),
                              L(lang, " contactos avisados, ", " contacts told, "), FormatCount(paused, lang),
                              L(lang, " campañas pausadas", " campaigns paused"));
  std::vector<std::string> money;
  for (const auto& [currency, micros] : spend)
    money.push_back(currency.empty() ? FormatDecimal(micros, 2, lang) : StrCat(FormatDecimal(micros, 2, lang), " ", currency));
  if (!money.empty()) StrAppend(totals, L(lang, ", gasto protegido: ", ", spend protected: "), Join(money, " + "));
  StrAppend(totals, L(lang, "; aprobaciones pedidas: ", "; approvals asked: "), FormatCount(asked, lang),
            L(lang, ", concedidas: ", ", granted: "), FormatCount(granted, lang), ".");
  doc.Paragraph(Plain(totals));

  // What was done.
  const int next = std::min(level + 1, 6);
  doc.Heading(next, L(lang, "Qué se hizo", "What was done"));
  const std::vector<StepCount> steps = StepsRun(g.cases);
  if (steps.empty()) {
    doc.Paragraph(Plain(L(lang, "Los registros no traen pasos.", "The records hold no steps.")));
  } else {
    Table t;
    t.head = {L(lang, "Paso", "Step"), L(lang, "En cuántos casos", "In how many cases"), L(lang, "Veces", "Times"),
              L(lang, "Fallos", "Failed")};
    t.numeric = {false, true, true, true};
    for (const StepCount& s : steps)
      t.rows.push_back({Plain(ActionKindName(s.kind, lang)),
                        Plain(StrCat(s.cases, L(lang, " de ", " of "), static_cast<int64_t>(g.cases.size()))),
                        Plain(FormatCount(s.times, lang)), Plain(FormatCount(s.failed, lang))});
    doc.AddTable(std::move(t));
  }

  // Lessons.
  for (bool worked : {true, false}) {
    doc.Heading(next, worked ? L(lang, "Qué funcionó", "What worked") : L(lang, "Qué cambiar", "What to change"));
    const std::vector<CountedLesson> lessons = Aggregate(g.cases, worked, lang);
    if (lessons.empty()) {
      doc.Paragraph(Plain(L(lang, "Nada anotado.", "Nothing noted.")));
      continue;
    }
    std::vector<Runs> items;
    for (const CountedLesson& l : lessons) {
      Runs item = Plain(l.text);
      if (l.cases > 1) item.push_back(Run{StrCat(" (", l.cases, L(lang, " casos)", " cases)")), true});
      items.push_back(std::move(item));
    }
    doc.List(std::move(items));
  }

  // The cases.
  doc.Heading(next, L(lang, "Casos", "Cases"));
  Table t;
  t.head = {L(lang, "Fecha", "Date"), L(lang, "Incidente", "Incident"), L(lang, "Duración", "Duration"),
            L(lang, "Estado", "State"), L(lang, "Informe", "Report")};
  for (const LogEntry* e : g.cases) {
    const IncidentRecord& r = e->record;
    const bool known = r.stable_at || r.closed_at;
    t.rows.push_back({Plain(DateTime(r.opened_at)), Plain(StrCat("#", r.id, " ", r.title.In(lang))),
                      Plain(known ? FormatDuration(r.OutageLength(), lang) : "—"), Plain(IncidentStateName(r.state, lang)),
                      {Run{L(lang, "informe", "report"), false, PlainLink(*e, format, lang)}}});
  }
  doc.AddTable(std::move(t));
}

}  // namespace

std::string CaseReportLink(const LogEntry& entry, ReportFormat format, Lang lang) {
  return StrCat("cases/", entry.folder, "/", ReportFileName(format, lang));
}

std::string WriteManual(const CrisisLog& log, ReportFormat format, Lang lang) {
  std::vector<const LogEntry*> real, drills;
  std::set<std::string> businesses;
  for (const LogEntry& e : log.entries) {
    (e.record.drill ? drills : real).push_back(&e);
    if (!e.record.business.empty()) businesses.insert(e.record.business);
  }
  Doc doc;
  std::string title = L(lang, "Manual de crisis", "Crisis manual");
  if (businesses.size() == 1) StrAppend(title, " — ", *businesses.begin());
  doc.Heading(1, title);
  std::string intro = StrCat(L(lang, "Compilado del registro de crisis (incidentes reales: ", "Compiled from the crisis log (real incidents: "),
                             static_cast<int64_t>(real.size()), L(lang, "; simulacros: ", "; drills: "),
                             static_cast<int64_t>(drills.size()), ")");
  if (!log.entries.empty()) {
    const std::string first = DateOnly(log.entries.back().record.opened_at);
    const std::string last = DateOnly(log.entries.front().record.opened_at);
    if (first == last) StrAppend(intro, L(lang, ", el ", ", on "), first);
    else StrAppend(intro, L(lang, ", del ", ", from "), first, L(lang, " al ", " to "), last);
  }
  intro += L(lang, ". Cada caso enlaza a su informe completo.", ". Each case links to its full report.");
  doc.Paragraph(Plain(intro), "meta");

  doc.Heading(2, L(lang, "Incidentes reales", "Real incidents"), "real");
  if (real.empty()) doc.Paragraph(Plain(L(lang, "Todavía no hubo incidentes reales.", "No real incidents yet.")));
  for (const Group& g : Grouped(real, lang)) GroupSection(doc, g, 3, format, lang);

  doc.Heading(2, L(lang, "Simulacros", "Drills"), "drills");
  doc.Paragraph(Plain(L(lang, "Ensayos del plan: no cuentan como incidentes, pero también dejan lecciones.",
                        "Rehearsals of the plan: they are not incidents, but they teach too.")));
  if (drills.empty()) doc.Paragraph(Plain(L(lang, "Todavía no hubo simulacros.", "No drills yet.")));
  for (const Group& g : Grouped(drills, lang)) GroupSection(doc, g, 3, format, lang);

  if (!log.problems.empty()) {
    doc.Heading(2, L(lang, "Registros que no se pudieron leer", "Records that could not be read"), "problems");
    std::vector<Runs> items;
    for (const LogProblem& p : log.problems) {
      std::string path = p.path;
      if (!log.dir.empty() && path.rfind(log.dir, 0) == 0) path = path.substr(log.dir.size());
      while (!path.empty() && path[0] == '/') path.erase(0, 1);
      items.push_back({Run{path, true}, Run{StrCat(": ", p.message)}});
    }
    doc.List(std::move(items));
  }
  doc.Footer(L(lang, "Manual compilado por Faro a partir del registro de crisis. Horas en UTC.",
               "Manual compiled by Faro from the crisis log. Times are UTC."));
  return format == ReportFormat::kMarkdown ? doc.Markdown() : doc.Html(title, lang);
}

absl::Status WriteManualFiles(const CrisisLog& log, const std::string& out_dir, Lang lang) {
  namespace fs = std::filesystem;
  FARO_RETURN_IF_ERROR(MakeDirs(out_dir));
  for (const LogEntry& e : log.entries) {
    const std::string folder = (fs::path(out_dir) / "cases" / e.folder).string();
    FARO_RETURN_IF_ERROR(MakeDirs(folder));
    for (ReportFormat format : {ReportFormat::kMarkdown, ReportFormat::kHtml})
      FARO_RETURN_IF_ERROR(WriteFileDurably((fs::path(folder) / ReportFileName(format, lang)).string(),
                                            WriteReport(e.record, format, lang)));
  }
  for (ReportFormat format : {ReportFormat::kMarkdown, ReportFormat::kHtml})
    FARO_RETURN_IF_ERROR(WriteFileDurably(
        (fs::path(out_dir) / StrCat("manual.", LangCode(lang), format == ReportFormat::kHtml ? ".html" : ".md")).string(),
        WriteManual(log, format, lang)));
  return absl::OkStatus();
}

}  // namespace faro::record
