// Judging one platform: fusion, rounds, confirmation, suppression and announcements.
#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "watch/watch.hpp"

namespace faro::watch {
namespace {

std::string_view KindFor(Health health) {
  switch (health) {
    case Health::kUp: return "platform-restored";
    case Health::kDegraded: return "platform-degraded";
    case Health::kPartial: return "platform-partial";
    case Health::kDown: return "platform-down";
    case Health::kLocal: return "platform-local";
    case Health::kUnknown: return "platform-unknown";
  }
  return "platform-unknown";
}

Event PlatformEvent(const std::string& id, const Fused& to, Health previous, TimePoint at, std::string_view reason) {
  Event e;
  e.at = at;
  e.kind = KindFor(to.health);
  e.subject = id;
  e.state = HealthName(to.health);
  e.previous = HealthName(previous);
  e.scope = ScopeName(to.scope);
  e.cause = CauseName(to.cause);
  e.covers_us = to.covers_us;
  e.suppressed_by = reason;
  e.evidence = to.Evidence();
  if (!e.evidence.is_object()) e.evidence = nlohmann::json::object();
  e.evidence["summary"] = {{"en", to.summary_en}, {"es", to.summary_es}};
  return e;
}

Event PlainEvent(std::string_view kind, const std::string& subject, TimePoint at, nlohmann::json evidence) {
  Event e;
  e.at = at;
  e.kind = kind;
  e.subject = subject;
  e.evidence = std::move(evidence);
  return e;
}

nlohmann::json WindowJson(const MaintenanceWindow& w) {
  return {{"start", Rfc3339(w.start)}, {"end", Rfc3339(w.end)}, {"note", w.note},
          {"platform", w.platform.empty() ? std::string("*") : w.platform}};
}

}  // namespace

std::set<std::string> Watch::FreshVantages(const PlatformState& ps, TimePoint at) const {
  std::set<std::string> fresh;
  const TimePoint horizon = at - setup_.policy.Freshness();
  for (const auto& [vantage, held] : ps.readings) {
    if (held.reading.at <= horizon) continue;
    if (vantage != setup_.home) {
      auto it = vantages_.find(vantage);
      if (it == vantages_.end() || it->second.silent) continue;
    }
    fresh.insert(vantage);
  }
  return fresh;
}

std::set<std::string> Watch::Expected(const PlatformState& ps, TimePoint at, std::set<std::string> fresh) const {
  const TimePoint lately = at - 2 * setup_.policy.Freshness();
  for (const std::string& agent : setup_.vantages) {
    const VantageState& vs = vantages_.at(agent);
    if (vs.silent) continue;
    auto held = ps.readings.find(agent);
    if (!vs.last_seen || (held != ps.readings.end() && held->second.reading.at > lately)) fresh.insert(agent);
  }
  return fresh;
}

Signals Watch::SignalsAt(const PlatformState& ps, TimePoint at) const {
  Signals s;
  s.feed = ps.feed;
  s.crowd_reports = ps.crowd.Count(at);
  s.crowd_baseline = ps.crowd.Baseline(at);
  s.crowd_surge = ps.crowd.Surge(at);
  s.outbox_sends = ps.outbox.Sends(at);
  s.outbox_faults = ps.outbox.Faults(at);
  s.outbox_failing = ps.outbox.Failing(at);
  if (ps.chatter && ps.chatter->surge && at < ps.chatter->at + kChatterHolds) {
    s.chatter_surge = true;
    s.chatter_mentions = ps.chatter->mentions;
    s.chatter_usual = ps.chatter->usual;
  }
  auto home = ps.readings.find(setup_.home);
  s.home_link_down = LinkDown() || (home != ps.readings.end() && home->second.link_suspect);
  return s;
}

void Watch::Evaluate(const std::string& id, PlatformState& ps, TimePoint at, const std::string* vantage,
                     std::vector<Event>& out) {
  const std::set<std::string> fresh = FreshVantages(ps, at);
  const Signals signals = SignalsAt(ps, at);
  std::vector<Reading> readings;
  if (fresh.count(setup_.home)) readings.push_back(ps.readings.at(setup_.home).reading);
  for (const std::string& v : fresh)
    if (v != setup_.home) readings.push_back(ps.readings.at(v).reading);
  Fused fused = Fuse(readings, setup_.home, signals, NameOf(id));
  ps.fresh = fresh;
  ps.crowd_surge = signals.crowd_surge;
  ps.outbox_failing = signals.outbox_failing;
  ps.chatter_surge = signals.chatter_surge;

  auto close_round = [&] {
    Fused evaluation = std::move(*ps.pending);
    ps.pending.reset();
    ps.round.clear();
    Commit(id, ps, evaluation, at, out);
  };
  if (vantage) {
    if (ps.round.count(*vantage) && ps.pending) close_round();  // heard again: a new round
    ps.round.insert(*vantage);
    ps.pending = std::move(fused);
  } else if (ps.pending) {
    ps.pending = std::move(fused);
  } else {
    Commit(id, ps, fused, at, out);
  }
  const std::set<std::string> expected = Expected(ps, at, fresh);
  if (ps.pending && std::includes(ps.round.begin(), ps.round.end(), expected.begin(), expected.end())) close_round();
}

void Watch::Commit(const std::string& id, PlatformState& ps, const Fused& evaluation, TimePoint at,
                   std::vector<Event>& out) {
  if (auto from = ps.machine.Push(evaluation, LinkDown())) Transition(id, ps, *from, at, out);
}

void Watch::Transition(const std::string& id, PlatformState& ps, const Fused& from, TimePoint at,
                       std::vector<Event>& out) {
  const Fused& to = ps.machine.state();
  if (to.health != from.health) ps.since = at;
  const bool on_ladder = Severity(to.health) >= 0;
  const std::optional<Health> last_on_ladder = ps.on_ladder;
  if (on_ladder) ps.on_ladder = to.health;
  // Start-up (no state on the ladder yet): learning that it works is no news.
  if (!last_on_ladder && to.health == Health::kUp) return;
  const WatchPolicy& policy = setup_.policy;
  if (on_ladder && last_on_ladder && to.health != *last_on_ladder) {
    ps.changes.emplace_back(at, to.health);
    while (!ps.changes.empty() && ps.changes.front().first <= at - policy.flap_window) ps.changes.pop_front();
    ps.last_change = at;
    if (!ps.flapping && static_cast<int>(ps.changes.size()) >= policy.flap_changes) {
      ps.flapping = true;
      nlohmann::json changes = nlohmann::json::array();
      for (const auto& [when, health] : ps.changes) changes.push_back({{"at", Rfc3339(when)}, {"state", HealthName(health)}});
      out.push_back(PlainEvent("flapping", id, at,
                               {{"changes", std::move(changes)},
                                {"window_minutes", std::chrono::duration<double>(policy.flap_window).count() / 60},
                                {"calm_minutes", std::chrono::duration<double>(policy.flap_calm).count() / 60}}));
    }
  }
  std::string_view reason;
  if (to.health == Health::kLocal) reason = "link-down";
  else if (ps.in_maintenance) reason = "maintenance";
  else if (ps.flapping) reason = "flapping";
  else if (to.health == Health::kUnknown) reason = "stale";
  else if (from.health == Health::kLocal && SameLook(to, ps.announced)) reason = "link-down";
  else if (from.health == Health::kUnknown && SameLook(to, ps.announced)) reason = "stale";
  out.push_back(PlatformEvent(id, to, from.health, at, reason));
  if (reason.empty() && on_ladder) ps.announced = to;
}

void Watch::Announce(const std::string& id, PlatformState& ps, TimePoint at, std::string_view after,
                     std::vector<Event>& out) {
  const Fused& now = ps.machine.state();
  if (Severity(now.health) < 0 || ps.in_maintenance || ps.flapping || SameLook(now, ps.announced)) return;
  Event e = PlatformEvent(id, now, ps.announced.health, at, "");
  e.evidence["after"] = after;
  out.push_back(std::move(e));
  ps.announced = now;
}

void Watch::SyncMaintenance(const std::string& id, PlatformState& ps, TimePoint at, std::vector<Event>& out) {
  const MaintenanceWindow* in_force = nullptr;
  for (const MaintenanceWindow& w : setup_.maintenance)
    if (w.Covers(id, at)) {
      in_force = &w;
      break;
    }
  if (in_force && !ps.in_maintenance) {
    ps.in_maintenance = true;
    ps.window = *in_force;
    out.push_back(PlainEvent("maintenance-start", id, at, WindowJson(*in_force)));
  } else if (!in_force && ps.in_maintenance) {
    ps.in_maintenance = false;
    out.push_back(PlainEvent("maintenance-end", id, at, ps.window ? WindowJson(*ps.window) : nlohmann::json::object()));
    ps.window.reset();
    Announce(id, ps, at, "maintenance", out);
  } else if (in_force) {
    ps.window = *in_force;  // back-to-back windows: one maintenance
  }
}

void Watch::TickPlatform(const std::string& id, PlatformState& ps, TimePoint now, std::vector<Event>& out) {
  SyncMaintenance(id, ps, now, out);
  if (ps.flapping && now - ps.last_change >= setup_.policy.flap_calm) {
    ps.flapping = false;
    ps.changes.clear();
    out.push_back(PlainEvent("flapping-over", id, now,
                             {{"last_change", Rfc3339(ps.last_change)},
                              {"state", HealthName(ps.machine.state().health)}}));
    Announce(id, ps, now, "flapping", out);
  }
  ps.outbox.Forget(now);
  const Signals signals = SignalsAt(ps, now);
  if (FreshVantages(ps, now) != ps.fresh || signals.crowd_surge != ps.crowd_surge ||
      signals.outbox_failing != ps.outbox_failing || signals.chatter_surge != ps.chatter_surge)
    Evaluate(id, ps, now, nullptr, out);
}

}  // namespace faro::watch
