#include "drill/drill.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "ads/dry_run.hpp"
#include "ads/guard.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/engine.hpp"
#include "plan/incident_json.hpp"
#include "record/restoration.hpp"

namespace faro::drill {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// The dry-run world a plan acts on: which platforms fail, which channels Faro marked down, the
// ad accounts, and what the people of the team are doing.
class World {
 public:
  World(const plan::Plan& plan, const Scenario& scenario, const DrillOptions& options)
      : plan_(plan), scenario_(scenario), options_(options), conversations_(scenario.conversations) {
    for (const Campaign& c : scenario.campaigns) {
      auto& account = accounts_[c.account];
      if (!account) account = std::make_unique<ads::DryRunPlatform>(c.account, c.account, "USD");
      account->AddCampaign(c.id, c.name, c.active ? ads::CampaignStatus::kActive : ads::CampaignStatus::kPaused);
      campaigns_[c.id] = &c;
    }
  }

  void OnEvent(const Event& e) {
    if (e.kind.rfind("platform-", 0) != 0) return;
    if (e.state == "down" || e.state == "partial") failing_.insert(e.subject);
    if (e.state == "up") {
      failing_.erase(e.subject);
      back_at_[e.subject] = e.at;
    }
  }

  // Performs one action; the outcome goes back to the engine. Approval requests are answered
  // later, through `decisions`.
  plan::Outcome Perform(const plan::Action& a, std::vector<plan::Decision>& decisions, DrillStats& stats) {
    plan::Outcome o;
    o.action = a.id;
    o.at = a.at;
    const std::string& k = a.kind;
    if (k == "notify" || k == "escalate" || k == "status-update" || k == "remind" || k == "ask-approval") {
      stats.messages += static_cast<int64_t>(a.to.size());
      const bool one = a.to.size() == 1;
      o.detail = {StrCat("Mensaje a ", a.to.size(), one ? " persona" : " personas", " del equipo (simulado)."),
                  StrCat("Message to ", a.to.size(), one ? " person" : " people", " of the team (simulated).")};
      o.details = {{"messages", a.to.size()}};
      if ((k == "ask-approval" || k == "escalate") && options_.answers != Answers::kNone && !a.to.empty()) {
        plan::Decision d;
        d.action = k == "ask-approval" ? a.id : a.params.value("approval", int64_t{0});
        d.person = a.to.front().person;
        d.approve = options_.answers == Answers::kApprove;
        d.at = a.at + options_.answer_after;
        d.reason = d.approve ? "" : "drill: denied to rehearse the other path";
        if (k == "ask-approval") decisions.push_back(std::move(d));
      }
    } else if (k == "failover" || k == "undo-failover") {
      const std::string channel = a.params.value("channel", "");
      const std::string platform = PlatformOf(channel);
      if (k == "failover") {
        down_.insert(platform);
        int64_t rerouted = 0, stranded = 0;
        for (const Customer& c : scenario_.customers) {
          if (c.channels.front() != platform) continue;
          (NextWorking(c).empty() ? stranded : rerouted) += 1;
        }
        o.details = {{"messages_rerouted", rerouted}, {"unreachable", stranded}};
        o.detail = {StrCat(channel, " marcado caído: ", rerouted, " clientes pasan a su siguiente canal; ", stranded,
                           " no tienen otro."),
                    StrCat(channel, " marked down: ", rerouted, " customers move to their next channel; ", stranded,
                           " have no other.")};
      } else {
        down_.erase(platform);
        o.detail = {StrCat(channel, " vuelve a usarse."), StrCat(channel, " is used again.")};
      }
    } else if (k == "broadcast" || k == "holding-statement") {
      std::set<std::string> on;
      for (const auto& ch : a.params.value("channels", nlohmann::json::array())) on.insert(PlatformOf(ch.get<std::string>()));
      int64_t told = 0;
      for (const Customer& c : scenario_.customers) {
        for (const std::string& ch : c.channels) {
          if (on.count(ch) && Works(ch)) {
            ++told;
            break;
          }
        }
      }
      stats.messages += told;
      o.details = {{"contacts_told", told}};
      o.detail = {StrCat("Aviso a ", told, " clientes (simulado)."), StrCat("Notice to ", told, " customers (simulated).")};
    } else if (k == "pause-ads" || k == "resume-ads") {
      PauseOrResume(a, o);
    } else if (k == "move-campaign") {
      Move(a, o);
    } else if (k == "assign-replies") {
      Assign(a, o);
    } else if (k == "restoration-check") {
      o.details = {{"checked", true}};
    }
    return o;
  }

