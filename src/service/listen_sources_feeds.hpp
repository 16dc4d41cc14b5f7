#pragma once
// One read of an RSS 2.0 / Atom feed for `faro serve`'s listening (faro.yaml
// listen.sources.feeds): a conditional GET (If-None-Match with the last ETag, If-Modified-Since
// with the last Last-Modified; 304 means nothing new), redirects followed (at most 5), the
// document turned into mentions by sources::FeedConnector, and only the items not taken before
// handed on.
//
// Memory of a feed, kept in the database (table listen_feed_items and listen_feed_state, so a
// restart does not take the whole feed again): the key of every item taken (its guid or Atom
// id, else its link, else its time and text), the newest item time, and the validators.
// An item is new when its key is unknown and it is not older than the newest item taken minus
// kFeedLateWindow; keys older than that window are forgotten, since the time rule already
// keeps those items out. The first read of a feed takes every item it lists.
//
// Delivery is at least once: new items are handed on, then remembered. A crash between the two
// hands them on again after the restart; nothing taken is ever lost.
//
// Not thread-safe: one poller per thread (`faro serve` polls every feed from one thread).
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "setup/listen_sources_config.hpp"
#include "sources/connector.hpp"

namespace faro::service {

inline constexpr std::chrono::hours kFeedLateWindow{7 * 24};
inline constexpr int kFeedMaxRedirects = 5;

struct FeedPollerOptions {
  std::chrono::seconds timeout{30};          // a whole read, redirects included
  std::chrono::seconds connect_timeout{10};
  std::size_t max_bytes = 8u << 20;          // a larger document is an error, not read further
  // Asked about once a second during a read: true aborts it (`faro serve` is stopping).
  std::function<bool()> stop_requested;
};

// What one read gave.
struct FeedPoll {
  enum class Outcome { kRead, kNotModified, kError, kStopped };
  Outcome outcome = Outcome::kError;
  long http_status = 0;       // of the last response (after redirects); 0 on a network error
  int64_t items = 0;          // items the document listed as mentions
  int64_t fresh = 0;          // of those, handed on
  int64_t already_taken = 0;  // known keys
  int64_t too_old = 0;        // unknown, but older than the late window
  std::vector<sources::ItemRejection> rejections;  // items that could not be mentions
  std::string error;          // kError: "HTTP 500", "network: …", "malformed-xml: …", "database: …"
};

class FeedPoller {
 public:
  // Creates the memory's tables when missing.
  static absl::StatusOr<std::unique_ptr<FeedPoller>> Open(SQLite::Database& db, FeedPollerOptions options = {});

  using Deliver = std::function<void(std::string_view json_lines)>;
  // Reads `feed` once. New items go to `deliver` as one batch of JSON Lines, oldest first, and
  // are then remembered. Never throws; every failure is an outcome with its reason.
  FeedPoll Poll(const setup::FeedSourceConfig& feed, const Deliver& deliver);

 private:
  struct Memory {
    bool loaded = false;
    std::string etag, last_modified;
    std::optional<int64_t> newest_ms;
    std::map<std::string, int64_t> taken;  // item key → item time (Unix ms)
  };
  FeedPoller(SQLite::Database& db, FeedPollerOptions options) : db_(db), options_(std::move(options)) {}
  absl::Status Load(const std::string& url, Memory& memory);
  absl::Status Save(const std::string& url, const Memory& memory, const std::vector<std::string>& added,
                    std::optional<int64_t> forget_before);

  SQLite::Database& db_;
  FeedPollerOptions options_;
  std::map<std::string, Memory> memory_;  // by feed URL
};

// The key an item is remembered by: its id (guid, Atom id), else its link, else time and text.
std::string FeedItemKey(const sources::MentionRecord& item);

}  // namespace faro::service
