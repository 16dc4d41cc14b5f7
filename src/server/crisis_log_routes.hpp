#pragma once
// `faro serve`'s crisis log API (docs/api.md, "The crisis log"): the incidents kept in
// faro.yaml's `crisis_log:` folder, listed and searched, and their stored reports. Registered
// with the incidents API (faro.yaml plans:), which writes that folder when incidents close.
//
// Signed report links: a browser that follows a link sends no bearer token, so the API hands
// out report addresses that carry their own permission instead — an expiry and an HMAC of the
// path with a key that lives only in this process (a restart ends every link). A link lasts at
// least one hour and at most two, and stays the same within a clock hour, so a page that reads
// the API every few seconds does not redraw its links each time.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "record/crisis_log.hpp"
#include "server/api.hpp"

namespace faro::server {

class ReportLinks {
 public:
  ReportLinks();                          // a random key
  explicit ReportLinks(std::string key);  // a given key (tests)

  // "/api/v1/incidents/7/report.html?lang=es&expires=1633366800&sig=…" for `path` (no query).
  std::string Sign(const std::string& path, Lang lang, TimePoint now) const;
  // Whether `sig` signs `path` until `expires` (Unix seconds, as given) and that is after `now`.
  bool Valid(const std::string& path, const std::string& expires, const std::string& sig, TimePoint now) const;
  // {"es": {"html": …, "md": …}, "en": {…}}: every report of `base` ("…/report"), signed.
  nlohmann::json All(const std::string& base, TimePoint now) const;

 private:
  std::string Mac(const std::string& path, const std::string& expires) const;
  std::string key_;
};

// The key of this process.
const ReportLinks& ProcessReportLinks();

// The crisis log as last read, read again only when a folder's record changed (its name, size or
// modification time), so listing it every few seconds costs a directory listing.
class CrisisLogCache {
 public:
  // NotFound when `dir` does not exist yet (nothing closed so far): an empty log.
  absl::StatusOr<std::shared_ptr<const record::CrisisLog>> Get(const std::string& dir);

 private:
  std::mutex mutex_;
  std::string dir_, fingerprint_;
  std::shared_ptr<const record::CrisisLog> log_;
};

// GET /api/v1/crisis-log?q=&kind=&since=&until=&drills=&playbook=&subject=&limit=&offset=:
// incidents newest first; with q, only those where every word is found, each with its hit
// ("where", the snippet split around the word). `unwritten` lists closed incidents the log
// lacks (PlanService::CrisisLogUnwritten).
ApiReply CrisisLogList(CrisisLogCache& cache, const std::string& dir, const std::map<std::string, std::string>& query,
                       Lang lang, const ReportLinks& links, TimePoint now, nlohmann::json unwritten);

// GET /api/v1/crisis-log/{folder}/report.{html,md}: the stored report file. `folder` must be one
// folder's name of the log (no "/", no "..", not hidden): 404 otherwise, as for a missing one.
struct FileReply {
  int status = 200;
  std::string body, content_type;
};
FileReply CrisisLogReport(const std::string& dir, const std::string& folder, std::string_view format, Lang lang);

// The language a report is asked in: ?lang=es|en, else Accept-Language, else `fallback`.
// InvalidArgument for another ?lang=.
absl::StatusOr<Lang> ReportLang(const std::string& wanted, const std::string& accept_language, Lang fallback);

}  // namespace faro::server