  // Every campaign's status now, by id (copies made by moves included).
  std::map<std::string, std::string> CampaignStatuses() const {
    std::map<std::string, std::string> out;
    for (const auto& [id, account] : accounts_)
      for (const ads::Campaign& c : account->campaigns()) out[c.id] = std::string(ads::StatusName(c.status));
    return out;
  }

  // The restoration check over the world as it is at `now`.
  std::vector<plan::ChecklistItem> Check(const plan::Action& a, const plan::Incident& incident) {
    record::RestorationFacts facts;
    facts.now = a.at;
    const TimePoint from = incident.opened_at;
    const TimePoint to = incident.stable_at.value_or(a.at);
    for (const ScheduledPost& p : scenario_.posts) {
      if (p.at < from || p.at > to) continue;
      record::ScheduledPost post;
      post.id = p.id;
      post.title = p.title;
      post.channel = p.platform;
      post.due = p.at;
      // Posts scheduled on a platform that was failing did not go out: unless the team moved
      // them (a reminder to reschedule ran), they are missed.
      const bool failed_then = WasFailing(p.platform, p.at);
      post.state = !failed_then ? record::PostState::kPublished
                   : rescheduled_ ? record::PostState::kRescheduled
                                  : record::PostState::kMissed;
      facts.posts.push_back(post);
    }
    for (const Conversation& c : conversations_) {
      if (c.answered || c.last_inbound > a.at) continue;
      facts.waiting.push_back({StrCat("conv-", c.customer), StrCat("customer-", c.customer), c.channel, c.last_inbound});
    }
    for (const ads::GuardEntry& e : guard_.campaigns) {
      if (!touched_[a.incident].count(e.campaign_id)) continue;
      record::CampaignFact f;
      f.account = e.account;
      f.id = e.campaign_id;
      f.name = e.campaign_name;
      f.status_before = std::string(ads::StatusName(e.prior));
      if (auto it = accounts_.find(e.account); it != accounts_.end()) {
        for (const ads::Campaign& c : it->second->campaigns())
          if (c.id == e.campaign_id) f.status_now = std::string(ads::StatusName(c.status)), f.raw_status_now = c.raw_status;
      }
      facts.campaigns.push_back(std::move(f));
      // Figures: the scenario's hourly rates as the baseline (a day before) and since resuming.
      const Campaign* c = campaigns_.count(e.campaign_id) ? campaigns_.at(e.campaign_id) : nullptr;
      if (c != nullptr && e.prior == ads::CampaignStatus::kActive) {
        record::AdComparison cmp;
        cmp.account = e.account;
        cmp.campaign = e.campaign_id;
        cmp.name = e.campaign_name;
        cmp.currency = "USD";
        cmp.baseline = Figures(*c, hours(24));
        if (e.resumed_at && a.at - *e.resumed_at >= hours(1))
          cmp.now = Figures(*c, std::chrono::duration_cast<milliseconds>(a.at - *e.resumed_at));
        facts.ads.push_back(std::move(cmp));
      }
    }
    facts.watch_until = to + milliseconds(static_cast<int64_t>(a.params.value("watch_for_s", 0.0) * 1000));
    record::RestorationOptions options;
    options.ad_tolerance_bp = static_cast<int64_t>(a.params.value("ad_tolerance", 0.25) * 10000 + 0.5);
    std::vector<plan::ChecklistItem> items;
    for (const record::CheckItem& item : record::CheckRestoration(facts, options)) {
      plan::ChecklistItem c;
      c.item = item.item;
      c.state = std::string(record::ItemStateName(item.state));
      c.text = {item.text.es, item.text.en};
      c.details = item.details;
      items.push_back(std::move(c));
    }
    return items;
  }

