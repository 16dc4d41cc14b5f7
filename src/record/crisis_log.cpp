#include "record/crisis_log.hpp"

#include <algorithm>
#include <filesystem>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "record/files.hpp"
#include "record/report.hpp"
#include "record/search_text.hpp"

namespace faro::record {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kRecordFile = "INCIDENT.json";
constexpr std::string_view kIndexFile = "index.json";
constexpr std::size_t kSnippetContext = 50;

nlohmann::json TextJson(const Text& t) { return {{"es", t.es}, {"en", t.en}}; }

nlohmann::json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(Rfc3339(*t)) : nlohmann::json(nullptr);
}

// Lowercase letters, digits and '-' only, at most 40 characters: safe in any file system.
std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() == 40) break;
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (keep) out.push_back(lower);
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "incident" : out;
}

// One text of an incident that search looks in.
struct Searchable {
  std::string where;
  const std::string* text;
  bool in_lang;  // written in the language asked for (preferred for the snippet)
};

std::vector<Searchable> SearchableTexts(const IncidentRecord& r, Lang lang) {
  std::vector<Searchable> out;
  const bool es = lang == Lang::kEs;
  auto both = [&](const std::string& where, const Text& t) {
    out.push_back({where, es ? &t.es : &t.en, true});
    if (t.es != t.en) out.push_back({where, es ? &t.en : &t.es, false});
  };
  both("title", r.title);
  out.push_back({"business", &r.business, true});
  out.push_back({"subject", &r.subject, true});
  for (const TimelineEntry& e : r.timeline) {
    const std::string where = StrCat("timeline #", e.seq);
    both(where, e.text);
    out.push_back({where, &e.who, true});
  }
  for (const Text& t : r.worked) both("lessons", t);
  for (const Text& t : r.change) both("lessons", t);
  for (const Override& o : r.overrides) out.push_back({"override", &o.reason, true});
  return out;
}

}  // namespace

std::string FolderName(const IncidentRecord& r) {
  const std::string t = Rfc3339(r.opened_at);  // 2021-10-04T15:44:10.250Z
  const std::string stamp = StrCat(t.substr(0, 10), "-", t.substr(11, 2), t.substr(14, 2), t.substr(17, 2));
  return StrCat(stamp, "-", Slug(r.playbook), "-", r.id, r.drill ? "-drill" : "");
}

absl::StatusOr<CrisisLog> LoadCrisisLog(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return absl::NotFoundError(StrCat(dir, ": not a folder (the crisis log is a folder of incident folders)"));
  CrisisLog log;
  log.dir = dir;
  std::vector<fs::path> folders;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code file_ec;
    if (it->is_directory(file_ec) && fs::exists(it->path() / kRecordFile, file_ec)) folders.push_back(it->path());
  }
  if (ec) return absl::InternalError(StrCat(dir, ": cannot list it: ", ec.message()));
  std::sort(folders.begin(), folders.end());
  for (const fs::path& folder : folders) {
    const std::string path = (folder / kRecordFile).string();
    auto text = ReadWholeFile(path);
    if (!text.ok()) {
      log.problems.push_back({path, Message(text.status())});
      continue;
    }
    auto record = ParseIncidentText(*text);
    if (!record.ok()) {
      log.problems.push_back({path, Message(record.status())});
      continue;
    }
    log.entries.push_back({folder.filename().string(), std::move(*record)});
  }
  std::stable_sort(log.entries.begin(), log.entries.end(), [](const LogEntry& a, const LogEntry& b) {
    if (a.record.opened_at != b.record.opened_at) return a.record.opened_at > b.record.opened_at;
    return a.folder < b.folder;
  });
  return log;
}

absl::Status WriteReportFiles(const std::string& folder, const IncidentRecord& record) {
  FARO_RETURN_IF_ERROR(MakeDirs(folder));
  for (ReportFormat format : {ReportFormat::kMarkdown, ReportFormat::kHtml})
    for (Lang lang : {Lang::kEs, Lang::kEn})
      FARO_RETURN_IF_ERROR(
          WriteFileDurably((fs::path(folder) / ReportFileName(format, lang)).string(), WriteReport(record, format, lang)));
  return absl::OkStatus();
}

nlohmann::json EntrySummaryJson(const LogEntry& e) {
  const IncidentRecord& r = e.record;
  return {{"folder", e.folder},
          {"id", r.id},
          {"plan", r.plan},
          {"playbook", r.playbook},
          {"kind", r.kind},
          {"subject", r.subject},
          {"business", r.business},
          {"state", r.state},
          {"drill", r.drill},
          {"opened_at", Rfc3339(r.opened_at)},
          {"stable_at", OptionalTime(r.stable_at)},
          {"closed_at", OptionalTime(r.closed_at)},
          {"title", TextJson(r.title)}};
}

nlohmann::json IndexJson(const CrisisLog& log) {
  nlohmann::json incidents = nlohmann::json::array();
  for (const LogEntry& e : log.entries) {
    nlohmann::json entry = EntrySummaryJson(e);
    nlohmann::json& reports = entry["reports"] = nlohmann::json::object();
    for (Lang lang : {Lang::kEs, Lang::kEn})
      reports[std::string(LangCode(lang))] = {
          {"md", StrCat(e.folder, "/", ReportFileName(ReportFormat::kMarkdown, lang))},
          {"html", StrCat(e.folder, "/", ReportFileName(ReportFormat::kHtml, lang))}};
    incidents.push_back(std::move(entry));
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const LogProblem& p : log.problems) problems.push_back({{"path", p.path}, {"message", p.message}});
  return {{"incidents", incidents}, {"problems", problems}};
}

