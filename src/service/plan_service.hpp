#pragma once
// `faro serve` runs the contingency plans (docs/plans.md): the impure edge around the pure plan
// engine (src/plan). Every stored event (the watch's, and listening's crisis events) goes to one
// plan::Engine holding every plan of faro.yaml `plans:`; the engine opens incidents and emits
// actions, which this service carries out through the real parts and reports back as outcomes:
//
//   notify, escalate, status-update, remind, ask-approval   messages to people, through the outbox
//   failover, undo-failover       the watch's failover machinery (ChannelFailover)
//   broadcast, holding-statement  a message to every customer on the named working channels
//   pause-ads, resume-ads, move-campaign   src/ads's guard over faro.yaml's ad accounts
//   assign-replies                unanswered conversations of a channel, round-robin to people
//   restoration-check             facts gathered here, judged by record::CheckRestoration
//
// Durable before acknowledged: every incident is stored (history::IncidentStore) after every
// change, before its actions run and before a person's decision is answered, so a restart
// resumes waits, approvals, the guard's record and the actions not yet carried out.
//
// The crisis log (docs/crisis-log.md): when an incident closes, and whenever a closed incident
// changes (a note after the fact), its record and reports are written into faro.yaml's
// `crisis_log:` folder with record::AddToLog. A failure is logged and counted and never loses the
// incident (it is in the database); it is tried again on the next close and at the next start,
// which also writes every closed incident the folder lacks.
//
// Threads: inputs are queued and handled in order by one worker (Start) that also ticks the
// engine once a second with the app's clock; the API's calls change the engine directly, under
// the same mutex, and queue the actions they cause. Tests run the queue themselves (Drain).
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "ads/ad_platform.hpp"
#include "ads/guard.hpp"
#include "core/event.hpp"
#include "history/incident_store.hpp"
#include "plan/engine.hpp"
#include "record/report.hpp"
#include "service/channel_failover.hpp"
#include "setup/app.hpp"

namespace faro::service {

struct PlanServiceOptions {
  std::ostream* log = nullptr;  // one line per incident change and action
  // The watch's failover machinery, so a channel is failed over once whoever asks first. Null:
  // the service opens the same failover log itself (a `faro serve` without watch:).
  ChannelFailover* failover = nullptr;
  // Ad accounts that stand in for faro.yaml's adapters of the same id (tests and rehearsals give
  // dry-run accounts). Not owned.
  std::vector<ads::AdPlatform*> ad_accounts;
  // A restoration check that is not all green runs again this often while the incident is
  // stable (its result goes on the timeline when an item changed).
  std::chrono::milliseconds recheck_every = std::chrono::minutes(10);
  // How far back the ad figures' baseline reaches before the incident's day.
  int baseline_days = 7;
};

// Counters and gauges for /metrics.
struct PlanStats {
  std::map<std::pair<std::string, std::string>, uint64_t> actions;  // (kind, "ok" | "failed") → count
  std::map<std::string, int64_t> incidents;                         // state → incidents stored
  int64_t approvals_pending = 0;
  uint64_t store_errors = 0;
  uint64_t crisis_log_errors = 0;   // times a closed incident could not be written to the crisis log
  int64_t crisis_log_unwritten = 0;  // closed incidents not in the crisis log now
};

// What a refused close says: the items that are not green.
struct CloseAnswer {
  bool closed = false;
  std::vector<std::string> blocking;
  std::string error;     // when refused
  nlohmann::json incident;  // when closed: the incident as IncidentJson gives it
};

class PlanService {
 public:
  // Needs app.config().plans with at least one plan. Opens the incidents table in the
  // configured database and resumes every incident that was not closed. Errors name the plan,
  // the person or the incident.
  static absl::StatusOr<std::unique_ptr<PlanService>> Open(setup::App& app, PlanServiceOptions options = {});
  ~PlanService();

  void Start();  // the worker
  void Stop();   // idempotent; lets the action in progress finish

  // SIGHUP: the fresh configuration's plans and ad accounts (taken from `fresh`). Every open
  // incident must fit the new plans (its plan and playbook still there), else nothing changes
  // and the error says which incident does not fit.
  absl::StatusOr<std::string> Reload(setup::FaroConfig& fresh);

  // --- Inputs, queued in order (thread-safe, never block) -------------------------------------
  void OnEvent(const Event& event);
  void OnMentionMinute(const std::string& subject, const plan::MentionMinute& minute);
  void Tick(TimePoint now);
  // Handles everything queued, on the caller's thread, until the queue is empty.
  void Drain();

  // A person's reply ("sí", "ok", "yes", "aprobado" / "no", "rechazado"): answers the newest
  // pending approval request that was sent to them. True when it answered one.
  bool AnswerByReply(int64_t contact_id, const std::string& channel, const std::string& text);

