#pragma once
// The patrol: continuous probe rounds, the signal source of `faro serve`'s watch and of
// `faro agent --server`. One thread runs one ProbeEngine; each target (a platform, or a URL)
// gets a round (every endpoint checked once) every `interval`, its phase spread over the
// interval with jitter (watch::Schedule), so a thousand targets never start at once.
//
// Rules a caller can rely on:
// - A target's rounds never overlap: when a round is due while the previous one still runs, it
//   is skipped and counted in PatrolStats::late_rounds.
// - Readings are stamped by `clock` (SystemClock by default); waiting is real time, on the
//   engine's loop (the sockets are real), so a FakeClock stamps readings but does not pace.
// - Memory is bounded: a round's state lives until its last check answers and is then handed
//   to the sink; nothing accumulates here across rounds.
// - The sink's functions run on the patrol thread and must be quick (hand the round off); they
//   may call Reconfigure and Stats, never Stop (it joins that thread).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "history/history.hpp"
#include "patrol/readings.hpp"
#include "probe/local_link.hpp"
#include "probe/probe_engine.hpp"

namespace faro::patrol {

// The name link rounds are stored under in history (their rows' `platform`).
inline constexpr char kLinkSeries[] = "link";

struct PatrolTarget {
  std::string platform;  // platform id, or the URL for a URL target; unique within a patrol
  std::vector<EndpointSpec> endpoints;
  std::chrono::milliseconds interval{30000};
  std::optional<StatusFeedSpec> feed;  // the platform's official status feed, read with its rounds
};

struct PatrolOptions {
  EngineOptions engine;  // read by Start only: Reconfigure keeps the engine it has
  std::vector<PatrolTarget> targets;
  std::vector<EndpointSpec> references;  // the home node's reference hosts; empty: no link rounds (agents)
  std::chrono::milliseconds link_interval{30000};
  int attempts = 2;                          // per check, 1 to 5
  std::chrono::milliseconds timeout{10000};  // a round's checks all end within it
  double slow_ms = 2000;
  double jitter = 0.1;  // ± this fraction of the interval, per round (0 to 0.5)
  std::string vantage = "here";
  // A target whose round came out worse than its last one is checked again this soon (a
  // confirmation round; 0: never), when shorter than its interval.
  std::chrono::milliseconds recheck{5000};
  std::chrono::milliseconds feed_every{60000};  // how often a target's official feed is read
  // Link rounds ask this too (interface up, default route); ReadLinkState when unset.
  std::function<LinkState()> read_link;
};

// reading.at: when the round's last check answered (from `clock`); each result's at: when the
// round sent its checks.
struct Round {  // one target, all endpoints, once
  watch::Reading reading;
  std::vector<history::Result> results;
  // The official feed's level when this round read it (at most once per `feed_every`); an
  // unreachable or unreadable feed gives none.
  std::optional<watch::FeedLevel> feed;
};
struct LinkRound {  // the reference hosts, once
  watch::LinkReading reading;
  std::vector<history::Result> results;
};
// Called on the patrol thread; must be quick (hand off). Either may be empty.
struct Sink {
  std::function<void(Round)> on_round;
  std::function<void(LinkRound)> on_link;
};

struct PatrolStats {
  uint64_t rounds = 0;       // rounds completed (link rounds included)
  uint64_t checks = 0;       // checks completed
  uint64_t late_rounds = 0;  // rounds skipped because the previous one still ran
  size_t in_flight = 0;      // checks submitted and not yet answered
  uint64_t tls_full = 0;     // TLS handshakes that verified a certificate
  uint64_t tls_resumed = 0;  // TLS handshakes that resumed a session (watch.tls_resume)
  double loop_lag_ms = 0;    // the patrol's own lateness, worst of the last 5 to 10 s
  uint64_t busy_rounds = 0;  // rounds whose slowness was not counted: the patrol was late
};

// Checks the options: every target has a name, at least one endpoint and a positive interval,
// names are unique, numbers in range. The error names the target and the field.
absl::Status ValidatePatrolOptions(const PatrolOptions& options);

// A link round's verdict: ok unless the link or default route is missing or every reference
// host fails (a reference failing by DNS alone, while another answers, is not the link).
watch::LinkReading LinkReadingFor(TimePoint at, const LinkState& link, const std::vector<EndpointEvidence>& references);

class Patrol {
 public:
  // Validates the options, creates the engine and starts the patrol thread. `clock`, when
  // given, must outlive the patrol.
  static absl::StatusOr<std::unique_ptr<Patrol>> Start(PatrolOptions options, Sink sink, const Clock* clock = nullptr);
  ~Patrol();
  Patrol(const Patrol&) = delete;
  Patrol& operator=(const Patrol&) = delete;

  // Thread-safe. Targets kept (same platform) keep their phase; new ones are spread in; a
  // removed target's round in progress ends without reaching the sink. Invalid options are
  // refused (the error says why) and the patrol goes on as it was.
  absl::Status Reconfigure(PatrolOptions options);
  // Joins the thread; checks in flight are abandoned and reach no sink. Idempotent.
  void Stop();
  PatrolStats Stats() const;

 private:
  class Runner;
  explicit Patrol(std::unique_ptr<Runner> runner);
  std::unique_ptr<Runner> runner_;
};

}  // namespace faro::patrol
