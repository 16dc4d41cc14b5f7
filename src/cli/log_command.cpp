// `faro log` (docs/crisis-log.md): the crisis log from the command line.
//   faro log list --log DIR [filters] [--json]         incidents, newest first
//   faro log search TEXT --log DIR [filters] [--json]  full text, accents and case ignored
//   faro log add INCIDENT.json --log DIR               keep an incident record and its reports
// Filters: --kind, --playbook, --subject, --state, --since DATE, --until DATE (whole days,
// both included), --drills (only drills) or --real (only real incidents).
// Exit codes: 0 listed / found / added; 1 search found nothing, or the record could not be
// added; 3 usage errors, bad dates, a log folder that is not there.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/record_commands.hpp"
#include "core/lang.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "record/crisis_log.hpp"
#include "record/files.hpp"
#include "record/words.hpp"

namespace faro::cli {
namespace {

struct LogFlags {
  std::string log, lang, kind, playbook, subject, state, since, until, text, file;
  bool drills = false, real = false, json = false;
};

Lang LangOf(const LogFlags& f) {
  return f.lang.empty() ? LangFromEnvironment() : f.lang == "es" ? Lang::kEs : Lang::kEn;
}

int Usage(const std::string& message) {
  std::cerr << "faro log: " << message << "\n";
  return kUsageError;
}

// The filter from the flags, or a message saying which flag is wrong.
absl::StatusOr<record::LogFilter> FilterOf(const LogFlags& f, Lang lang) {
  record::LogFilter filter{f.kind, f.playbook, f.subject, f.state};
  if (f.drills && f.real)
    return absl::InvalidArgumentError(lang == Lang::kEs ? "--drills y --real se excluyen: elige uno"
                                                        : "--drills and --real exclude each other: choose one");
  if (f.drills) filter.drills = record::LogFilter::Drills::kDrillsOnly;
  if (f.real) filter.drills = record::LogFilter::Drills::kRealOnly;
  if (!f.since.empty()) {
    auto t = record::ParseLogDate(f.since, false);
    if (!t.ok()) return absl::InvalidArgumentError(StrCat("--since: ", Message(t.status())));
    filter.since = *t;
  }
  if (!f.until.empty()) {
    auto t = record::ParseLogDate(f.until, true);
    if (!t.ok()) return absl::InvalidArgumentError(StrCat("--until: ", Message(t.status())));
    filter.until = *t;
  }
  return filter;
}

// Loads the log and names on stderr each record it could not read.
absl::StatusOr<record::CrisisLog> Load(const LogFlags& f, Lang lang) {
  auto log = record::LoadCrisisLog(f.log);
  if (!log.ok()) return log.status();
  for (const record::LogProblem& p : log->problems)
    std::cerr << "faro log: " << (lang == Lang::kEs ? "no se pudo leer " : "could not read ") << p.path << ": "
              << p.message << "\n";
  return log;
}

std::string Pad(const std::string& text, std::size_t width) {
  const std::size_t n = CountCodePoints(text);
  return n >= width ? text : text + std::string(width - n, ' ');
}

std::string Title(const record::IncidentRecord& r, Lang lang) {
  std::string t = StrCat("#", r.id, " ", r.title.In(lang));
  if (r.drill) StrAppend(t, lang == Lang::kEs ? " (simulacro)" : " (drill)");
  return t;
}

std::string Length(const record::IncidentRecord& r, Lang lang) {
  return r.stable_at || r.closed_at ? record::FormatDuration(r.OutageLength(), lang) : "—";
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], CountCodePoints(row[i]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += i + 1 < row.size() ? Pad(row[i], widths[i] + 2) : row[i];
    std::cout << line << "\n";
  }
}

int RunList(const LogFlags& f) {
  const Lang lang = LangOf(f);
  const bool es = lang == Lang::kEs;
  auto filter = FilterOf(f, lang);
  if (!filter.ok()) return Usage(Message(filter.status()));
  auto log = Load(f, lang);
  if (!log.ok()) return Usage(Message(log.status()));
  const auto entries = record::ListLog(*log, *filter);
  if (f.json) {
    record::CrisisLog listed;
    for (const record::LogEntry* e : entries) listed.entries.push_back(*e);
    std::cout << record::IndexJson(listed)["incidents"].dump(1) << "\n";
    return 0;
  }
  if (entries.empty()) {
    std::cout << (es ? "Ningún incidente coincide.\n" : "No incident matches.\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {es ? "ABIERTO" : "OPENED", es ? "TIPO" : "KIND", es ? "SOBRE" : "SUBJECT", es ? "ESTADO" : "STATE",
       es ? "DURACIÓN" : "LENGTH", es ? "CARPETA" : "FOLDER", es ? "INCIDENTE" : "INCIDENT"}};
  for (const record::LogEntry* e : entries) {
    const record::IncidentRecord& r = e->record;
    rows.push_back({record::DateTime(r.opened_at), r.kind, r.subject, record::IncidentStateName(r.state, lang),
                    Length(r, lang), e->folder, Title(r, lang)});
  }
  PrintTable(rows);
  return 0;
}

int RunSearch(const LogFlags& f) {
  const Lang lang = LangOf(f);
  const bool es = lang == Lang::kEs;
  if (Trim(f.text).empty()) return Usage(es ? "falta el texto a buscar" : "the text to search for is missing");
  auto filter = FilterOf(f, lang);
  if (!filter.ok()) return Usage(Message(filter.status()));
  auto log = Load(f, lang);
  if (!log.ok()) return Usage(Message(log.status()));
  const auto hits = record::SearchLog(*log, f.text, *filter, lang);
  if (f.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const record::SearchHit& h : hits)
      out.push_back({{"folder", h.entry->folder},
                     {"id", h.entry->record.id},
                     {"title", {{"es", h.entry->record.title.es}, {"en", h.entry->record.title.en}}},
                     {"drill", h.entry->record.drill},
                     {"where", h.where},
                     {"snippet", h.snippet},
                     {"match_begin", h.match_begin},
                     {"match_length", h.match_length}});
    std::cout << out.dump(1) << "\n";
    return hits.empty() ? 1 : 0;
  }
  if (hits.empty()) {
    std::cout << (es ? "Nada encontrado.\n" : "Nothing found.\n");
    return 1;
  }
  for (const record::SearchHit& h : hits) {
    const record::IncidentRecord& r = h.entry->record;
    std::string snippet = h.snippet;
    snippet.insert(h.match_begin + h.match_length, "]");
    snippet.insert(h.match_begin, "[");
    std::cout << record::DateTime(r.opened_at) << "  " << Title(r, lang) << "  (" << h.entry->folder << ")\n"
              << "  " << h.where << ": " << snippet << "\n";
  }
  return 0;
}

