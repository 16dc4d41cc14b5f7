#include "setup/watch_config.hpp"

#include <set>

#include "contacts/identity.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::setup {
namespace {

absl::StatusOr<double> Number(const YamlReader& r, const YAML::Node& map, const char* key, const std::string& path,
                              double fallback, double min, double max) {
  const YAML::Node n = map[key];
  if (!n) return fallback;
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    return r.Error(n, StrCat(path, ".", key), "expected a number");
  }
  if (v < min || v > max) return r.Error(n, StrCat(path, ".", key), StrCat("expected a number from ", min, " to ", max));
  return v;
}

std::string& Slot(contacts::Contact& c, channels::AddressKind kind) {
  switch (kind) {
    case channels::AddressKind::kPhone: return c.phone;
    case channels::AddressKind::kEmail: return c.email;
    case channels::AddressKind::kTelegram: return c.telegram;
    case channels::AddressKind::kInstagram: return c.instagram;
    case channels::AddressKind::kMessenger: return c.messenger;
    case channels::AddressKind::kX: return c.x_handle;
    case channels::AddressKind::kNone: break;
  }
  static std::string none;
  none.clear();
  return none;
}

absl::Status ReadTargets(const YamlReader& r, const YAML::Node& list, WatchConfig& w) {
  if (!list.IsSequence()) return r.Error(list, "watch.platforms", "expected a list of platform ids or URLs");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string path = StrCat("watch.platforms[", i, "]");
    if (item.IsScalar()) {
      w.targets.push_back(item.as<std::string>());
      continue;
    }
    if (!item.IsMap()) return r.Error(item, path, "expected a platform id, a URL, or { id: ..., interval: 30s }");
    FARO_RETURN_IF_ERROR(r.OnlyKeys(item, path, {"id", "interval"}));
    FARO_ASSIGN_OR_RETURN(std::string id, r.String(item, "id", path, true));
    FARO_ASSIGN_OR_RETURN(milliseconds every, r.Duration(item, "interval", path, w.interval));
    if (every < std::chrono::seconds(1)) return r.Error(item["interval"], StrCat(path, ".interval"), "expected 1s or more");
    w.intervals[id] = every;
    w.targets.push_back(std::move(id));
  }
  return absl::OkStatus();
}

