#include "record/restoration.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/decimal.hpp"
#include "record/words.hpp"

namespace faro::record {
namespace {

using std::chrono::milliseconds;
constexpr int64_t kHourMs = 3600000;
constexpr std::size_t kMaxNamed = 5;  // a sentence names at most this many things

// Builds the two languages side by side.
struct Both {
  std::string es, en;
  void Add(std::string_view s_es, std::string_view s_en) {
    es += s_es;
    en += s_en;
  }
  Text Done() const { return {es, en}; }
};

std::string Name(std::string_view name, std::string_view fallback) {
  return std::string(name.empty() ? fallback : name);
}

// "a, b, c" capped at kMaxNamed, then "y 3 más" / "and 3 more".
void AddList(Both& out, const std::vector<Text>& items) {
  for (std::size_t i = 0; i < items.size() && i < kMaxNamed; ++i) {
    if (i > 0) out.Add("; ", "; ");
    out.Add(items[i].es, items[i].en);
  }
  if (items.size() > kMaxNamed) {
    const int64_t more = static_cast<int64_t>(items.size() - kMaxNamed);
    out.Add(StrCat("; y ", more, " más"), StrCat("; and ", more, " more"));
  }
}

CheckItem Item(std::string_view id, ItemState state, const Both& text, nlohmann::json details) {
  return CheckItem{std::string(id), state, text.Done(), std::move(details)};
}

Both NotYet(const RestorationFacts& f) {
  const Text words = NotRestoredText(f.restored);
  Both t;
  t.Add(words.es, words.en);
  return t;
}

// The same item, pending, with "not yet" before its usual words (which say what is known so far).
CheckItem NotYetItem(const RestorationFacts& f, CheckItem item, std::string_view es, std::string_view en) {
  Both t = NotYet(f);
  t.Add(" ", " ");
  t.Add(es, en);
  item.state = ItemState::kPending;
  item.text = t.Done();
  item.details["not_restored"] = true;
  return item;
}

// ---- scheduled-posts -------------------------------------------------------------------------

CheckItem ScheduledPosts(const RestorationFacts& f) {
  int64_t published = 0, rescheduled = 0;
  std::vector<Text> missed, unknown;
  nlohmann::json missed_json = nlohmann::json::array(), unknown_json = nlohmann::json::array();
  for (const ScheduledPost& p : f.posts) {
    const std::string title = Name(p.title, p.id);
    const Text named{StrCat(Quoted(title, Lang::kEs), " (", p.channel, ", ", DateTime(p.due), ")"),
                     StrCat(Quoted(title, Lang::kEn), " (", p.channel, ", ", DateTime(p.due), ")")};
    const nlohmann::json j = {{"id", p.id}, {"title", p.title}, {"channel", p.channel}, {"due", Rfc3339(p.due)}};
    switch (p.state) {
      case PostState::kPublished: ++published; break;
      case PostState::kRescheduled: ++rescheduled; break;
      case PostState::kMissed: missed.push_back(named), missed_json.push_back(j); break;
      case PostState::kUnknown: unknown.push_back(named), unknown_json.push_back(j); break;
    }
  }
  const int64_t total = static_cast<int64_t>(f.posts.size());
  nlohmann::json details = {{"total", total},          {"published", published},
                            {"rescheduled", rescheduled}, {"missed", missed_json},
                            {"unknown", unknown_json}};
  Both t;
  if (total == 0) {
    t.Add("No había publicaciones programadas durante la caída.",
          "No posts were scheduled in the outage window.");
    return Item("scheduled-posts", ItemState::kGreen, t, details);
  }
  if (!missed.empty()) {
    t.Add(StrCat("Publicaciones programadas que no salieron (", missed.size(), " de ", total, "): "),
          StrCat("Scheduled posts missed (", missed.size(), " of ", total, "): "));
    AddList(t, missed);
    t.Add(". Publícalas o reprográmalas.", ". Publish or reschedule them.");
    if (!unknown.empty())
      t.Add(StrCat(" Aún no se sabe si salieron otras: ", unknown.size(), "."),
            StrCat(" Not known yet whether more went out: ", unknown.size(), "."));
    return Item("scheduled-posts", ItemState::kRed, t, details);
  }
  if (!unknown.empty()) {
    t.Add(StrCat("Aún no se sabe si salieron estas publicaciones programadas (", unknown.size(), " de ", total, "): "),
          StrCat("Not known yet whether these scheduled posts went out (", unknown.size(), " of ", total, "): "));
    AddList(t, unknown);
    t.Add(".", ".");
    return Item("scheduled-posts", ItemState::kPending, t, details);
  }
  t.Add(StrCat("Salieron todas las publicaciones programadas durante la caída (", total, "; publicadas: ", published,
               ", reprogramadas: ", rescheduled, ")."),
        StrCat("Every post scheduled in the outage window went out (", total, "; published: ", published,
               ", rescheduled: ", rescheduled, ")."));
  return Item("scheduled-posts", ItemState::kGreen, t, details);
}

// ---- outbox-drained --------------------------------------------------------------------------

CheckItem OutboxDrained(const RestorationFacts& f) {
  const nlohmann::json details = {{"pending", f.outbox_pending}, {"given_up", f.outbox_given_up}};
  Both t;
  if (f.outbox_given_up > 0) {
    t.Add(StrCat("Mensajes que no se pudieron entregar (Faro dejó de intentarlo): ",
                 FormatCount(f.outbox_given_up, Lang::kEs), ". Revísalos en la cola de envíos."),
          StrCat("Messages that could not be delivered (Faro gave up on them): ",
                 FormatCount(f.outbox_given_up, Lang::kEn), ". Check them in the outbox."));
    if (f.outbox_pending > 0)
      t.Add(StrCat(" Por enviar: ", FormatCount(f.outbox_pending, Lang::kEs), "."),
            StrCat(" Still to send: ", FormatCount(f.outbox_pending, Lang::kEn), "."));
    return Item("outbox-drained", ItemState::kRed, t, details);
  }
  if (f.outbox_pending > 0) {
    t.Add(StrCat("Mensajes que quedan por enviar: ", FormatCount(f.outbox_pending, Lang::kEs), "."),
          StrCat("Messages still waiting to be sent: ", FormatCount(f.outbox_pending, Lang::kEn), "."));
    return Item("outbox-drained", ItemState::kPending, t, details);
  }
  t.Add("La cola de envíos está vacía: se enviaron todos los mensajes.",
        "The outbox is empty: every message was sent.");
  return Item("outbox-drained", ItemState::kGreen, t, details);
}

// ---- unanswered ------------------------------------------------------------------------------

CheckItem Unanswered(const RestorationFacts& f, const RestorationOptions& o) {
  std::vector<WaitingConversation> sorted = f.waiting;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.waiting_since < b.waiting_since; });
  std::vector<Text> late;
  int64_t recent = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const WaitingConversation& c : sorted) {
    const milliseconds waited = std::chrono::duration_cast<milliseconds>(f.now - c.waiting_since);
    const bool over = waited > o.reply_grace;
    list.push_back({{"id", c.id},
                    {"contact", c.contact},
                    {"channel", c.channel},
                    {"waiting_since", Rfc3339(c.waiting_since)},
                    {"over_grace", over}});
    if (!over) {
      ++recent;
      continue;
    }
    const std::string who = Name(c.contact, c.id);
    late.push_back({StrCat(who, " (", c.channel, ", ", FormatDuration(waited, Lang::kEs), ")"),
                    StrCat(who, " (", c.channel, ", ", FormatDuration(waited, Lang::kEn), ")")});
  }
  // unanswered_left: every conversation still waiting, late or not (the incident's figure).
  const nlohmann::json details = {{"waiting", list},
                                  {"unanswered_left", static_cast<int64_t>(sorted.size())},
                                  {"grace_s", std::chrono::duration_cast<std::chrono::seconds>(o.reply_grace).count()}};
  Both t;
  const std::string grace_es = FormatDuration(o.reply_grace, Lang::kEs);
  const std::string grace_en = FormatDuration(o.reply_grace, Lang::kEn);
  if (!late.empty()) {
    t.Add(StrCat("Conversaciones que esperan respuesta hace más de ", grace_es, " (", late.size(), "): "),
          StrCat("Conversations waiting for an answer for more than ", grace_en, " (", late.size(), "): "));
    AddList(t, late);
    t.Add(". Respóndeles personalmente.", ". Answer them personally.");
    if (recent > 0)
      t.Add(StrCat(" Escribieron hace menos: ", recent, "."), StrCat(" Wrote more recently: ", recent, "."));
    return Item("unanswered", ItemState::kRed, t, details);
  }
  if (recent > 0) {
    t.Add(StrCat("Conversaciones que recibieron un mensaje en los últimos ", grace_es, " y esperan respuesta: ", recent, "."),
          StrCat("Conversations that got a message in the last ", grace_en, " and wait for an answer: ", recent, "."));
    return Item("unanswered", ItemState::kPending, t, details);
  }
  t.Add("Todas las conversaciones tienen respuesta.", "Every conversation has an answer.");
  return Item("unanswered", ItemState::kGreen, t, details);
}