  // The team answers conversations on working channels in the normal course of business
  // (half an hour after the customer wrote, or after their channel came back); the ones
  // assigned to people during an incident are worked through, `replies_per_hour` each.
  void AnswerUntil(TimePoint now) {
    for (Conversation& c : conversations_) {
      if (c.answered || !Works(c.channel)) continue;
      TimePoint from = c.last_inbound;
      if (auto it = back_at_.find(c.channel); it != back_at_.end()) from = std::max(from, it->second);
      if (now - from >= kUsualReply) c.answered = true;
    }
    for (auto& [person, queue] : assigned_) {
      auto& [since, list] = queue;
      const int64_t can = std::chrono::duration_cast<minutes>(now - since).count() * options_.replies_per_hour / 60;
      for (int64_t i = 0; i < can && !list.empty(); ++i) {
        Conversation& c = conversations_[list.back()];
        // An answer needs a working channel for that customer: their own, or another one.
        if (Works(c.channel) || !NextWorking(*Find(c.customer)).empty()) c.answered = true;
        list.pop_back();
      }
      if (can > 0) since = now;
    }
  }

 private:
  std::string PlatformOf(const std::string& channel) const {
    if (const plan::CustomerChannel* c = plan_.FindChannel(channel)) return c->platform;
    return channel;
  }
  bool Works(const std::string& platform) const { return !failing_.count(platform) && !down_.count(platform); }
  std::string NextWorking(const Customer& c) const {
    for (const std::string& ch : c.channels)
      if (Works(ch)) return ch;
    return "";
  }
  const Customer* Find(int64_t id) const {
    const auto& all = scenario_.customers;
    if (id >= 1 && static_cast<std::size_t>(id) <= all.size() && all[id - 1].id == id) return &all[id - 1];
    for (const Customer& c : all)
      if (c.id == id) return &c;
    return nullptr;
  }
  bool WasFailing(const std::string& platform, TimePoint at) const {
    std::string health = "up";
    for (const HealthChange& h : scenario_.health)
      if (h.platform == platform && h.at <= at) health = h.health;
    return health != "up";
  }
  static record::AdFigures Figures(const Campaign& c, milliseconds window) {
    record::AdFigures f;
    f.window_ms = window.count();
    const double h = static_cast<double>(window.count()) / 3'600'000.0;
    f.spend_micros = static_cast<int64_t>(static_cast<double>(c.spend_per_hour_micros) * h);
    f.impressions = static_cast<int64_t>(static_cast<double>(c.impressions_per_hour) * h);
    f.clicks = static_cast<int64_t>(static_cast<double>(c.clicks_per_hour) * h);
    f.cpm_micros = f.impressions ? f.spend_micros * 1000 / f.impressions : 0;
    f.ctr_micros = f.impressions ? f.clicks * 100'000'000 / f.impressions : 0;
    return f;
  }

  void PauseOrResume(const plan::Action& a, plan::Outcome& o) {
    ads::GuardRecord& guard = guard_;
    const std::string holder = StrCat("incident:", a.incident);
    const std::string account = a.params.value("account", "");
    auto it = accounts_.find(account);
    if (it == accounts_.end()) {
      o.ok = false;
      o.detail = {StrCat("La cuenta de anuncios «", account, "» no tiene campañas en este simulacro."),
                  StrCat("Ad account “", account, "” has no campaigns in this drill.")};
      return;
    }
    if (a.kind == "pause-ads") {
      std::set<std::string> platforms;
      for (const auto& p : a.params.value("platforms", nlohmann::json::array())) platforms.insert(p.get<std::string>());
      ads::GuardTarget target{it->second.get(), {}};
      for (const Campaign& c : scenario_.campaigns)
        if (c.account == account && (platforms.empty() || platforms.count(c.platform))) target.campaigns.push_back(c.id);
      const ads::GuardOutcome r = ads::PauseAll(guard, {target}, a.at, holder);
      touched_[a.incident].insert(target.campaigns.begin(), target.campaigns.end());
      o.ok = r.errors.empty();
      o.details = {{"campaigns_paused", r.paused + r.held}, {"already_paused", r.already_paused}, {"guard", ads::GuardRecordToJson(guard)}};
      o.detail = {ads::Summary(r, Lang::kEs), ads::Summary(r, Lang::kEn)};
    } else {
      // Spend protected: what the campaigns Faro paused would have spent while paused.
      int64_t protected_micros = 0;
      const ads::GuardOutcome r = ads::ResumeWhatWePaused(guard, {it->second.get()}, a.at, holder);
      for (const ads::GuardEntry& e : guard.campaigns) {
        if (e.account != account || !e.paused_at || !e.resumed_at || e.state != ads::GuardState::kResumed) continue;
        if (!touched_[a.incident].count(e.campaign_id)) continue;
        if (!counted_.insert({a.incident, e.campaign_id}).second) continue;
        if (const Campaign* c = campaigns_.count(e.campaign_id) ? campaigns_.at(e.campaign_id) : nullptr) {
          const auto paused_ms = std::chrono::duration_cast<milliseconds>(*e.resumed_at - *e.paused_at).count();
          protected_micros += c->spend_per_hour_micros * paused_ms / 3'600'000;
        }
      }
      o.ok = r.errors.empty();
      o.details = {{"campaigns_resumed", r.resumed},
                   {"spend_protected", ads::FormatDecimal({protected_micros}, 2)},
                   {"currency", "USD"},
                   {"guard", ads::GuardRecordToJson(guard)}};
      o.detail = {ads::Summary(r, Lang::kEs), ads::Summary(r, Lang::kEn)};
    }
  }

