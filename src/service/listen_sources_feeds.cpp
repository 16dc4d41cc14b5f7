#include "service/listen_sources_feeds.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "sources/feeds.hpp"
#include "store/sqlite.hpp"

namespace faro::service {
namespace {

constexpr int kSchemaVersion = 1;
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS listen_feed_state (
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  newest_ms INTEGER);
CREATE TABLE IF NOT EXISTS listen_feed_items (
  url TEXT NOT NULL,
  item TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (url, item)) WITHOUT ROWID;
)sql";

constexpr std::size_t kTextKeyBytes = 200;

// One HTTP exchange (redirects followed), shared with libcurl's callbacks.
struct Fetch {
  const FeedPollerOptions* options = nullptr;
  long status = 0;
  std::string etag, last_modified;  // of the last response
  std::string body;
  bool too_large = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* f = static_cast<Fetch*>(user);
  const std::string_view header(data, size * count);
  if (header.substr(0, 5) == "HTTP/") {
    // A new response (after a redirect or 100 Continue): only the last one's headers count.
    f->status = 0;
    f->etag.clear();
    f->last_modified.clear();
    const std::size_t space = header.find(' ');
    if (space != std::string_view::npos)
      std::from_chars(header.data() + space + 1, header.data() + header.size(), f->status);
  } else if (const std::size_t colon = header.find(':'); colon != std::string_view::npos) {
    const std::string name = ToLower(Trim(header.substr(0, colon)));
    const std::string_view value = Trim(header.substr(colon + 1));
    if (name == "etag") f->etag = std::string(value);
    else if (name == "last-modified") f->last_modified = std::string(value);
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* f = static_cast<Fetch*>(user);
  const std::size_t n = size * count;
  if (f->status < 200 || f->status >= 300) return n;  // a redirect's or an error's body
  if (f->body.size() + n > f->options->max_bytes) {
    f->too_large = true;
    return 0;  // ends the transfer
  }
  f->body.append(data, n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* f = static_cast<Fetch*>(user);
  return f->options->stop_requested && f->options->stop_requested() ? 1 : 0;
}

}  // namespace

std::string FeedItemKey(const sources::MentionRecord& item) {
  if (!item.id.empty()) return StrCat("id:", item.id);
  if (!item.url.empty()) return StrCat("link:", item.url);
  return StrCat("text:", ToUnixMillis(item.at), ":", ClipUtf8(item.text, kTextKeyBytes));
}

absl::StatusOr<std::unique_ptr<FeedPoller>> FeedPoller::Open(SQLite::Database& db, FeedPollerOptions options) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "listen_feeds", kSchemaVersion, kSchema));
  return std::unique_ptr<FeedPoller>(new FeedPoller(db, std::move(options)));
}

absl::Status FeedPoller::Load(const std::string& url, Memory& memory) {
  return store::Guard(StrCat("database: reading what was taken from ", url), [&] {
    Memory loaded;
    SQLite::Statement state(db_, "SELECT etag, last_modified, newest_ms FROM listen_feed_state WHERE url = ?");
    state.bind(1, url);
    if (state.executeStep()) {
      loaded.etag = state.getColumn(0).getString();
      loaded.last_modified = state.getColumn(1).getString();
      if (!state.getColumn(2).isNull()) loaded.newest_ms = state.getColumn(2).getInt64();
    }
    SQLite::Statement items(db_, "SELECT item, at_ms FROM listen_feed_items WHERE url = ?");
    items.bind(1, url);
    while (items.executeStep()) loaded.taken[items.getColumn(0).getString()] = items.getColumn(1).getInt64();
    loaded.loaded = true;
    memory = std::move(loaded);
  });
}

