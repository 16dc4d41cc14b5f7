// The crisis log API (crisis_log_routes.hpp): listing and searching the log folder, serving
// its stored reports, and signed report links. The HTTP wiring is in incident_routes.cpp.
#include "server/crisis_log_routes.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "core/query_params.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "record/files.hpp"
#include "record/report.hpp"

namespace faro::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kHour = 3600;

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

int64_t UnixSeconds(TimePoint t) { return ToUnixMillis(t) / 1000; }

absl::StatusOr<record::LogFilter> FilterOf(const std::map<std::string, std::string>& query) {
  record::LogFilter f;
  f.kind = QueryText(query, "kind");
  if (!f.kind.empty() && f.kind != "outage" && f.kind != "crisis")
    return absl::InvalidArgumentError(StrCat("kind: expected outage or crisis, got \"", f.kind, "\""));
  f.playbook = QueryText(query, "playbook");
  f.subject = QueryText(query, "subject");
  const std::string drills = QueryText(query, "drills");
  if (drills == "only") f.drills = record::LogFilter::Drills::kDrillsOnly;
  else if (drills == "none") f.drills = record::LogFilter::Drills::kRealOnly;
  else if (!drills.empty() && drills != "all")
    return absl::InvalidArgumentError(
        StrCat("drills: expected all (real incidents and drills), none (real only) or only (drills only), got \"",
               drills, "\""));
  for (const auto& [key, end_of_day] : {std::pair<std::string, bool>{"since", false}, {"until", true}}) {
    const std::string text = QueryText(query, key);
    if (text.empty()) continue;
    auto when = record::ParseLogDate(text, end_of_day);
    if (!when.ok()) return absl::InvalidArgumentError(StrCat(key, ": ", Message(when.status())));
    (end_of_day ? f.until : f.since) = *when;
  }
  return f;
}

// One incident of the list, with its reports' signed links.
json EntryJson(const record::LogEntry& e, const ReportLinks& links, TimePoint now) {
  const record::Figures& f = e.record.figures;
  json entry = record::EntrySummaryJson(e);
  entry["figures"] = {{"contacts_told", f.contacts_told},
                      {"messages_rerouted", f.messages_rerouted},
                      {"campaigns_paused", f.campaigns_paused},
                      {"approvals_asked", f.approvals_asked},
                      {"approvals_granted", f.approvals_granted}};
  entry["reports"] = links.All(StrCat("/api/v1/crisis-log/", e.folder, "/report"), now);
  return entry;
}

// Names the folders' records by name, size and modification time: a change to any makes a new
// fingerprint.
absl::StatusOr<std::string> Fingerprint(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return absl::NotFoundError(StrCat(dir, " does not exist yet"));
  std::vector<std::string> parts;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code file_ec;
    const fs::path record = it->path() / "INCIDENT.json";
    if (!it->is_directory(file_ec)) continue;
    const auto size = fs::file_size(record, file_ec);
    if (file_ec) continue;
    const auto time = fs::last_write_time(record, file_ec);
    if (file_ec) continue;
    parts.push_back(StrCat(it->path().filename().string(), "|", size, "|", time.time_since_epoch().count()));
  }
  if (ec) return absl::InternalError(StrCat(dir, ": cannot list it: ", ec.message()));
  std::sort(parts.begin(), parts.end());
  return Join(parts, "\n");
}

// A folder name a request may ask for: what FolderName makes, or a folder copied in by hand,
// but never a path.
bool SafeFolder(const std::string& folder) {
  if (folder.empty() || folder.size() > 200 || folder[0] == '.') return false;
  for (char c : folder)
    if (c == '/' || c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
  return folder.find("..") == std::string::npos;
}

}  // namespace

// --- signed links ---------------------------------------------------------------------------------

ReportLinks::ReportLinks() {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) std::abort();  // no randomness: no link would be safe
  key_.assign(reinterpret_cast<const char*>(key), sizeof key);
}

ReportLinks::ReportLinks(std::string key) : key_(std::move(key)) {}

std::string ReportLinks::Mac(const std::string& path, const std::string& expires) const {
  const std::string message = StrCat(path, "\n", expires);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &length);
  return Hex(mac, length);
}

std::string ReportLinks::Sign(const std::string& path, Lang lang, TimePoint now) const {
  const std::string expires = StrCat((UnixSeconds(now) / kHour + 2) * kHour);
  return StrCat(path, "?lang=", LangCode(lang), "&expires=", expires, "&sig=", Mac(path, expires));
}

bool ReportLinks::Valid(const std::string& path, const std::string& expires, const std::string& sig,
                        TimePoint now) const {
  int64_t until = 0;
  const auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), until);
  if (ec != std::errc() || end != expires.data() + expires.size() || until <= UnixSeconds(now)) return false;
  const std::string mac = Mac(path, expires);
  return sig.size() == mac.size() && CRYPTO_memcmp(sig.data(), mac.data(), mac.size()) == 0;
}

nlohmann::json ReportLinks::All(const std::string& base, TimePoint now) const {
  json out = json::object();
  for (Lang lang : {Lang::kEs, Lang::kEn})
    out[std::string(LangCode(lang))] = {{"html", Sign(StrCat(base, ".html"), lang, now)},
                                        {"md", Sign(StrCat(base, ".md"), lang, now)}};
  return out;
}