  void Move(const plan::Action& a, plan::Outcome& o) {
    ads::GuardRecord& guard = guard_;
    auto from = accounts_.find(a.params.value("account", ""));
    const std::string to_id = a.params.value("to", "");
    auto& to = accounts_[to_id];
    if (!to) to = std::make_unique<ads::DryRunPlatform>(to_id, to_id, "USD");
    auto cap = ads::ParseMoney(a.params.value("budget_cap", ""), "budget_cap");
    if (from == accounts_.end() || !cap.ok()) {
      o.ok = false;
      o.detail = {"No se pudo mover la campaña en el simulacro.", "The campaign could not be moved in the drill."};
      return;
    }
    const ads::GuardOutcome r = ads::MoveCampaign(guard, *from->second, a.params.value("campaign", ""), *to, *cap, a.at);
    o.ok = r.complete();
    o.details = {{"copied", r.copied}, {"activated", r.activated}, {"guard", ads::GuardRecordToJson(guard)}};
    o.detail = {ads::Summary(r, Lang::kEs), ads::Summary(r, Lang::kEn)};
  }

  void Assign(const plan::Action& a, plan::Outcome& o) {
    const std::string platform = PlatformOf(a.params.value("from", ""));
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < conversations_.size(); ++i)
      if (!conversations_[i].answered && conversations_[i].channel == platform && conversations_[i].last_inbound <= a.at)
        open.push_back(i);
    nlohmann::json per = nlohmann::json::object();
    if (!a.to.empty()) {
      for (std::size_t i = 0; i < open.size(); ++i) {
        const std::string& person = a.to[i % a.to.size()].person;
        auto& queue = assigned_[person];
        if (queue.second.empty()) queue.first = a.at;
        queue.second.push_back(open[i]);
        per[person] = per.value(person, 0) + 1;
      }
    }
    rescheduled_ = true;  // the people replying personally also reschedule what did not go out
    o.ok = !a.to.empty();
    o.details = {{"assigned", open.size()}, {"per_person", per}};
    o.detail = {StrCat(open.size(), " conversaciones asignadas para responder en persona."),
                StrCat(open.size(), " conversations assigned to answer personally.")};
  }

  const plan::Plan& plan_;
  const Scenario& scenario_;
  const DrillOptions& options_;
  std::vector<Conversation> conversations_;
  static constexpr std::chrono::minutes kUsualReply{30};
  std::set<std::string> failing_, down_;
  std::map<std::string, TimePoint> back_at_;  // when each platform last came back
  std::map<std::string, std::unique_ptr<ads::DryRunPlatform>> accounts_;
  std::map<std::string, const Campaign*> campaigns_;
  ads::GuardRecord guard_;  // one for all incidents: each holds what it paused ("incident:N")
  std::map<int64_t, std::set<std::string>> touched_;  // campaigns each incident paused, held or found paused
  std::set<std::pair<int64_t, std::string>> counted_;  // (incident, campaign) whose savings are counted
  std::map<std::string, std::pair<TimePoint, std::vector<std::size_t>>> assigned_;
  bool rescheduled_ = false;
};

}  // namespace

