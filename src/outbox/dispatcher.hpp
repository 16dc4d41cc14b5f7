#pragma once
// The dispatcher sends what the outbox holds: per channel, within the provider's rate (token
// buckets, overall and per recipient), with a circuit breaker, a few sends in flight at once.
// Results are recorded together in one transaction every few milliseconds; a send whose result
// was not recorded yet is sent again after a crash (see outbox.hpp for the guarantee).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "channels/channel.hpp"
#include "outbox/outbox.hpp"
#include "outbox/retry_policy.hpp"
#include "outbox/token_bucket.hpp"

namespace faro::outbox {

// Renders a stored message for one person on one channel (templates, language, limits).
using Renderer = std::function<absl::StatusOr<channels::Content>(const Message&, const contacts::Contact&,
                                                                  const ChannelInfo&)>;
// The person's last message to us on a channel (the WhatsApp 24-hour window).
using LastInbound = std::function<std::optional<TimePoint>(int64_t contact_id, const std::string& channel_id)>;

struct DispatcherOptions {
  BackoffPolicy backoff;
  BreakerPolicy breaker;
  std::chrono::milliseconds poll{25};
  uint64_t seed = 0;  // 0: seeded from the clock
};

struct DispatchStats {
  int64_t sent = 0, retried = 0, rate_limited = 0, hopped = 0, failed = 0, held = 0;
};

class Dispatcher {
 public:
  Dispatcher(Outbox& outbox, std::map<std::string, channels::Channel*> channels, Renderer render,
             LastInbound last_inbound, DispatcherOptions options = {});
  ~Dispatcher();

  void Start();
  void Stop();  // waits for sends in flight and records their results
  // Called after each result is recorded (for the inbox and metrics); on the dispatcher thread.
  std::function<void(const Message&, const channels::SendResult&)> on_result;

  DispatchStats stats();
  std::string BreakerState(const std::string& channel);
  // True when nothing is queued and nothing is in flight (for `faro outbox run --until-empty`).
  bool Idle();

 private:
  struct Job {
    Message message;
    contacts::Contact contact;
    channels::Delivery delivery;
  };
  struct Done {
    Message message;
    contacts::Contact contact;
    channels::SendResult result;
    bool local = false;  // decided here (render failed, contact gone); never reached a provider
  };
  struct Lane {
    ChannelInfo info;
    channels::Channel* channel = nullptr;
    channels::Limits limits;
    std::unique_ptr<TokenBucket> bucket;
    std::unique_ptr<KeyedBuckets> per_recipient;
    CircuitBreaker breaker;
    std::deque<Message> pending;
    std::deque<Job> jobs;
    int in_flight = 0;
    std::vector<std::thread> workers;
  };

  void Loop();
  void Work(Lane* lane);
  void Fill(Lane& lane, TimePoint now);
  void Launch(Lane& lane, TimePoint now);
  void Record(std::vector<Done>& done);
  void DropPending();

  Outbox& outbox_;
  Renderer render_;
  LastInbound last_inbound_;
  DispatcherOptions options_;
  std::mt19937_64 random_;
  std::map<std::string, std::unique_ptr<Lane>> lanes_;
  std::unordered_set<int64_t> known_;  // pending or in flight

  std::mutex mutex_;  // guards jobs, in_flight, done_, stopping_
  std::condition_variable work_cv_;
  std::condition_variable loop_cv_;
  std::vector<Done> done_;
  bool stopping_ = false;
  std::atomic<bool> running_{false};
  std::thread loop_;
  DispatchStats stats_;
  std::map<std::string, std::string> breaker_states_;
  std::chrono::milliseconds next_wait_{1};  // the loop's next sleep  // for other threads (BreakerState)
  bool idle_ = false;
};

}  // namespace faro::outbox
