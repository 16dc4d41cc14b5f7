// Ad actions of the plans: pause, resume and move campaigns through src/ads's guard, whose
// record goes with each outcome (so a restart knows what Faro paused), and the spend the pause
// protected. Calls refused for a while (rate limits, the platform's own trouble) are tried again.
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>

#include "ads/decimal.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/words.hpp"
#include "service/plan_service.hpp"
#include "service/plan_service_internal.hpp"

namespace faro::service {
namespace {

using nlohmann::json;

constexpr int kMaxAttempts = 4;  // the first and three more

json ErrorsJson(const ads::GuardOutcome& o) {
  json out = json::array();
  for (const absl::Status& e : o.errors)
    out.push_back({{"class", std::string(ads::ErrorClassName(ads::ClassOf(e)))}, {"message", std::string(e.message())}});
  return out;
}

// Worth another try later: nothing failed for good (permanent refusals and bad tokens need a person).
bool Retryable(const ads::GuardOutcome& o) {
  if (o.errors.empty()) return false;
  for (const absl::Status& e : o.errors) {
    const ads::ErrorClass c = ads::ClassOf(e);
    if (c != ads::ErrorClass::kTransient && c != ads::ErrorClass::kRateLimited) return false;
  }
  return true;
}

// «A», «B» y 2 más / “A”, “B” and 2 more: campaigns by name (their id when they have none).
std::string NameList(const std::vector<const ads::GuardEntry*>& entries, Lang lang) {
  constexpr size_t kListed = 5;
  std::vector<std::string> names;
  for (size_t i = 0; i < entries.size() && i < kListed; ++i) {
    const std::string& name = entries[i]->campaign_name.empty() ? entries[i]->campaign_id : entries[i]->campaign_name;
    names.push_back(lang == Lang::kEs ? StrCat("«", name, "»") : StrCat("“", name, "”"));
  }
  if (entries.size() > kListed)
    names.push_back(StrCat(entries.size() - kListed, lang == Lang::kEs ? " más" : " more"));
  return plan::ListText(names, lang);
}

// Which campaigns an ad action left how, by name, for the timeline and the report: people ask
// "which ones?", and a count does not say. `resumed` after a resume, else after a pause.
plan::Text CampaignsByName(const ads::GuardRecord& record, const std::string& account, const std::string& holder,
                           bool resumed, TimePoint now) {
  std::vector<const ads::GuardEntry*> faro, before, still_held, back, by_person;
  for (const ads::GuardEntry& e : record.campaigns) {
    if (e.account != account) continue;
    const bool ours = std::find(e.held_by.begin(), e.held_by.end(), holder) != e.held_by.end();
    switch (e.state) {
      case ads::GuardState::kPausedByFaro:
        if (!resumed && ours) faro.push_back(&e);
        if (resumed && !e.held_by.empty()) still_held.push_back(&e);
        break;
      case ads::GuardState::kAlreadyPaused: before.push_back(&e); break;
      case ads::GuardState::kResumed:
        if (resumed && e.resumed_at == now) back.push_back(&e);
        break;
      case ads::GuardState::kChangedByPerson:
        if (resumed) by_person.push_back(&e);
        break;
      default: break;
    }
  }
  plan::Text t;
  const auto add = [&](const std::vector<const ads::GuardEntry*>& list, std::string_view es, std::string_view en) {
    if (list.empty()) return;
    StrAppend(t.es, " ", es, ": ", NameList(list, Lang::kEs), ".");
    StrAppend(t.en, " ", en, ": ", NameList(list, Lang::kEn), ".");
  };
  add(faro, "Pausadas por Faro", "Paused by Faro");
  add(back, "Reanudadas", "Resumed");
  add(still_held, "Siguen pausadas por otro incidente", "Still paused for another incident");
  add(by_person, "Cambiadas por una persona (no se tocan)", "Changed by a person (left alone)");
  add(before, "Ya estaban pausadas antes y siguen así", "Already paused before, and stay so");
  return t;
}

}  // namespace

ads::AdPlatform* PlanService::Account(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : it->second;
}

std::string PlanService::Day(TimePoint at) const {
  absl::TimeZone zone = absl::UTCTimeZone();
  (void)absl::LoadTimeZone(app_.config().business.timezone, &zone);
  return absl::FormatCivilTime(absl::ToCivilDay(absl::FromChrono(at), zone));
}

TimePoint PlanService::DayStart(TimePoint at) const {
  absl::TimeZone zone = absl::UTCTimeZone();
  (void)absl::LoadTimeZone(app_.config().business.timezone, &zone);
  return absl::ToChronoTime(absl::FromCivil(absl::ToCivilDay(absl::FromChrono(at), zone), zone));
}

absl::StatusOr<ads::Insights> PlanService::Baseline(const plan::Incident& incident, ads::AdPlatform& platform,
                                                    const std::string& campaign) {
  const std::string key = StrCat(incident.id, "/", platform.account(), "/", campaign);
  {
    std::lock_guard lock(mutex_);
    if (auto it = baselines_.find(key); it != baselines_.end()) return it->second;
  }
  // The whole days before the incident's day: figures of a normal week, untouched by it.
  const TimePoint start = DayStart(incident.opened_at);
  const ads::DateRange range{Day(start - std::chrono::hours(24) * options_.baseline_days),
                             Day(start - std::chrono::hours(1))};
  FARO_ASSIGN_OR_RETURN(ads::Insights insights, platform.ReadInsights(campaign, range));
  std::lock_guard lock(mutex_);
  baselines_[key] = insights;
  return insights;
}

PlanService::Done PlanService::Ads(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  const std::string account_id = action.params.value("account", std::string());
  const std::string holder = Holder(action.incident);
  ads::AdPlatform* platform = Account(account_id);
  // The account's record, shared with every other incident that paused its campaigns.
  ads::GuardRecord record;
  int attempt = 1;
  {
    std::lock_guard lock(mutex_);
    if (auto it = guards_.find(account_id); it != guards_.end()) record = it->second;
    attempt = ++attempts_[action.id];
  }
  auto missing = [&](const std::string& id) {
    return Done{MakeOutcome(action, now, false,
                            {StrCat("No hay una cuenta de anuncios «", id, "» en faro.yaml."),
                             StrCat("faro.yaml has no ad account “", id, "”.")},
                            {{"account", id}})};
  };
  if (platform == nullptr) return missing(account_id);
  ads::GuardOutcome o;
  json details = {{"account", account_id}, {"attempt", attempt}};
  plan::Text what;
  if (action.kind == "pause-ads") {
    o = ads::PauseAll(record, {ads::GuardTarget{platform, {}}}, now, holder);
    details["campaigns_paused"] = o.paused;
    details["already_paused"] = o.already_paused;
    what = {StrCat("Cuenta ", account_id, ": "), StrCat("Account ", account_id, ": ")};
  } else if (action.kind == "resume-ads") {
    o = ads::ResumeWhatWePaused(record, {platform}, now, holder);
    // Copies made to keep a campaign on air stop once no incident keeps the account's campaigns
    // paused (never deleted).
    const bool still_held = std::any_of(record.campaigns.begin(), record.campaigns.end(),
                                        [&](const ads::GuardEntry& e) { return e.account == account_id && !e.held_by.empty(); });
    if (!still_held && !record.moves.empty()) {
      std::vector<ads::AdPlatform*> involved = {platform};
      for (const ads::MovedCampaign& m : record.moves)
        for (const std::string& id : {m.from_account, m.to_account})
          if (ads::AdPlatform* p = Account(id); p != nullptr &&
                                                std::find(involved.begin(), involved.end(), p) == involved.end())
            involved.push_back(p);
      const ads::GuardOutcome stopped = ads::StopMovedCopies(record, involved, now);
      o.stopped = stopped.stopped;
      for (const absl::Status& e : stopped.errors) o.errors.push_back(e);
    }
    details["campaigns_resumed"] = o.resumed;
    details["still_held"] = o.held;
    details["copies_stopped"] = o.stopped;
    // What the pause saved: each campaign resumed now would have spent, while paused, what it
    // spent per hour in the days before the incident.
    int64_t saved = 0;
    std::string currency;
    for (const ads::GuardEntry& e : record.campaigns) {
      if (e.account != account_id || e.state != ads::GuardState::kResumed || !e.paused_at || !e.resumed_at ||
          *e.resumed_at != now)
        continue;
      auto baseline = Baseline(s.incident, *platform, e.campaign_id);
      if (!baseline.ok() || baseline->spend.currency.empty() || baseline->spend.micros <= 0) continue;
      if (!currency.empty() && currency != baseline->spend.currency) continue;
      currency = baseline->spend.currency;
      const int64_t paused_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*e.resumed_at - *e.paused_at).count();
      const int64_t window_ms = int64_t{24} * 3600 * 1000 * options_.baseline_days;
      saved += ads::MulDivMicros(baseline->spend.micros, paused_ms, window_ms);
    }
    if (!currency.empty()) {
      // Money as the platform bills it: whole cents (or whole units for JPY, CLP, …).
      const int64_t unit = ads::MicrosPerMinorUnit(currency);
      const int64_t billed = ads::MulDivMicros(saved, 1, unit) * unit;
      details["spend_protected"] = ads::FormatDecimal(ads::Decimal{billed}, unit >= 1'000'000 ? 0 : 2);
      details["currency"] = currency;
    }
    what = {StrCat("Cuenta ", account_id, ": "), StrCat("Account ", account_id, ": ")};
  } else {  // move-campaign
    const std::string to_id = action.params.value("to", std::string());
    ads::AdPlatform* to = Account(to_id);
    if (to == nullptr) return missing(to_id);
    auto cap = ads::ParseMoney(action.params.value("budget_cap", std::string()), "budget_cap");
    if (!cap.ok())
      return {MakeOutcome(action, now, false, plan::Text::Both(Message(cap.status())), {{"account", account_id}})};
    const std::string campaign = action.params.value("campaign", std::string());
    o = ads::MoveCampaign(record, *platform, campaign, *to, *cap, now);
    details["to"] = to_id;
    details["campaign"] = campaign;
    details["copied"] = o.copied;
    details["activated"] = o.activated;
    what = {StrCat("«", campaign, "» de ", account_id, " a ", to_id, ": "),
            StrCat("“", campaign, "” from ", account_id, " to ", to_id, ": ")};
  }
  details["failed"] = o.failed;
  details["not_found"] = o.not_found;
  details["errors"] = ErrorsJson(o);
  details["guard"] = ads::GuardRecordToJson(record);
  details["guard_account"] = account_id;
  const bool ok = o.complete();
  plan::Text text{StrCat(what.es, ads::Summary(o, Lang::kEs), "."), StrCat(what.en, ads::Summary(o, Lang::kEn), ".")};
  if (action.kind != "move-campaign") {
    const plan::Text names = CampaignsByName(record, account_id, holder, action.kind == "resume-ads", now);
    text.es += names.es;
    text.en += names.en;
  }
  if (!ok && Retryable(o) && attempt < kMaxAttempts) {
    const TimePoint due = now + std::max<std::chrono::milliseconds>(o.retry_after, std::chrono::minutes(1));
    details["retry_at"] = Rfc3339(due);
    text.es += StrCat(" Se intenta otra vez a las ", Rfc3339(due), ".");
    text.en += StrCat(" Trying again at ", Rfc3339(due), ".");
    std::lock_guard lock(mutex_);
    retries_.push_back({action, due});
  }
  return {MakeOutcome(action, now, ok, std::move(text), std::move(details)), std::nullopt, std::move(record), account_id};
}

}  // namespace faro::service