int RunAdd(const LogFlags& f) {
  const bool es = LangOf(f) == Lang::kEs;
  auto text = record::ReadWholeFile(f.file);
  if (!text.ok()) return Usage(Message(text.status()));
  auto folder = record::AddToLog(f.log, *text);
  if (!folder.ok()) {
    std::cerr << "faro log add: " << f.file << ": " << Message(folder.status()) << "\n";
    return 1;
  }
  std::cout << (es ? "Guardado en " : "Kept in ") << f.log << "/" << *folder << "\n";
  return 0;
}

void AddFilterFlags(CLI::App* cmd, LogFlags& f) {
  cmd->add_option("--log", f.log, "the crisis log folder")->required();
  cmd->add_option("--kind", f.kind, "outage, crisis, …");
  cmd->add_option("--playbook", f.playbook, "the playbook's id");
  cmd->add_option("--subject", f.subject, "a platform (whatsapp) or brand:…/topic:…");
  cmd->add_option("--state", f.state, "active, stable or closed")->check(CLI::IsMember({"active", "stable", "closed"}));
  cmd->add_option("--since", f.since, "opened on or after this day (2021-10-04) or time");
  cmd->add_option("--until", f.until, "opened on or before this day (2021-10-04) or before this time");
  cmd->add_flag("--drills", f.drills, "only drills");
  cmd->add_flag("--real", f.real, "only real incidents");
  cmd->add_flag("--json", f.json, "JSON instead of text");
  cmd->add_option("--lang", f.lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
}

}  // namespace

Runner AddLogCommand(CLI::App& app) {
  auto flags = std::make_shared<LogFlags>();
  CLI::App* cmd = app.add_subcommand("log", "The crisis log: list and search past incidents / El registro de crisis");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "Incidents, newest first / Incidentes, los más nuevos primero");
  AddFilterFlags(list, *flags);
  CLI::App* search = cmd->add_subcommand("search", "Full-text search / Búsqueda en el texto");
  search->add_option("text", flags->text, "words to find (all of them; accents and case do not matter)")->required();
  AddFilterFlags(search, *flags);
  CLI::App* add = cmd->add_subcommand("add", "Keep an incident record and its reports / Guardar un incidente");
  add->add_option("file", flags->file, "the incident record (INCIDENT.json)")->required()->check(CLI::ExistingFile);
  add->add_option("--log", flags->log, "the crisis log folder")->required();
  add->add_option("--lang", flags->lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
  return [flags, list, search] {
    if (list->parsed()) return RunList(*flags);
    if (search->parsed()) return RunSearch(*flags);
    return RunAdd(*flags);
  };
}

}  // namespace faro::cli
