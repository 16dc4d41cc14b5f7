#include "service/watch_service.hpp"

#include <ostream>

#include "catalog/catalog.hpp"
#include "check/targets.hpp"
#include "core/resolver_address.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "outbox/broadcast.hpp"
#include "store/sqlite.hpp"

namespace faro::service {

using std::chrono::milliseconds;

WatchService::WatchService(setup::App& app, ServiceOptions options) : app_(app), options_(std::move(options)) {}

WatchService::~WatchService() { Stop(); }

absl::StatusOr<std::unique_ptr<WatchService>> WatchService::Open(setup::App& app, ServiceOptions options) {
  if (!app.config().watch.enabled) return absl::FailedPreconditionError("the configuration has no watch: section");
  std::unique_ptr<WatchService> s(new WatchService(app, std::move(options)));
  const setup::FaroConfig& c = app.config();
  FARO_ASSIGN_OR_RETURN(s->db_, store::Open(c.database, c.durability));
  history::Retention retention{c.retention.raw, c.retention.minute, c.retention.hour};
  FARO_ASSIGN_OR_RETURN(s->history_, history::History::Open(*s->db_, retention));
  FARO_ASSIGN_OR_RETURN(s->events_, history::EventStore::Open(*s->db_));
  FARO_ASSIGN_OR_RETURN(s->alerts_, history::AlertStore::Open(*s->db_));
  FARO_ASSIGN_OR_RETURN(s->crowd_, history::CrowdStore::Open(*s->db_));
  // Its own connection: the history stores share theirs under their own lock.
  FARO_ASSIGN_OR_RETURN(s->failover_db_, store::Open(c.database, c.durability));
  FARO_ASSIGN_OR_RETURN(s->failovers_, FailoverLog::Open(*s->failover_db_));
  s->failover_ = std::make_unique<ChannelFailover>(app, *s->failovers_);
  FARO_RETURN_IF_ERROR(s->Configure(c, true));
  return s;
}

// Everything the watch needs from the configuration: targets from the catalog, the patrol's
// options, the watch's setup, the rules. Applied whole or not at all.
absl::Status WatchService::Configure(const setup::FaroConfig& config, bool first) {
  const setup::WatchConfig& w = config.watch;
  auto catalog = w.catalog_file.empty() ? EmbeddedCatalog() : LoadCatalogFile(w.catalog_file);
  if (!catalog.ok()) return absl::InvalidArgumentError(StrCat("watch.catalog: ", Message(catalog.status())));
  auto targets = ResolveTargets(*catalog, w.targets);
  if (!targets.ok()) return absl::InvalidArgumentError(StrCat("watch.platforms: ", Message(targets.status())));

  patrol::PatrolOptions p;
  if (!w.resolver.empty()) {
    auto r = ParseResolverAddress(w.resolver);
    if (!r.ok()) return absl::InvalidArgumentError(StrCat("watch.resolver: ", Message(r.status())));
    p.engine.resolver = *r;
  }
  p.engine.ca_file = w.ca_file;
  p.engine.tls_resume = w.tls_resume;
  p.engine.tls_full_every = w.tls_full_every;
  p.references = catalog->references;
  p.link_interval = w.interval;
  p.attempts = w.attempts;
  p.timeout = w.timeout;
  p.slow_ms = w.slow_ms;
  p.jitter = w.jitter;
  p.recheck = w.recheck;
  p.feed_every = w.feed_every;
  p.vantage = "here";
  p.read_link = options_.read_link;
  std::map<std::string, std::string> names;
  watch::WatchSetup setup;
  for (const CheckTarget& t : *targets) {
    auto every = w.intervals.find(t.target);
    std::optional<StatusFeedSpec> feed = w.feed_every.count() > 0 ? t.feed : std::nullopt;
    p.targets.push_back({t.target, t.endpoints, every != w.intervals.end() ? every->second : w.interval, feed});
    setup.platforms.push_back(t.target);
    names[t.target] = t.name;
  }
  FARO_RETURN_IF_ERROR(patrol::ValidatePatrolOptions(p));
  setup.home = "here";
  for (const setup::VantageConfig& v : w.vantages) setup.vantages.push_back(v.name);
  watch::WatchPolicy& policy = setup.policy;
  policy.interval = w.interval;
  policy.confirm_k = w.confirm_k;
  policy.confirm_n = w.confirm_n;
  policy.recover_after = w.recover_after;
  policy.flap_changes = w.flap_changes;
  policy.flap_window = w.flap_window;
  policy.flap_calm = w.flap_calm;
  policy.vantage_silent_after = w.vantage_silent_after;
  policy.crowd_dedup = w.crowd_dedup;
  policy.crowd_window = w.crowd_window;
  policy.crowd_factor = w.crowd_factor;
  policy.crowd_min_reports = w.crowd_min_reports;
  policy.outbox_min_sends = w.outbox_min_sends;
  policy.outbox_fault_share = w.outbox_fault_share;
  policy.outbox_window = w.outbox_window;
  for (const setup::MaintenanceConfig& m : w.maintenance) setup.maintenance.push_back({m.platform, m.start, m.end, m.note});
  setup.names = names;
  FARO_RETURN_IF_ERROR(watch::ValidateSetup(setup));

  std::map<std::string, std::string> tokens;
  for (const setup::VantageConfig& v : w.vantages) tokens[v.token] = v.name;

  std::lock_guard lock(mutex_);
  if (first) {
    watch_ = std::make_unique<watch::Watch>(setup, app_.clock().Now());
  } else {
    watch_->Reconfigure(setup);
    if (patrol_) FARO_RETURN_IF_ERROR(patrol_->Reconfigure(p));
  }
  patrol_options_ = std::move(p);
  names_ = std::move(names);
  vantage_tokens_ = std::move(tokens);
  rules_ = config.alerts;
  failover_rules_ = config.FailoverRules();
  team_ = app_.team();
  return absl::OkStatus();
}

void WatchService::Start() {
  if (options_.patrol) {
    patrol::Sink sink;
    auto push = [this](Work w) {
      {
        std::lock_guard lock(queue_mutex_);
        queue_.push_back(std::move(w));
      }
      queue_cv_.notify_one();
    };
    sink.on_round = [push](patrol::Round r) { push(Work{std::move(r)}); };
    sink.on_link = [push](patrol::LinkRound r) { push(Work{std::move(r)}); };
    patrol::PatrolOptions options;
    {
      std::lock_guard lock(mutex_);
      options = patrol_options_;
    }
    auto started = patrol::Patrol::Start(std::move(options), std::move(sink), &app_.clock());
    if (started.ok()) {
      patrol_ = std::move(*started);
    } else {
      Log(StrCat("watch: the patrol did not start: ", Message(started.status())));
    }
  }
  worker_ = std::thread([this] { WorkerLoop(); });
}

void WatchService::Stop() {
  if (stopping_.exchange(true)) return;
  if (patrol_) patrol_->Stop();
  queue_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

absl::StatusOr<std::string> WatchService::Reload(setup::FaroConfig fresh) {
  FARO_RETURN_IF_ERROR(app_.ReloadTeam(fresh.team));
  FARO_RETURN_IF_ERROR(Configure(fresh, false));
  std::vector<std::string> restart;
  const setup::FaroConfig& now = app_.config();
  if (fresh.database != now.database) restart.push_back("storage");
  if (fresh.server.listen != now.server.listen || fresh.server.api_tokens_file != now.server.api_tokens_file)
    restart.push_back("server");
  std::vector<std::string> old_ids, new_ids;
  for (const auto& c : now.channels) old_ids.push_back(c.info.id);
  for (const auto& c : fresh.channels) new_ids.push_back(c.info.id);
  if (old_ids != new_ids) restart.push_back("channels");
  if (restart.empty()) return std::string("watch, team, alerts and failover rules reloaded");
  return StrCat("watch, team, alerts and failover rules reloaded; changes to ", Join(restart, ", "),
                " take effect after a restart");
}

void WatchService::Log(const std::string& line) {
  if (options_.log == nullptr) return;
  static std::mutex log_mutex;
  std::lock_guard lock(log_mutex);
  *options_.log << Rfc3339(app_.clock().Now()) << " " << line << std::endl;
}

void WatchService::WorkerLoop() {
  while (!stopping_) {
    std::deque<Work> batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait_for(lock, milliseconds(250), [&] { return stopping_ || !queue_.empty(); });
      // Readings are taken in batches (one history transaction each): with the first one in,
      // wait up to 100 ms for more, which costs detection nothing worth counting.
      if (!queue_.empty())
        queue_cv_.wait_for(lock, milliseconds(100), [&] { return stopping_.load() || queue_.size() >= 2000; });
      batch.swap(queue_);
    }
    if (!batch.empty()) Process(batch);
    const TimePoint now = app_.clock().Now();
    // Readings wake the worker hundreds of times a second with a large fleet; time-driven work
    // (silence, staleness, windows, escalation) walks every platform, so it runs once a second.
    if (now - last_tick_ < std::chrono::seconds(1) && now >= last_tick_) continue;
    last_tick_ = now;
    std::vector<Event> events;
    {
      std::lock_guard lock(mutex_);
      events = watch_->Tick(now);
    }
    Handle(std::move(events));
    Escalate(now);
    if (now - last_compact_ >= std::chrono::minutes(1)) {
      last_compact_ = now;
      if (auto done = history_->Compact(now); !done.ok()) Log(StrCat("history: ", Message(done.status())));
      if (auto st = crowd_->Prune(now - std::chrono::hours(24 * 7 * 5)); !st.ok()) Log(StrCat("crowd: ", Message(st)));
    }
    if (now - last_baseline_ >= std::chrono::hours(1)) {
      last_baseline_ = now;
      std::vector<std::string> platforms;
      milliseconds window;
      {
        std::lock_guard lock(mutex_);
        for (const auto& [id, name] : names_) platforms.push_back(id);
        window = app_.config().watch.crowd_window;
      }
      for (const std::string& p : platforms) {
        auto baseline = crowd_->Baseline(p, now, 4, std::chrono::duration_cast<std::chrono::minutes>(window));
        if (!baseline.ok()) continue;
        std::lock_guard lock(mutex_);
        watch_->SetCrowdBaseline(p, std::move(*baseline));
      }
    }
  }
}

void WatchService::Process(std::deque<Work>& batch) {
  std::vector<history::Result> results;
  std::vector<Event> events;
  {
    std::lock_guard lock(mutex_);
    for (Work& w : batch) {
      if (auto* round = std::get_if<patrol::Round>(&w.item)) {
        ++stats_.readings;
        if (round->reading.vantage != "here") ++stats_.agent_readings;
        for (Event& e : watch_->OnReading(round->reading)) events.push_back(std::move(e));
        if (round->feed)
          for (Event& e : watch_->OnFeed(round->reading.platform, round->reading.at, *round->feed))
            events.push_back(std::move(e));
        for (auto& r : round->results) results.push_back(std::move(r));
      } else if (auto* sent = std::get_if<watch::SendOutcome>(&w.item)) {
        if (names_.contains(sent->platform))
          for (Event& e : watch_->OnSendOutcome(*sent)) events.push_back(std::move(e));
      } else if (auto* chatter = std::get_if<watch::ChatterReading>(&w.item)) {
        for (Event& e : watch_->OnChatter(*chatter)) events.push_back(std::move(e));
      } else if (auto* heard = std::get_if<VantageHeard>(&w.item)) {
        for (Event& e : watch_->OnVantageHeard(heard->vantage, heard->at)) events.push_back(std::move(e));
      } else {
        auto& link = std::get<patrol::LinkRound>(w.item);
        ++stats_.link_readings;
        for (Event& e : watch_->OnLink(link.reading)) events.push_back(std::move(e));
        for (auto& r : link.results) results.push_back(std::move(r));
      }
    }
  }
  if (!results.empty()) {
    if (absl::Status st = history_->Record(results); !st.ok()) {
      Log(StrCat("history: ", results.size(), " results not stored: ", Message(st)));
      std::lock_guard lock(mutex_);
      ++stats_.store_errors;
    } else {
      std::lock_guard lock(mutex_);
      stats_.results_stored += results.size();
    }
  }
  Handle(std::move(events));
}

void WatchService::Handle(std::vector<Event> events) {
  if (events.empty()) return;
  // Stored before anything acts on them: the record is complete even if acting fails.
  if (absl::Status st = events_->AppendAll(events); !st.ok()) {
    Log(StrCat("events: not stored (acting anyway): ", Message(st)));
    std::lock_guard lock(mutex_);
    ++stats_.store_errors;
  }
  for (const Event& e : events) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.events;
    }
    Log(StrCat("event ", e.id, " ", e.kind, " ", e.subject, e.state.empty() ? "" : " ", e.state,
               e.scope.empty() ? "" : "/", e.scope, e.cause.empty() ? "" : " cause=", e.cause,
               e.suppressed() ? " suppressed_by=" : "", e.suppressed_by));
    Act(e);
    // Then the contingency plans, in the same order (stored first, like everything else).
    if (on_event_) on_event_(e);
  }
}