// ---- campaigns-resumed -----------------------------------------------------------------------

// What a campaign should look like after the incident: running if it ran before, otherwise as
// it was (Faro resumes only what it paused).
std::string ExpectedStatus(const CampaignFact& c) { return c.status_before == "active" ? "active" : c.status_before; }

CheckItem CampaignsResumed(const RestorationFacts& f) {
  std::vector<Text> wrong, unread, kept;
  int64_t resumed = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const CampaignFact& c : f.campaigns) {
    const std::string name = Name(c.name, c.id);
    const std::string expected = ExpectedStatus(c);
    const bool known = c.status_now.has_value();
    const bool ok = known && *c.status_now == expected;
    list.push_back({{"account", c.account},
                    {"id", c.id},
                    {"name", c.name},
                    {"before", c.status_before},
                    {"now", known ? nlohmann::json(*c.status_now) : nlohmann::json(nullptr)},
                    {"expected", expected},
                    {"ok", ok}});
    const std::string es_name = Quoted(name, Lang::kEs), en_name = Quoted(name, Lang::kEn);
    if (!known) {
      unread.push_back({es_name, en_name});
    } else if (ok) {
      if (expected == "active") ++resumed;
      else if (expected == "paused")
        kept.push_back({es_name, en_name});
    } else if (c.status_before == "paused" && *c.status_now == "active") {
      wrong.push_back({StrCat(es_name, " estaba pausada antes del incidente y ahora está activa"),
                       StrCat(en_name, " was paused before the incident and is running now")});
    } else if (*c.status_now == "paused") {
      wrong.push_back({StrCat(es_name, " sigue pausada"), StrCat(en_name, " is still paused")});
    } else if (*c.status_now == "removed") {
      wrong.push_back({StrCat(es_name, " fue eliminada"), StrCat(en_name, " was removed")});
    } else {
      const std::string raw = c.raw_status_now.empty() ? *c.status_now : c.raw_status_now;
      wrong.push_back({StrCat(es_name, " está en estado ", raw), StrCat(en_name, " is in state ", raw)});
    }
  }
  const nlohmann::json details = {{"campaigns", list}};
  Both t;
  auto kept_sentence = [&] {
    if (kept.empty()) return;
    t.Add(" ", " ");
    AddList(t, kept);
    t.Add(kept.size() == 1 ? " ya estaba pausada antes del incidente y sigue pausada, como corresponde."
                           : " ya estaban pausadas antes del incidente y siguen pausadas, como corresponde.",
          kept.size() == 1 ? " was already paused before the incident and stays paused, as expected."
                           : " were already paused before the incident and stay paused, as expected.");
  };
  if (f.campaigns.empty()) {
    t.Add("Faro no pausó campañas en este incidente.", "Faro paused no campaigns in this incident.");
    return Item("campaigns-resumed", ItemState::kGreen, t, details);
  }
  if (!wrong.empty()) {
    t.Add("No están como se esperaba: ", "Not as expected: ");
    AddList(t, wrong);
    t.Add(".", ".");
    if (!unread.empty()) {
      t.Add(" No se pudo leer el estado de: ", " Could not read the status of: ");
      AddList(t, unread);
      t.Add(".", ".");
    }
    kept_sentence();
    return Item("campaigns-resumed", ItemState::kRed, t, details);
  }
  if (!unread.empty()) {
    t.Add("Aún no se pudo leer el estado de: ", "Could not read the status yet of: ");
    AddList(t, unread);
    t.Add(".", ".");
    kept_sentence();
    return Item("campaigns-resumed", ItemState::kPending, t, details);
  }
  if (resumed > 0)
    t.Add(StrCat("Vuelven a estar activas las campañas que Faro pausó (", resumed, ")."),
          StrCat("Every campaign Faro paused is running again (", resumed, ")."));
  else
    t.Add("No había campañas que reanudar.", "There were no campaigns to resume.");
  kept_sentence();
  return Item("campaigns-resumed", ItemState::kGreen, t, details);
}

