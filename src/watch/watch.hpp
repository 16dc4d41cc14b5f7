#pragma once
// The always-on watch: platform health state machines fed by probe readings from several
// vantages, this node's own link, official feeds, crowd reports and our own sends. Pure and
// deterministic: no I/O, no threads, no clock; time comes in with every input (and Tick), so a
// six-hour outage replays in milliseconds. Not thread-safe: the runtime feeds it from one thread.
//
// Each input returns the events it caused, in order, with event.at = the input's time. Event
// kinds and their evidence: docs/events.md. The runtime stores them; the watch keeps no history
// beyond a few recent evaluations per platform.
//
// How it judges (details in fuse.hpp and confirm.hpp):
//  - Rounds. Every reading and every signal change re-fuses the platform. Readings are grouped
//    into rounds (each vantage at most once; a round closes when every expected vantage has
//    reported — see Expected() — or when one reports again), and a round counts as ONE
//    evaluation for confirmation, judged on the fusion after its last reading: one bad round seen
//    from three vantages is still one bad evaluation. A signal change (feed, crowd surge,
//    outbox, staleness, our link) while no round is open is an evaluation of its own; while a
//    round is open it updates that round's fusion.
//  - Parent and child. Our link is confirmed like a platform (k of n down, recover_after up):
//    ONE "link-down" event. While it is down — or was failing when a home reading was taken — a
//    failing home reading is `local`, not a platform failure: platforms whose only failing
//    vantage is home go to `local` with events suppressed by "link-down". Agents do not cross our
//    link, so when they still see a platform down, that is a real (global) outage and is
//    announced. Leaving `local` back to the state people already know is suppressed too, so
//    "link-restored" brings no storm of "platform-restored".
//  - Announced state. Per platform, the state of the last unsuppressed event (up at start).
//    Transitions are suppressed by "maintenance" (inside a window), "flapping" (flap_changes
//    ladder changes within flap_window), "link-down" (see above) or "stale" (entering `unknown`,
//    or returning from it to the announced state). When maintenance or flapping ends and the
//    state differs from the announced one, one unsuppressed event announces the current state.
//  - Start-up. Platforms start `unknown`; the first evaluation that says `up` enters up with no
//    event. A bad state is entered by the usual confirmation and announced.
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "watch/confirm.hpp"
#include "watch/crowd.hpp"
#include "watch/setup.hpp"

namespace faro::watch {

// What the dashboard and API show for one platform.
struct PlatformView {
  std::string platform;
  std::string name;                  // for people ("WhatsApp")
  Health health = Health::kUnknown;
  Scope scope = Scope::kNone;
  Cause cause = Cause::kNone;
  bool covers_us = false;
  TimePoint since;                   // when the health was entered
  bool flapping = false;
  bool in_maintenance = false;
  std::string summary_en, summary_es;
  std::vector<Reading> readings;     // latest per vantage, home first (stale ones included; see `at`)
  Signals signals;                   // as of the latest input time
  nlohmann::json evidence;           // the evaluation the state rests on
  Health announced = Health::kUp;    // the state of the last unsuppressed event
};

struct VantageView {
  std::string name;
  std::optional<TimePoint> last_seen;
  bool silent = false;
};

// This node's own connectivity.
struct LinkView {
  Health health = Health::kUnknown;  // kUp, kDown, or kUnknown before the first reading
  TimePoint since;
  std::optional<LinkReading> last;   // the latest reading
};

class Watch {
 public:
  // `setup` is brought into range with Sanitized(); validate it first with ValidateSetup to
  // report configuration errors. Silence of agents is counted from `start`.
  explicit Watch(WatchSetup setup, TimePoint start);
  // SIGHUP: keeps the state, readings and signals of platforms still watched and the last-seen
  // times of agents still configured; new platforms start unknown, new agents are counted from
  // the latest input time. Maintenance changes take effect at the next Tick.
  void Reconfigure(WatchSetup setup);

  std::vector<Event> OnLink(const LinkReading& reading);
  // Readings for platforms not watched, or from vantages that are neither home nor configured,
  // are ignored (no events). A reading older than the one held for its vantage is ignored.
  std::vector<Event> OnReading(const Reading& reading);
  // Outage chatter from listening. Unwatched platforms are ignored; an older reading than the
  // one held is ignored.
  std::vector<Event> OnChatter(const ChatterReading& chatter);
  // A configured vantage got in touch without readings (an agent with nothing due yet): it is
  // alive, so a silent one is back. Unknown vantages are ignored.
  std::vector<Event> OnVantageHeard(const std::string& vantage, TimePoint at);
  // The feed level stands until the next OnFeed for the platform.
  std::vector<Event> OnFeed(const std::string& platform, TimePoint at, FeedLevel level);
  // Returns false (and counts nothing) for a duplicate within crowd_dedup or an unwatched
  // platform. A surge it starts is judged at the next Tick.
  bool AcceptCrowdReport(const CrowdReport& report);
  std::vector<Event> OnSendOutcome(const SendOutcome& outcome);
  // Time passing: vantage silence, maintenance start/end, flapping over, readings going stale,
  // crowd surges starting or ending, outbox windows sliding. Call about once a second.
  std::vector<Event> Tick(TimePoint now);