absl::Status ReadMaintenance(const YamlReader& r, const YAML::Node& list, WatchConfig& w) {
  if (!list.IsSequence()) return r.Error(list, "watch.maintenance", "expected a list of { platform, start, end }");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string path = StrCat("watch.maintenance[", i, "]");
    FARO_RETURN_IF_ERROR(r.OnlyKeys(item, path, {"platform", "start", "end", "note"}));
    MaintenanceConfig m;
    FARO_ASSIGN_OR_RETURN(m.platform, r.String(item, "platform", path, false, "*"));
    FARO_ASSIGN_OR_RETURN(m.note, r.String(item, "note", path, false));
    for (const char* key : {"start", "end"}) {
      FARO_ASSIGN_OR_RETURN(const std::string text, r.String(item, key, path, true));
      auto t = ParseRfc3339(text);
      if (!t.ok())
        return r.Error(item[key], StrCat(path, ".", key),
                       StrCat("expected a time such as 2026-11-23T02:00:00Z or 2026-11-23T03:00:00-03:00, got \"", text, "\""));
      (std::string(key) == "start" ? m.start : m.end) = *t;
    }
    if (m.end <= m.start) return r.Error(item["end"], StrCat(path, ".end"), "the window must end after it starts");
    w.maintenance.push_back(std::move(m));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadWatch(const YamlReader& r, const YAML::Node& node, WatchConfig& w) {
  w.enabled = true;
  if (node.IsNull()) return absl::OkStatus();
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "watch",
                                  {"platforms", "interval", "catalog", "resolver", "ca_file", "attempts", "timeout",
                                   "slow", "tls_resume", "tls_full_every", "jitter", "recheck", "feed_every", "confirm", "recover_after", "flapping", "vantages",
                                   "vantage_silent_after", "maintenance", "crowd", "outbox"}));
  FARO_ASSIGN_OR_RETURN(w.interval, r.Duration(node, "interval", "watch", w.interval));
  if (w.interval < std::chrono::seconds(1)) return r.Error(node["interval"], "watch.interval", "expected 1s or more");
  if (const YAML::Node p = node["platforms"]) FARO_RETURN_IF_ERROR(ReadTargets(r, p, w));
  FARO_ASSIGN_OR_RETURN(w.catalog_file, r.String(node, "catalog", "watch", false));
  FARO_ASSIGN_OR_RETURN(w.resolver, r.String(node, "resolver", "watch", false));
  FARO_ASSIGN_OR_RETURN(w.ca_file, r.String(node, "ca_file", "watch", false));
  FARO_ASSIGN_OR_RETURN(const int64_t attempts, r.Int(node, "attempts", "watch", w.attempts, 1, 5));
  w.attempts = static_cast<int>(attempts);
  FARO_ASSIGN_OR_RETURN(w.timeout, r.Duration(node, "timeout", "watch", w.timeout));
  FARO_ASSIGN_OR_RETURN(const milliseconds slow, r.Duration(node, "slow", "watch", milliseconds(2000)));
  w.slow_ms = static_cast<double>(slow.count());
  FARO_ASSIGN_OR_RETURN(w.tls_resume, r.Bool(node, "tls_resume", "watch", w.tls_resume));
  FARO_ASSIGN_OR_RETURN(const int64_t full_every, r.Int(node, "tls_full_every", "watch", w.tls_full_every, 1, 1000));
  w.tls_full_every = static_cast<int>(full_every);
  FARO_ASSIGN_OR_RETURN(w.jitter, Number(r, node, "jitter", "watch", w.jitter, 0, 0.5));
  FARO_ASSIGN_OR_RETURN(w.recheck, r.Duration(node, "recheck", "watch", w.recheck));
  FARO_ASSIGN_OR_RETURN(w.feed_every, r.Duration(node, "feed_every", "watch", w.feed_every));
  if (const YAML::Node c = node["confirm"]) {
    // "2/3": k of the last n evaluations.
    const std::string text = c.IsScalar() ? c.as<std::string>() : "";
    const auto parts = Split(text, "/");
    int k = 0, n = 0;
    if (parts.size() == 2) {
      k = std::atoi(std::string(parts[0]).c_str());
      n = std::atoi(std::string(parts[1]).c_str());
    }
    if (k < 1 || n < k || n > 20) return r.Error(c, "watch.confirm", "expected K/N with 1 ≤ K ≤ N ≤ 20, e.g. 2/3");
    w.confirm_k = k;
    w.confirm_n = n;
  }
  FARO_ASSIGN_OR_RETURN(const int64_t recover, r.Int(node, "recover_after", "watch", w.recover_after, 1, 20));
  w.recover_after = static_cast<int>(recover);
  if (const YAML::Node f = node["flapping"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(f, "watch.flapping", {"changes", "window", "calm"}));
    FARO_ASSIGN_OR_RETURN(const int64_t changes, r.Int(f, "changes", "watch.flapping", w.flap_changes, 2, 100));
    w.flap_changes = static_cast<int>(changes);
    FARO_ASSIGN_OR_RETURN(w.flap_window, r.Duration(f, "window", "watch.flapping", w.flap_window));
    FARO_ASSIGN_OR_RETURN(w.flap_calm, r.Duration(f, "calm", "watch.flapping", w.flap_calm));
  }
  if (const YAML::Node v = node["vantages"]) {
    if (!v.IsSequence()) return r.Error(v, "watch.vantages", "expected a list of { name, token_file }");
    std::set<std::string> names;
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string path = StrCat("watch.vantages[", i, "]");
      FARO_RETURN_IF_ERROR(r.OnlyKeys(v[i], path, {"name", "token_file"}));
      VantageConfig vc;
      FARO_ASSIGN_OR_RETURN(vc.name, r.String(v[i], "name", path, true));
      if (vc.name == "here" || !names.insert(vc.name).second)
        return r.Error(v[i]["name"], StrCat(path, ".name"), StrCat("\"", vc.name, "\" is taken (\"here\" is this node)"));
      FARO_ASSIGN_OR_RETURN(vc.token, r.SecretFile(v[i], "token_file", path, true));
      if (vc.token.size() < 16) return r.Error(v[i]["token_file"], StrCat(path, ".token_file"), "the token must be at least 16 characters");
      w.vantages.push_back(std::move(vc));
    }
  }
  FARO_ASSIGN_OR_RETURN(w.vantage_silent_after, r.Duration(node, "vantage_silent_after", "watch", w.vantage_silent_after));
  if (const YAML::Node m = node["maintenance"]) FARO_RETURN_IF_ERROR(ReadMaintenance(r, m, w));
  if (const YAML::Node c = node["crowd"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(c, "watch.crowd", {"dedup", "window", "factor", "min_reports", "per_minute"}));
    FARO_ASSIGN_OR_RETURN(w.crowd_dedup, r.Duration(c, "dedup", "watch.crowd", w.crowd_dedup));
    FARO_ASSIGN_OR_RETURN(w.crowd_window, r.Duration(c, "window", "watch.crowd", w.crowd_window));
    FARO_ASSIGN_OR_RETURN(w.crowd_factor, Number(r, c, "factor", "watch.crowd", w.crowd_factor, 1, 100));
    FARO_ASSIGN_OR_RETURN(const int64_t min, r.Int(c, "min_reports", "watch.crowd", w.crowd_min_reports, 1, 100000));
    w.crowd_min_reports = static_cast<int>(min);
    FARO_ASSIGN_OR_RETURN(const int64_t per, r.Int(c, "per_minute", "watch.crowd", w.crowd_per_minute, 1, 10000));
    w.crowd_per_minute = static_cast<int>(per);
  }
  if (const YAML::Node o = node["outbox"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(o, "watch.outbox", {"min_sends", "fault_share", "window"}));
    FARO_ASSIGN_OR_RETURN(const int64_t min, r.Int(o, "min_sends", "watch.outbox", w.outbox_min_sends, 1, 100000));
    w.outbox_min_sends = static_cast<int>(min);
    FARO_ASSIGN_OR_RETURN(w.outbox_fault_share, Number(r, o, "fault_share", "watch.outbox", w.outbox_fault_share, 0.01, 1));
    FARO_ASSIGN_OR_RETURN(w.outbox_window, r.Duration(o, "window", "watch.outbox", w.outbox_window));
  }
  return absl::OkStatus();
}

