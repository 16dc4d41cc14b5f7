// The watch's inputs, time passing, configuration and views. Judging one platform is in
// watch_platform.cpp.
#include "watch/watch.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::watch {
namespace {

HealthMachine::Policy MachinePolicy(const WatchPolicy& p) { return {p.confirm_k, p.confirm_n, p.recover_after}; }

Event LinkEvent(std::string_view kind, const Fused& from, const Fused& to, TimePoint at,
                const std::deque<LinkReading>& recent) {
  Event e;
  e.at = at;
  e.kind = kind;
  e.subject = "link";
  e.state = HealthName(to.health);
  e.previous = HealthName(from.health);
  e.covers_us = true;
  nlohmann::json readings = nlohmann::json::array();
  for (const LinkReading& r : recent) readings.push_back({{"at", Rfc3339(r.at)}, {"ok", r.ok}, {"detail", r.detail}});
  const bool down = to.health == Health::kDown;
  e.evidence = {{"readings", std::move(readings)},
                {"summary",
                 {{"en", down ? "Our own connection is down: platform checks from here are set aside until it is back."
                              : "Our own connection is back: platform checks from here count again."},
                  {"es", down ? "Nuestra conexión no funciona: las comprobaciones desde aquí no cuentan hasta que vuelva."
                              : "Nuestra conexión volvió: las comprobaciones desde aquí cuentan otra vez."}}}};
  return e;
}

}  // namespace

Watch::PlatformState::PlatformState(const WatchPolicy& policy, TimePoint start)
    : machine(MachinePolicy(policy)),
      since(start),
      crowd({policy.crowd_dedup, policy.crowd_window, policy.crowd_factor, policy.crowd_min_reports}),
      outbox({policy.outbox_min_sends, policy.outbox_fault_share, policy.outbox_window}) {
  announced.health = Health::kUp;
}

Watch::Watch(WatchSetup setup, TimePoint start)
    : setup_(Sanitized(std::move(setup))), start_(start), now_(start), link_(MachinePolicy(setup_.policy)),
      link_since_(start) {
  for (const std::string& id : setup_.platforms) platforms_.try_emplace(id, setup_.policy, start);
  for (const std::string& v : setup_.vantages) vantages_[v].counted_from = start;
}

void Watch::ApplyPolicy(PlatformState& ps) const {
  const WatchPolicy& p = setup_.policy;
  ps.machine.SetPolicy(MachinePolicy(p));
  ps.crowd.SetPolicy({p.crowd_dedup, p.crowd_window, p.crowd_factor, p.crowd_min_reports});
  ps.outbox.SetPolicy({p.outbox_min_sends, p.outbox_fault_share, p.outbox_window});
}

void Watch::Reconfigure(WatchSetup setup) {
  setup_ = Sanitized(std::move(setup));
  std::map<std::string, PlatformState> platforms;
  for (const std::string& id : setup_.platforms) {
    auto old = platforms_.find(id);
    if (old != platforms_.end()) {
      platforms.emplace(id, std::move(old->second));
    } else {
      platforms.try_emplace(id, setup_.policy, now_);
    }
  }
  platforms_ = std::move(platforms);
  std::map<std::string, VantageState> vantages;
  for (const std::string& v : setup_.vantages) {
    auto old = vantages_.find(v);
    if (old != vantages_.end()) {
      vantages.emplace(v, old->second);
    } else {
      vantages[v].counted_from = now_;
    }
  }
  vantages_ = std::move(vantages);
  for (auto& [id, ps] : platforms_) {
    ApplyPolicy(ps);
    // Readings of agents no longer configured stop counting.
    std::erase_if(ps.readings, [&](const auto& entry) {
      return entry.first != setup_.home && !vantages_.count(entry.first);
    });
    std::erase_if(ps.round, [&](const std::string& v) { return !ps.readings.count(v); });
  }
  link_.SetPolicy(MachinePolicy(setup_.policy));
}

Watch::PlatformState* Watch::Find(const std::string& platform) {
  auto it = platforms_.find(platform);
  return it == platforms_.end() ? nullptr : &it->second;
}

const Watch::PlatformState* Watch::Find(const std::string& platform) const {
  auto it = platforms_.find(platform);
  return it == platforms_.end() ? nullptr : &it->second;
}

std::string Watch::NameOf(const std::string& platform) const {
  auto it = setup_.names.find(platform);
  return it == setup_.names.end() || it->second.empty() ? platform : it->second;
}