std::optional<respond::AlertView> WatchService::ViewOf(const history::Alert& a) const {
  respond::AlertView v;
  v.id = a.id;
  v.subject = a.subject;
  v.kind = a.kind;
  v.level = a.level;
  v.created_at = a.created_at;
  v.acknowledged = a.state == "acknowledged";
  for (const auto& n : a.notified)
    if (n.contains("contact_id")) v.told.insert(n["contact_id"].get<int64_t>());
  if (auto e = events_->Get(a.event_id); e.ok() && e->has_value()) {
    v.words_en = respond::AlertWords(**e, Lang::kEn);
    v.words_es = respond::AlertWords(**e, Lang::kEs);
  } else {
    v.words_en = v.words_es = StrCat(a.subject, ": ", a.kind);
  }
  return v;
}

void WatchService::Act(const Event& event) {
  respond::AlertRules rules;
  std::vector<respond::TeamMember> team;
  std::vector<respond::FailoverRule> failover_rules;
  {
    std::lock_guard lock(mutex_);
    rules = rules_;
    team = team_;
    failover_rules = failover_rules_;
  }
  const std::string& business = app_.config().business.name;
  // Team alerts.
  auto open = alerts_->OpenFor(event.subject);
  if (!open.ok()) {
    Log(StrCat("alerts: ", Message(open.status())));
  } else {
    std::optional<respond::AlertView> view;
    if (open->has_value()) view = ViewOf(**open);
    // A platform that starts flapping right after an alert about it (now resolved) is the same
    // trouble: the flapping updates that alert instead of paging again.
    if (!view && event.kind == "flapping") {
      if (auto recent = alerts_->List("", 200); recent.ok())
        for (const history::Alert& a : *recent)
          if (a.subject == event.subject && event.at - a.created_at <= app_.config().watch.flap_window) {
            view = ViewOf(a);
            break;
          }
    }
    respond::AlertDecision d = respond::DecideAlert(event, view, rules, team, business);
    if (d.open) {
      history::Alert a;
      a.event_id = event.id;
      a.subject = event.subject;
      a.kind = event.kind;
      a.state = "open";
      a.created_at = event.at;
      if (auto id = alerts_->Create(a); id.ok()) {
        {
          std::lock_guard lock(mutex_);
          ++stats_.alerts;
        }
        Log(StrCat("alert ", *id, " opened for ", event.subject, " (", event.kind, "), telling ", d.notices.size()));
        Notify(*id, d.notices);
      } else {
        Log(StrCat("alerts: ", Message(id.status())));
      }
    }
    if (d.resolve) {
      if (absl::Status st = alerts_->Resolve(*d.resolve, event.at); !st.ok()) Log(StrCat("alerts: ", Message(st)));
      Log(StrCat("alert ", *d.resolve, " resolved by event ", event.id));
      Notify(*d.resolve, d.notices);
    }
  }
  // Automatic failover.
  auto active = failover_->Active();
  if (!active.ok()) {
    Log(StrCat("failover: ", Message(active.status())));
    return;
  }
  for (const respond::FailoverAction& a : respond::DecideFailover(event, failover_rules, *active)) {
    if (a.kind == respond::FailoverAction::Kind::kFail) {
      auto done = failover_->Fail({.channel = a.channel, .platform = a.platform,
                                   .broadcast_template = a.broadcast_template, .reason = a.reason,
                                   .event_id = event.id, .at = event.at});
      if (!done.ok()) {
        Log(StrCat("failover: ", a.channel, " not marked down: ", Message(done.status())));
        continue;
      }
      if (done->already) continue;  // a contingency plan's failover step was first
      {
        std::lock_guard lock(mutex_);
        ++stats_.failovers;
      }
      Log(StrCat("failover: ", a.channel, " marked down (", done->moved, " queued messages moved): ", a.reason));
      if (done->broadcast_id != 0)
        Log(StrCat("failover: broadcast ", done->broadcast_id, " started to ", done->told, " contacts of ", a.channel));
      else if (!done->broadcast_error.empty())
        Log(StrCat("failover: broadcast for ", a.channel, " not started: ", done->broadcast_error));
    } else {
      auto back = failover_->Restore(a.channel, event.id, event.at);
      if (!back.ok()) Log(StrCat("failover: ", a.channel, " not marked up: ", Message(back.status())));
      Log(StrCat("failover: ", a.channel, " restored: ", a.reason));
    }
  }
}

