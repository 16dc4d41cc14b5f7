#pragma once
// `faro agent --server URL`: a vantage that pushes. It fetches its assignment from the server,
// patrols it (a Patrol, no link rounds), and posts the readings in batches. The server can
// tell a silent agent because an empty batch goes out at least once per patrol interval.
//
// Resilience, in the order things go wrong:
// - Server unreachable (or 5xx, 429): retried with exponential backoff; readings wait in a
//   bounded queue (the oldest are dropped first) and go out once the server answers again.
// - 401/403: the token file is read again (a rotated token) and the assignment fetched again.
// - 409: the server's assignment changed: fetch it again; the refused batch is dropped.
// - Each change of state is said once through `log` (never once per retry), and never
//   with the token.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "patrol/patrol.hpp"
#include "patrol/push_client.hpp"
#include "patrol/push_json.hpp"

namespace faro::patrol {

struct PushAgentOptions {
  PushServer server;       // url, token, ca_file; `cancel` is the agent's own
  std::string token_file;  // read again after a 401/403; "" keeps server.token
  std::string name;        // labels readings when the assignment names no vantage
  EngineOptions engine;
  std::chrono::milliseconds post_every{5000};
  std::chrono::milliseconds refetch_every{std::chrono::minutes(5)};
  std::chrono::milliseconds backoff_min{1000}, backoff_max{60000};
  // An empty batch goes out when nothing was posted for the shortest target interval, or for
  // this long (also when the assignment has no targets).
  std::chrono::milliseconds heartbeat_max{30000};
  std::size_t max_queued = 20000;  // rounds kept while the server cannot take them
  std::function<void(const std::string&)> log;  // one line per change of state; default: standard error
  const Clock* clock = nullptr;                  // stamps readings; SystemClock when null
};

struct PushAgentStats {
  uint64_t batches_posted = 0;   // accepted by the server (202), heartbeats included
  uint64_t readings_posted = 0;  // readings the server accepted
  uint64_t readings_rejected = 0;
  uint64_t readings_dropped = 0;  // lost to the queue bound or to a 409/400 answer
  uint64_t assignments = 0;       // assignments fetched
};

// A token file's text without surrounding white space; an empty file is an error.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

class PushAgent {
 public:
  explicit PushAgent(PushAgentOptions options);
  ~PushAgent();

  // Runs on the calling thread until Stop(). Returns an error only for what waiting cannot
  // fix (the probe engine cannot start, e.g. a bad --ca-file); unreachable servers, refused
  // tokens and bad assignments are retried.
  absl::Status Run();
  // Thread-safe; makes Run return soon (an HTTP call in progress is cancelled). Before it
  // returns, Run makes one short attempt to post what is queued.
  void Stop();
  PushAgentStats Stats() const;

 private:
  void Say(const std::string& key, const std::string& line);
  void Enqueue(Round round);
  absl::Status ApplyAssignment(Assignment assignment);
  bool FetchOnce();           // true when an assignment was fetched and applied
  void PostOnce(bool final);  // posts what is queued (or a heartbeat when due)
  void WaitUntil(SteadyTime when);

  PushAgentOptions o_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;  // guards queue_, stats_, and the wait
  std::condition_variable cv_;
  std::deque<Round> queue_;
  PushAgentStats stats_;

  // Run's thread only.
  std::unique_ptr<Patrol> patrol_;
  std::string applied_;  // the assignment in use, as JSON text
  std::string vantage_;
  std::chrono::milliseconds heartbeat_{30000};
  SteadyTime last_post_{};
  std::chrono::milliseconds backoff_{0};
  bool need_fetch_ = true;
  std::string said_;  // the key of the last state reported through log
  absl::Status fatal_;
};

}  // namespace faro::patrol