absl::Status ReadTeam(const YamlReader& r, const YAML::Node& list,
                      const std::map<std::string, channels::AddressKind>& channels, const std::string& region,
                      std::vector<TeamMemberConfig>& team) {
  if (!list.IsSequence()) return r.Error(list, "team", "expected a list of { name, role, reach: [...] }");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = StrCat("team[", i, "]");
    FARO_RETURN_IF_ERROR(r.OnlyKeys(node, path, {"name", "role", "lang", "reach"}));
    TeamMemberConfig m;
    FARO_ASSIGN_OR_RETURN(m.name, r.String(node, "name", path, true));
    FARO_ASSIGN_OR_RETURN(m.role, r.String(node, "role", path, true));
    FARO_ASSIGN_OR_RETURN(const std::string lang, r.String(node, "lang", path, false, "es"));
    if (lang != "es" && lang != "en") return r.Error(node["lang"], StrCat(path, ".lang"), "expected es or en");
    m.lang = lang == "es" ? Lang::kEs : Lang::kEn;
    m.identities.name = m.name;
    m.identities.lang = m.lang;
    const YAML::Node reach = node["reach"];
    if (!reach || !reach.IsSequence() || reach.size() == 0)
      return r.Error(node, StrCat(path, ".reach"), "expected a list such as [{ channel: telegram, chat_id: \"123\" }]");
    for (size_t j = 0; j < reach.size(); ++j) {
      const YAML::Node item = reach[j];
      const std::string rpath = StrCat(path, ".reach[", j, "]");
      FARO_RETURN_IF_ERROR(r.OnlyKeys(item, rpath, {"channel", "chat_id", "phone", "address", "id", "handle"}));
      FARO_ASSIGN_OR_RETURN(const std::string channel, r.String(item, "channel", rpath, true));
      auto it = channels.find(channel);
      if (it == channels.end()) return r.Error(item["channel"], StrCat(rpath, ".channel"), StrCat("no channel with id \"", channel, "\""));
      if (it->second == channels::AddressKind::kNone)
        return r.Error(item["channel"], StrCat(rpath, ".channel"), StrCat("channel \"", channel, "\" cannot write to a person"));
      std::string given;
      const char* key = nullptr;
      for (const char* k : {"chat_id", "phone", "address", "id", "handle"})
        if (item[k]) {
          if (key) return r.Error(item[k], StrCat(rpath, ".", k), StrCat("give one of chat_id, phone, address, id, handle (", key, " is already given)"));
          key = k;
        }
      if (!key) return r.Error(item, rpath, StrCat("how to reach ", m.name, " on ", channel, ": add chat_id, phone, address, id or handle"));
      FARO_ASSIGN_OR_RETURN(given, r.String(item, key, rpath, true));
      auto normal = contacts::NormalizeAddress(it->second, given, region);
      if (!normal.ok()) return r.Error(item[key], StrCat(rpath, ".", key), Message(normal.status()));
      std::string& slot = Slot(m.identities, it->second);
      if (!slot.empty() && slot != *normal)
        return r.Error(item[key], StrCat(rpath, ".", key), StrCat("a different ", AddressKindName(it->second), " is already given for ", m.name));
      slot = *normal;
      m.channels.push_back(channel);
    }
    team.push_back(std::move(m));
  }
  return absl::OkStatus();
}