// ---- ad-figures ------------------------------------------------------------------------------

struct Metric {
  std::string_view id, es, en;
  bool per_hour;  // a total over the window (compared per hour) rather than a ratio
  enum Unit { kMoney, kCount, kPercent } unit;
};
constexpr Metric kMetrics[] = {
    {"spend", "gasto", "spend", true, Metric::kMoney},
    {"impressions", "impresiones", "impressions", true, Metric::kCount},
    {"clicks", "clics", "clicks", true, Metric::kCount},
    {"cpm", "CPM", "CPM", false, Metric::kMoney},
    {"ctr", "CTR", "CTR", false, Metric::kPercent},
};

// The metric in millionths (counts scaled up so every metric is compared the same way).
int64_t MetricMicros(const AdFigures& a, std::string_view id) {
  if (id == "spend") return a.spend_micros;
  if (id == "impressions") return a.impressions * 1000000;
  if (id == "clicks") return a.clicks * 1000000;
  if (id == "cpm") return a.cpm_micros;
  return a.ctr_micros;
}

// A value per hour in millionths, rounded (for display; the comparison itself is exact).
int64_t PerHour(int64_t micros, int64_t window_ms) {
  return static_cast<int64_t>(DivRound(static_cast<__int128>(micros) * kHourMs, window_ms));
}

