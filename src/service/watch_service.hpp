#pragma once
// The always-on watch of `faro serve`: patrols the platforms from here, takes readings from
// vantage agents and crowd reports from customers, judges platform health (watch::Watch),
// persists every event with its evidence, alerts the team by role with escalation, and fails
// customer channels over (outbox health + broadcast) and back. docs/watch.md tells the story.
//
// Threads: the patrol's (probes), one worker (readings → watch → events → actions, ticks,
// compaction), and the HTTP server's (the API calls below). Every watch state change happens
// under one mutex; events are stored before anything acts on them.
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "history/alert_store.hpp"
#include "history/crowd_store.hpp"
#include "history/event_store.hpp"
#include "history/history.hpp"
#include "patrol/patrol.hpp"
#include "patrol/push_json.hpp"
#include "respond/respond.hpp"
#include "service/channel_failover.hpp"
#include "service/failover_log.hpp"
#include "setup/app.hpp"
#include "watch/watch.hpp"

namespace faro::service {

struct ServiceOptions {
  std::ostream* log = nullptr;  // one line per event and action
  bool patrol = true;           // tests of the API alone turn the probes off
  std::function<LinkState()> read_link;  // tests inside namespaces; ReadLinkState when unset
};

// Counters for /metrics.
struct ServiceStats {
  uint64_t readings = 0, link_readings = 0, agent_readings = 0, events = 0, alerts = 0, notices = 0;
  uint64_t failovers = 0, crowd_reports = 0, crowd_duplicates = 0, results_stored = 0, store_errors = 0;
  uint64_t database_bytes = 0;  // the SQLite file and its write-ahead log, on disk now
  patrol::PatrolStats patrol;
};

class WatchService {
 public:
  // Builds the watch from app.config().watch (which must be enabled). Opens its tables in the
  // configured database. Errors name the config key or file.
  static absl::StatusOr<std::unique_ptr<WatchService>> Open(setup::App& app, ServiceOptions options);
  ~WatchService();

  void Start();  // the patrol and the worker
  void Stop();   // idempotent; joins both

  // SIGHUP: the new configuration's watch, team, alerts and failover rules, applied in place.
  // Channels, storage and server settings need a restart; the returned note says so.
  absl::StatusOr<std::string> Reload(setup::FaroConfig fresh);

  // --- API (thread-safe) ---------------------------------------------------------------
  // The board: query limit (default 500), offset, health=down,partial (docs/api.md).
  absl::StatusOr<nlohmann::json> WatchJson(const std::map<std::string, std::string>& query = {});
  absl::StatusOr<nlohmann::json> SeriesJson(const std::string& platform, const std::map<std::string, std::string>& query);
  absl::StatusOr<nlohmann::json> EventsJson(const std::map<std::string, std::string>& query);
  // The newest stored event's id (the listening service's included): EventsJson's answer
  // stays the same while this does.
  absl::StatusOr<int64_t> LastEventId() { return events_->LastId(); }
  absl::StatusOr<nlohmann::json> AlertsJson(const std::map<std::string, std::string>& query);
  // FailedPrecondition when already acknowledged (the message names who and when).
  absl::StatusOr<nlohmann::json> Acknowledge(int64_t alert_id, const std::string& by);
  absl::StatusOr<nlohmann::json> FailoversJson();
  nlohmann::json StatusJson();  // the public status page's data
  // A customer's report; false when it is a duplicate for this reporter and window.
  absl::StatusOr<bool> CrowdReport(const std::string& platform, const std::string& reporter, const std::string& note);
  bool Watches(const std::string& platform) const;
  std::size_t TargetCount() const;  // targets watched (an @FILE counts each line)
  // Vantage agents: the name a token belongs to ("" when none), their assignment, their readings.
  std::string VantageFor(const std::string& token) const;
  patrol::Assignment AssignmentFor(const std::string& vantage);
  patrol::ReadingsAnswer AcceptReadings(const std::string& vantage, patrol::ReadingsBatch batch);
  // A reply from a team member ("OK", "visto", "ack"): acknowledges the newest open alert they
  // were told about. True when one was acknowledged.
  bool AcknowledgeByReply(int64_t contact_id, const std::string& channel, const std::string& text);
  // A send's outcome through a channel (the outbox's own failures are a signal too).
  void SendOutcome(const std::string& channel, bool provider_fault);
  // Listening's outage chatter about a watched platform, one minute at a time; judged on the
  // worker thread like everything else.
  void Chatter(watch::ChatterReading chatter);
  ServiceStats Stats();
  // Health of every platform, our link and the agents, without evidence (for /metrics).
  struct HealthBoard {
    std::vector<watch::Watch::HealthRow> platforms;
    bool link_down = false;
    std::vector<watch::VantageView> vantages;
  };
  HealthBoard Board();

  // Every event, once stored and acted on, in order (the contingency plans take them here). Set
  // before Start; called on the worker thread, so it must not block.
  void OnEvent(std::function<void(const Event&)> sink) { on_event_ = std::move(sink); }
  // The failover machinery the watch uses, for others who fail channels over (plan steps).
  ChannelFailover& failover() { return *failover_; }

 private:
  struct VantageHeard {  // an agent got in touch, with or without readings
    std::string vantage;
    TimePoint at;
  };
  struct Work {
    std::variant<patrol::Round, patrol::LinkRound, watch::SendOutcome, VantageHeard, watch::ChatterReading> item;
  };
  WatchService(setup::App& app, ServiceOptions options);
  absl::Status Configure(const setup::FaroConfig& config, bool first);
  void WorkerLoop();
  void Process(std::deque<Work>& batch);
  void Handle(std::vector<Event> events);
  void Act(const Event& event);
  void Notify(int64_t alert_id, const std::vector<respond::Notice>& notices);
  void Escalate(TimePoint now);
  void Log(const std::string& line);
  std::optional<respond::AlertView> ViewOf(const history::Alert& alert) const;

  setup::App& app_;
  ServiceOptions options_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Database> failover_db_;
  std::unique_ptr<history::History> history_;
  std::unique_ptr<history::EventStore> events_;
  std::unique_ptr<history::AlertStore> alerts_;
  std::unique_ptr<history::CrowdStore> crowd_;
  std::unique_ptr<FailoverLog> failovers_;
  std::unique_ptr<ChannelFailover> failover_;
  std::function<void(const Event&)> on_event_;

  mutable std::mutex mutex_;  // guards everything below
  std::unique_ptr<watch::Watch> watch_;
  patrol::PatrolOptions patrol_options_;
  std::map<std::string, std::string> names_;            // platform id → name for people
  std::map<std::string, std::string> vantage_tokens_;   // token → vantage name
  respond::AlertRules rules_;
  std::vector<respond::TeamMember> team_;
  std::vector<respond::FailoverRule> failover_rules_;
  ServiceStats stats_;
  std::map<std::string, int> crowd_minute_;  // reporter → reports in the current minute
  int64_t crowd_minute_start_ = 0;

  std::unique_ptr<patrol::Patrol> patrol_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Work> queue_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
  TimePoint last_compact_{}, last_baseline_{}, last_tick_{};
};

}  // namespace faro::service
