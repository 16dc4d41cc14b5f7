#pragma once
// The outbox: every message Faro accepted, on disk, until a provider took it.
//
// Durability: when Enqueue returns OK, the messages are committed to SQLite's write-ahead log,
// so they survive a kill -9 of any faro process at any moment (and, with Durability::kPowerLoss,
// the default, a power loss as well).
//
// Delivery: an accepted message is sent until a provider accepts it or every channel of its
// route has refused it; a send in flight when the process died is sent again after restart
// with the same idempotency key, so a provider that honours idempotency keys gets it exactly
// once, and any other may get it one extra time per crash that caught it in flight.
#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "outbox/directory.hpp"
#include "outbox/routing.hpp"
#include "store/sqlite.hpp"

namespace faro::outbox {

enum class State { kQueued = 0, kHeld = 1, kSent = 2, kFailed = 3, kSkipped = 4 };
std::string_view StateName(State state);

// The SQL (CREATE TABLE and CREATE INDEX statements, "IF NOT EXISTS") of the table of messages,
// outbox_message, with its unique idempotency key and its indexes, exactly as Outbox::Open
// creates it (the benchmark's plain-SQLite baseline uses it too).
std::string_view MessageTableSchema();

struct NewMessage {
  std::string idempotency_key;  // required: the same key twice is the same message
  int64_t contact_id = 0;
  std::string template_id;  // a template, rendered per channel and language at send time, or
  std::string subject;      // a text written by a person (subject for email)
  std::string text;
  std::map<std::string, std::string> vars;  // template variables
  std::string channel;                      // "" routes by the contact; otherwise only this channel
  int64_t broadcast_id = 0;
  TimePoint not_before{};        // quiet hours: not sent before this time
  std::set<std::string> avoid;   // never by these channels (a broadcast avoids the failed one)
};

struct Accepted {
  int64_t id = 0;
  bool duplicate = false;  // the key was already in the outbox; nothing new was written
  State state = State::kQueued;
  std::string channel;  // the channel it will go out on now ("" when held)
  std::string reason;   // why held or skipped
};

// One stored message, as the dispatcher and the CLI see it.
struct Message {
  int64_t id = 0;
  std::string idempotency_key;
  int64_t contact_id = 0;
  std::string template_id, subject, text;
  std::map<std::string, std::string> vars;
  std::string channel, preferred;
  bool pinned = false;
  std::set<std::string> refused;  // channels that refused it for good (permanent, consent)
  int64_t broadcast_id = 0;
  State state = State::kQueued;
  int attempts = 0;
  TimePoint due{}, created{};
  std::string provider_id, last_code, last_detail;
};

struct Hop {
  int64_t message_id = 0;
  TimePoint at{};
  std::string from, to, reason;
};

struct ChannelDown {
  std::string channel;
  std::string source;  // "operator", "check", "outbox"
  std::string reason;
  TimePoint since{};
};

struct Counts {
  int64_t queued = 0, held = 0, sent = 0, failed = 0, skipped = 0;
  int64_t pending() const { return queued + held; }
};

struct OutboxOptions {
  store::Durability durability = store::Durability::kPowerLoss;
};

class Outbox {
 public:
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(const std::string& db_path, RoutingTable routing,
                                                      ContactDirectory* directory, const Clock* clock,
                                                      OutboxOptions options = {});
  ~Outbox();

  // Durable before acknowledged (see the file comment). Concurrent callers are committed
  // together (group commit). A message whose contact has no usable channel now is refused
  // (an error naming the contact) unless a channel that is down would do: then it is held.
  absl::StatusOr<std::vector<Accepted>> Enqueue(std::vector<NewMessage> messages);

  // Channel health. A channel is down while any source says so. Marking down moves every
  // queued message on it to the next channel of its contact's route (or holds it); when the
  // last source clears, messages that left it come back. Each move is a recorded hop.
  // Returns how many messages moved.
  absl::StatusOr<int64_t> MarkDown(const std::string& channel, const std::string& source, const std::string& reason);
  absl::StatusOr<int64_t> MarkUp(const std::string& channel, const std::string& source);
  std::vector<ChannelDown> DownChannels();
  std::set<std::string> DownSet();
  // Re-reads health written by other processes; true when it changed.
  bool RefreshHealth();

  // Reading.
  absl::StatusOr<std::optional<Message>> Get(int64_t id);
  absl::StatusOr<std::vector<Message>> Due(const std::string& channel, TimePoint now, int limit);
  absl::StatusOr<std::vector<Hop>> Hops(int64_t message_id);
  absl::StatusOr<std::map<std::string, Counts>> CountsByChannel();
  absl::StatusOr<Counts> CountsForBroadcast(int64_t broadcast_id);
  // The messages accepted at or after `since`, by their state now: what became of everything
  // written during an incident (failed: given up on; pending: still to go).
  absl::StatusOr<Counts> CountsSince(TimePoint since);

  // Results of sends, applied together in one transaction by the dispatcher.
  struct Update {
    int64_t id = 0;
    State state = State::kQueued;
    std::string channel;  // may differ: a hop
    // The channel the send went out on. A result that is not final (a retry, a wait, a hop)
    // applies only if the message is still queued there: a health change may have moved it
    // while the send was in flight, and the move wins. A delivery always applies.
    std::string sent_on;
    int attempts = 0;
    TimePoint due{};
    std::string provider_id, code, detail;
    std::set<std::string> refused;
    std::optional<Hop> hop;
  };
  absl::Status Apply(const std::vector<Update>& updates);

  const RoutingTable& routing() const { return routing_; }
  ContactDirectory& directory() { return *directory_; }
  const Clock& clock() const { return *clock_; }
  // Runs `body` with the outbox's connection, alone (no transaction of another thread can be
  // open on it meanwhile); SQLite exceptions become a Status saying `what` failed.
  template <typename F>
  absl::Status WithDb(std::string_view what, F&& body) {
    std::lock_guard lock(db_mutex_);
    return store::Guard(what, [&] { body(*db_); });
  }

 private:
  Outbox(std::unique_ptr<SQLite::Database> db, RoutingTable routing, ContactDirectory* directory, const Clock* clock);
  struct Pending {
    std::vector<NewMessage> messages;
    std::promise<absl::StatusOr<std::vector<Accepted>>> done;
  };
  void CommitLoop();
  absl::StatusOr<std::vector<Accepted>> Write(std::vector<NewMessage>& messages);
  absl::StatusOr<int64_t> ChangeHealth(const std::string& channel, std::string_view what,
                                       const std::function<int64_t(TimePoint)>& change);
  // Inside ChangeHealth's transaction; they throw SQLite::Exception.
  int64_t Reroute(const std::string& channel, TimePoint now);
  int64_t Return(const std::string& channel, TimePoint now);
  absl::Status LoadHealth();

  store::Durability durability_ = store::Durability::kPowerLoss;
  std::mutex db_mutex_;  // one transaction at a time on the connection
  std::unique_ptr<SQLite::Database> db_;
  RoutingTable routing_;
  ContactDirectory* directory_;
  const Clock* clock_;

  std::mutex health_mutex_;
  std::vector<ChannelDown> down_;
  int64_t health_version_ = -1;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread committer_;
};

}  // namespace faro::outbox