std::string ShowValue(const Metric& m, int64_t micros, std::string_view currency, Lang lang) {
  const std::string_view per_hour = m.per_hour ? "/h" : "";
  switch (m.unit) {
    case Metric::kMoney:
      return StrCat(FormatDecimal(micros, 2, lang), " ", currency, per_hour);
    case Metric::kCount:
      return StrCat(FormatDecimal(micros, 1, lang), per_hour);
    case Metric::kPercent:
      return StrCat(FormatDecimal(micros, 2, lang), " %");
  }
  return "";
}

CheckItem AdFiguresItem(const RestorationFacts& f, const RestorationOptions& o) {
  // Campaigns expected to stay paused are not compared: no delivery is what is expected.
  auto stays_paused = [&](const AdComparison& a) {
    for (const CampaignFact& c : f.campaigns)
      if (c.account == a.account && c.id == a.campaign && ExpectedStatus(c) != "active") return true;
    return false;
  };
  const int tol_decimals = o.ad_tolerance_bp % 100 == 0 ? 0 : 2;  // "25 %", "12,50 %"
  const std::string tol_es = FormatDecimal(o.ad_tolerance_bp * 10000, tol_decimals, Lang::kEs);
  const std::string tol_en = FormatDecimal(o.ad_tolerance_bp * 10000, tol_decimals, Lang::kEn);
  std::vector<Text> outside, waiting, skipped;
  int64_t within = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const AdComparison& a : f.ads) {
    const std::string name = Name(a.name, a.campaign.empty() ? a.account : a.campaign);
    const std::string es_name = Quoted(name, Lang::kEs), en_name = Quoted(name, Lang::kEn);
    nlohmann::json entry = {{"account", a.account}, {"campaign", a.campaign}, {"name", a.name}, {"currency", a.currency}};
    if (stays_paused(a)) {
      entry["status"] = "skipped";
      entry["reason"] = "stays-paused";
      skipped.push_back({StrCat(es_name, " (sigue pausada, como antes del incidente)"),
                         StrCat(en_name, " (stays paused, as before the incident)")});
      list.push_back(entry);
      continue;
    }
    if (a.baseline.window_ms <= 0) {
      entry["status"] = "skipped";
      entry["reason"] = "no-baseline";
      skipped.push_back({StrCat(es_name, " (sin referencia previa)"), StrCat(en_name, " (no baseline)")});
      list.push_back(entry);
      continue;
    }
    if (!a.now || a.now->window_ms < o.min_ad_window.count()) {
      const int64_t have = a.now ? std::max<int64_t>(a.now->window_ms, 0) : 0;
      entry["status"] = "waiting";
      entry["now_window_s"] = have / 1000;
      waiting.push_back({StrCat(es_name, " (", FormatDuration(milliseconds(have), Lang::kEs), " de cifras)"),
                         StrCat(en_name, " (", FormatDuration(milliseconds(have), Lang::kEn), " of figures)")});
      list.push_back(entry);
      continue;
    }
    const AdFigures& now = *a.now;
    nlohmann::json metrics = nlohmann::json::array();
    std::vector<Text> off;
    for (const Metric& m : kMetrics) {
      const int64_t base_v = MetricMicros(a.baseline, m.id), now_v = MetricMicros(now, m.id);
      // Compare now_v / now_w with base_v / base_w exactly: cross-multiply the windows.
      const __int128 base_w = m.per_hour ? a.baseline.window_ms : 1, now_w = m.per_hour ? now.window_ms : 1;
      const __int128 base_scaled = static_cast<__int128>(base_v) * now_w;
      const __int128 now_scaled = static_cast<__int128>(now_v) * base_w;
      const int64_t base_show = m.per_hour ? PerHour(base_v, a.baseline.window_ms) : base_v;
      const int64_t now_show = m.per_hour ? PerHour(now_v, now.window_ms) : now_v;
      nlohmann::json mj = {{"metric", m.id},
                           {"baseline", FormatFixed(base_show, 6)},
                           {"now", FormatFixed(now_show, 6)},
                           {"per_hour", m.per_hour}};
      if (base_scaled == 0) {
        mj["within"] = now_scaled == 0;
        mj["judged"] = false;  // nothing to compare with
        metrics.push_back(mj);
        continue;
      }
      const __int128 diff = now_scaled - base_scaled;
      const __int128 magnitude = diff < 0 ? -diff : diff;
      const bool ok = magnitude * 10000 <= static_cast<__int128>(o.ad_tolerance_bp) * (base_scaled < 0 ? -base_scaled : base_scaled);
      const int64_t change = static_cast<int64_t>(DivRound(diff * 100000000, base_scaled));  // percent, micros
      mj["change_percent"] = FormatFixed(change, 1);
      mj["within"] = ok;
      mj["judged"] = true;
      metrics.push_back(mj);
      if (!ok) {
        const std::string sign = change > 0 ? "+" : "";
        off.push_back({StrCat(m.es, " ", ShowValue(m, now_show, a.currency, Lang::kEs), " frente a ",
                              ShowValue(m, base_show, a.currency, Lang::kEs), " (", sign,
                              FormatDecimal(change, 1, Lang::kEs), " %)"),
                       StrCat(m.en, " ", ShowValue(m, now_show, a.currency, Lang::kEn), " against ",
                              ShowValue(m, base_show, a.currency, Lang::kEn), " (", sign,
                              FormatDecimal(change, 1, Lang::kEn), " %)")});
      }
    }
    entry["metrics"] = metrics;
    entry["status"] = off.empty() ? "within" : "outside";
    list.push_back(entry);
    if (off.empty()) {
      ++within;
      continue;
    }
    Both one;
    one.Add(StrCat(es_name, ": "), StrCat(en_name, ": "));
    for (std::size_t i = 0; i < off.size(); ++i) one.Add(i ? ", " : "", i ? ", " : ""), one.Add(off[i].es, off[i].en);
    outside.push_back(one.Done());
  }
  const nlohmann::json details = {{"tolerance_percent", FormatFixed(o.ad_tolerance_bp * 10000, 2)},
                                  {"min_window_s", std::chrono::duration_cast<std::chrono::seconds>(o.min_ad_window).count()},
                                  {"campaigns", list}};
  Both t;
  auto skipped_sentence = [&] {
    if (skipped.empty()) return;
    t.Add(" Sin comparar: ", " Not compared: ");
    AddList(t, skipped);
    t.Add(".", ".");
  };
  if (f.ads.empty()) {
    t.Add("No hay cifras de anuncios que comparar en este incidente.", "There are no ad figures to compare in this incident.");
    return Item("ad-figures", ItemState::kGreen, t, details);
  }
  if (!outside.empty()) {
    t.Add(StrCat("Fuera de la tolerancia del ", tol_es, " % respecto de antes del incidente: "),
          StrCat("Outside the ", tol_en, " % tolerance against the pre-incident baseline: "));
    AddList(t, outside);
    t.Add(".", ".");
    if (!waiting.empty()) {
      t.Add(" Esperando más cifras: ", " Waiting for more figures: ");
      AddList(t, waiting);
      t.Add(".", ".");
    }
    skipped_sentence();
    return Item("ad-figures", ItemState::kRed, t, details);
  }
  if (!waiting.empty()) {
    const std::string need_es = FormatDuration(o.min_ad_window, Lang::kEs);
    const std::string need_en = FormatDuration(o.min_ad_window, Lang::kEn);
    t.Add(StrCat("Esperando cifras suficientes (hacen falta ", need_es, " desde la reanudación): "),
          StrCat("Waiting for enough figures (", need_en, " since resuming are needed): "));
    AddList(t, waiting);
    t.Add(".", ".");
    skipped_sentence();
    return Item("ad-figures", ItemState::kPending, t, details);
  }
  if (within > 0)
    t.Add(StrCat("Cifras dentro del ", tol_es, " % de las de antes del incidente (campañas: ", within,
                 "; gasto, impresiones y clics por hora; CPM y CTR)."),
          StrCat("Figures within ", tol_en, " % of the pre-incident baseline (campaigns: ", within,
                 "; spend, impressions and clicks per hour; CPM and CTR)."));
  else
    t.Add("No hubo cifras que comparar.", "There were no figures to compare.");
  skipped_sentence();
  return Item("ad-figures", ItemState::kGreen, t, details);
}

