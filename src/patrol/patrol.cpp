#include "patrol/patrol.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/strings.hpp"
#include "probe/status_feed.hpp"
#include "watch/schedule.hpp"
#include "verdict/verdict.hpp"

namespace faro::patrol {
namespace {

// Schedules run on steady time dressed as a TimePoint: pacing must not jump with the wall
// clock, and must go on when a test's FakeClock stands still.
TimePoint PaceNow() {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::steady_clock::now().time_since_epoch()));
}
SteadyTime ToSteady(TimePoint pace) {
  return SteadyTime(std::chrono::duration_cast<SteadyTime::duration>(pace.time_since_epoch()));
}

std::vector<EndpointEvidence> EmptyEvidence(const std::vector<EndpointSpec>& specs) {
  std::vector<EndpointEvidence> out;
  out.reserve(specs.size());
  for (const EndpointSpec& spec : specs) {
    EndpointEvidence e;
    e.url = spec.url.text;
    e.layer = spec.layer;
    e.group = spec.group;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

absl::Status ValidatePatrolOptions(const PatrolOptions& o) {
  if (o.attempts < 1 || o.attempts > 5)
    return absl::InvalidArgumentError(StrCat("patrol attempts: expected 1 to 5, got ", o.attempts));
  if (o.timeout.count() <= 0) return absl::InvalidArgumentError("patrol timeout: expected a positive duration");
  if (!(o.slow_ms > 0)) return absl::InvalidArgumentError("patrol slow_ms: expected a positive number");
  if (!(o.jitter >= 0 && o.jitter <= 0.5))
    return absl::InvalidArgumentError(StrCat("patrol jitter: expected 0 to 0.5, got ", o.jitter));
  if (!o.references.empty() && o.link_interval.count() <= 0)
    return absl::InvalidArgumentError("patrol link_interval: expected a positive duration");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < o.targets.size(); ++i) {
    const PatrolTarget& t = o.targets[i];
    const std::string where = t.platform.empty() ? StrCat("patrol targets[", i, "]") : StrCat("patrol target \"", t.platform, "\"");
    if (t.platform.empty()) return absl::InvalidArgumentError(StrCat(where, ": the platform (or URL) is empty"));
    if (!seen.insert(t.platform).second) return absl::InvalidArgumentError(StrCat(where, ": listed twice"));
    if (t.endpoints.empty()) return absl::InvalidArgumentError(StrCat(where, ": no endpoints to check"));
    if (t.interval.count() <= 0) return absl::InvalidArgumentError(StrCat(where, ": interval must be positive"));
  }
  return absl::OkStatus();
}

watch::LinkReading LinkReadingFor(TimePoint at, const LinkState& link, const std::vector<EndpointEvidence>& references) {
  LocalEvidence local;
  local.link = link.link;
  local.default_route = link.default_route;
  local.references = references;
  const LocalAssessment a = AssessLocal(local);
  int failed = 0;
  for (const EndpointEvidence& r : references) failed += r.result.outcome == Outcome::kFail;
  const int n = static_cast<int>(references.size());
  watch::LinkReading out;
  out.at = at;
  out.ok = a.network != NetworkState::kDown;
  if (!out.ok) {
    out.detail = a.network_detail;
    if (a.network_cause != Cause::kNone && n > 0 && failed > 0)
      StrAppend(out.detail, " (", failed, " of ", n, ", ", CauseName(a.network_cause), ")");
  } else if (failed > 0) {
    out.detail = StrCat(failed, " of ", n, " reference hosts fail");
    if (a.network_cause != Cause::kNone) StrAppend(out.detail, " (", CauseName(a.network_cause), ")");
  } else {
    out.detail = StrCat(n, " of ", n, " reference hosts answered");
  }
  return out;
}

// Everything below runs on the patrol thread, except what is marked thread-safe.
class Patrol::Runner {
 public:
  Runner(PatrolOptions options, Sink sink, const Clock* clock, std::unique_ptr<ProbeEngine> engine, int wake_fd)
      : sink_(std::move(sink)), clock_(clock ? clock : &system_clock_), engine_(std::move(engine)), wake_fd_(wake_fd) {
    pending_ = std::move(options);
  }
  ~Runner() {
    Stop();
    close(wake_fd_);
  }

  void StartThread() { thread_ = std::thread([this] { Main(); }); }

  // Thread-safe.
  void Reconfigure(PatrolOptions options) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_ = std::move(options);
    }
    Wake();
  }

  // Thread-safe; idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    Wake();
    std::lock_guard<std::mutex> join_lock(join_mu_);
    if (thread_.joinable()) thread_.join();
  }

  // Thread-safe.
  PatrolStats Stats() const {
    PatrolStats s;
    s.rounds = rounds_.load();
    s.checks = checks_.load();
    s.late_rounds = late_rounds_.load();
    s.in_flight = in_flight_.load();
    s.tls_full = tls_full_.load();
    s.tls_resumed = tls_resumed_.load();
    s.loop_lag_ms = loop_lag_ms_.load();
    s.busy_rounds = busy_rounds_.load();
    return s;
  }

 private:
  struct RoundState {
    std::string key;   // the platform, or kLinkSeries for a link round
    bool link = false;
    bool dropped = false;  // its target was removed: the round ends without reaching the sink
    std::string vantage;
    TimePoint started;
    LinkState link_state;
    int pending = 0;
    std::vector<EndpointEvidence> evidence;
    std::optional<watch::FeedLevel> feed;
    double max_lag_ms = 0;  // the patrol's worst lateness while this round ran
  };

  // A heartbeat on the patrol's loop measures how late the loop runs. When the machine is
  // saturated, the loop wakes late and every answer it times looks slower than it was.
  static constexpr std::chrono::milliseconds kBeat{200};
  void Heartbeat(SteadyTime due) {
    const SteadyTime now = EventLoop::Now();
    const double lag = std::max(0.0, std::chrono::duration<double, std::milli>(now - due).count());
    for (auto& [key, round] : running_) round->max_lag_ms = std::max(round->max_lag_ms, lag);
    if (running_link_) running_link_->max_lag_ms = std::max(running_link_->max_lag_ms, lag);
    if (now - lag_window_start_ >= std::chrono::seconds(5)) {
      lag_previous_ = lag_current_;
      lag_current_ = 0;
      lag_window_start_ = now;
    }
    lag_current_ = std::max(lag_current_, lag);
    loop_lag_ms_.store(std::max(lag_previous_, lag_current_), std::memory_order_relaxed);
    engine_->loop().AddTimer(now + kBeat, [this, next = now + kBeat] { Heartbeat(next); });
  }
  // A round during which the loop was this late does not count slowness against the platform.
  double BusyLag(const RoundState& round) const {
    return round.max_lag_ms >= options_.slow_ms / 4 ? round.max_lag_ms : 0;
  }

  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
  }

  void Main() {
    engine_->loop().Watch(wake_fd_, EPOLLIN, [this](uint32_t) {
      uint64_t count = 0;
      [[maybe_unused]] ssize_t n = read(wake_fd_, &count, sizeof count);
      woken_ = true;
    });
    lag_window_start_ = EventLoop::Now();
    engine_->loop().AddTimer(lag_window_start_ + kBeat, [this, due = lag_window_start_ + kBeat] { Heartbeat(due); });
    for (;;) {
      std::optional<PatrolOptions> next;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_) break;
        next.swap(pending_);
      }
      if (next) Apply(std::move(*next));
      woken_ = false;
      const TimePoint now = PaceNow();
      if (schedule_)
        for (const std::string& key : schedule_->Due(now)) StartRound(key);
      // Confirmation rounds: a target that just got worse is checked again soon.
      while (!rechecks_.empty() && rechecks_.begin()->first <= now) {
        const std::string key = rechecks_.begin()->second;
        rechecks_.erase(rechecks_.begin());
        if (running_.count(key) == 0) StartRound(key);
      }
      if (link_schedule_ && !link_schedule_->Due(now).empty()) StartLinkRound();
      engine_->Poll(ToSteady(NextWake(now)), [this] { return woken_; });
    }
    // Abandon what is in flight: destroying the engine answers every check as a timeout,
    // which must not reach the sink as if the platforms had failed.
    closing_ = true;
    engine_->loop().Unwatch(wake_fd_);
    engine_.reset();
    in_flight_ = 0;
  }

  TimePoint NextWake(TimePoint now) const {
    TimePoint wake = now + std::chrono::hours(1);
    if (schedule_) wake = std::min(wake, schedule_->NextDue());
    if (link_schedule_) wake = std::min(wake, link_schedule_->NextDue());
    if (!rechecks_.empty()) wake = std::min(wake, rechecks_.begin()->first);
    return std::max(wake, now);
  }

  void Apply(PatrolOptions options) {
    const TimePoint now = PaceNow();
    std::vector<std::pair<std::string, std::chrono::milliseconds>> keys;
    std::unordered_map<std::string, PatrolTarget> targets;
    for (PatrolTarget& t : options.targets) {
      keys.emplace_back(t.platform, t.interval);
      std::string name = t.platform;
      targets.emplace(std::move(name), std::move(t));
    }
    // Targets kept (same interval) keep their next time; a new jitter places everything anew.
    if (!schedule_ || options.jitter != options_.jitter) schedule_.emplace(std::chrono::milliseconds(30000), options.jitter);
    schedule_->SetWithIntervals(keys, now);
    if (options.references.empty()) {
      link_schedule_.reset();
    } else if (!link_schedule_ || options.link_interval != options_.link_interval || options.jitter != options_.jitter) {
      link_schedule_.emplace(options.link_interval, options.jitter);
      link_schedule_->Set(std::vector<std::string>{kLinkSeries}, now);
    }
    // Rounds of removed targets end quietly.
    for (auto& [key, round] : running_)
      if (targets.count(key) == 0) round->dropped = true;
    if (running_link_ && options.references.empty()) running_link_->dropped = true;
    targets_ = std::move(targets);
    if (!options.read_link) options.read_link = [] { return ReadLinkState(); };
    options.targets.clear();  // kept in targets_
    options_ = std::move(options);
  }

  void StartRound(const std::string& platform) {
    auto target = targets_.find(platform);
    if (target == targets_.end()) return;
    if (running_.count(platform) != 0) {
      ++late_rounds_;
      return;
    }
    auto round = std::make_shared<RoundState>();
    round->key = platform;
    round->vantage = options_.vantage;
    round->started = clock_->Now();
    round->evidence = EmptyEvidence(target->second.endpoints);
    running_.emplace(platform, round);
    SubmitAll(round, target->second.endpoints, FeedDue(target->second));
  }

  void StartLinkRound() {
    if (running_link_) {
      ++late_rounds_;
      return;
    }
    auto round = std::make_shared<RoundState>();
    round->key = kLinkSeries;
    round->link = true;
    round->vantage = options_.vantage;
    round->started = clock_->Now();
    round->link_state = options_.read_link();
    round->evidence = EmptyEvidence(options_.references);
    for (EndpointEvidence& e : round->evidence) e.layer = Layer::kReference;
    running_link_ = round;
    SubmitAll(round, options_.references);
  }

  // The target's feed, when it has one and it was not read within feed_every.
  const StatusFeedSpec* FeedDue(const PatrolTarget& target) {
    if (!target.feed) return nullptr;
    const TimePoint now = PaceNow();
    auto [it, fresh] = feed_read_.try_emplace(target.platform, now);
    if (!fresh && now - it->second < options_.feed_every) return nullptr;
    it->second = now;
    return &*target.feed;
  }

  void SubmitAll(const std::shared_ptr<RoundState>& round, const std::vector<EndpointSpec>& specs,
                 const StatusFeedSpec* feed = nullptr) {
    const SteadyTime deadline = EventLoop::Now() + options_.timeout;
    // One extra count held while submitting: a check answered at once (a name that fails
    // without a query) must not finish the round before the others are sent.
    round->pending = static_cast<int>(specs.size()) + 1;
    if (feed != nullptr) {
      if (auto url = ParseProbeUrl(feed->url); url.ok()) {
        ++round->pending;
        ++in_flight_;
        engine_->Submit(ApiRequest(*url, 1, 8 * 1024 * 1024, deadline),
                        [this, round, spec = *feed](ProbeResult r) {
                          if (closing_) return;
                          --in_flight_;
                          if (r.outcome != Outcome::kFail) {
                            switch (ParseStatusFeed(spec, r.body, SystemClock().Now()).indicator) {
                              case FeedIndicator::kNone: round->feed = watch::FeedLevel::kOk; break;
                              case FeedIndicator::kMinor:
                              case FeedIndicator::kMaintenance: round->feed = watch::FeedLevel::kMinor; break;
                              case FeedIndicator::kMajor:
                              case FeedIndicator::kCritical: round->feed = watch::FeedLevel::kMajor; break;
                              case FeedIndicator::kUnknown: break;
                            }
                          }
                          CheckDone(round);
                        });
      }
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
      ++in_flight_;
      engine_->Submit(EndpointRequest(specs[i], options_.attempts, options_.slow_ms, deadline),
                      [this, round, i](ProbeResult result) {
                        if (closing_) return;
                        --in_flight_;
                        ++checks_;
                        const TlsHandshakes tls = engine_->tls_handshakes();
                        tls_full_.store(tls.full, std::memory_order_relaxed);
                        tls_resumed_.store(tls.resumed, std::memory_order_relaxed);
                        round->evidence[i].result = std::move(result);
                        CheckDone(round);
                      });
    }
    CheckDone(round);
  }

  void CheckDone(const std::shared_ptr<RoundState>& round) {
    if (--round->pending > 0) return;
    if (round->link) {
      if (running_link_ == round) running_link_.reset();
    } else {
      auto it = running_.find(round->key);
      if (it != running_.end() && it->second == round) running_.erase(it);
    }
    if (round->dropped) return;
    ++rounds_;
    const TimePoint now = clock_->Now();
    if (round->link) {
      LinkRound out{LinkReadingFor(now, round->link_state, round->evidence),
                    ResultsFor(kLinkSeries, round->vantage, round->started, round->evidence)};
      if (sink_.on_link) sink_.on_link(std::move(out));
    } else {
      const double busy = BusyLag(*round);
      if (busy > 0) ++busy_rounds_;
      Round out{ReadingFor(round->key, round->vantage, now, round->evidence, busy),
                ResultsFor(round->key, round->vantage, round->started, round->evidence), round->feed};
      // Worse than the last round: check again after `recheck` instead of a whole interval,
      // so a real fault is confirmed (k of n rounds) within about one interval.
      const int severity = watch::Severity(out.reading.health);
      auto& last = last_severity_[round->key];
      if (severity > last && options_.recheck.count() > 0) {
        auto target = targets_.find(round->key);
        if (target != targets_.end() && options_.recheck < target->second.interval) {
          rechecks_.emplace(PaceNow() + options_.recheck, round->key);
          woken_ = true;  // the loop's wake time was set before this; let it look again
        }
      }
      last = severity;
      if (sink_.on_round) sink_.on_round(std::move(out));
    }
  }

  // Set before the thread starts or under mu_.
  mutable std::mutex mu_;
  std::optional<PatrolOptions> pending_;
  bool stop_ = false;
  std::mutex join_mu_;
  std::thread thread_;

  // Read by any thread.
  std::atomic<uint64_t> rounds_{0}, checks_{0}, late_rounds_{0}, tls_full_{0}, tls_resumed_{0}, busy_rounds_{0};
  std::atomic<double> loop_lag_ms_{0};
  SteadyTime lag_window_start_{};       // patrol thread only
  double lag_current_ = 0, lag_previous_ = 0;
  std::atomic<size_t> in_flight_{0};

  // The patrol thread's own.
  Sink sink_;
  SystemClock system_clock_;
  const Clock* clock_;
  std::unique_ptr<ProbeEngine> engine_;
  int wake_fd_;
  bool woken_ = false;
  bool closing_ = false;
  PatrolOptions options_;
  std::unordered_map<std::string, PatrolTarget> targets_;
  std::optional<watch::Schedule> schedule_;  // every target, each at its own interval
  std::optional<watch::Schedule> link_schedule_;
  std::unordered_map<std::string, std::shared_ptr<RoundState>> running_;
  std::multimap<TimePoint, std::string> rechecks_;          // confirmation rounds to start
  std::unordered_map<std::string, int> last_severity_;       // of each target's last round
  std::unordered_map<std::string, TimePoint> feed_read_;     // when each target's feed was last read
  std::shared_ptr<RoundState> running_link_;
};

absl::StatusOr<std::unique_ptr<Patrol>> Patrol::Start(PatrolOptions options, Sink sink, const Clock* clock) {
  FARO_RETURN_IF_ERROR(ValidatePatrolOptions(options));
  FARO_ASSIGN_OR_RETURN(auto engine, ProbeEngine::Create(options.engine));
  const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) return absl::InternalError("patrol: cannot create its wake-up descriptor (eventfd)");
  auto runner = std::make_unique<Runner>(std::move(options), std::move(sink), clock, std::move(engine), wake_fd);
  runner->StartThread();
  return std::unique_ptr<Patrol>(new Patrol(std::move(runner)));
}

Patrol::Patrol(std::unique_ptr<Runner> runner) : runner_(std::move(runner)) {}

Patrol::~Patrol() { Stop(); }

absl::Status Patrol::Reconfigure(PatrolOptions options) {
  FARO_RETURN_IF_ERROR(ValidatePatrolOptions(options));
  runner_->Reconfigure(std::move(options));
  return absl::OkStatus();
}

void Patrol::Stop() { runner_->Stop(); }

PatrolStats Patrol::Stats() const { return runner_->Stats(); }

}  // namespace faro::patrol
