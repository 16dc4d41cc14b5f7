// The WatchService's answers to the HTTP API and the status page (shapes: docs/api.md).
#include <openssl/crypto.h>

#include <algorithm>
#include <filesystem>

#include "core/query_params.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "outbox/broadcast.hpp"
#include "service/watch_service.hpp"

namespace faro::service {
namespace {

nlohmann::json Time(const std::optional<TimePoint>& t) { return t ? nlohmann::json(Rfc3339(*t)) : nlohmann::json(); }

nlohmann::json ReadingJson(const watch::Reading& r) {
  return {{"vantage", r.vantage},   {"health", watch::HealthName(r.health)}, {"cause", CauseName(r.cause)},
          {"failed", r.failed},     {"endpoints", r.endpoints},             {"at", Rfc3339(r.at)},
          {"detail", r.detail}};
}

nlohmann::json SignalsJson(const watch::Signals& s) {
  return {{"feed", s.feed ? nlohmann::json(watch::FeedLevelName(*s.feed)) : nlohmann::json()},
          {"crowd_reports", s.crowd_reports},
          {"crowd_baseline", s.crowd_baseline},
          {"crowd_surge", s.crowd_surge},
          {"chatter_surge", s.chatter_surge},
          {"chatter_mentions", s.chatter_mentions},
          {"chatter_usual", s.chatter_usual},
          {"outbox_sends", s.outbox_sends},
          {"outbox_faults", s.outbox_faults},
          {"outbox_failing", s.outbox_failing}};
}

std::string ChannelLabel(const std::string& type, const std::string& id) {
  if (type == "whatsapp_cloud") return "WhatsApp";
  if (type == "telegram_bot") return "Telegram";
  if (type == "smtp") return "Email";
  if (type == "twilio_sms") return "SMS";
  if (type == "twilio_voice") return "Phone";
  return id;
}

}  // namespace

absl::StatusOr<nlohmann::json> WatchService::WatchJson(const std::map<std::string, std::string>& q) {
  FARO_ASSIGN_OR_RETURN(const int limit, QueryInt(q, "limit", 500, 1, 10000));
  FARO_ASSIGN_OR_RETURN(const int offset, QueryInt(q, "offset", 0, 0, 100000000));
  std::set<watch::Health> wanted;
  const std::string health_filter = QueryText(q, "health");  // outlives the views Split returns
  for (std::string_view name : Split(health_filter, ",", true)) {
    auto h = watch::HealthFromName(std::string(Trim(name)));
    if (!h) return absl::InvalidArgumentError(StrCat("health: \"", std::string(name), "\" is not up, degraded, partial, down, local or unknown"));
    wanted.insert(*h);
  }
  std::lock_guard lock(mutex_);
  const TimePoint now = app_.clock().Now();
  nlohmann::json out = {{"generated_at", Rfc3339(now)}};
  const watch::LinkView link = watch_->Link();
  out["link"] = {{"state", watch::HealthName(link.health)}, {"since", Time(link.since)}, {"detail", link.last ? link.last->detail : ""}};
  // Problems first (down, partial, our connection, degraded, unknown, then up), then in the
  // configuration's order; counts cover every platform, the list is one page of them.
  auto rank = [](watch::Health h) {
    switch (h) {
      case watch::Health::kDown: return 0;
      case watch::Health::kPartial: return 1;
      case watch::Health::kLocal: return 2;
      case watch::Health::kDegraded: return 3;
      case watch::Health::kUnknown: return 4;
      case watch::Health::kUp: return 5;
    }
    return 6;
  };
  const std::vector<watch::Watch::HealthRow> all = watch_->Healths();
  nlohmann::json counts = nlohmann::json::object();
  std::vector<std::pair<std::string, watch::Health>> listed;
  for (const auto& row : all) {
    const std::string name(watch::HealthName(row.health));
    counts[name] = counts.value(name, 0) + 1;
    if (wanted.empty() || wanted.contains(row.health)) listed.emplace_back(row.platform, row.health);
  }
  std::stable_sort(listed.begin(), listed.end(), [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  out["total"] = all.size();
  out["matching"] = listed.size();
  out["counts"] = counts;
  nlohmann::json platforms = nlohmann::json::array();
  for (std::size_t i = static_cast<std::size_t>(offset); i < listed.size() && platforms.size() < static_cast<std::size_t>(limit); ++i) {
    const watch::PlatformView v = watch_->Platform(listed[i].first);
    nlohmann::json readings = nlohmann::json::array();
    for (const watch::Reading& r : v.readings) readings.push_back(ReadingJson(r));
    nlohmann::json channels = nlohmann::json::array();
    for (const auto& c : app_.config().channels)
      if (c.info.platform == v.platform) channels.push_back(c.info.id);
    auto name = names_.find(v.platform);
    platforms.push_back({{"id", v.platform},
                         {"name", name != names_.end() ? name->second : v.platform},
                         {"health", watch::HealthName(v.health)},
                         {"scope", ScopeName(v.scope)},
                         {"cause", CauseName(v.cause)},
                         {"covers_us", v.covers_us},
                         {"since", Time(v.since)},
                         {"flapping", v.flapping},
                         {"maintenance", v.in_maintenance},
                         {"words",
                          {{"en", watch::HealthWords(v.health, v.scope, Lang::kEn)},
                           {"es", watch::HealthWords(v.health, v.scope, Lang::kEs)}}},
                         {"summary", {{"en", v.summary_en}, {"es", v.summary_es}}},
                         {"readings", readings},
                         {"signals", SignalsJson(v.signals)},
                         {"channels", channels}});
  }
  out["platforms"] = platforms;
  nlohmann::json vantages = nlohmann::json::array();
  for (const watch::VantageView& v : watch_->Vantages())
    vantages.push_back({{"name", v.name}, {"last_seen", Time(v.last_seen)}, {"silent", v.silent}});
  out["vantages"] = vantages;
  return out;
}

absl::StatusOr<nlohmann::json> WatchService::SeriesJson(const std::string& platform,
                                                        const std::map<std::string, std::string>& q) {
  if (!Watches(platform)) return absl::NotFoundError(StrCat("no watched platform \"", platform, "\""));
  const TimePoint now = app_.clock().Now();
  TimePoint to = now, from = now - std::chrono::hours(6);
  if (std::string t = QueryText(q, "to"); !t.empty()) {
    auto parsed = ParseRfc3339(t);
    if (!parsed.ok()) return absl::InvalidArgumentError(StrCat("to: ", Message(parsed.status())));
    to = *parsed;
  }
  if (std::string f = QueryText(q, "from"); !f.empty()) {
    auto parsed = ParseRfc3339(f);
    if (!parsed.ok()) return absl::InvalidArgumentError(StrCat("from: ", Message(parsed.status())));
    from = *parsed;
  }
  if (from >= to) return absl::InvalidArgumentError("from must be before to");
  history::Resolution res = history::Resolution::kAuto;
  const std::string r = QueryText(q, "resolution");
  if (r == "raw") res = history::Resolution::kRaw;
  else if (r == "minute") res = history::Resolution::kMinute;
  else if (r == "hour") res = history::Resolution::kHour;
  else if (!r.empty() && r != "auto") return absl::InvalidArgumentError("resolution: expected auto, raw, minute or hour");
  const history::Resolution chosen = history_->Choose(from, to, res);
  FARO_ASSIGN_OR_RETURN(auto points, history_->Series(platform, from, to, chosen, QueryText(q, "vantage")));
  auto num = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  nlohmann::json list = nlohmann::json::array();
  for (const history::Point& p : points)
    list.push_back({{"at", Rfc3339(p.at)},
                    {"checks", p.checks},
                    {"failed", p.failed},
                    {"slow", p.slow},
                    {"dns_ms", num(p.dns_ms)},
                    {"connect_ms", num(p.connect_ms)},
                    {"tls_ms", num(p.tls_ms)},
                    {"first_byte_ms", num(p.first_byte_ms)},
                    {"total_ms", num(p.total_ms)},
                    {"total_max_ms", num(p.total_max_ms)}});
  return nlohmann::json{{"platform", platform}, {"resolution", history::ResolutionName(chosen)}, {"points", list}};
}

absl::StatusOr<nlohmann::json> WatchService::EventsJson(const std::map<std::string, std::string>& q) {
  history::EventQuery query;
  FARO_ASSIGN_OR_RETURN(query.limit, QueryInt(q, "limit", 50, 1, 1000));
  FARO_ASSIGN_OR_RETURN(const int before, QueryInt(q, "before", 0, 0, 2000000000));
  query.before_id = before;
  query.kind_prefix = QueryText(q, "kind");
  query.subject = QueryText(q, "subject");
  FARO_ASSIGN_OR_RETURN(auto events, events_->List(query));
  nlohmann::json list = nlohmann::json::array();
  for (const Event& e : events) list.push_back(EventToJson(e));
  return nlohmann::json{{"events", list}};
}

namespace {
nlohmann::json AlertJson(const history::Alert& a, const std::optional<Event>& event) {
  nlohmann::json summary = nlohmann::json::object();
  if (event) summary = {{"en", respond::AlertWords(*event, Lang::kEn)}, {"es", respond::AlertWords(*event, Lang::kEs)}};
  return {{"id", a.id},
          {"event_id", a.event_id},
          {"subject", a.subject},
          {"kind", a.kind},
          {"state", a.state},
          {"level", a.level},
          {"created_at", Rfc3339(a.created_at)},
          {"acknowledged_at", Time(a.acknowledged_at)},
          {"acknowledged_by", a.acknowledged_by},
          {"resolved_at", Time(a.resolved_at)},
          {"escalated_at", Time(a.escalated_at)},
          {"summary", summary},
          {"notified", a.notified}};
}
}  // namespace

absl::StatusOr<nlohmann::json> WatchService::AlertsJson(const std::map<std::string, std::string>& q) {
  std::string state = QueryText(q, "state");
  if (state == "all") state.clear();
  if (!state.empty() && state != "open" && state != "acknowledged" && state != "resolved")
    return absl::InvalidArgumentError("state: expected open, acknowledged, resolved or all");
  FARO_ASSIGN_OR_RETURN(const int limit, QueryInt(q, "limit", 100, 1, 1000));
  FARO_ASSIGN_OR_RETURN(auto alerts, alerts_->List(state, limit));
  nlohmann::json list = nlohmann::json::array();
  for (const history::Alert& a : alerts) {
    auto e = events_->Get(a.event_id);
    list.push_back(AlertJson(a, e.ok() ? *e : std::nullopt));
  }
  return nlohmann::json{{"alerts", list}};
}

absl::StatusOr<nlohmann::json> WatchService::Acknowledge(int64_t alert_id, const std::string& by) {
  FARO_RETURN_IF_ERROR(alerts_->Acknowledge(alert_id, by, app_.clock().Now()));
  Log(StrCat("alert ", alert_id, " acknowledged by ", by));
  FARO_ASSIGN_OR_RETURN(auto alert, alerts_->Get(alert_id));
  if (!alert) return absl::NotFoundError(StrCat("no alert ", alert_id));
  auto e = events_->Get(alert->event_id);
  return nlohmann::json{{"alert", AlertJson(*alert, e.ok() ? *e : std::nullopt)}};
}

absl::StatusOr<nlohmann::json> WatchService::FailoversJson() {
  FARO_ASSIGN_OR_RETURN(auto list, failovers_->List(100));
  nlohmann::json out = nlohmann::json::array();
  for (const Failover& f : list) {
    nlohmann::json broadcast;
    if (f.broadcast_id != 0) {
      broadcast = {{"id", f.broadcast_id}, {"template", f.broadcast_template}};
      if (auto p = outbox::Progress(app_.outbox(), f.broadcast_id); p.ok())
        broadcast["progress"] = {{"total", p->total},
                                 {"sent", p->sent},
                                 {"pending", p->pending},
                                 {"failed", p->failed},
                                 {"skipped_no_consent", p->skipped_no_consent},
                                 {"skipped_no_address", p->skipped_no_address}};
    }
    out.push_back({{"id", f.id},
                   {"channel", f.channel},
                   {"platform", f.platform},
                   {"state", f.state},
                   {"started_at", Rfc3339(f.started_at)},
                   {"undone_at", Time(f.undone_at)},
                   {"event_id", f.event_id},
                   {"reason", f.reason},
                   {"broadcast", broadcast}});
  }
  return nlohmann::json{{"failovers", out}};
}

nlohmann::json WatchService::StatusJson() {
  const setup::FaroConfig& c = app_.config();
  const std::set<std::string> down = app_.outbox().DownSet();
  std::map<std::string, watch::Health> health;
  std::map<std::string, std::string> names;
  {
    std::lock_guard lock(mutex_);
    for (const watch::PlatformView& v : watch_->Platforms()) health[v.platform] = v.health;
    names = names_;
  }
  nlohmann::json channels = nlohmann::json::array();
  std::vector<std::string> working_en, working_es, failing;
  for (const setup::ConfiguredChannel& ch : c.channels) {
    if (ch.info.address_kind == channels::AddressKind::kNone) continue;  // internal (team chat, webhooks)
    auto h = health.find(ch.info.platform);
    const bool platform_down = h != health.end() && h->second == watch::Health::kDown;
    const bool working = !down.contains(ch.info.id) && !platform_down;
    const std::string label = ChannelLabel(ch.info.type, ch.info.id);
    channels.push_back({{"id", ch.info.id},
                        {"label", label},
                        {"platform", ch.info.platform},
                        {"watched", names.contains(ch.info.platform)},
                        {"working", working},
                        {"address", ch.info.public_address}});
    if (!working) {
      failing.push_back(label);
    } else if (!ch.info.public_address.empty()) {
      working_en.push_back(StrCat(label, " (", ch.info.public_address, ")"));
    }
  }
  nlohmann::json notice;
  if (!failing.empty()) {
    const std::string where = working_en.empty() ? "" : Join(working_en, ", ");
    notice = {{"en", StrCat(Join(failing, ", "), " is not working right now.",
                            where.empty() ? "" : StrCat(" Write to us on ", where, "."))},
              {"es", StrCat(Join(failing, ", "), failing.size() > 1 ? " no funcionan" : " no funciona", " ahora mismo.",
                            where.empty() ? "" : StrCat(" Escríbenos por ", where, "."))}};
  }
  return {{"business", {{"name", c.business.name}, {"lang", c.business.lang == Lang::kEs ? "es" : "en"}}},
          {"updated_at", Rfc3339(app_.clock().Now())},
          {"channels", channels},
          {"notice", notice}};
}

bool WatchService::Watches(const std::string& platform) const {
  std::lock_guard lock(mutex_);
  return names_.contains(platform);
}

absl::StatusOr<bool> WatchService::CrowdReport(const std::string& platform, const std::string& reporter,
                                               const std::string& note) {
  if (!Watches(platform)) return absl::InvalidArgumentError(StrCat("platform: \"", platform, "\" is not watched here"));
  const TimePoint now = app_.clock().Now();
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    accepted = watch_->AcceptCrowdReport({platform, reporter, now});
    ++(accepted ? stats_.crowd_reports : stats_.crowd_duplicates);
  }
  if (!accepted) return false;
  FARO_RETURN_IF_ERROR(crowd_->Add(platform, reporter, now, note.substr(0, 500)));
  return true;
}

std::size_t WatchService::TargetCount() const {
  std::lock_guard lock(mutex_);
  return names_.size();
}

std::string WatchService::VantageFor(const std::string& token) const {
  std::lock_guard lock(mutex_);
  for (const auto& [known, name] : vantage_tokens_)
    if (known.size() == token.size() && CRYPTO_memcmp(known.data(), token.data(), token.size()) == 0) return name;
  return "";
}

patrol::Assignment WatchService::AssignmentFor(const std::string& vantage) {
  std::lock_guard lock(mutex_);
  patrol::Assignment a;
  a.vantage = vantage;
  a.attempts = patrol_options_.attempts;
  a.timeout = patrol_options_.timeout;
  a.slow_ms = patrol_options_.slow_ms;
  a.targets = patrol_options_.targets;
  return a;
}

patrol::ReadingsAnswer WatchService::AcceptReadings(const std::string& vantage, patrol::ReadingsBatch batch) {
  patrol::ReadingsAnswer answer;
  answer.rejected = std::move(batch.rejected);
  std::set<std::string> watched;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, name] : names_) watched.insert(id);
  }
  // Any push tells the watch the vantage is alive, readings or not (an agent whose rounds are
  // not due yet sends an empty batch); one that sends nothing for vantage_silent_after is silent.
  std::deque<Work> work;
  work.push_back(Work{VantageHeard{vantage, app_.clock().Now()}});
  for (std::size_t i = 0; i < batch.accepted.size(); ++i) {
    patrol::Round& r = batch.accepted[i];
    if (!watched.contains(r.reading.platform)) {
      answer.rejected.push_back({batch.indexes[i], StrCat("readings[", batch.indexes[i], "].platform: \"",
                                                          r.reading.platform, "\" is not watched here")});
      continue;
    }
    r.reading.vantage = vantage;
    for (auto& res : r.results) res.vantage = vantage;
    work.push_back(Work{std::move(r)});
    ++answer.accepted;
  }
  {
    std::lock_guard lock(queue_mutex_);
    for (Work& w : work) queue_.push_back(std::move(w));
  }
  queue_cv_.notify_one();
  return answer;
}