std::vector<Event> Watch::OnLink(const LinkReading& reading) {
  Advance(reading.at);
  std::vector<Event> out;
  link_recent_.push_back(reading);
  while (link_recent_.size() > static_cast<size_t>(std::max(setup_.policy.confirm_n, setup_.policy.recover_after)))
    link_recent_.pop_front();
  Fused look;
  look.health = reading.ok ? Health::kUp : Health::kDown;
  look.covers_us = !reading.ok;
  look.evidence_text = nlohmann::json{{"at", Rfc3339(reading.at)}, {"ok", reading.ok}, {"detail", reading.detail}}.dump();
  const bool known = link_.ever_known();
  auto from = link_.Push(std::move(look));
  if (!from || from->health == link_.state().health) return out;
  link_since_ = reading.at;
  const Health to = link_.state().health;
  if (to == Health::kDown) {
    out.push_back(LinkEvent("link-down", *from, link_.state(), reading.at, link_recent_));
  } else if (to == Health::kUp && known) {
    out.push_back(LinkEvent("link-restored", *from, link_.state(), reading.at, link_recent_));
  } else {
    return out;  // start-up: learning that our link works is no news
  }
  // The parent changed: every platform is judged again (home readings count as local, or again
  // as platform readings).
  for (const std::string& id : setup_.platforms) {
    PlatformState& ps = platforms_.at(id);
    SyncMaintenance(id, ps, now_, out);
    Evaluate(id, ps, reading.at, nullptr, out);
  }
  return out;
}

std::vector<Event> Watch::OnReading(const Reading& reading) {
  std::vector<Event> out;
  PlatformState* ps = Find(reading.platform);
  if (!ps || Severity(reading.health) < 0) return out;
  const bool home = reading.vantage == setup_.home;
  auto vantage = vantages_.find(reading.vantage);
  if (!home && vantage == vantages_.end()) return out;
  auto held = ps->readings.find(reading.vantage);
  if (held != ps->readings.end() && reading.at < held->second.reading.at) return out;
  Advance(reading.at);
  SyncMaintenance(reading.platform, *ps, now_, out);
  if (!home) Heard(reading.vantage, vantage->second, reading.at, out);
  ps->readings[reading.vantage] = Held{reading, home && LinkFailing()};
  Evaluate(reading.platform, *ps, reading.at, &reading.vantage, out);
  return out;
}

void Watch::Heard(const std::string& name, VantageState& vs, TimePoint at, std::vector<Event>& out) {
  if (vs.silent) {
    vs.silent = false;
    Event e;
    e.at = at;
    e.kind = "vantage-back";
    e.subject = StrCat("vantage:", name);
    e.state = "reporting";
    e.previous = "silent";
    e.evidence = {{"last_seen", vs.last_seen ? nlohmann::json(Rfc3339(*vs.last_seen)) : nlohmann::json(nullptr)}};
    out.push_back(std::move(e));
  }
  vs.last_seen = std::max(vs.last_seen.value_or(at), at);
}

std::vector<Event> Watch::OnVantageHeard(const std::string& vantage, TimePoint at) {
  std::vector<Event> out;
  auto it = vantages_.find(vantage);
  if (it == vantages_.end()) return out;
  Advance(at);
  Heard(vantage, it->second, at, out);
  return out;
}

std::vector<Event> Watch::OnFeed(const std::string& platform, TimePoint at, FeedLevel level) {
  std::vector<Event> out;
  PlatformState* ps = Find(platform);
  if (!ps) return out;
  Advance(at);
  SyncMaintenance(platform, *ps, now_, out);
  if (ps->feed == level) return out;
  ps->feed = level;
  Evaluate(platform, *ps, at, nullptr, out);
  return out;
}

bool Watch::AcceptCrowdReport(const CrowdReport& report) {
  PlatformState* ps = Find(report.platform);
  if (!ps || report.reporter.empty()) return false;
  Advance(report.at);
  return ps->crowd.Accept(report.reporter, report.at);
}

std::vector<Event> Watch::OnChatter(const ChatterReading& chatter) {
  std::vector<Event> out;
  PlatformState* ps = Find(chatter.platform);
  if (!ps || (ps->chatter && chatter.at < ps->chatter->at)) return out;
  Advance(chatter.at);
  SyncMaintenance(chatter.platform, *ps, now_, out);
  ps->chatter = chatter;
  if (SignalsAt(*ps, now_).chatter_surge != ps->chatter_surge) Evaluate(chatter.platform, *ps, now_, nullptr, out);
  return out;
}

