// The restoration check: the facts gathered here (outbox, inbox, ad accounts), judged by
// record::CheckRestoration, and fed to the engine as the incident's checklist. Scheduled posts:
// read from faro.yaml's `pages:` for the outage window (service/plan_pages.hpp); without pages
// the item says Faro knows none (docs/crisis-log.md).
#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "record/restoration.hpp"
#include "service/plan_service.hpp"
#include "service/plan_pages.hpp"
#include "service/plan_service_internal.hpp"

namespace faro::service {
namespace {

using nlohmann::json;

record::AdFigures FiguresOf(const ads::Insights& i, int64_t window_ms) {
  record::AdFigures f;
  f.window_ms = window_ms;
  f.spend_micros = i.spend.micros;
  f.impressions = i.impressions;
  f.clicks = i.clicks;
  f.cpm_micros = i.cpm.micros;
  f.ctr_micros = i.ctr.micros;
  return f;
}

bool SameStates(const std::vector<plan::ChecklistItem>& a, const std::vector<plan::ChecklistItem>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].item != b[i].item || a[i].state != b[i].state) return false;
  return true;
}

}  // namespace

std::vector<plan::ChecklistItem> PlanService::CheckNow(const Snapshot& s, const json& params, TimePoint now) {
  const plan::Incident& incident = s.incident;
  record::RestorationFacts f;
  f.now = now;
  // Messages: anything still waiting to go out, and what Faro gave up on since the incident opened.
  if (auto counts = app_.outbox().CountsByChannel(); counts.ok())
    for (const auto& [channel, c] : *counts) f.outbox_pending += c.pending();
  if (auto since = app_.outbox().CountsSince(incident.opened_at); since.ok()) f.outbox_given_up = since->failed;
  // People waiting for an answer (the team's own replies to Faro are not customers waiting).
  const std::set<int64_t> team = TeamContacts();
  if (auto waiting = app_.inbox().List(inbox::ConversationFilter::kUnanswered); waiting.ok()) {
    for (const inbox::Conversation& c : *waiting) {
      if (team.contains(c.contact_id)) continue;
      record::WaitingConversation w;
      w.id = std::to_string(c.contact_id);
      if (auto contact = app_.contacts().Get(c.contact_id); contact.ok()) w.contact = contact->name;
      w.channel = c.last_inbound_channel;
      w.waiting_since = c.waiting_since.value_or(c.first_inbound_at.value_or(now));
      f.waiting.push_back(std::move(w));
    }
  }
  // Campaigns this incident paused or found paused: their status now, and their figures against
  // the baseline. One another open incident still holds paused is that incident's business.
  const std::string holder = Holder(incident.id);
  const std::map<std::string, std::set<std::string>> touched = TouchedCampaigns(incident);
  ads::GuardRecord record;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [account, ids] : touched) {
      auto it = guards_.find(account);
      if (it == guards_.end()) continue;
      for (const ads::GuardEntry& e : it->second.campaigns) {
        if (e.account != account || !ids.contains(e.campaign_id)) continue;
        const bool others = std::any_of(e.held_by.begin(), e.held_by.end(), [&](const std::string& h) { return h != holder; });
        if (!others) record.campaigns.push_back(e);
      }
    }
  }
  std::map<std::string, std::optional<std::vector<ads::Campaign>>> listed;  // account → campaigns now
  for (const ads::GuardEntry& e : record.campaigns) {
    ads::AdPlatform* platform = Account(e.account);
    if (!listed.contains(e.account)) {
      listed[e.account] = std::nullopt;
      if (platform != nullptr)
        if (auto campaigns = platform->ListCampaigns(); campaigns.ok()) listed[e.account] = std::move(*campaigns);
    }
    record::CampaignFact fact;
    fact.account = e.account;
    fact.id = e.campaign_id;
    fact.name = e.campaign_name;
    fact.status_before = std::string(ads::StatusName(e.prior));
    if (const auto& campaigns = listed[e.account]) {
      fact.status_now = "removed";  // gone from the account's list
      for (const ads::Campaign& c : *campaigns)
        if (c.id == e.campaign_id) {
          fact.status_now = std::string(ads::StatusName(c.status));
          fact.raw_status_now = c.raw_status;
        }
    }
    f.campaigns.push_back(std::move(fact));
    // Figures only for what Faro paused: those are the campaigns whose pace should come back.
    if (platform == nullptr || (e.state != ads::GuardState::kResumed && e.state != ads::GuardState::kPausedByFaro &&
                                e.state != ads::GuardState::kResumeFailed))
      continue;
    record::AdComparison cmp;
    cmp.account = e.account;
    cmp.campaign = e.campaign_id;
    cmp.name = e.campaign_name;
    auto baseline = Baseline(incident, *platform, e.campaign_id);
    if (!baseline.ok()) continue;  // nothing to compare with
    cmp.currency = baseline->spend.currency;
    cmp.baseline = FiguresOf(*baseline, int64_t{24} * 3600 * 1000 * options_.baseline_days);
    if (e.state == ads::GuardState::kResumed && e.resumed_at) {
      // Platforms report whole days: from the start of the day it was resumed until now.
      const TimePoint since = DayStart(*e.resumed_at);
      auto now_figures = platform->ReadInsights(e.campaign_id, {Day(since), Day(now)});
      if (now_figures.ok())
        cmp.now = FiguresOf(*now_figures, std::chrono::duration_cast<std::chrono::milliseconds>(now - since).count());
    }
    f.ads.push_back(std::move(cmp));
  }
  // The length of the heightened watching: the restoration check's own, else (a "check now"
  // before the playbook got there) its step in the playbook.
  std::chrono::seconds watch_for(params.is_object() ? params.value("watch_for_s", int64_t{0}) : 0);
  if (watch_for.count() == 0 && s.plan != nullptr)
    if (const plan::Playbook* playbook = s.plan->FindPlaybook(incident.playbook))
      for (const plan::Step& step : playbook->steps)
        if (step.kind == plan::StepKind::kRestorationCheck && watch_for.count() == 0)
          watch_for = std::chrono::duration_cast<std::chrono::seconds>(step.watch_for);
  f.watch_for = watch_for;
  f.watch_until = incident.stable_at.value_or(now) + watch_for;
  // Still down (or the crisis goes on): the items that only the time after restoration can
  // tell say "not yet" instead of reading green.
  if (incident.state != "stable")
    f.restored = incident.kind == "crisis" ? record::Restored::kCrisisNotOver : record::Restored::kPlatformNotBack;
  record::RestorationOptions options;
  if (params.is_object() && params.contains("ad_tolerance") && params["ad_tolerance"].is_number())
    options.ad_tolerance_bp = std::llround(params["ad_tolerance"].get<double>() * 10000);
  // Scheduled posts of faro.yaml's pages due in the outage window, remembered across checks.
  const std::vector<ads::FacebookPage>& pages = app_.config().pages.pages;
  const PagePostsFacts page_posts = ReadPagePosts(pages, incident.checklist, incident.opened_at, now);
  f.posts = page_posts.posts;
  std::vector<plan::ChecklistItem> items;
  for (record::CheckItem& item : record::CheckRestoration(f, options)) {
    if (item.item == "scheduled-posts")
      DescribeScheduledPosts(item, pages, page_posts, record::NotRestoredText(f.restored));
    items.push_back({item.item, std::string(record::ItemStateName(item.state)),
                     plan::Text{std::move(item.text.es), std::move(item.text.en)}, std::move(item.details)});
  }
  return items;
}