const ReportLinks& ProcessReportLinks() {
  static const ReportLinks links;
  return links;
}

// --- the log --------------------------------------------------------------------------------------

absl::StatusOr<std::shared_ptr<const record::CrisisLog>> CrisisLogCache::Get(const std::string& dir) {
  FARO_ASSIGN_OR_RETURN(const std::string fingerprint, Fingerprint(dir));
  std::lock_guard lock(mutex_);
  if (log_ && dir == dir_ && fingerprint == fingerprint_) return log_;
  FARO_ASSIGN_OR_RETURN(record::CrisisLog log, record::LoadCrisisLog(dir));
  log_ = std::make_shared<const record::CrisisLog>(std::move(log));
  dir_ = dir;
  fingerprint_ = fingerprint;
  return log_;
}

ApiReply CrisisLogList(CrisisLogCache& cache, const std::string& dir, const std::map<std::string, std::string>& query,
                       Lang lang, const ReportLinks& links, TimePoint now, nlohmann::json unwritten) {
  auto filter = FilterOf(query);
  if (!filter.ok()) return ErrorReply(filter.status());
  auto limit = QueryInt(query, "limit", 100, 1, 500);
  if (!limit.ok()) return ErrorReply(limit.status());
  auto offset = QueryInt(query, "offset", 0, 0, 1000000000);
  if (!offset.ok()) return ErrorReply(offset.status());
  const std::string q = QueryText(query, "q");
  if (q.size() > 500) return ErrorReply(400, "q: at most 500 bytes");
  json out = {{"incidents", json::array()}, {"total", 0},         {"limit", *limit},
              {"offset", *offset},          {"q", q},             {"problems", json::array()},
              {"unwritten", std::move(unwritten)}};
  auto log = cache.Get(dir);
  if (!log.ok()) {
    // No folder yet: no incident has closed since the log was configured.
    if (log.status().code() == absl::StatusCode::kNotFound) return {200, out};
    return ErrorReply(log.status());
  }
  const record::CrisisLog& l = **log;
  for (const record::LogProblem& p : l.problems) {
    std::string path = p.path;
    if (path.rfind(dir, 0) == 0) path = std::string(Trim(path.substr(dir.size())));
    while (!path.empty() && path[0] == '/') path.erase(0, 1);
    out["problems"].push_back({{"path", path}, {"message", p.message}});
  }
  std::vector<json> rows;
  if (q.empty()) {
    for (const record::LogEntry* e : record::ListLog(l, *filter)) rows.push_back(EntryJson(*e, links, now));
  } else {
    for (const record::SearchHit& h : record::SearchLog(l, q, *filter, lang)) {
      json row = EntryJson(*h.entry, links, now);
      const size_t begin = std::min(h.match_begin, h.snippet.size());
      const size_t length = std::min(h.match_length, h.snippet.size() - begin);
      row["hit"] = {{"where", h.where},
                    {"snippet", h.snippet},
                    {"before", h.snippet.substr(0, begin)},
                    {"match", h.snippet.substr(begin, length)},
                    {"after", h.snippet.substr(begin + length)}};
      rows.push_back(std::move(row));
    }
  }
  out["total"] = rows.size();
  for (size_t i = static_cast<size_t>(*offset); i < rows.size() && out["incidents"].size() < static_cast<size_t>(*limit); ++i)
    out["incidents"].push_back(std::move(rows[i]));
  return {200, out};
}

FileReply CrisisLogReport(const std::string& dir, const std::string& folder, std::string_view format, Lang lang) {
  const bool html = format == "html";
  if (!html && format != "md") return {404, "no such report\n", "text/plain; charset=utf-8"};
  const std::string missing = StrCat("no incident \"", folder, "\" in the crisis log\n");
  if (!SafeFolder(folder)) return {404, missing, "text/plain; charset=utf-8"};
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return {404, missing, "text/plain; charset=utf-8"};
  const fs::path file =
      fs::path(root) / folder / record::ReportFileName(html ? record::ReportFormat::kHtml : record::ReportFormat::kMarkdown, lang);
  // The folder itself must be inside the log (not a link out of it).
  const fs::path real = fs::canonical(file, ec);
  if (ec || real.parent_path().parent_path() != root || !fs::is_regular_file(real, ec))
    return {404, missing, "text/plain; charset=utf-8"};
  auto text = record::ReadWholeFile(real.string());
  if (!text.ok()) return {500, StrCat(Message(text.status()), "\n"), "text/plain; charset=utf-8"};
  return {200, std::move(*text), html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8"};
}

absl::StatusOr<Lang> ReportLang(const std::string& wanted, const std::string& accept_language, Lang fallback) {
  if (wanted == "es") return Lang::kEs;
  if (wanted == "en") return Lang::kEn;
  if (!wanted.empty()) return absl::InvalidArgumentError(StrCat("lang: expected es or en, got \"", wanted, "\""));
  const std::string accept = ToLower(Trim(accept_language));
  if (accept.empty()) return fallback;
  return accept.rfind("es", 0) == 0 ? Lang::kEs : Lang::kEn;
}

}  // namespace faro::server
