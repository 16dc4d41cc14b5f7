#pragma once
// Answers that many clients poll and that need not be fresher than a second (the watch board),
// rendered once and served from memory: at a fleet's size the board is hundreds of kilobytes of
// JSON, and rendering it for every request would let a few dashboards starve the watch.
//
// Each rendering gets an entity tag computed without its `generated_at`, so a client that
// sends If-None-Match gets 304 while nothing it shows has changed. Thread-safe.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "server/api.hpp"

namespace faro::server {

class BoardCache {
 public:
  using Steady = std::chrono::steady_clock::time_point;
  struct Page {
    int status = 200;
    std::shared_ptr<const std::string> body;  // JSON text
    std::string etag;                         // quoted, as sent; "" for errors
    // The same text gzip-compressed once at rendering (RFC 1952), for clients that accept it;
    // null for errors and small pages. Its tag is `etag` with "-gzip" inside the quotes, since
    // a strong tag names one representation.
    std::shared_ptr<const std::string> gzip;
    std::string gzip_etag;
  };

  explicit BoardCache(std::chrono::milliseconds max_age = std::chrono::milliseconds(1000),
                      std::size_t max_entries = 64)
      : max_age_(max_age), max_entries_(max_entries) {}

  // The page for `key`: the one kept when younger than max_age, else `render`'s (kept when its
  // status is 200; errors are never kept). One rendering at a time: while it runs, callers with
  // an older page kept get that one at once; callers with none wait for it rather than render
  // the same page again.
  Page Get(const std::string& key, Steady now, const std::function<ApiReply()>& render);

 private:
  struct Kept {
    Page page;
    Steady at;
  };
  const std::chrono::milliseconds max_age_;
  const std::size_t max_entries_;
  std::mutex render_mutex_;  // held while rendering
  std::mutex mutex_;         // guards kept_
  std::map<std::string, Kept> kept_;
};

// `"…"`: a strong entity tag for `text`.
std::string EntityTag(std::string_view text);

// True when an Accept-Encoding header value accepts gzip ("gzip", "x-gzip" or "*", unless
// given q=0). Case-insensitive, as RFC 9110 says for content codings.
bool AcceptsGzip(std::string_view accept_encoding);

// `text` as one gzip member (RFC 1952); empty if zlib fails (the caller sends it plain).
std::string Gzip(std::string_view text, int level = 5);

// Pages at least this long get a gzip copy; below it compression saves less than it costs.
inline constexpr std::size_t kGzipFrom = 1024;

}  // namespace faro::server