absl::Status FeedPoller::Save(const std::string& url, const Memory& memory, const std::vector<std::string>& added,
                              std::optional<int64_t> forget_before) {
  return store::Guard(StrCat("database: remembering what was taken from ", url), [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement state(db_,
                            "INSERT INTO listen_feed_state (url, etag, last_modified, newest_ms) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                            "last_modified = excluded.last_modified, newest_ms = excluded.newest_ms");
    state.bind(1, url);
    state.bind(2, memory.etag);
    state.bind(3, memory.last_modified);
    if (memory.newest_ms) state.bind(4, *memory.newest_ms);
    else state.bind(4);
    state.exec();
    SQLite::Statement item(db_, "INSERT OR REPLACE INTO listen_feed_items (url, item, at_ms) VALUES (?, ?, ?)");
    for (const std::string& key : added) {
      const auto taken = memory.taken.find(key);
      if (taken == memory.taken.end()) continue;  // already past the window: the time rule keeps it out
      item.reset();
      item.bind(1, url);
      item.bind(2, key);
      item.bind(3, taken->second);
      item.exec();
    }
    if (forget_before) {
      SQLite::Statement forget(db_, "DELETE FROM listen_feed_items WHERE url = ? AND at_ms < ?");
      forget.bind(1, url);
      forget.bind(2, *forget_before);
      forget.exec();
    }
    tx.commit();
  });
}

FeedPoll FeedPoller::Poll(const setup::FeedSourceConfig& feed, const Deliver& deliver) {
  FeedPoll poll;
  Memory& memory = memory_[feed.url];
  if (!memory.loaded) {
    if (absl::Status st = Load(feed.url, memory); !st.ok()) {
      poll.error = Message(st);
      return poll;
    }
  }

  // The conditional GET.
  Fetch fetch;
  fetch.options = &options_;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    poll.error = "network: libcurl could not start a transfer";
    return poll;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8");
  if (!memory.etag.empty()) headers = curl_slist_append(headers, StrCat("If-None-Match: ", memory.etag).c_str());
  if (!memory.last_modified.empty())
    headers = curl_slist_append(headers, StrCat("If-Modified-Since: ", memory.last_modified).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, feed.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Faro (social listening; RSS/Atom reader)");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(kFeedMaxRedirects));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &fetch);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &fetch);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &fetch);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  poll.http_status = fetch.status;

  if (code == CURLE_ABORTED_BY_CALLBACK) {
    poll.outcome = FeedPoll::Outcome::kStopped;
    return poll;
  }
  if (fetch.too_large) {
    poll.error = StrCat("the document is larger than ", options_.max_bytes, " bytes");
    return poll;
  }
  if (code == CURLE_TOO_MANY_REDIRECTS) {
    poll.error = StrCat("more than ", kFeedMaxRedirects, " redirects");
    return poll;
  }
  if (code != CURLE_OK) {
    poll.error = StrCat("network: ", curl_easy_strerror(code));
    return poll;
  }
  if (fetch.status == 304) {
    poll.outcome = FeedPoll::Outcome::kNotModified;
    return poll;
  }
  if (fetch.status != 200) {
    poll.error = fetch.status >= 300 && fetch.status < 400 ? StrCat("HTTP ", fetch.status, " without a usable Location")
                                                           : StrCat("HTTP ", fetch.status);
    return poll;
  }

  // The document: a whole-document failure (malformed XML, not a feed) changes nothing
  // remembered, so the next read fetches it in full again.
  sources::FeedConnector connector(feed.brand);
  sources::ConvertResult converted = connector.Convert(fetch.body);
  for (const sources::ItemRejection& r : converted.rejections) {
    if (r.where == "document") {
      poll.error = StrCat(r.reason, ": ", r.detail);
      return poll;
    }
  }
  poll.rejections = std::move(converted.rejections);
  poll.items = static_cast<int64_t>(converted.mentions.size());

  std::vector<sources::MentionRecord>& items = converted.mentions;
  std::stable_sort(items.begin(), items.end(),
                   [](const sources::MentionRecord& a, const sources::MentionRecord& b) { return a.at < b.at; });
  // The first read of a feed takes every item it lists.
  const int64_t oldest_new = memory.newest_ms
                                 ? *memory.newest_ms - std::chrono::milliseconds(kFeedLateWindow).count()
                                 : std::numeric_limits<int64_t>::min();
  Memory updated = memory;
  updated.etag = fetch.etag;
  updated.last_modified = fetch.last_modified;
  std::vector<std::string> added;
  std::string lines;
  for (const sources::MentionRecord& item : items) {
    const int64_t at = ToUnixMillis(item.at);
    std::string key = FeedItemKey(item);
    if (updated.taken.count(key) != 0) {
      ++poll.already_taken;
      continue;
    }
    if (at < oldest_new) {
      ++poll.too_old;
      continue;
    }
    lines += sources::ToJsonLine(item);
    ++poll.fresh;
    updated.taken[key] = at;
    added.push_back(std::move(key));
    if (!updated.newest_ms || at > *updated.newest_ms) updated.newest_ms = at;
  }
  if (!lines.empty() && deliver) deliver(lines);

  // Keys older than the window are forgotten: the time rule keeps those items out.
  std::optional<int64_t> forget_before;
  if (updated.newest_ms) {
    forget_before = *updated.newest_ms - std::chrono::milliseconds(kFeedLateWindow).count();
    for (auto it = updated.taken.begin(); it != updated.taken.end();)
      it = it->second < *forget_before ? updated.taken.erase(it) : std::next(it);
  }
  if (absl::Status st = Save(feed.url, updated, added, forget_before); !st.ok()) {
    // Handed on but not remembered: the in-process memory still holds them, so only a restart
    // before the next successful save could take them again.
    memory = std::move(updated);
    poll.error = Message(st);
    return poll;
  }
  memory = std::move(updated);
  poll.outcome = FeedPoll::Outcome::kRead;
  return poll;
}

}  // namespace faro::service
