#pragma once
// The mentions `faro serve` pulls by itself (faro.yaml listen.sources; docs/listening.md,
// "Connectors"): the X API v2 filtered stream and RSS 2.0 / Atom feeds, handed to listening as
// batches of JSON Lines (ListenService::AcceptBatch in `faro serve`).
//
// Threads, all started by Start() and joined by Stop():
//   - the X stream: sources::XStreamClient, reconnecting with X's documented back-off; each
//     mention goes into a batch handed on once it holds `batch_mentions` mentions, or
//     `batch_wait` after its first one (a small flusher thread keeps that promise while the
//     stream is quiet);
//   - the feeds: each read on its own cadence (every:) with sources::FeedConnector through
//     FeedPoller (conditional GET, memory of the items taken, kept in the database); a feed
//     that fails is logged with its URL and counted, and the others go on.
// Stop() returns within about a second whatever the network does: waits wake at once, and
// transfers in progress are aborted by libcurl's progress callback. A batch not yet handed on
// is handed on by Stop().
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "setup/listen_sources_config.hpp"
#include "store/sqlite.hpp"

namespace faro::service {

class FeedPoller;

struct ListenSourcesOptions {
  std::string database;  // the feeds' memory lives here (faro.yaml storage.sqlite)
  store::Durability durability = store::Durability::kPowerLoss;
  std::ostream* log = nullptr;  // one line per event worth a person's attention
  std::size_t batch_mentions = 100;
  milliseconds batch_wait{1000};
  std::chrono::seconds feed_timeout{30};
  std::chrono::seconds x_stall_timeout{21};  // X sends a keep-alive every 20 s
  const Clock* clock = nullptr;              // for X's back-off decisions; default: the system clock
};

struct ListenSourcesStats {
  // The X stream.
  bool x_configured = false;
  bool x_connected = false;  // a line (post or keep-alive) arrived since the last (re)connection
  int64_t x_mentions = 0;
  int64_t x_rejected = 0;     // lines that could not be mentions
  int64_t x_errors = 0;       // failed connection attempts (HTTP errors, network errors)
  int64_t x_connections = 0;  // attempts
  std::vector<int64_t> x_waits_ms;  // the last back-off waits decided, oldest first (at most 32)
  // The feeds.
  int64_t feeds = 0;
  int64_t feed_mentions = 0;
  int64_t feed_rejected = 0;      // items that could not be mentions
  int64_t feed_errors = 0;        // reads that failed (HTTP, network, malformed document, database)
  int64_t feed_reads = 0;         // reads that ended, whatever the outcome
  int64_t feed_not_modified = 0;  // of those, 304 answers
  int64_t batches = 0;            // handed on, X and feeds together
};

class ListenSources {
 public:
  // Gets each batch of JSON Lines; called from the sources' threads, one batch at a time.
  using Deliver = std::function<void(std::string_view json_lines)>;

  // Opens the feeds' memory in the database when there are feeds. Starts nothing.
  static absl::StatusOr<std::unique_ptr<ListenSources>> Open(const setup::ListenSourcesConfig& config,
                                                             ListenSourcesOptions options, Deliver deliver);
  ~ListenSources();  // Stop()
  ListenSources(const ListenSources&) = delete;
  ListenSources& operator=(const ListenSources&) = delete;

  void Start();
  void Stop();  // idempotent

  // A new bearer token (SIGHUP re-read the token file): the stream reconnects with it.
  void SetBearerToken(std::string token);

  ListenSourcesStats Stats() const;

 private:
  ListenSources(setup::ListenSourcesConfig config, ListenSourcesOptions options, Deliver deliver);
  void RunXStream();
  void RunFeeds();
  void RunFlusher();
  void AddXLine(std::string line);    // into the batch; hands it on when full
  void FlushX(std::unique_lock<std::mutex>& lock);  // hands the batch on (lock released meanwhile)
  bool XShouldPause() const;          // Stop() or a new token
  // Waits up to `wait` or until `done`; false when stopping.
  bool WaitFor(milliseconds wait, const std::function<bool()>& done);
  void Log(const std::string& line);

  const setup::ListenSourcesConfig config_;
  const ListenSourcesOptions options_;
  const Deliver deliver_;
  SystemClock system_clock_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<FeedPoller> poller_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  bool started_ = false;
  bool stopping_ = false;
  std::string bearer_token_;
  bool token_changed_ = false;
  ListenSourcesStats stats_;
  std::string x_batch_;
  std::size_t x_batch_mentions_ = 0;
  std::chrono::steady_clock::time_point x_batch_since_;

  std::atomic<bool> stop_flag_{false};  // read by libcurl's progress callbacks without the lock
  std::atomic<bool> token_flag_{false};
  std::mutex deliver_mutex_;  // one batch at a time
  std::mutex log_mutex_;
  std::thread x_thread_, feeds_thread_, flusher_thread_;
};

}  // namespace faro::service