absl::StatusOr<DrillResult> RunDrill(std::shared_ptr<const plan::Plan> plan, const Scenario& scenario,
                                     const DrillOptions& options) {
  if (!plan) return absl::InvalidArgumentError("no plan");
  plan::EngineOptions engine_options;
  engine_options.drill = true;
  plan::Engine engine(plan, engine_options);
  World world(*plan, scenario, options);
  DrillResult result;
  DrillStats& stats = result.stats;
  std::vector<plan::Decision> decisions;  // answers not given yet, in time order
  std::vector<plan::Action> queue;

  // Every action is performed at once and its outcome handed back; outcomes may make more.
  auto run = [&](std::vector<plan::Action> actions) -> absl::Status {
    queue = std::move(actions);
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const plan::Action a = queue[i];
      ++stats.actions;
      ++stats.actions_by_kind[a.kind];
      plan::Outcome o = world.Perform(a, decisions, stats);
      ++stats.inputs;
      auto more = engine.OnOutcome(o);
      if (!more.ok()) return more.status();
      queue.insert(queue.end(), more->begin(), more->end());
      if (a.kind == "restoration-check") {
        const plan::Incident* incident = engine.Find(a.incident);
        if (incident == nullptr) continue;
        auto after = engine.OnChecklist(a.incident, world.Check(a, *incident), a.at);
        ++stats.inputs;
        if (!after.ok()) return after.status();
        queue.insert(queue.end(), after->begin(), after->end());
      }
    }
    std::stable_sort(decisions.begin(), decisions.end(),
                     [](const plan::Decision& x, const plan::Decision& y) { return x.at < y.at; });
    return absl::OkStatus();
  };

  std::size_t next_event = 0, next_minute = 0;
  TimePoint now = scenario.start;
  while (true) {
    // The next thing to happen: an event, an answer, a timer of the engine, or a minute of
    // mentions (fed only while an incident is open, for its series).
    std::optional<TimePoint> next;
    auto consider = [&](std::optional<TimePoint> t) {
      if (t && (!next || *t < *next)) next = t;
    };
    if (next_event < scenario.events.size()) consider(scenario.events[next_event].at);
    if (!decisions.empty()) consider(decisions.front().at);
    consider(engine.NextTimer());
    bool open = false;
    for (const plan::Incident* i : engine.Incidents()) open |= !i->closed();
    if (open && next_minute < scenario.mentions.size()) consider(scenario.mentions[next_minute].minute + minutes(1));
    if (!next || *next > scenario.end) break;
    now = std::max(now, *next);
    world.AnswerUntil(now);

    while (next_minute < scenario.mentions.size() && scenario.mentions[next_minute].minute + minutes(1) <= now) {
      const MentionMinute& m = scenario.mentions[next_minute++];
      if (!open) continue;
      plan::MentionMinute pm;
      pm.minute = m.minute;
      pm.mentions = m.total();
      pm.negative = m.negative;
      pm.positive = m.positive;
      pm.neutral = m.neutral;
      pm.unknown = m.unknown;
      for (const plan::Incident* i : engine.Incidents())
        if (!i->closed()) engine.OnMentionMinute(i->subject, pm);
    }
    while (next_event < scenario.events.size() && scenario.events[next_event].at <= now) {
      const Event& e = scenario.events[next_event++];
      world.OnEvent(e);
      ++stats.inputs;
      FARO_RETURN_IF_ERROR(run(engine.OnEvent(e)));
    }
    while (!decisions.empty() && decisions.front().at <= now) {
      const plan::Decision d = decisions.front();
      decisions.erase(decisions.begin());
      ++stats.inputs;
      auto actions = engine.Decide(d);
      if (actions.ok()) {
        FARO_RETURN_IF_ERROR(run(std::move(*actions)));
      } else if (actions.status().code() != absl::StatusCode::kFailedPrecondition) {
        return actions.status();  // a late answer is on the timeline; anything else is a bug
      }
    }
    ++stats.inputs;
    FARO_RETURN_IF_ERROR(run(engine.Tick(now)));
    stats.simulated = std::chrono::duration_cast<milliseconds>(now - scenario.start);
  }

  for (const plan::Incident* incident : engine.Incidents()) {
    nlohmann::json record = plan::IncidentToJson(*incident);
    // The report's status chart: the scenario's platforms over the incident's time.
    if (!record.contains("series") || !record["series"].is_object()) record["series"] = nlohmann::json::object();
    nlohmann::json platform = nlohmann::json::array();
    const TimePoint until = incident->closed_at.value_or(now);
    for (const HealthChange& h : scenario.health)
      if (h.at <= until) platform.push_back({{"at", Rfc3339(std::max(h.at, incident->opened_at - minutes(15)))},
                                             {"platform", h.platform}, {"health", h.health}});
    record["series"]["platform"] = platform;
    result.incidents.push_back(std::move(record));
  }
  result.campaigns_after = world.CampaignStatuses();
  return result;
}

}  // namespace faro::drill