  // Usual crowd reports per crowd_window for each 15-minute slot of the week (kSlotsPerWeek
  // values, slots as in SlotOfWeek). Any other vector clears the baseline (see
  // CheckCrowdBaseline to report why).
  void SetCrowdBaseline(const std::string& platform, std::vector<double> per_slot_of_week);

  std::vector<PlatformView> Platforms() const;  // in setup order
  // Every platform's health alone, in setup order: cheap for large fleets (no evidence copied).
  struct HealthRow {
    std::string platform;
    Health health = Health::kUnknown;
    bool flapping = false;
  };
  std::vector<HealthRow> Healths() const;
  // An unwatched platform yields a view with health unknown and nothing else.
  PlatformView Platform(const std::string& platform) const;
  LinkView Link() const;
  std::vector<VantageView> Vantages() const;  // configured agents, in setup order
  const WatchSetup& setup() const { return setup_; }

 private:
  struct Held {
    Reading reading;
    bool link_suspect = false;  // our link was down or failing when it was taken
  };
  struct PlatformState {
    explicit PlatformState(const WatchPolicy& policy, TimePoint start);
    HealthMachine machine;
    TimePoint since;
    std::map<std::string, Held> readings;  // latest per vantage
    std::set<std::string> round;           // vantages heard in the open round
    std::optional<Fused> pending;          // the open round's latest fusion
    std::set<std::string> fresh;           // fresh vantages at the last evaluation
    std::optional<FeedLevel> feed;
    CrowdCounter crowd;
    OutboxTracker outbox;
    std::optional<ChatterReading> chatter;  // the latest minute listening reported
    bool crowd_surge = false, outbox_failing = false, chatter_surge = false;  // as of the last evaluation
    Fused announced;
    bool flapping = false;
    std::deque<std::pair<TimePoint, Health>> changes;  // ladder changes within flap_window
    // The last state on the ladder (none yet: the platform is still being learned). A change is
    // counted from it, so up, a blind spell (unknown, or our link down), then down is one
    // change, as up then down would be.
    std::optional<Health> on_ladder;
    TimePoint last_change;
    bool in_maintenance = false;
    std::optional<MaintenanceWindow> window;  // the window in force
  };
  struct VantageState {
    std::optional<TimePoint> last_seen;
    TimePoint counted_from;
    bool silent = false;
  };

  PlatformState* Find(const std::string& platform);
  const PlatformState* Find(const std::string& platform) const;
  std::string NameOf(const std::string& platform) const;
  void Advance(TimePoint at) { now_ = std::max(now_, at); }
  bool LinkDown() const { return link_.state().health == Health::kDown; }
  bool LinkFailing() const { return LinkDown() || (!link_recent_.empty() && !link_recent_.back().ok); }
  void ApplyPolicy(PlatformState& ps) const;

  // watch_platform.cpp: judging one platform.
  void Heard(const std::string& name, VantageState& vs, TimePoint at, std::vector<Event>& out);
  std::set<std::string> FreshVantages(const PlatformState& ps, TimePoint at) const;
  // The vantages a round waits for: the fresh ones, plus agents that are not silent and either
  // read this platform lately (2 × freshness) or have not been heard from at all yet.
  std::set<std::string> Expected(const PlatformState& ps, TimePoint at, std::set<std::string> fresh) const;
  Signals SignalsAt(const PlatformState& ps, TimePoint at) const;
  Fused FuseAt(const PlatformState& ps, TimePoint at) const;
  void Evaluate(const std::string& id, PlatformState& ps, TimePoint at, const std::string* vantage,
                std::vector<Event>& out);
  void Commit(const std::string& id, PlatformState& ps, const Fused& evaluation, TimePoint at, std::vector<Event>& out);
  void Transition(const std::string& id, PlatformState& ps, const Fused& from, TimePoint at, std::vector<Event>& out);
  void Announce(const std::string& id, PlatformState& ps, TimePoint at, std::string_view after, std::vector<Event>& out);
  void SyncMaintenance(const std::string& id, PlatformState& ps, TimePoint at, std::vector<Event>& out);
  void TickPlatform(const std::string& id, PlatformState& ps, TimePoint now, std::vector<Event>& out);

  WatchSetup setup_;
  TimePoint start_, now_;
  std::map<std::string, PlatformState> platforms_;
  std::map<std::string, VantageState> vantages_;
  HealthMachine link_;
  TimePoint link_since_;
  std::deque<LinkReading> link_recent_;  // the last few link readings, newest last
};

}  // namespace faro::watch
