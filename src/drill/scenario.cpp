#include "drill/scenario.hpp"

#include <algorithm>
#include <cmath>

#include "core/status.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::drill {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// SplitMix64: the same numbers on every machine for a seed.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }  // [0, 1)
  bool Chance(double p) { return Unit() < p; }
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1)); }

 private:
  uint64_t state_;
};

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

struct PlatformName {
  const char* id;
  const char* name;
};
std::string NameOf(const std::string& platform) {
  static constexpr PlatformName kNames[] = {{"whatsapp", "WhatsApp"}, {"instagram", "Instagram"},
                                            {"facebook", "Facebook"}, {"telegram", "Telegram"},
                                            {"x", "X"},               {"tiktok", "TikTok"}};
  for (const auto& n : kNames)
    if (platform == n.id) return n.name;
  return platform;
}

// A platform event with evidence shaped as the watch writes it (docs/events.md).
Event PlatformEvent(TimePoint at, const std::string& platform, const std::string& kind, const std::string& state,
                    const std::string& previous, const std::string& scope, const std::string& cause) {
  Event e;
  e.at = at;
  e.kind = kind;
  e.subject = platform;
  e.state = state;
  e.previous = previous;
  e.scope = scope;
  e.cause = cause;
  e.covers_us = state != "up";
  const std::string name = NameOf(platform);
  nlohmann::json summary;
  if (state == "down") {
    summary = {{"en", StrCat(name, " is down for everyone Faro can see: it fails from here and from sao-paulo (", cause, ").")},
               {"es", StrCat(name, " está caído para todos: falla desde aquí y desde sao-paulo (", cause, ").")}};
  } else if (state == "partial") {
    summary = {{"en", StrCat(name, " is partly failing: the site answers, messages are not delivered (", cause, ").")},
               {"es", StrCat(name, " falla en parte: el sitio responde, los mensajes no se entregan (", cause, ").")}};
  } else {
    summary = {{"en", StrCat(name, " works again from every vantage.")},
               {"es", StrCat(name, " funciona otra vez desde todos los puntos de control.")}};
  }
  const bool failing = state != "up";
  nlohmann::json vantages = nlohmann::json::array();
  for (const char* vantage : {"here", "sao-paulo"}) {
    vantages.push_back({{"vantage", vantage}, {"health", state}, {"cause", cause}, {"failed", failing ? 6 : 0},
                        {"endpoints", 6}, {"at", Rfc3339(at)}, {"counted", true},
                        {"detail", failing ? StrCat("6 of 6 checks failed (", cause, ")") : "6 of 6 checks pass"}});
  }
  e.evidence = {{"home", "here"},
                {"vantages", vantages},
                {"signals", {{"feed", failing ? "major" : "ok"}, {"crowd_surge", failing}, {"crowd_reports", failing ? 41 : 0},
                             {"crowd_baseline", 3}, {"outbox_failing", failing}, {"home_link_down", false}}},
                {"summary", summary}};
  return e;
}

Event CrisisEvent(TimePoint at, const std::string& brand, const std::string& brand_name, const std::string& kind,
                  double per_minute, double usual, double negative_share, int64_t mentions, int64_t authors) {
  Event e;
  e.at = at;
  e.kind = kind;
  e.subject = "brand:" + brand;
  e.state = kind == "crisis-over" ? "over" : "suspected";
  e.previous = kind == "crisis-suspected" ? "" : "suspected";
  const int negative_pct = static_cast<int>(std::lround(negative_share * 100));
  nlohmann::json summary;
  if (kind == "crisis-over") {
    summary = {{"en", StrCat("Crisis over at “", brand_name, "”: up to ", static_cast<int>(per_minute), " mentions/min.")},
               {"es", StrCat("Crisis terminada en «", brand_name, "»: hasta ", static_cast<int>(per_minute), " menciones/min.")}};
  } else {
    summary = {{"en", StrCat("Possible crisis at “", brand_name, "” (mention spike): ", static_cast<int>(per_minute),
                             " mentions/min (usual: ", static_cast<int>(usual), "), ", negative_pct, "% negative.")},
               {"es", StrCat("Posible crisis en «", brand_name, "» (pico de menciones): ", static_cast<int>(per_minute),
                             " menciones/min (lo normal: ", static_cast<int>(usual), "), ", negative_pct, " % negativas.")}};
  }
  e.evidence = {
      {"kind", "both"},
      {"magnitude", {{"per_minute", per_minute}, {"usual_per_minute", usual}, {"peak_per_minute", per_minute},
                     {"mentions", mentions}, {"unique_authors", authors}, {"negative_share", negative_share},
                     {"usual_negative_share", 0.12}}},
      {"origin", {{"single_author", false}, {"started_as_reply", true}, {"brand_answered", false},
                  {"terms", {"cobro", "doble", "estafa"}},
                  {"earliest", {{{"author", "laura_m"}, {"text", "Me cobraron dos veces el turno y nadie responde por WhatsApp"}}}}}},
      {"summary", summary}};
  return e;
}