void WatchService::Notify(int64_t alert_id, const std::vector<respond::Notice>& notices) {
  for (const respond::Notice& n : notices) {
    outbox::NewMessage m;
    // One message per alert, level, person and kind of notice, however often this runs.
    m.idempotency_key =
        StrCat("alert-", alert_id, "-", n.level, "-", n.person.contact_id, "-", n.recovery ? "resolved" : "open");
    m.contact_id = n.person.contact_id;
    m.subject = n.subject;
    m.text = n.text;
    auto accepted = app_.outbox().Enqueue({m});
    nlohmann::json entry = {{"person", n.person.name}, {"role", n.person.role}, {"contact_id", n.person.contact_id},
                            {"level", n.level},        {"at", Rfc3339(app_.clock().Now())}};
    if (accepted.ok() && !accepted->empty()) {
      entry["channel"] = (*accepted)[0].channel;
      entry["message_id"] = (*accepted)[0].id;
      if (!(*accepted)[0].reason.empty()) entry["note"] = (*accepted)[0].reason;
    } else {
      entry["error"] = accepted.ok() ? "not accepted" : Message(accepted.status());
    }
    if (absl::Status st = alerts_->AddNotified(alert_id, entry); !st.ok()) Log(StrCat("alerts: ", Message(st)));
    std::lock_guard lock(mutex_);
    ++stats_.notices;
  }
}

void WatchService::Escalate(TimePoint now) {
  auto open = alerts_->List("open", 1000);
  if (!open.ok() || open->empty()) return;
  std::vector<respond::AlertView> views;
  for (const history::Alert& a : *open)
    if (auto v = ViewOf(a)) views.push_back(*v);
  respond::AlertRules rules;
  std::vector<respond::TeamMember> team;
  {
    std::lock_guard lock(mutex_);
    rules = rules_;
    team = team_;
  }
  for (const respond::Escalation& e : respond::DueEscalations(views, now, rules, team, app_.config().business.name)) {
    if (absl::Status st = alerts_->SetLevel(e.alert_id, e.level, now); !st.ok()) {
      Log(StrCat("alerts: ", Message(st)));
      continue;
    }
    Log(StrCat("alert ", e.alert_id, " escalated to level ", e.level, ", telling ", e.notices.size()));
    Notify(e.alert_id, e.notices);
  }
}

}  // namespace faro::service