// ---- watching --------------------------------------------------------------------------------

CheckItem Watching(const RestorationFacts& f) {
  const milliseconds left = std::chrono::duration_cast<milliseconds>(f.watch_until - f.now);
  const nlohmann::json details = {{"until", Rfc3339(f.watch_until)},
                                  {"left_s", std::max<int64_t>(0, left.count() / 1000)}};
  Both t;
  if (left.count() > 0) {
    t.Add(StrCat("Sigue la vigilancia reforzada hasta ", DateTime(f.watch_until), " (faltan ",
                 FormatDuration(left, Lang::kEs), "): menciones, mensajes y anuncios."),
          StrCat("Keep watching closely until ", DateTime(f.watch_until), " (", FormatDuration(left, Lang::kEn),
                 " left): mentions, messages and ads."));
    return Item("watching", ItemState::kPending, t, details);
  }
  t.Add(StrCat("La vigilancia reforzada terminó (", DateTime(f.watch_until), ")."),
        StrCat("The heightened watching ended (", DateTime(f.watch_until), ")."));
  return Item("watching", ItemState::kGreen, t, details);
}

}  // namespace

std::string_view ItemStateName(ItemState state) {
  switch (state) {
    case ItemState::kGreen: return "green";
    case ItemState::kRed: return "red";
    case ItemState::kPending: return "pending";
  }
  return "pending";
}