bool WatchService::AcknowledgeByReply(int64_t contact_id, const std::string& channel, const std::string& text) {
  static const std::set<std::string> kAck = {"ok", "okay", "ack", "visto", "recibido", "vale", "confirmo", "👍", "si", "sí"};
  std::string word = ToLower(Trim(text));
  while (!word.empty() && (word.back() == '.' || word.back() == '!')) word.pop_back();
  if (!kAck.contains(word)) return false;
  std::string name;
  {
    std::lock_guard lock(mutex_);
    for (const respond::TeamMember& m : team_)
      if (m.contact_id == contact_id) name = m.name;
  }
  if (name.empty()) return false;
  auto open = alerts_->List("open", 100);
  if (!open.ok()) return false;
  for (const history::Alert& a : *open) {  // newest first
    bool told = false;
    for (const auto& n : a.notified)
      if (n.value("contact_id", int64_t{0}) == contact_id) told = true;
    if (!told) continue;
    if (alerts_->Acknowledge(a.id, StrCat(name, " (reply on ", channel, ")"), app_.clock().Now()).ok()) {
      Log(StrCat("alert ", a.id, " acknowledged by ", name, " replying on ", channel));
      return true;
    }
  }
  return false;
}

void WatchService::SendOutcome(const std::string& channel, bool provider_fault) {
  const setup::ConfiguredChannel* c = app_.config().FindConfigured(channel);
  if (c == nullptr || c->info.platform.empty()) return;
  // Judged on the worker thread: the dispatcher calling here must not wait on alerts it sends.
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Work{watch::SendOutcome{c->info.platform, app_.clock().Now(), provider_fault}});
  }
  queue_cv_.notify_one();
}

void WatchService::Chatter(watch::ChatterReading chatter) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Work{std::move(chatter)});
  }
  queue_cv_.notify_one();
}

WatchService::HealthBoard WatchService::Board() {
  std::lock_guard lock(mutex_);
  HealthBoard b;
  b.platforms = watch_->Healths();
  b.link_down = watch_->Link().health == watch::Health::kDown;
  b.vantages = watch_->Vantages();
  return b;
}

ServiceStats WatchService::Stats() {
  std::lock_guard lock(mutex_);
  ServiceStats s = stats_;
  if (patrol_) s.patrol = patrol_->Stats();
  for (const std::string& file : {app_.config().database, app_.config().database + "-wal"}) {
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(file, ec);
    if (!ec) s.database_bytes += bytes;
  }
  return s;
}

}  // namespace faro::service
