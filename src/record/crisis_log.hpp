#pragma once
// The crisis log: every incident's record kept as a folder, so the team can look back.
//
//   LOG/
//     index.json                                  a summary of every incident (rewritten on each add)
//     2021-10-04-154410-messaging-outage-7/       one folder per incident (a drill ends in "-drill")
//       INCIDENT.json                             the incident record (the source of truth)
//       report.es.md  report.en.md                its report, in both languages and both formats
//       report.es.html report.en.html
//
// Faro itself reads the INCIDENT.json files, never index.json (which is for other tools and
// people), so a folder copied in by hand is part of the log at once. docs/crisis-log.md tells
// users how to list and search it.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "core/status.hpp"
#include "record/incident_record.hpp"

namespace faro::record {

struct LogEntry {
  std::string folder;  // the folder's name inside the log
  IncidentRecord record;
};

// A folder whose INCIDENT.json could not be read: listed, never silently dropped.
struct LogProblem {
  std::string path, message;
};

struct CrisisLog {
  std::string dir;
  std::vector<LogEntry> entries;  // newest first (opened_at), then by folder name
  std::vector<LogProblem> problems;
};

// Reads every LOG/*/INCIDENT.json. Folders without one are not incidents and are skipped; a
// record that cannot be read becomes a problem naming its file and field. Fails only when LOG
// itself cannot be read.
absl::StatusOr<CrisisLog> LoadCrisisLog(const std::string& dir);

// The folder an incident is kept in: "2021-10-04-154410-messaging-outage-7", "…-drill".
std::string FolderName(const IncidentRecord& record);

// Adds (or updates) an incident: writes LOG/<folder>/INCIDENT.json exactly as given and its four
// reports, then rewrites LOG/index.json. Each file is written durably (a temporary file, fsync,
// rename, fsync of the folder): once this returns OK, the record survives a power loss. A bad
// record is refused before anything is written. Returns the folder name.
absl::StatusOr<std::string> AddToLog(const std::string& dir, std::string_view incident_json);

// The four report files (report.{es,en}.{md,html}) of `record`, written durably into `folder`
// (created if missing).
absl::Status WriteReportFiles(const std::string& folder, const IncidentRecord& record);

// One incident as the log lists it: folder, id, plan, playbook, kind, subject, business, state,
// drill, opened/stable/closed times and title (index.json adds the report files, the API its
// links and figures).
nlohmann::json EntrySummaryJson(const LogEntry& entry);

// What index.json holds: one summary per incident (folder, id, plan, playbook, kind, subject,
// business, state, drill, opened/stable/closed times, title, report file names) and the problems.
nlohmann::json IndexJson(const CrisisLog& log);

// Listing and searching. Empty strings match anything; times bound opened_at: since ≤ t < until.
struct LogFilter {
  std::string kind, playbook, subject, state;
  enum class Drills { kBoth, kRealOnly, kDrillsOnly } drills = Drills::kBoth;
  std::optional<TimePoint> since, until;
};
bool Matches(const IncidentRecord& record, const LogFilter& filter);
std::vector<const LogEntry*> ListLog(const CrisisLog& log, const LogFilter& filter);

// "2021-10-04" (the start of that day in UTC, or the start of the next day when `end_of_day`,
// so an --until date includes its whole day) or a full RFC 3339 time.
absl::StatusOr<TimePoint> ParseLogDate(std::string_view text, bool end_of_day);

// Full-text search over titles, business and subject, timeline texts (notes included, and who
// wrote them), lessons and override reasons, in both languages. Case and accents do not matter
// ("caído" finds "caido"). Every word of the query must appear somewhere in the incident (not
// necessarily in the same text). One hit per incident, newest first; the snippet comes from the
// text that holds the most query words, preferring `lang`.
struct SearchHit {
  const LogEntry* entry = nullptr;
  std::string where;    // "title", "timeline #12", "lessons", "override", "business", "subject"
  std::string snippet;  // about 50 characters each side of the first word found
  std::size_t match_begin = 0, match_length = 0;  // the word inside `snippet`, in bytes
  int texts_matched = 0;                          // how many texts hold at least one query word
};
std::vector<SearchHit> SearchLog(const CrisisLog& log, std::string_view query, const LogFilter& filter, Lang lang);

}  // namespace faro::record
