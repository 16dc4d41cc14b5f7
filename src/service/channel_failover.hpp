#pragma once
// Failing a customer channel over, and back: the channel is marked down in the outbox (its
// queued messages move to each person's next channel), the failover is recorded in the
// failover log, and the broadcast configured for it (faro.yaml failover.<channel>.broadcast)
// tells its contacts where to write meanwhile. Restoring marks it up and closes the record.
//
// One machinery for everyone who fails channels over: the watch's automatic failover and the
// contingency plans' failover steps. Whoever asks first does it; the second finds it done
// (`already`), so a channel is never failed over twice for one outage. Thread-safe.
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "service/failover_log.hpp"
#include "setup/app.hpp"

namespace faro::service {

struct FailoverRequest {
  std::string channel, platform;
  std::string broadcast_template;  // "" → no broadcast
  std::string reason;              // recorded with the health change
  int64_t event_id = 0;            // the event that caused it (0: none)
  TimePoint at;
};

struct FailoverDone {
  bool already = false;       // the channel was already failed over (nothing changed)
  int64_t failover_id = 0;    // the failover log's record
  int64_t moved = 0;          // queued messages moved to other channels
  int64_t broadcast_id = 0;   // 0: no broadcast
  int64_t told = 0;           // notices the broadcast queued (its total)
  std::string broadcast_error;  // why the broadcast did not start ("" when it did or none was asked)
};

struct RestoreDone {
  bool already = false;  // the channel was not failed over (nothing changed)
  int64_t moved_back = 0;
};

class ChannelFailover {
 public:
  ChannelFailover(setup::App& app, FailoverLog& log) : app_(app), log_(log) {}

  absl::StatusOr<FailoverDone> Fail(const FailoverRequest& request);
  absl::StatusOr<RestoreDone> Restore(const std::string& channel, int64_t event_id, TimePoint at);
  // Channels failed over and not restored yet.
  absl::StatusOr<std::set<std::string>> Active();
  FailoverLog& log() { return log_; }

 private:
  setup::App& app_;
  FailoverLog& log_;
  std::mutex mutex_;  // a check and its change happen together
};

}  // namespace faro::service