  // --- API (thread-safe; changes are stored before these return) -----------------------------
  // GET /api/v1/incidents?state=&kind=&limit=&offset=
  absl::StatusOr<nlohmann::json> IncidentsJson(const std::map<std::string, std::string>& query);
  // The incident record plus pending_approvals and may_close.
  absl::StatusOr<nlohmann::json> IncidentJson(int64_t id);
  // `person` answers (the API checks it against who may answer: PermissionDenied when not).
  absl::StatusOr<nlohmann::json> Decide(int64_t id, int64_t action, bool approve, const std::string& person,
                                        const std::string& reason);
  absl::StatusOr<nlohmann::json> AddNote(int64_t id, const std::string& who, const std::string& text);
  // A person's status update (POST …/status-updates): to the people of the playbook's status
  // updates, through the outbox (plan::Engine::PostStatusUpdate).
  absl::StatusOr<nlohmann::json> PostStatusUpdate(int64_t id, const std::string& who, const std::string& text);
  // The incident's status updates as planned: {"step", "roles", "to" (who holds them now),
  // "every_s", "first_within_s", "running", "next"} — "next" is when the next automatic one is
  // due (null when none is: no cadence, not started yet, or the incident is closed).
  absl::StatusOr<nlohmann::json> StatusUpdatesJson(int64_t id);
  absl::StatusOr<nlohmann::json> AssignRole(int64_t id, const std::string& role, const std::string& person,
                                            plan::RoleChange change);
  absl::StatusOr<CloseAnswer> Close(int64_t id, const std::string& who, const std::string& reason);
  // Runs the restoration check now (its result replaces the checklist).
  absl::StatusOr<nlohmann::json> CheckRestorationNow(int64_t id);
  absl::StatusOr<std::string> Report(int64_t id, record::ReportFormat format, Lang lang);
  // The people who may answer this approval request (its role's holders and whoever its
  // escalations told); NotFound when the incident has no such pending request.
  absl::StatusOr<std::vector<std::string>> MayAnswer(int64_t id, int64_t action);

  PlanStats Stats();
  Lang lang() const;  // the business's

  // The crisis log folder (faro.yaml `crisis_log:`), and the closed incidents not written into
  // it yet: [{"id": 7, "error": "…"}] ("error" empty when not tried yet).
  std::string crisis_log_dir() const;
  nlohmann::json CrisisLogUnwritten() const;
  // Writes the closed incidents not in the crisis log yet, when an incident closed (or a closed
  // one changed) since the last attempt. Called after every input; cheap when nothing is due.
  void WriteCrisisLog();

 private:
  struct Tick_ {
    TimePoint now;
  };
  struct Minute {
    std::string subject;
    plan::MentionMinute minute;
  };
  using Work = std::variant<Event, Tick_, Minute, std::vector<plan::Action>>;
  // What carrying out one action gave.
  struct Done {
    plan::Outcome outcome;
    std::optional<std::vector<plan::ChecklistItem>> checklist;  // restoration checks
    std::optional<ads::GuardRecord> guard;                      // ad actions: the account's record now
    std::string guard_account;
  };
  // What an action needs to know about its incident, copied under the lock.
  struct Snapshot {
    plan::Incident incident;
    std::shared_ptr<const plan::Plan> plan;
  };
  // The people of the plans as contacts of the book (they are told through the outbox).
  struct People {
    std::map<std::string, int64_t> contact_of;  // person name → contact id
    std::map<int64_t, std::string> name_of;     // contact id → person name
  };

  // What was last stored of an incident: a change to any of these stores it again.
  struct Saved {
    size_t timeline = 0, mentions = 0, platform = 0;
    std::string state;
    friend bool operator==(const Saved&, const Saved&) = default;
  };
  static Saved SavedOf(const plan::Incident& incident);

  PlanService(setup::App& app, PlanServiceOptions options);
  absl::StatusOr<People> UpsertPeople(const std::vector<std::shared_ptr<const plan::Plan>>& plans);
  absl::Status Resume();
  // At start: every closed incident whose record in the crisis log is missing or older.
  absl::Status FindUnloggedClosed();
  void Push(Work work);
  void Handle(Work& work);
  void Log(const std::string& line);