absl::Status ReadAlerts(const YamlReader& r, const YAML::Node& node, respond::AlertRules& rules) {
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "alerts", {"notify", "escalate", "on", "tell_recovery"}));
  auto roles = [&](const YAML::Node& n, const std::string& path) -> absl::StatusOr<std::vector<std::string>> {
    if (!n.IsSequence() || n.size() == 0) return r.Error(n, path, "expected a list of roles, e.g. [community-manager]");
    std::vector<std::string> out;
    for (const auto& x : n) out.push_back(x.as<std::string>());
    return out;
  };
  if (const YAML::Node n = node["notify"]) {
    FARO_ASSIGN_OR_RETURN(rules.notify, roles(n, "alerts.notify"));
  }
  if (const YAML::Node e = node["escalate"]) {
    if (!e.IsSequence()) return r.Error(e, "alerts.escalate", "expected a list of { after: 10m, to: [owner] }");
    milliseconds last{0};
    for (size_t i = 0; i < e.size(); ++i) {
      const std::string path = StrCat("alerts.escalate[", i, "]");
      FARO_RETURN_IF_ERROR(r.OnlyKeys(e[i], path, {"after", "to"}));
      respond::EscalationStep step;
      FARO_ASSIGN_OR_RETURN(step.after, r.Duration(e[i], "after", path, milliseconds(0)));
      if (step.after <= last) return r.Error(e[i]["after"], StrCat(path, ".after"), "each step must come after the one before (and after 0)");
      last = step.after;
      if (!e[i]["to"]) return r.Error(e[i], StrCat(path, ".to"), "expected the roles to tell, e.g. to: [owner]");
      FARO_ASSIGN_OR_RETURN(step.roles, roles(e[i]["to"], StrCat(path, ".to")));
      rules.escalate.push_back(std::move(step));
    }
  }
  if (const YAML::Node on = node["on"]) {
    static const std::set<std::string> known = {"platform-down", "platform-partial", "platform-degraded", "link-down",
                                                "vantage-silent", "flapping"};
    if (!on.IsSequence()) return r.Error(on, "alerts.on", "expected a list of event kinds");
    rules.kinds.clear();
    for (const auto& k : on) {
      const std::string kind = k.as<std::string>();
      if (!known.contains(kind))
        return r.Error(k, "alerts.on", StrCat("\"", kind, "\" is not an event kind that alerts; expected one of ",
                                              Join(std::vector<std::string>(known.begin(), known.end()), ", ")));
      rules.kinds.insert(kind);
    }
  }
  FARO_ASSIGN_OR_RETURN(rules.tell_recovery, r.Bool(node, "tell_recovery", "alerts", rules.tell_recovery));
  return absl::OkStatus();
}

absl::Status ReadRetention(const YamlReader& r, const YAML::Node& node, RetentionConfig& retention) {
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "storage.retention", {"raw", "minute", "hour"}));
  auto hours = [&](const char* key, std::chrono::hours& out) -> absl::Status {
    FARO_ASSIGN_OR_RETURN(const milliseconds d, r.Duration(node, key, "storage.retention", out));
    if (d < std::chrono::hours(1)) return r.Error(node[key], StrCat("storage.retention.", key), "expected 1h or more");
    out = std::chrono::duration_cast<std::chrono::hours>(d);
    return absl::OkStatus();
  };
  FARO_RETURN_IF_ERROR(hours("raw", retention.raw));
  FARO_RETURN_IF_ERROR(hours("minute", retention.minute));
  FARO_RETURN_IF_ERROR(hours("hour", retention.hour));
  return absl::OkStatus();
}

}  // namespace faro::setup