std::vector<Event> Watch::OnSendOutcome(const SendOutcome& outcome) {
  std::vector<Event> out;
  PlatformState* ps = Find(outcome.platform);
  if (!ps) return out;
  Advance(outcome.at);
  SyncMaintenance(outcome.platform, *ps, now_, out);
  ps->outbox.Add(outcome.at, outcome.provider_fault);
  if (ps->outbox.Failing(outcome.at) != ps->outbox_failing) Evaluate(outcome.platform, *ps, outcome.at, nullptr, out);
  return out;
}

std::vector<Event> Watch::Tick(TimePoint now) {
  Advance(now);
  const TimePoint t = now_;
  std::vector<Event> out;
  for (const std::string& name : setup_.vantages) {
    VantageState& vs = vantages_.at(name);
    const TimePoint heard = vs.last_seen.value_or(vs.counted_from);
    if (vs.silent || t - heard < setup_.policy.vantage_silent_after) continue;
    vs.silent = true;
    Event e;
    e.at = t;
    e.kind = "vantage-silent";
    e.subject = StrCat("vantage:", name);
    e.state = "silent";
    e.previous = "reporting";
    e.evidence = {{"last_seen", vs.last_seen ? nlohmann::json(Rfc3339(*vs.last_seen)) : nlohmann::json(nullptr)},
                  {"silent_for_s", std::chrono::duration_cast<std::chrono::seconds>(t - heard).count()}};
    out.push_back(std::move(e));
  }
  for (const std::string& id : setup_.platforms) TickPlatform(id, platforms_.at(id), t, out);
  return out;
}

void Watch::SetCrowdBaseline(const std::string& platform, std::vector<double> per_slot_of_week) {
  if (PlatformState* ps = Find(platform)) ps->crowd.SetBaseline(std::move(per_slot_of_week));
}

PlatformView Watch::Platform(const std::string& platform) const {
  PlatformView v;
  v.platform = platform;
  v.name = NameOf(platform);
  const PlatformState* ps = Find(platform);
  if (!ps) return v;
  const Fused& state = ps->machine.state();
  v.health = state.health;
  v.scope = state.scope;
  v.cause = state.cause;
  v.covers_us = state.covers_us;
  v.since = ps->since;
  v.flapping = ps->flapping;
  v.in_maintenance = ps->in_maintenance;
  v.summary_en = state.summary_en;
  v.summary_es = state.summary_es;
  if (state.health == Health::kUnknown && state.summary_en.empty()) {
    v.summary_en = StrCat("No readings of ", v.name, " yet.");
    v.summary_es = StrCat("Todavía no hay lecturas de ", v.name, ".");
  }
  if (auto home = ps->readings.find(setup_.home); home != ps->readings.end()) v.readings.push_back(home->second.reading);
  for (const auto& [vantage, held] : ps->readings)
    if (vantage != setup_.home) v.readings.push_back(held.reading);
  v.signals = SignalsAt(*ps, now_);
  v.evidence = state.Evidence();
  v.announced = ps->announced.health;
  return v;
}

std::vector<Watch::HealthRow> Watch::Healths() const {
  std::vector<HealthRow> out;
  out.reserve(setup_.platforms.size());
  for (const std::string& id : setup_.platforms) {
    const PlatformState* ps = Find(id);
    out.push_back({id, ps ? ps->machine.state().health : Health::kUnknown, ps && ps->flapping});
  }
  return out;
}

std::vector<PlatformView> Watch::Platforms() const {
  std::vector<PlatformView> views;
  for (const std::string& id : setup_.platforms) views.push_back(Platform(id));
  return views;
}

LinkView Watch::Link() const {
  LinkView v;
  v.health = link_.state().health;
  v.since = link_since_;
  if (!link_recent_.empty()) v.last = link_recent_.back();
  return v;
}

std::vector<VantageView> Watch::Vantages() const {
  std::vector<VantageView> views;
  for (const std::string& name : setup_.vantages) {
    const VantageState& vs = vantages_.at(name);
    views.push_back({name, vs.last_seen, vs.silent});
  }
  return views;
}

}  // namespace faro::watch