PlanService::Done PlanService::Restoration(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  std::vector<plan::ChecklistItem> items = CheckNow(s, action.params, now);
  int green = 0, red = 0, pending = 0;
  for (const plan::ChecklistItem& item : items)
    (item.state == "green" ? green : item.state == "red" ? red : pending)++;
  json details = {{"green", green}, {"red", red}, {"pending", pending}};
  for (const plan::ChecklistItem& item : items)
    if (item.item == "unanswered" && item.details.contains("unanswered_left"))
      details["unanswered_left"] = item.details["unanswered_left"];
  Done done{MakeOutcome(action, now, true,
                        {StrCat("Verificación hecha: ", green, " en verde, ", red, " en rojo, ", pending, " pendientes."),
                         StrCat("Check done: ", green, " green, ", red, " red, ", pending, " pending.")},
                        std::move(details))};
  done.checklist = std::move(items);
  return done;
}

std::vector<int64_t> PlanService::DueRechecksLocked(TimePoint now) {
  std::vector<int64_t> out;
  for (const plan::Incident* incident : engine_->Incidents()) {
    if (incident->state != "stable" || incident->checklist.empty() ||
        Blocking(*incident, PlanOf(plans_, incident->plan).get()).empty())
      continue;
    TimePoint last{};
    if (auto it = last_recheck_.find(incident->id); it != last_recheck_.end()) {
      last = it->second;
    } else {
      for (auto e = incident->timeline.rbegin(); e != incident->timeline.rend(); ++e)
        if (e->kind == "check") {
          last = e->at;
          break;
        }
    }
    if (now - last < options_.recheck_every) continue;
    last_recheck_[incident->id] = now;
    out.push_back(incident->id);
  }
  return out;
}

absl::StatusOr<std::vector<plan::Action>> PlanService::RunCheck(int64_t id, TimePoint now, bool only_if_changed) {
  std::optional<Snapshot> s;
  nlohmann::json params;
  {
    std::lock_guard lock(mutex_);
    s = SnapshotLocked(id);
    if (!s) return absl::NotFoundError(StrCat("no incident #", id, " is running"));
    if (s->incident.closed()) return absl::FailedPreconditionError(StrCat("incident #", id, " is closed"));
    params = LatestParams(s->incident, "restoration-check");
  }
  std::vector<plan::ChecklistItem> items = CheckNow(*s, params, now);
  std::lock_guard lock(mutex_);
  last_recheck_[id] = now;
  const plan::Incident* incident = engine_->Find(id);
  if (incident == nullptr) return absl::NotFoundError(StrCat("no incident #", id, " is running"));
  // A periodic check that changed nothing stays off the timeline (it would drown it).
  if (only_if_changed && SameStates(incident->checklist, items)) return std::vector<plan::Action>();
  auto actions = engine_->OnChecklist(id, std::move(items), now);
  const absl::Status saved = SaveChangedLocked();
  if (!actions.ok()) return actions.status();
  NoteActionsLocked(*actions);
  if (!saved.ok())
    return absl::UnavailableError(StrCat("incident #", id, " was checked but could not be stored yet: ", Message(saved)));
  return actions;
}

void PlanService::Recheck(int64_t id, TimePoint now) {
  auto actions = RunCheck(id, now, true);
  if (!actions.ok()) {
    Log(StrCat("incident #", id, ": restoration check not run again: ", Message(actions.status())));
    return;
  }
  Execute(std::move(*actions));
}

absl::StatusOr<nlohmann::json> PlanService::CheckRestorationNow(int64_t id) {
  std::lock_guard run(run_mutex_);
  FARO_ASSIGN_OR_RETURN(std::vector<plan::Action> actions, RunCheck(id, Now(TimePoint{}), false));
  if (!actions.empty()) Push(std::move(actions));
  return IncidentJson(id);
}

}  // namespace faro::service