  // --- under mutex_ ---
  // Stores every incident that changed since it was last stored.
  absl::Status SaveChangedLocked();
  void NoteActionsLocked(const std::vector<plan::Action>& actions);
  // The guard's records, one per ad account, from the latest snapshots on the open incidents'
  // timelines; holders that are not open incidents any more let go.
  void RebuildGuardsLocked();
  // A closed incident no longer wants anything paused (what it paused stays as it is).
  void ReleaseHoldsLocked(int64_t incident);
  // Reads a stored incident back into the engine (with its guard record).
  absl::StatusOr<const plan::Incident*> AdoptStoredLocked(const history::StoredIncident& row);
  // The incident in the engine, or read back from the store (a closed one gets notes later).
  absl::StatusOr<const plan::Incident*> FindOrAdoptLocked(int64_t id);
  std::optional<Snapshot> SnapshotLocked(int64_t id) const;
  std::vector<int64_t> DueRechecksLocked(TimePoint now);
  nlohmann::json IncidentJsonLocked(const plan::Incident& incident) const;
  std::vector<std::string> MayAnswerLocked(const plan::Incident& incident, const plan::PendingApproval& p) const;
  // The engine's answer to a person's input: stored, then its actions queued.
  absl::StatusOr<nlohmann::json> AfterInputLocked(int64_t id, absl::StatusOr<std::vector<plan::Action>> actions,
                                                  std::vector<plan::Action>& queued);

  // --- carrying out actions (no lock held while talking to the world) ---
  void Execute(std::vector<plan::Action> actions);
  Done Perform(const plan::Action& action);
  Done TellPeople(const plan::Action& action, const Snapshot& s);
  Done FailOver(const plan::Action& action, const Snapshot& s);
  Done TellCustomers(const plan::Action& action, const Snapshot& s);
  Done AssignReplies(const plan::Action& action, const Snapshot& s);
  Done Ads(const plan::Action& action, const Snapshot& s);
  Done Restoration(const plan::Action& action, const Snapshot& s);
  // The checklist now, from facts gathered for the incident (`params` of its restoration check).
  std::vector<plan::ChecklistItem> CheckNow(const Snapshot& s, const nlohmann::json& params, TimePoint now);
  void Recheck(int64_t id, TimePoint now);
  // Runs the check and gives the checklist to the engine; with `only_if_changed`, only when an
  // item's state changed. The actions it caused, for the caller to carry out.
  absl::StatusOr<std::vector<plan::Action>> RunCheck(int64_t id, TimePoint now, bool only_if_changed);
  std::optional<int64_t> ContactFor(const plan::Recipient& recipient);
  std::set<int64_t> TeamContacts();
  ads::AdPlatform* Account(const std::string& id);
  // The campaign's figures over the whole days before the incident's day (cached per incident).
  absl::StatusOr<ads::Insights> Baseline(const plan::Incident& incident, ads::AdPlatform& platform,
                                         const std::string& campaign);
  std::string Day(TimePoint at) const;     // "2021-10-04" in the business's time zone
  TimePoint DayStart(TimePoint at) const;  // that day's midnight there
  TimePoint Now(TimePoint at_least) const;

  setup::App& app_;
  PlanServiceOptions options_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<history::IncidentStore> store_;
  std::unique_ptr<SQLite::Database> failover_db_;
  std::unique_ptr<FailoverLog> own_failover_log_;
  std::unique_ptr<ChannelFailover> own_failover_;
  ChannelFailover* failover_ = nullptr;

  mutable std::mutex mutex_;  // guards everything below, up to the queue
  std::vector<std::shared_ptr<const plan::Plan>> plans_;
  std::unique_ptr<plan::Engine> engine_;
  People people_;
  std::map<std::string, ads::AdPlatform*> accounts_;
  std::vector<std::unique_ptr<ads::AdPlatform>> owned_accounts_;  // from reloads (kept while running)
  // The guard's record of each ad account, shared by every incident: a campaign two outages
  // paused is resumed when the last of them lets go (holders "incident:N").
  std::map<std::string, ads::GuardRecord> guards_;
  std::map<int64_t, Saved> saved_;
  std::map<int64_t, TimePoint> last_recheck_;
  std::string crisis_log_dir_;
  // Closed incidents to write into the crisis log, each with the number of its latest change
  // (a write that started before a later change does not take it off), and why the last try
  // failed.
  std::map<int64_t, uint64_t> unlogged_;
  std::map<int64_t, std::string> log_errors_;
  uint64_t log_changes_ = 0;
  bool log_due_ = false;
  std::map<std::string, ads::Insights> baselines_;  // "incident/account/campaign"
  std::map<int64_t, int> attempts_;                 // ad action → times carried out
  struct Retry {
    plan::Action action;
    TimePoint due;
  };
  std::vector<Retry> retries_;  // ad actions refused for a while, tried again from Tick
  int64_t max_action_ = 0;
  PlanStats stats_;

  std::mutex run_mutex_;  // one action (or restoration check) carried out at a time
  std::mutex log_mutex_;  // one crisis-log write at a time
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Work> queue_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace faro::service