// Customers: WhatsApp first for most (the business's main channel), with the other channels
// they agreed to, so that a failover has somewhere to go for most but not all of them.
std::vector<Customer> MakeCustomers(int n, Random& random) {
  std::vector<Customer> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    Customer c;
    c.id = i + 1;
    c.lang = random.Chance(0.8) ? Lang::kEs : Lang::kEn;
    if (random.Chance(0.75)) c.channels.push_back("whatsapp");
    if (random.Chance(0.15)) c.channels.push_back("instagram");
    if (random.Chance(0.25)) c.channels.push_back("telegram");
    if (random.Chance(0.55)) c.channels.push_back("email");
    if (random.Chance(0.35)) c.channels.push_back("sms");
    if (c.channels.empty()) c.channels.push_back("whatsapp");
    out.push_back(std::move(c));
  }
  return out;
}

// Conversations: a few open at the start, more arriving through the window on the channels
// customers prefer; about a third already answered.
std::vector<Conversation> MakeConversations(const std::vector<Customer>& customers, TimePoint from, TimePoint to,
                                            Random& random) {
  std::vector<Conversation> out;
  const int64_t span_s = std::chrono::duration_cast<seconds>(to - from).count();
  for (const Customer& c : customers) {
    if (!random.Chance(0.04)) continue;
    Conversation v;
    v.customer = c.id;
    v.channel = c.channels.front();
    v.last_inbound = from + seconds(random.Between(0, std::max<int64_t>(span_s, 1)));
    v.answered = random.Chance(0.3);
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<Campaign> MakeCampaigns(int n, Random& random) {
  static constexpr const char* kProducts[] = {"Turnos", "Plan mensual", "Consulta online", "Recetario", "Taller",
                                              "Black Friday", "Vuelta al cole", "Primavera"};
  std::vector<Campaign> out;
  for (int i = 0; i < n; ++i) {
    Campaign c;
    // Most spend is on Meta (Instagram and Facebook), then Google, then TikTok.
    const int slot = i % 10;
    if (slot < 4) {
      c.account = "meta", c.platform = "instagram";
    } else if (slot < 6) {
      c.account = "meta", c.platform = "facebook";
    } else if (slot < 8) {
      c.account = "google", c.platform = "google";
    } else {
      c.account = "tiktok", c.platform = "tiktok";
    }
    c.id = StrCat(c.account == "meta" ? "1200000000" : c.account == "google" ? "9100" : "17000", 100 + i);
    c.name = StrCat(kProducts[i % 8], " ", NameOf(c.platform), " #", i + 1);
    c.active = !random.Chance(0.12);  // some were paused by people before anything happened
    if (i == 0) {
      // The campaign the example plans move to another platform when Instagram fails.
      c.name = "Turnos de noviembre";
      c.active = true;
    }
    c.spend_per_hour_micros = random.Between(40, 900) * 10'000;  // 0.40 to 9.00 an hour
    c.impressions_per_hour = random.Between(200, 6000);
    c.clicks_per_hour = c.impressions_per_hour * random.Between(8, 40) / 1000;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ScheduledPost> MakePosts(TimePoint from, TimePoint to, const std::vector<std::string>& platforms, Random& random) {
  std::vector<ScheduledPost> out;
  const int64_t span_min = std::chrono::duration_cast<minutes>(to - from).count();
  int k = 0;
  for (const std::string& p : platforms) {
    for (int i = 0; i < 3; ++i) {
      ScheduledPost post;
      post.platform = p;
      post.id = StrCat(p, "-post-", ++k);
      post.title = StrCat(i == 0 ? "Receta de la semana" : i == 1 ? "Turnos disponibles" : "Consejo del día", " (", NameOf(p), ")");
      post.at = from + minutes(random.Between(15, std::max<int64_t>(span_min - 15, 16)));
      out.push_back(std::move(post));
    }
  }
  std::sort(out.begin(), out.end(), [](const ScheduledPost& a, const ScheduledPost& b) { return a.at < b.at; });
  return out;
}

// Mentions per minute: `usual` a minute, `surge` between `from` and `to` with `negative` of
// them negative; a little noise so the chart looks like a day, the same for a seed.
std::vector<MentionMinute> MakeMentions(TimePoint start, TimePoint end, TimePoint from, TimePoint to, double usual,
                                        double surge, double negative, Random& random) {
  std::vector<MentionMinute> out;
  for (TimePoint m = start; m < end; m += minutes(1)) {
    const bool in = m >= from && m < to;
    const double mean = in ? surge : usual;
    const int64_t total = std::max<int64_t>(0, static_cast<int64_t>(std::lround(mean * (0.7 + 0.6 * random.Unit()))));
    MentionMinute mm;
    mm.minute = m;
    const double neg = in ? negative : 0.12;
    for (int64_t i = 0; i < total; ++i) {
      const double u = random.Unit();
      if (u < neg) ++mm.negative;
      else if (u < neg + 0.1) ++mm.positive;
      else if (u < 0.9) ++mm.neutral;
      else ++mm.unknown;
    }
    out.push_back(mm);
  }
  return out;
}

void Number(Scenario& s) {
  std::stable_sort(s.events.begin(), s.events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  for (std::size_t i = 0; i < s.events.size(); ++i) s.events[i].id = static_cast<int64_t>(i + 1);
}

// The made-up business around a scenario's events: customers, their conversations up to
// `quiet_from`, the campaigns, posts scheduled in [posts_from, posts_to] on `post_platforms`,
// and mentions per minute until `mentions_until`, surging in [surge_from, surge_to).
struct BusinessShape {
  TimePoint quiet_from, posts_from, posts_to, mentions_until, surge_from, surge_to;
  std::vector<std::string> post_platforms;
  double usual = 3, surge = 20, negative = 0.5;
};

void MakeBusiness(Scenario& s, const ScenarioSize& size, Random& random, const BusinessShape& b) {
  s.customers = MakeCustomers(size.customers, random);
  s.conversations = MakeConversations(s.customers, s.start, b.quiet_from, random);
  s.campaigns = MakeCampaigns(size.campaigns, random);
  if (!b.post_platforms.empty()) s.posts = MakePosts(b.posts_from, b.posts_to, b.post_platforms, random);
  s.mentions = MakeMentions(s.start, b.mentions_until, b.surge_from, b.surge_to, b.usual, b.surge, b.negative, random);
}

Scenario Fb2021(const ScenarioSize& size) {
  Random random(size.seed);
  Scenario s;
  s.name = "fb-2021";
  s.title = {"Caída de Facebook, Instagram y WhatsApp (4 de octubre de 2021)",
             "Facebook, Instagram and WhatsApp outage (4 October 2021)"};
  s.summary = {"Los servidores DNS de Facebook desaparecieron de Internet: WhatsApp, Instagram y Facebook "
               "no funcionaron para nadie durante casi seis horas (15:40–21:40 UTC).",
               "Facebook's DNS servers vanished from the Internet: WhatsApp, Instagram and Facebook "
               "failed for everyone for almost six hours (15:40–21:40 UTC)."};
  s.start = At("2021-10-04T15:30:00Z");
  s.end = At("2021-10-05T03:00:00Z");
  const TimePoint down = At("2021-10-04T15:41:30Z");
  struct Back {
    const char* platform;
    const char* at;
  };
  for (const Back& b : {Back{"facebook", "2021-10-04T21:31:00Z"}, Back{"instagram", "2021-10-04T21:36:00Z"},
                        Back{"whatsapp", "2021-10-04T21:41:00Z"}}) {
    s.events.push_back(PlatformEvent(down + seconds(b.platform[0] == 'f' ? 15 : 0), b.platform, "platform-down", "down",
                                     "up", "global", "dns-servfail"));
    s.events.push_back(PlatformEvent(At(b.at), b.platform, "platform-restored", "up", "down", "", ""));
    s.health.push_back({s.start, b.platform, "up"});
    s.health.push_back({down, b.platform, "down"});
    s.health.push_back({At(b.at), b.platform, "up"});
  }
  s.health.push_back({s.start, "telegram", "up"});
  Number(s);
  MakeBusiness(s, size, random,
               {At("2021-10-04T21:41:00Z"), down, At("2021-10-04T21:30:00Z"), At("2021-10-04T23:00:00Z"), down,
                At("2021-10-04T21:45:00Z"), {"instagram", "facebook"}, 3, 40, 0.55});
  return s;
}

Scenario WhatsApp2022(const ScenarioSize& size) {
  Random random(size.seed + 1);
  Scenario s;
  s.name = "whatsapp-2022";
  s.title = {"WhatsApp no entrega mensajes (25 de octubre de 2022)", "WhatsApp stops delivering messages (25 October 2022)"};
  s.summary = {"WhatsApp respondía pero los mensajes no salían: unas dos horas de fallo de mensajería "
               "(06:37–08:47 UTC) que un control de alcance común no ve.",
               "WhatsApp answered but messages did not go through: about two hours of messaging failure "
               "(06:37–08:47 UTC) that a plain reachability check does not see."};
  s.start = At("2022-10-25T06:30:00Z");
  s.end = At("2022-10-25T14:00:00Z");
  const TimePoint partial = At("2022-10-25T06:37:00Z"), back = At("2022-10-25T08:47:00Z");
  s.events.push_back(PlatformEvent(partial, "whatsapp", "platform-partial", "partial", "up", "", "app"));
  s.events.push_back(PlatformEvent(back, "whatsapp", "platform-restored", "up", "partial", "", ""));
  Number(s);
  s.health = {{s.start, "whatsapp", "up"}, {partial, "whatsapp", "partial"}, {back, "whatsapp", "up"},
              {s.start, "instagram", "up"}, {s.start, "telegram", "up"}};
  MakeBusiness(s, size, random,
               {back, partial, back, At("2022-10-25T10:00:00Z"), partial, back + minutes(5), {"instagram"}, 3, 25, 0.5});
  return s;
}

Scenario ReputationSpike(const ScenarioSize& size) {
  Random random(size.seed + 2);
  Scenario s;
  s.name = "reputation-spike";
  s.title = {"Pico de quejas: cobros duplicados", "Complaint spike: double charges"};
  s.summary = {"Una clienta a la que nadie respondió contó que le cobraron dos veces; en una hora cientos "
               "de personas repitieron la queja y se habló de estafa.",
               "A customer nobody answered said she had been charged twice; within an hour hundreds of "
               "people repeated the complaint and talk turned to fraud."};
  s.start = At("2026-03-10T13:00:00Z");
  s.end = At("2026-03-10T22:00:00Z");
  const std::string brand = "nutricion-ana", name = "Nutrición Ana";
  s.events.push_back(CrisisEvent(At("2026-03-10T14:02:00Z"), brand, name, "crisis-suspected", 48, 2, 0.71, 212, 160));
  s.events.push_back(CrisisEvent(At("2026-03-10T14:20:00Z"), brand, name, "crisis-updated", 96, 2, 0.78, 1130, 840));
  s.events.push_back(CrisisEvent(At("2026-03-10T15:40:00Z"), brand, name, "crisis-over", 96, 2, 0.35, 2980, 2100));
  Number(s);
  s.health = {{s.start, "whatsapp", "up"}, {s.start, "instagram", "up"}, {s.start, "facebook", "up"}};
  MakeBusiness(s, size, random,
               {At("2026-03-10T15:40:00Z"), At("2026-03-10T14:00:00Z"), At("2026-03-10T16:00:00Z"),
                At("2026-03-10T17:00:00Z"), At("2026-03-10T13:58:00Z"), At("2026-03-10T15:40:00Z"),
                {"instagram", "facebook"}, 2, 60, 0.72});
  return s;
}

// Platform health over time, from the events themselves (for the report's status chart).
std::vector<HealthChange> HealthFromEvents(const std::vector<Event>& events, TimePoint start) {
  std::vector<HealthChange> out;
  std::vector<std::string> seen;
  for (const Event& e : events) {
    if (e.kind.rfind("platform-", 0) != 0 || e.state.empty()) continue;
    if (std::find(seen.begin(), seen.end(), e.subject) == seen.end()) {
      seen.push_back(e.subject);
      out.push_back({start, e.subject, e.previous.empty() ? "up" : e.previous});
    }
    out.push_back({e.at, e.subject, e.state});
  }
  return out;
}

}  // namespace

absl::StatusOr<Scenario> RecordedScenario(std::string_view text, const std::string& name, const ScenarioSize& size) {
  Scenario s;
  s.name = name;
  auto add = [&](const nlohmann::json& j, const std::string& where) -> absl::Status {
    auto event = EventFromJson(j);
    if (!event.ok()) return absl::InvalidArgumentError(StrCat(name, ": ", where, ": ", Message(event.status())));
    s.events.push_back(std::move(*event));
    return absl::OkStatus();
  };
  const std::string_view trimmed = Trim(text);
  if (!trimmed.empty() && trimmed.front() == '{' && trimmed.find('\n') != std::string_view::npos &&
      trimmed.substr(0, 40).find("\"events\"") != std::string_view::npos) {
    // GET /api/v1/events
    auto doc = nlohmann::json::parse(trimmed, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("events") || !doc["events"].is_array())
      return absl::InvalidArgumentError(StrCat(name, ": expected {\"events\": [...]} or one event per line"));
    for (std::size_t i = 0; i < doc["events"].size(); ++i)
      FARO_RETURN_IF_ERROR(add(doc["events"][i], StrCat("events[", i, "]")));
  } else {
    int line_no = 0;
    for (std::string_view line : Split(text, "\n")) {
      ++line_no;
      line = Trim(line);
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) return absl::InvalidArgumentError(StrCat(name, ": line ", line_no, ": not JSON"));
      if (j.is_object() && j.contains("events") && j["events"].is_array()) {
        for (std::size_t i = 0; i < j["events"].size(); ++i)
          FARO_RETURN_IF_ERROR(add(j["events"][i], StrCat("line ", line_no, ": events[", i, "]")));
      } else {
        FARO_RETURN_IF_ERROR(add(j, StrCat("line ", line_no)));
      }
    }
  }
  if (s.events.empty()) return absl::InvalidArgumentError(StrCat(name, ": no events in it"));
  Number(s);
  s.start = s.events.front().at - minutes(10);
  s.end = s.events.back().at + hours(8);
  s.title = {StrCat("Incidente registrado: ", name), StrCat("Recorded incident: ", name)};
  s.summary = {StrCat(s.events.size(), " eventos registrados entre ", Rfc3339(s.events.front().at), " y ",
                      Rfc3339(s.events.back().at), "."),
               StrCat(s.events.size(), " recorded events between ", Rfc3339(s.events.front().at), " and ",
                      Rfc3339(s.events.back().at), ".")};
  s.health = HealthFromEvents(s.events, s.start);
  Random random(size.seed);
  MakeBusiness(s, size, random,
               {s.events.back().at, {}, {}, s.events.back().at + hours(1), s.events.front().at, s.events.back().at, {}, 3,
                20, 0.5});
  return s;
}

std::vector<std::string> BuiltinScenarioNames() { return {"fb-2021", "whatsapp-2022", "reputation-spike"}; }

absl::StatusOr<Scenario> BuiltinScenario(const std::string& name, const ScenarioSize& size) {
  if (size.customers < 0 || size.customers > 10'000'000)
    return absl::InvalidArgumentError("customers: expected 0 to 10,000,000");
  if (size.campaigns < 0 || size.campaigns > 100'000)
    return absl::InvalidArgumentError("campaigns: expected 0 to 100,000");
  if (name == "fb-2021") return Fb2021(size);
  if (name == "whatsapp-2022") return WhatsApp2022(size);
  if (name == "reputation-spike") return ReputationSpike(size);
  return absl::NotFoundError(StrCat("no drill scenario \"", name, "\"; the built-in ones are ",
                                    Join(BuiltinScenarioNames(), ", ")));
}

}  // namespace faro::drill