absl::StatusOr<std::string> AddToLog(const std::string& dir, std::string_view incident_json) {
  FARO_ASSIGN_OR_RETURN(const IncidentRecord record, ParseIncidentText(incident_json));
  FARO_RETURN_IF_ERROR(MakeDirs(dir));
  const std::string folder = FolderName(record);
  const std::string path = (fs::path(dir) / folder).string();
  FARO_RETURN_IF_ERROR(MakeDirs(path));
  // The reports first and the record last: a folder whose INCIDENT.json is there is complete.
  FARO_RETURN_IF_ERROR(WriteReportFiles(path, record));
  FARO_RETURN_IF_ERROR(WriteFileDurably((fs::path(path) / kRecordFile).string(), incident_json));
  FARO_ASSIGN_OR_RETURN(const CrisisLog log, LoadCrisisLog(dir));
  FARO_RETURN_IF_ERROR(WriteFileDurably((fs::path(dir) / kIndexFile).string(), IndexJson(log).dump(1) + "\n"));
  return folder;
}

bool Matches(const IncidentRecord& r, const LogFilter& f) {
  if (!f.kind.empty() && r.kind != f.kind) return false;
  if (!f.playbook.empty() && r.playbook != f.playbook) return false;
  if (!f.subject.empty() && r.subject != f.subject) return false;
  if (!f.state.empty() && r.state != f.state) return false;
  if (f.drills == LogFilter::Drills::kRealOnly && r.drill) return false;
  if (f.drills == LogFilter::Drills::kDrillsOnly && !r.drill) return false;
  if (f.since && r.opened_at < *f.since) return false;
  if (f.until && r.opened_at >= *f.until) return false;
  return true;
}

std::vector<const LogEntry*> ListLog(const CrisisLog& log, const LogFilter& filter) {
  std::vector<const LogEntry*> out;
  for (const LogEntry& e : log.entries)
    if (Matches(e.record, filter)) out.push_back(&e);
  return out;
}

absl::StatusOr<TimePoint> ParseLogDate(std::string_view text, bool end_of_day) {
  const std::string_view t = Trim(text);
  const bool date_only = t.size() == 10 && t[4] == '-' && t[7] == '-';
  if (!date_only) {
    auto full = ParseRfc3339(t);
    if (!full.ok())
      return absl::InvalidArgumentError(
          StrCat("\"", t, "\" is not a date: write 2021-10-04 or 2021-10-04T15:39:00Z"));
    return *full;
  }
  auto day = ParseRfc3339(StrCat(t, "T00:00:00Z"));
  if (!day.ok()) return absl::InvalidArgumentError(StrCat("\"", t, "\" is not a date: write 2021-10-04"));
  return end_of_day ? *day + std::chrono::hours(24) : *day;
}

std::vector<SearchHit> SearchLog(const CrisisLog& log, std::string_view query, const LogFilter& filter, Lang lang) {
  std::vector<SearchHit> hits;
  const std::vector<std::string> words = SearchWords(query);
  if (words.empty()) return hits;
  for (const LogEntry& e : log.entries) {
    if (!Matches(e.record, filter)) continue;
    std::vector<bool> found(words.size(), false);
    SearchHit best;
    int best_words = 0;
    bool best_in_lang = false;
    for (const Searchable& s : SearchableTexts(e.record, lang)) {
      if (s.text->empty()) continue;
      const FoldedText folded = FoldForSearch(*s.text);
      int here = 0;
      std::size_t first_at = std::string::npos, first_len = 0;
      for (std::size_t w = 0; w < words.size(); ++w) {
        const std::size_t at = folded.folded.find(words[w]);
        if (at == std::string::npos) continue;
        found[w] = true;
        ++here;
        if (first_at == std::string::npos || at < first_at) first_at = at, first_len = words[w].size();
      }
      if (here == 0) continue;
      ++best.texts_matched;
      // The most words wins; on a tie, the language asked for, then the earliest text.
      if (here < best_words || (here == best_words && (best_in_lang || !s.in_lang))) continue;
      best_words = here;
      best_in_lang = s.in_lang;
      const std::size_t begin = folded.source[first_at];
      std::size_t end = folded.source[first_at + first_len - 1] + 1;
      while (end < s.text->size() && (static_cast<unsigned char>((*s.text)[end]) & 0xC0) == 0x80) ++end;
      // Accents that folded away right after the word belong to it ("cai" + U+0301 + "do").
      if (first_at + first_len < folded.source.size()) end = std::max(end, static_cast<std::size_t>(folded.source[first_at + first_len]));
      else end = std::max(end, s.text->size());
      best.where = s.where;
      best.snippet = Snippet(*s.text, begin, end - begin, kSnippetContext, &best.match_begin);
      best.match_length = end - begin;
    }
    if (!std::all_of(found.begin(), found.end(), [](bool b) { return b; })) continue;
    best.entry = &e;
    hits.push_back(std::move(best));
  }
  return hits;
}

}  // namespace faro::record
