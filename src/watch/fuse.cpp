#include "watch/fuse.hpp"

#include <map>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "verdict/words.hpp"

namespace faro::watch {
namespace {

bool OnLadder(const Reading& r) { return Severity(r.health) >= 0; }

// The most common cause among `readings`; ties go to the layer nearest the network.
Cause CommonCause(const std::vector<const Reading*>& readings) {
  std::map<Cause, int> counts;
  for (const Reading* r : readings)
    if (r->cause != Cause::kNone) ++counts[r->cause];
  Cause best = Cause::kNone;
  int best_count = 0;
  for (const auto& [cause, count] : counts) {
    if (count > best_count || (count == best_count && CauseLayerRank(cause) < CauseLayerRank(best))) {
      best = cause;
      best_count = count;
    }
  }
  return best;
}

// Words for one sentence: who saw it, why, what else says so.
struct Phrases {
  const std::string& home;
  bool es;

  std::string Where(const std::string& vantage) const {
    if (vantage == home) return es ? "aquí" : "here";
    return vantage;
  }
  std::string List(const std::vector<const Reading*>& readings) const {
    std::vector<std::string> names;
    for (const Reading* r : readings) names.push_back(Where(r->vantage));
    if (names.empty()) return es ? "ningún punto de vista" : "no vantage point";
    return Join(names, ", ");
  }
  std::string Why(Cause cause) const {
    if (cause == Cause::kNone) return "";
    return StrCat(" (", CauseWords(cause, es ? Lang::kEs : Lang::kEn), ")");
  }
  std::string Feed() const {
    return es ? "la página de estado oficial informa un incidente grave"
              : "the official status page reports a major incident";
  }
  std::string Crowd(const Signals& s) const {
    std::string text = es ? StrCat(s.crowd_reports, " avisos de clientes") : StrCat(s.crowd_reports, " customer reports");
    if (s.crowd_baseline > 0) {
      const std::string usual = StrCat(static_cast<int>(s.crowd_baseline + 0.5));
      StrAppend(text, es ? StrCat(" (lo habitual: ", usual, ")") : StrCat(" (usually ", usual, ")"));
    }
    return text;
  }
  std::string Chatter(const Signals& s) const {
    const std::string usual = StrCat(static_cast<int64_t>(s.chatter_usual + 0.5));
    return es ? StrCat(s.chatter_mentions, " menciones públicas de fallos en un minuto (lo habitual: ", usual, ")")
              : StrCat(s.chatter_mentions, " public mentions of trouble in a minute (usually ", usual, ")");
  }
  std::string Outbox(const Signals& s) const {
    return es ? StrCat("fallaron ", s.outbox_faults, " de ", s.outbox_sends, " mensajes enviados, por el proveedor")
              : StrCat(s.outbox_faults, " of ", s.outbox_sends, " messages we sent failed at the provider");
  }
};

nlohmann::json Evidence(const std::vector<Reading>& fresh, const std::string& home, const Signals& s,
                        bool home_local) {
  nlohmann::json vantages = nlohmann::json::array();
  for (const Reading& r : fresh) {
    const bool counted = OnLadder(r) && !(home_local && r.vantage == home);
    vantages.push_back({{"vantage", r.vantage},
                        {"health", HealthName(r.health)},
                        {"cause", CauseName(r.cause)},
                        {"failed", r.failed},
                        {"endpoints", r.endpoints},
                        {"at", Rfc3339(r.at)},
                        {"detail", r.detail},
                        {"counted", counted}});
  }
  nlohmann::json signals = {{"feed", s.feed ? nlohmann::json(FeedLevelName(*s.feed)) : nlohmann::json(nullptr)},
                            {"crowd_surge", s.crowd_surge},
                            {"crowd_reports", s.crowd_reports},
                            {"crowd_baseline", s.crowd_baseline},
                            {"chatter_surge", s.chatter_surge},
                            {"chatter_mentions", s.chatter_mentions},
                            {"chatter_usual", s.chatter_usual},
                            {"outbox_failing", s.outbox_failing},
                            {"outbox_sends", s.outbox_sends},
                            {"outbox_faults", s.outbox_faults},
                            {"home_link_down", s.home_link_down}};
  return {{"home", home}, {"vantages", std::move(vantages)}, {"signals", std::move(signals)}};
}

}  // namespace

bool SameLook(const Fused& a, const Fused& b) {
  return a.health == b.health && a.scope == b.scope && a.covers_us == b.covers_us;
}

Fused Fuse(const std::vector<Reading>& fresh, const std::string& home, const Signals& s, std::string_view name_in) {
  std::string name(name_in);
  if (name.empty()) name = fresh.empty() ? std::string("the platform") : fresh.front().platform;

  const Reading* home_reading = nullptr;
  for (const Reading& r : fresh)
    if (r.vantage == home) home_reading = &r;
  const bool home_local = s.home_link_down && home_reading && home_reading->health != Health::kUp;

  std::vector<const Reading*> counting, down, partial, degraded, up;
  for (const Reading& r : fresh) {
    if (!OnLadder(r) || (home_local && &r == home_reading)) continue;
    counting.push_back(&r);
    switch (r.health) {
      case Health::kDown: down.push_back(&r); break;
      case Health::kPartial: partial.push_back(&r); break;
      case Health::kDegraded: degraded.push_back(&r); break;
      default: up.push_back(&r); break;
    }
  }
  const bool home_counted = home_reading && !home_local && OnLadder(*home_reading);
  auto home_is = [&](Health h) { return home_counted && home_reading->health == h; };
  const bool feed_major = s.feed == FeedLevel::kMajor;
  const bool outbox = s.outbox_failing && !home_local;

  Fused f;
  f.evidence_text = Evidence(fresh, home, s, home_local).dump();
  const Phrases en{home, false}, es{home, true};

  if (counting.empty()) {
    if (home_local) {
      f.health = Health::kLocal;
      f.cause = home_reading->cause;
      f.covers_us = true;
      f.summary_en = StrCat("Our connection is down: nothing can be said about ", name, " from here.");
      f.summary_es = StrCat("Nuestra conexión no funciona: desde aquí no se puede saber nada de ", name, ".");
    } else {
      f.health = Health::kUnknown;
      f.summary_en = StrCat("No recent readings of ", name, ".");
      f.summary_es = StrCat("No hay lecturas recientes de ", name, ".");
    }
    return f;
  }

  if (!down.empty()) {
    f.health = Health::kDown;
    f.cause = CommonCause(down);
    if (down.size() == counting.size()) {
      const bool upgraded = counting.size() == 1 && !home_local && (feed_major || s.crowd_surge || s.chatter_surge);
      if (counting.size() >= 2 || home_local || upgraded) {
        f.scope = Scope::kGlobal;
        f.covers_us = true;
        f.summary_en = StrCat(name, " is down for everyone Faro can see: it fails from ", en.List(down), en.Why(f.cause));
        f.summary_es = StrCat(name, " está caído para todos: falla desde ", es.List(down), es.Why(f.cause));
        if (home_local) {
          StrAppend(f.summary_en, "; our own connection is down too");
          StrAppend(f.summary_es, "; nuestra conexión tampoco funciona");
        }
        if (upgraded && feed_major) {
          StrAppend(f.summary_en, "; ", en.Feed());
          StrAppend(f.summary_es, "; ", es.Feed());
        }
        if (upgraded && s.crowd_surge) {
          StrAppend(f.summary_en, "; ", en.Crowd(s));
          StrAppend(f.summary_es, "; ", es.Crowd(s));
        }
        if (upgraded && s.chatter_surge) {
          StrAppend(f.summary_en, "; ", en.Chatter(s));
          StrAppend(f.summary_es, "; ", es.Chatter(s));
        }
      } else {
        f.scope = Scope::kUnconfirmed;
        f.covers_us = home_is(Health::kDown);
        f.summary_en = StrCat(name, " fails from ", en.List(down), en.Why(f.cause), " and no other vantage point confirms it");
        f.summary_es = StrCat(name, " falla desde ", es.List(down), es.Why(f.cause), " y ningún otro punto de vista lo confirma");
      }
    } else {
      f.scope = Scope::kRegional;
      f.covers_us = home_is(Health::kDown);
      std::vector<const Reading*> working;
      for (const Reading* r : counting)
        if (r->health != Health::kDown) working.push_back(r);
      f.summary_en = StrCat(name, " is down from ", en.List(down), en.Why(f.cause), " but answers from ", en.List(working));
      f.summary_es = StrCat(name, " está caído desde ", es.List(down), es.Why(f.cause), ", pero responde desde ", es.List(working));
    }
    f.summary_en += ".";
    f.summary_es += ".";
    return f;
  }

  if (!partial.empty() || !degraded.empty()) {
    const bool is_partial = !partial.empty();
    const auto& deciding = is_partial ? partial : degraded;
    f.health = is_partial ? Health::kPartial : Health::kDegraded;
    f.cause = CommonCause(deciding);
    f.covers_us = home_is(f.health);
    f.summary_en = StrCat(is_partial ? "Part of " : "", name, is_partial ? " fails from " : " is slow or unstable from ",
                          en.List(deciding), en.Why(f.cause), ".");
    f.summary_es = StrCat(is_partial ? "Parte de " : "", name, is_partial ? " falla desde " : " está lento o inestable desde ",
                          es.List(deciding), es.Why(f.cause), ".");
    return f;
  }

  // Every counting probe answers.
  if (s.crowd_surge || s.chatter_surge || feed_major || outbox) {
    f.health = Health::kPartial;
    f.cause = Cause::kApp;
    f.covers_us = true;
    std::vector<std::string> why_en, why_es;
    auto because = [&](std::string in_en, std::string in_es) {
      why_en.push_back(std::move(in_en));
      why_es.push_back(std::move(in_es));
    };
    if (s.crowd_surge) because(en.Crowd(s), es.Crowd(s));
    if (s.chatter_surge) because(en.Chatter(s), es.Chatter(s));
    if (outbox) because(en.Outbox(s), es.Outbox(s));
    if (feed_major) because(en.Feed(), es.Feed());
    f.summary_en = StrCat(name, " answers our checks, but customers report trouble the probes do not see: ",
                          Join(why_en, "; "), ".");
    f.summary_es = StrCat(name, " responde a nuestras comprobaciones, pero hay problemas que las pruebas no ven: ",
                          Join(why_es, "; "), ".");
    return f;
  }
  if (home_local) {
    f.health = Health::kLocal;
    f.cause = home_reading->cause;
    f.covers_us = true;
    f.summary_en = StrCat("Our connection is down: ", name, " cannot be reached from here, but it works from ",
                          en.List(counting), ".");
    f.summary_es = StrCat("Nuestra conexión no funciona: desde aquí no se llega a ", name, ", pero funciona desde ",
                          es.List(counting), ".");
    return f;
  }
  if (s.feed == FeedLevel::kMinor) {
    f.health = Health::kDegraded;
    f.cause = Cause::kApp;
    f.summary_en = StrCat(name, " answers our checks; the official status page reports minor trouble.");
    f.summary_es = StrCat(name, " responde a nuestras comprobaciones; la página de estado oficial informa problemas menores.");
    return f;
  }
  f.health = Health::kUp;
  f.summary_en = StrCat(name, " works (checked from ", en.List(counting), ").");
  f.summary_es = StrCat(name, " funciona (comprobado desde ", es.List(counting), ").");
  return f;
}

}  // namespace faro::watch
