#pragma once
// X API v2 filtered stream: GET /2/tweets/search/stream, one JSON object per line.
//
// Shapes (developer.x.com / docs.x.com: "Filtered stream" introduction and API reference,
// "Fields", "Expansions", "Handling disconnections", "Rate limits"):
//   {"data": {"id", "text", "created_at", "author_id", "conversation_id", "lang",
//             "referenced_tweets": [{"type": "replied_to"|"quoted"|"retweeted", "id"}],
//             "public_metrics": {"retweet_count", "reply_count", "like_count", "quote_count"}},
//    "includes": {"users": [{"id", "name", "username", "public_metrics": {"followers_count", ...}}]},
//    "matching_rules": [{"id", "tag"}]}
//   a blank line ("\r\n") every ~20 s as keep-alive;
//   {"errors": [{"title", "detail", "type", "disconnect_type"}]} — e.g. an operational
//   disconnect, after which X closes the connection.
// The fields come only when asked for: tweet.fields=created_at,author_id,public_metrics,
// conversation_id,referenced_tweets,lang, expansions=author_id and
// user.fields=public_metrics,username (XStreamQuery()). Without the author_id expansion there
// is no handle and no follower count.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "sources/connector.hpp"

namespace faro::sources {

// The query string Faro asks the stream with (without '?').
std::string XStreamQuery();

// One element of an {"errors": [...]} stream message.
struct XStreamError {
  std::string title;            // "operational-disconnect", "ConnectionException", ...
  std::string detail;
  std::string type;             // "https://api.twitter.com/2/problems/operational-disconnect"
  std::string disconnect_type;  // "OperationalDisconnect", "UpstreamOperationalDisconnect", ...
};

// What one line of the stream is.
struct XStreamMessage {
  enum class Kind { kKeepAlive, kPost, kErrors, kRejected };
  Kind kind = Kind::kKeepAlive;
  ConvertResult result;               // the mention (kPost) or the rejection (kRejected)
  std::vector<XStreamError> errors;   // kErrors, and errors sent alongside a post
  bool disconnect = false;            // the errors announce that X closes the connection
};

class XStreamConnector final : public Connector {
 public:
  std::string_view name() const override { return "x-filtered-stream"; }
  // One stream line (its "\r\n" may be left on). Keep-alives and error messages give no
  // mention and no rejection; they are counted in `skipped` ("keep-alive", "stream-error").
  ConvertResult Convert(std::string_view line) override;
  // The same, saying what the line was. `line_number` (1-based) names the line in rejections.
  XStreamMessage Read(std::string_view line, int64_t line_number = 0) const;
};

// X's reconnection rules ("Handling disconnections"), as pure decisions on an injected clock:
//   - a connection that was established and then dropped: reconnect at once (0 ms);
//   - network errors (refused, reset, timeout, stall): linear, 250 ms more per attempt, at most 16 s;
//   - HTTP errors: exponential from 5 s, doubling, at most 320 s;
//   - HTTP 429: exponential from 1 min, doubling; X states no ceiling, Faro stops doubling at
//     15 min (the rate-limit window); never earlier than x-rate-limit-reset when X sends it.
class XBackoff {
 public:
  enum class Failure { kDropped, kNetwork, kHttp, kRateLimited };
  // How long to wait before the next connection attempt. `reset` is x-rate-limit-reset
  // (Unix seconds), when X sent one.
  milliseconds Next(Failure failure, TimePoint now, std::optional<int64_t> reset_unix_seconds = std::nullopt);
  // A connection was accepted (HTTP 200): every sequence starts over.
  void Connected();

 private:
  int network_ = 0, http_ = 0, rate_limited_ = 0;
};

struct XStreamOptions {
  std::string base_url = "https://api.x.com";  // tests point it at the local fake
  std::string bearer_token;                    // App-only bearer token
  // No byte (not even a keep-alive) for this long means a stalled connection (X: 20 s).
  std::chrono::seconds stall_timeout{21};
  std::chrono::seconds connect_timeout{10};
  std::size_t max_line_bytes = 1 << 20;  // longer lines are rejected ("line-too-long")
  int max_connections = 0;               // stop after this many attempts; 0: never
  // Asked before each connection, after each back-off wait and about once a second while a
  // connection is open or being made (libcurl's progress callback): true ends the run at once,
  // with OK. Lets a service stop the stream promptly even while X sends nothing.
  std::function<bool()> stop_requested;
};

// What a run did, for the log and for tests.
struct XStreamReport {
  int connections = 0;     // attempts
  int accepted = 0;        // HTTP 200
  int64_t keep_alives = 0;
  int64_t lines = 0;
  ConnectorCounts counts;
  std::vector<milliseconds> waits;  // every back-off, in order
  std::vector<std::string> events;  // "HTTP 503", "operational disconnect", "network: …"
};

// A streaming client on libcurl. Time for back-off decisions comes from `clock`; the wait
// itself is `sleep` (a test passes one that advances a FakeClock instead of sleeping).
class XStreamClient {
 public:
  using Sleep = std::function<void(milliseconds)>;
  // Called with each line's result (a mention or a rejection); return false to stop the run.
  using Sink = std::function<bool(const XStreamMessage&)>;

  XStreamClient(XStreamOptions options, const Clock& clock, Sleep sleep);
  // Connects, reads, reconnects with XBackoff, until `sink` says stop, max_connections is
  // reached, or X answers in a way retrying cannot fix (400 or 404: a wrong query or URL).
  absl::Status Run(const Sink& sink);
  const XStreamReport& report() const { return report_; }

 private:
  XStreamOptions options_;
  const Clock& clock_;
  Sleep sleep_;
  XBackoff backoff_;
  XStreamConnector connector_;
  XStreamReport report_;
};

}  // namespace faro::sources