std::optional<ItemState> ItemStateFromName(std::string_view name) {
  if (name == "green") return ItemState::kGreen;
  if (name == "red") return ItemState::kRed;
  if (name == "pending") return ItemState::kPending;
  return std::nullopt;
}

nlohmann::json CheckItemToJson(const CheckItem& item) {
  return {{"item", item.item},
          {"state", ItemStateName(item.state)},
          {"text", {{"es", item.text.es}, {"en", item.text.en}}},
          {"details", item.details}};
}

Text NotRestoredText(Restored restored) {
  switch (restored) {
    case Restored::kYes: return {};
    case Restored::kPlatformNotBack: return {"Todavía no: la plataforma no volvió.", "Not yet: the platform is not back."};
    case Restored::kCrisisNotOver: return {"Todavía no: la crisis no terminó.", "Not yet: the crisis is not over."};
  }
  return {};
}

std::vector<CheckItem> CheckRestoration(const RestorationFacts& facts, const RestorationOptions& options) {
  std::vector<CheckItem> items{ScheduledPosts(facts),  OutboxDrained(facts),          Unanswered(facts, options),
                               CampaignsResumed(facts), AdFiguresItem(facts, options), Watching(facts)};
  if (facts.restored == Restored::kYes) return items;
  // Before restoration. outbox-drained and unanswered describe the present: as always.
  const bool crisis = facts.restored == Restored::kCrisisNotOver;
  const std::string when_es = crisis ? "cuando termine" : "cuando vuelva";
  const std::string when_en = crisis ? "once it is over" : "once it is back";
  for (CheckItem& item : items) {
    if (item.item == "scheduled-posts" && item.state != ItemState::kRed) {
      // A post already missed stays red (it was missed); otherwise more may still be due.
      item = NotYetItem(facts, std::move(item),
                        StrCat("Las publicaciones programadas mientras tanto se revisan ", when_es, "."),
                        StrCat("Posts scheduled in the meantime are checked ", when_en, "."));
    } else if (item.item == "campaigns-resumed") {
      // Faro resumes what it paused after restoration: a paused campaign now is expected.
      int64_t held = 0;
      for (const CampaignFact& c : facts.campaigns) held += c.status_before == "active" ? 1 : 0;
      item = NotYetItem(facts, std::move(item),
                        StrCat("Faro reanuda las campañas que pausó (", held, " en este incidente) ", when_es, "."),
                        StrCat("Faro resumes the campaigns it paused (", held, " in this incident) ", when_en, "."));
    } else if (item.item == "ad-figures") {
      item = NotYetItem(facts, std::move(item),
                        "Las cifras de anuncios se comparan con las de antes una vez reanudadas las campañas.",
                        "Ad figures are compared with the baseline once the campaigns are resumed.");
    } else if (item.item == "watching") {
      const bool known = facts.watch_for.count() > 0;  // 0: the plan's length is not known here
      const std::string es = StrCat("La vigilancia reforzada",
                                    known ? StrCat(" (", FormatDuration(facts.watch_for, Lang::kEs), ")") : "",
                                    " empieza ", when_es, ".");
      const std::string en = StrCat("The heightened watching",
                                    known ? StrCat(" (", FormatDuration(facts.watch_for, Lang::kEn), ")") : "",
                                    " starts ", when_en, ".");
      item = NotYetItem(facts, std::move(item), es, en);
      item.details = {{"not_restored", true},
                      {"watch_for_s", std::chrono::duration_cast<std::chrono::seconds>(facts.watch_for).count()}};
    }
  }
  return items;
}

CloseDecision MayClose(const std::vector<CheckItem>& checklist, const std::vector<Override>& overrides) {
  CloseDecision d;
  for (const CheckItem& item : checklist) {
    if (item.state == ItemState::kGreen) continue;
    const bool overridden = std::any_of(overrides.begin(), overrides.end(), [&](const Override& o) {
      return o.item == item.item && !Trim(o.by).empty() && !Trim(o.reason).empty();
    });
    if (!overridden) d.blocking.push_back(item.item);
  }
  d.may_close = d.blocking.empty();
  if (d.may_close) {
    d.text = {"Se puede cerrar.", "Ready to close."};
    return d;
  }
  Both t;
  t.Add("Todavía no se puede cerrar: ", "Cannot close yet: ");
  for (std::size_t i = 0; i < d.blocking.size(); ++i) {
    if (i > 0) t.Add(", ", ", ");
    t.Add(ChecklistItemName(d.blocking[i], Lang::kEs), ChecklistItemName(d.blocking[i], Lang::kEn));
  }
  t.Add(". Resuélvelo o indica quién lo pasa por alto y por qué.",
        ". Resolve it, or say who overrides it and why.");
  d.text = t.Done();
  return d;
}

}  // namespace faro::record
