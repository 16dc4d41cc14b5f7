// PlanService: its life, its inputs, storing incidents, and the changes people make through
// the API. Carrying out actions: plan_actions.cpp, plan_ads.cpp, plan_restoration.cpp; the
// API's JSON: plan_json.cpp.
#include "service/plan_service.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "contacts/identity.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/incident_json.hpp"
#include "record/crisis_log.hpp"
#include "record/files.hpp"
#include "service/plan_service_internal.hpp"
#include "store/sqlite.hpp"

namespace faro::service {

using std::chrono::milliseconds;

PlanService::PlanService(setup::App& app, PlanServiceOptions options) : app_(app), options_(std::move(options)) {}

PlanService::~PlanService() { Stop(); }

absl::StatusOr<std::unique_ptr<PlanService>> PlanService::Open(setup::App& app, PlanServiceOptions options) {
  const setup::FaroConfig& c = app.config();
  if (c.plans.plans.empty()) return absl::FailedPreconditionError("the configuration has no plans: to run");
  std::unique_ptr<PlanService> s(new PlanService(app, std::move(options)));
  FARO_ASSIGN_OR_RETURN(s->db_, store::Open(c.database, c.durability));
  FARO_ASSIGN_OR_RETURN(s->store_, history::IncidentStore::Open(*s->db_));
  if (s->options_.failover != nullptr) {
    s->failover_ = s->options_.failover;
  } else {
    // Its own connection: the failover log commits on it independently of the incidents.
    FARO_ASSIGN_OR_RETURN(s->failover_db_, store::Open(c.database, c.durability));
    FARO_ASSIGN_OR_RETURN(s->own_failover_log_, FailoverLog::Open(*s->failover_db_));
    s->own_failover_ = std::make_unique<ChannelFailover>(app, *s->own_failover_log_);
    s->failover_ = s->own_failover_.get();
  }
  for (const auto& platform : c.ads.platforms) s->accounts_[platform->account()] = platform.get();
  for (ads::AdPlatform* platform : s->options_.ad_accounts) s->accounts_[platform->account()] = platform;
  s->plans_ = c.plans.plans;
  s->crisis_log_dir_ = c.crisis_log;
  FARO_ASSIGN_OR_RETURN(s->people_, s->UpsertPeople(s->plans_));
  FARO_RETURN_IF_ERROR(s->Resume());
  FARO_RETURN_IF_ERROR(s->FindUnloggedClosed());
  if (!c.crisis_log.empty()) s->Log(StrCat("crisis log: closed incidents are kept in ", c.crisis_log));
  s->WriteCrisisLog();
  return s;
}

absl::StatusOr<PlanService::People> PlanService::UpsertPeople(
    const std::vector<std::shared_ptr<const plan::Plan>>& plans) {
  People people;
  std::map<std::string, channels::AddressKind> kinds;
  for (const setup::ConfiguredChannel& ch : app_.config().channels) kinds[ch.info.id] = ch.info.address_kind;
  const std::string& region = app_.config().business.region;
  for (const auto& p : plans) {
    for (const plan::Role& role : p->roles) {
      for (const plan::Person& person : role.people) {
        if (people.contact_of.contains(person.name) || person.reach.empty()) continue;
        // Like faro.yaml's team: a person of the plan is a contact who opted in to be told on
        // each channel they are reached on, in that order.
        contacts::Contact c;
        c.name = person.name;
        c.lang = person.lang;
        for (const plan::Reach& reach : person.reach) {
          auto kind = kinds.find(reach.channel);
          if (kind == kinds.end()) continue;  // the configuration check refuses such plans
          auto normal = contacts::NormalizeAddress(kind->second, reach.value, region);
          if (!normal.ok())
            return absl::InvalidArgumentError(StrCat(p->file, ": ", person.name, ": ", Message(normal.status())));
          std::string& slot = IdentitySlot(c, kind->second);
          if (slot.empty()) slot = *normal;
          c.channel_order.push_back(reach.channel);
          c.consent[reach.channel] = {contacts::ConsentState::kOptedIn, app_.clock().Now(), StrCat("plan ", p->id)};
        }
        FARO_ASSIGN_OR_RETURN(contacts::UpsertOutcome outcome, app_.contacts().Upsert(c, StrCat("plan ", p->id)));
        if (outcome.id == 0)
          return absl::FailedPreconditionError(
              StrCat(p->file, ": the addresses of ", person.name,
                     " belong to two different contacts; fix the plan or the contact book"));
        people.contact_of[person.name] = outcome.id;
        people.name_of[outcome.id] = person.name;
      }
    }
  }
  app_.directory().Invalidate();
  return people;
}

absl::Status PlanService::Resume() {
  FARO_ASSIGN_OR_RETURN(const history::IncidentStore::Maxima max, store_->Max());
  FARO_ASSIGN_OR_RETURN(const std::vector<history::StoredIncident> rows, store_->Unclosed());
  std::vector<plan::Action> unfinished;
  {
    std::lock_guard lock(mutex_);
    max_action_ = max.action;
    plan::EngineOptions eo;
    eo.first_incident_id = max.incident + 1;
    eo.first_action_id = max.action + 1;
    engine_ = std::make_unique<plan::Engine>(plans_, eo);
    for (const history::StoredIncident& row : rows) {
      auto adopted = AdoptStoredLocked(row);
      if (!adopted.ok()) {
        Log(StrCat("incidents: #", row.id, " not resumed: ", Message(adopted.status())));
        continue;
      }
      const plan::Incident& incident = **adopted;
      for (plan::Action& a : UnfinishedActions(incident, *PlanOf(plans_, incident.plan)))
        unfinished.push_back(std::move(a));
      Log(StrCat("incidents: #", incident.id, " (", incident.playbook, ", ", incident.subject, ") resumed, ",
                 incident.state));
    }
    RebuildGuardsLocked();
  }
  if (!unfinished.empty()) {
    Log(StrCat("incidents: ", unfinished.size(), " action(s) made before the restart are carried out now"));
    Push(std::move(unfinished));
  }
  return absl::OkStatus();
}

absl::StatusOr<const plan::Incident*> PlanService::AdoptStoredLocked(const history::StoredIncident& row) {
  const nlohmann::json json = nlohmann::json::parse(row.json, nullptr, false);
  if (json.is_discarded()) return absl::DataLossError("its stored record is not JSON");
  FARO_ASSIGN_OR_RETURN(plan::Incident incident, plan::IncidentFromJson(json));
  FARO_RETURN_IF_ERROR(engine_->Adopt(std::move(incident)));
  const plan::Incident* adopted = engine_->Find(row.id);
  if (adopted == nullptr) return absl::InternalError("the engine lost it");
  saved_[row.id] = SavedOf(*adopted);
  max_action_ = std::max({max_action_, row.max_action, MaxActionOf(*adopted)});
  return adopted;
}

absl::StatusOr<const plan::Incident*> PlanService::FindOrAdoptLocked(int64_t id) {
  if (const plan::Incident* found = engine_->Find(id)) return found;
  FARO_ASSIGN_OR_RETURN(const std::optional<history::StoredIncident> row, store_->Get(id));
  if (!row) return absl::NotFoundError(StrCat("no incident #", id));
  // A closed incident is read back only when someone writes on it (notes after the fact).
  auto adopted = AdoptStoredLocked(*row);
  if (!adopted.ok())
    return absl::FailedPreconditionError(StrCat("incident #", id, " cannot be changed: ", Message(adopted.status())));
  return adopted;
}

void PlanService::RebuildGuardsLocked() {
  // The guard's record travels in the outcomes of ad actions: the newest snapshot of each
  // account is its record.
  struct Latest {
    TimePoint at;
    int64_t action = 0;
    const nlohmann::json* record = nullptr;
  };
  std::map<std::string, Latest> latest;
  std::set<std::string> open;
  for (const plan::Incident* incident : engine_->Incidents()) {
    if (incident->closed()) continue;
    open.insert(Holder(incident->id));
    for (const plan::TimelineEntry& e : incident->timeline) {
      if (e.kind != "outcome" || !e.details.is_object() || !e.details.contains("guard") ||
          !e.details.contains("guard_account"))
        continue;
      const std::string account = e.details.value("guard_account", std::string());
      const int64_t action = e.details.value("action", int64_t{0});
      Latest& l = latest[account];
      if (l.record == nullptr || e.at > l.at || (e.at == l.at && action > l.action)) l = {e.at, action, &e.details["guard"]};
    }
  }
  for (const auto& [account, l] : latest) {
    auto record = ads::GuardRecordFromJson(*l.record);
    if (!record.ok()) {
      Log(StrCat("ads: the guard's record of ", account, " cannot be read: ", Message(record.status())));
      continue;
    }
    // An incident closed since (it is not open now) wants nothing paused any more.
    for (ads::GuardEntry& entry : record->campaigns)
      std::erase_if(entry.held_by, [&](const std::string& h) { return !open.contains(h); });
    guards_[account] = std::move(*record);
  }
}

void PlanService::ReleaseHoldsLocked(int64_t incident) {
  const std::string holder = Holder(incident);
  for (auto& [account, record] : guards_)
    for (ads::GuardEntry& entry : record.campaigns) std::erase(entry.held_by, holder);
}

void PlanService::Start() {
  worker_ = std::thread([this] {
    TimePoint last_tick{};
    while (!stopping_) {
      {
        std::unique_lock lock(queue_mutex_);
        queue_cv_.wait_for(lock, milliseconds(250), [&] { return stopping_.load() || !queue_.empty(); });
      }
      if (stopping_) break;
      Drain();
      const TimePoint now = app_.clock().Now();
      if (now - last_tick >= std::chrono::seconds(1) || now < last_tick) {
        last_tick = now;
        Tick(now);
        Drain();
      }
    }
  });
}

void PlanService::Stop() {
  if (stopping_.exchange(true)) return;
  queue_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PlanService::Log(const std::string& line) {
  if (options_.log == nullptr) return;
  static std::mutex log_mutex;
  std::lock_guard lock(log_mutex);
  *options_.log << Rfc3339(app_.clock().Now()) << " plans: " << line << std::endl;
}

Lang PlanService::lang() const { return app_.config().business.lang; }

TimePoint PlanService::Now(TimePoint at_least) const { return std::max(app_.clock().Now(), at_least); }

// --- inputs -----------------------------------------------------------------------------------

void PlanService::Push(Work work) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(work));
  }
  queue_cv_.notify_one();
}

void PlanService::OnEvent(const Event& event) { Push(event); }

void PlanService::OnMentionMinute(const std::string& subject, const plan::MentionMinute& minute) {
  Push(Minute{subject, minute});
}

void PlanService::Tick(TimePoint now) { Push(Tick_{now}); }

void PlanService::Drain() {
  std::lock_guard run(run_mutex_);
  while (true) {
    Work work;
    {
      std::lock_guard lock(queue_mutex_);
      if (queue_.empty()) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    Handle(work);
  }
}

void PlanService::Handle(Work& work) {
  std::vector<plan::Action> actions;
  std::vector<int64_t> rechecks;
  TimePoint now{};
  {
    std::lock_guard lock(mutex_);
    if (auto* event = std::get_if<Event>(&work)) {
      actions = engine_->OnEvent(*event);
    } else if (auto* tick = std::get_if<Tick_>(&work)) {
      now = tick->now;
      actions = engine_->Tick(now);
      rechecks = DueRechecksLocked(now);
      for (auto it = retries_.begin(); it != retries_.end();) {
        if (it->due > now) {
          ++it;
          continue;
        }
        const plan::Incident* incident = engine_->Find(it->action.incident);
        if (incident != nullptr && !incident->closed()) actions.push_back(std::move(it->action));
        it = retries_.erase(it);
      }
    } else if (auto* minute = std::get_if<Minute>(&work)) {
      engine_->OnMentionMinute(minute->subject, minute->minute);
    } else {
      actions = std::move(std::get<std::vector<plan::Action>>(work));
    }
    NoteActionsLocked(actions);
    (void)SaveChangedLocked();
  }
  if (auto* event = std::get_if<Event>(&work); event != nullptr && !actions.empty())
    Log(StrCat("event ", event->id, " ", event->kind, " ", event->subject, ": ", actions.size(), " action(s)"));
  Execute(std::move(actions));
  for (int64_t id : rechecks) Recheck(id, now);
  WriteCrisisLog();
}

PlanService::Saved PlanService::SavedOf(const plan::Incident& incident) {
  return {incident.timeline.size(), incident.mention_series.size(), incident.platform_series.size(), incident.state};
}

void PlanService::NoteActionsLocked(const std::vector<plan::Action>& actions) {
  for (const plan::Action& a : actions) max_action_ = std::max(max_action_, a.id);
}

absl::Status PlanService::SaveChangedLocked() {
  std::vector<history::StoredIncident> rows;
  std::vector<std::pair<int64_t, Saved>> marks;
  for (const plan::Incident* incident : engine_->Incidents()) {
    const Saved now = SavedOf(*incident);
    auto it = saved_.find(incident->id);
    if (it != saved_.end() && it->second == now) continue;
    if (incident->closed() && (it == saved_.end() || it->second.state != "closed")) ReleaseHoldsLocked(incident->id);
    history::StoredIncident row;
    row.id = incident->id;
    row.plan = incident->plan;
    row.playbook = incident->playbook;
    row.kind = incident->kind;
    row.state = incident->state;
    row.subject = incident->subject;
    row.drill = incident->drill;
    row.opened_at = incident->opened_at;
    row.updated_at = incident->timeline.empty() ? incident->opened_at : incident->timeline.back().at;
    row.max_action = max_action_;
    row.json = plan::IncidentToJson(*incident).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    rows.push_back(std::move(row));
    marks.emplace_back(incident->id, now);
  }
  if (rows.empty()) return absl::OkStatus();
  if (absl::Status st = store_->Save(rows); !st.ok()) {
    ++stats_.store_errors;
    Log(StrCat("incidents: not stored (tried again with the next change): ", Message(st)));
    return st;
  }
  for (auto& [id, mark] : marks) {
    saved_[id] = mark;
    if (mark.state == "closed") {  // closed now, or changed after closing: the log's copy is old
      unlogged_[id] = ++log_changes_;
      log_due_ = true;
    }
  }
  stats_.crisis_log_unwritten = static_cast<int64_t>(unlogged_.size());
  return absl::OkStatus();
}

std::optional<PlanService::Snapshot> PlanService::SnapshotLocked(int64_t id) const {
  const plan::Incident* incident = engine_->Find(id);
  if (incident == nullptr) return std::nullopt;
  std::shared_ptr<const plan::Plan> p = PlanOf(plans_, incident->plan);
  if (!p) return std::nullopt;
  return Snapshot{*incident, std::move(p)};
}

// --- what people do ---------------------------------------------------------------------------

absl::StatusOr<nlohmann::json> PlanService::AfterInputLocked(int64_t id,
                                                            absl::StatusOr<std::vector<plan::Action>> actions,
                                                            std::vector<plan::Action>& queued) {
  // Even a refused input may be on the timeline (a late answer, a refused close): stored too.
  const absl::Status saved = SaveChangedLocked();
  if (!actions.ok()) return actions.status();
  NoteActionsLocked(*actions);
  queued = std::move(*actions);
  if (!saved.ok())
    return absl::UnavailableError(StrCat("incident #", id, " changed but could not be stored yet (", Message(saved),
                                         "); Faro keeps trying"));
  return IncidentJsonLocked(*engine_->Find(id));
}

absl::StatusOr<nlohmann::json> PlanService::Decide(int64_t id, int64_t action, bool approve, const std::string& person,
                                                   const std::string& reason) {
  std::vector<plan::Action> queued;
  absl::StatusOr<nlohmann::json> answer;
  {
    std::lock_guard lock(mutex_);
    FARO_ASSIGN_OR_RETURN(const plan::Incident* incident, FindOrAdoptLocked(id));
    const plan::PendingApproval* pending = FindPending(*incident, action);
    if (pending == nullptr && !AskedOn(*incident, action))
      return absl::NotFoundError(StrCat("incident #", id, " has no approval request ", action));
    if (pending != nullptr) {
      const std::vector<std::string> may = MayAnswerLocked(*incident, *pending);
      if (std::find(may.begin(), may.end(), person) == may.end())
        return absl::PermissionDeniedError(
            StrCat("\"", person, "\" may not answer this request; it is for ", may.empty() ? "nobody now" : Join(may, ", "),
                   " (say who answers with {\"as\": \"NAME\"})"));
    }
    // A request already settled: the engine puts the late answer on the timeline and refuses.
    answer = AfterInputLocked(id, engine_->Decide({action, person, approve, Now(TimePoint{}), reason}), queued);
  }
  if (answer.ok()) Log(StrCat("incident #", id, ": ", person, approve ? " approved " : " denied ", "request ", action));
  if (!queued.empty()) Push(std::move(queued));
  return answer;
}

absl::StatusOr<nlohmann::json> PlanService::AddNote(int64_t id, const std::string& who, const std::string& text) {
  std::vector<plan::Action> queued;
  absl::StatusOr<nlohmann::json> answer;
  {
    std::lock_guard lock(mutex_);
    FARO_RETURN_IF_ERROR(FindOrAdoptLocked(id).status());
    answer = AfterInputLocked(id, engine_->AddNote(id, who, text, Now(TimePoint{})), queued);
  }
  if (!queued.empty()) Push(std::move(queued));
  WriteCrisisLog();  // a note on a closed incident belongs in its report
  return answer;
}

absl::StatusOr<nlohmann::json> PlanService::PostStatusUpdate(int64_t id, const std::string& who, const std::string& text) {
  std::vector<plan::Action> queued;
  absl::StatusOr<nlohmann::json> answer;
  {
    std::lock_guard lock(mutex_);
    FARO_RETURN_IF_ERROR(FindOrAdoptLocked(id).status());
    answer = AfterInputLocked(id, engine_->PostStatusUpdate(id, who, text, Now(TimePoint{})), queued);
  }
  if (answer.ok()) Log(StrCat("incident #", id, ": status update by ", who));
  if (!queued.empty()) Push(std::move(queued));
  return answer;
}

absl::StatusOr<nlohmann::json> PlanService::StatusUpdatesJson(int64_t id) {
  std::lock_guard lock(mutex_);
  const plan::Incident* incident = engine_->Find(id);
  std::shared_ptr<const plan::Plan> p = incident != nullptr ? PlanOf(plans_, incident->plan) : nullptr;
  const plan::Playbook* playbook = p ? p->FindPlaybook(incident->playbook) : nullptr;
  nlohmann::json out = {{"step", nullptr},  {"roles", nlohmann::json::array()}, {"to", nlohmann::json::array()},
                        {"every_s", nullptr}, {"first_within_s", nullptr},       {"running", false},
                        {"next", nullptr}};
  if (playbook == nullptr) {
    // Not running here (closed before a restart, or its plan is gone): nothing is due.
    FARO_ASSIGN_OR_RETURN(const std::optional<history::StoredIncident> row, store_->Get(id));
    if (!row) return absl::NotFoundError(StrCat("no incident #", id));
    return out;
  }
  const plan::Cadence* cadence = nullptr;
  for (const plan::Cadence& c : incident->run.cadences)
    if (!cadence && playbook->steps[c.step].kind == plan::StepKind::kStatusUpdates) cadence = &c;
  int step = cadence ? cadence->step : -1;
  for (int i = 0; step < 0 && i < static_cast<int>(playbook->steps.size()); ++i)
    if (playbook->steps[i].kind == plan::StepKind::kStatusUpdates) step = i;
  std::vector<std::string> roles;
  if (step >= 0) {
    const plan::Step& st = playbook->steps[step];
    roles = st.roles;
    out["step"] = step;
    out["every_s"] = std::chrono::duration_cast<std::chrono::seconds>(st.every).count();
    out["first_within_s"] = std::chrono::duration_cast<std::chrono::seconds>(st.first_within).count();
  } else {
    for (const plan::Role& role : p->roles) roles.push_back(role.id);
  }
  std::vector<std::string> to;
  for (const std::string& role : roles)
    for (const std::string& name : incident->Holders(role))
      if (std::find(to.begin(), to.end(), name) == to.end()) to.push_back(name);
  out["roles"] = roles;
  out["to"] = to;
  if (cadence != nullptr && !incident->closed()) {
    out["running"] = true;
    out["next"] = Rfc3339(cadence->next);
  }
  return out;
}

absl::StatusOr<nlohmann::json> PlanService::AssignRole(int64_t id, const std::string& role, const std::string& person,
                                                       plan::RoleChange change) {
  std::vector<plan::Action> queued;
  absl::StatusOr<nlohmann::json> answer;
  {
    std::lock_guard lock(mutex_);
    FARO_RETURN_IF_ERROR(FindOrAdoptLocked(id).status());
    answer = AfterInputLocked(id, engine_->AssignRole(id, role, person, Now(TimePoint{}), change), queued);
  }
  if (!queued.empty()) Push(std::move(queued));
  return answer;
}

absl::StatusOr<CloseAnswer> PlanService::Close(int64_t id, const std::string& who, const std::string& reason) {
  std::vector<plan::Action> queued;
  CloseAnswer answer;
  {
    std::lock_guard lock(mutex_);
    FARO_ASSIGN_OR_RETURN(const plan::Incident* incident, FindOrAdoptLocked(id));
    if (incident->closed()) {
      answer.error = StrCat("incident #", id, " is already closed");
      return answer;
    }
    answer.blocking = Blocking(*incident, PlanOf(plans_, incident->plan).get());
    auto closed = AfterInputLocked(id, engine_->Close(id, who, reason, Now(TimePoint{})), queued);
    if (!closed.ok()) {
      if (closed.status().code() != absl::StatusCode::kFailedPrecondition) return closed.status();
      answer.error = std::string(closed.status().message());
      return answer;
    }
    answer.closed = true;
    answer.incident = std::move(*closed);
  }
  Log(StrCat("incident #", id, " closed by ", who));
  if (!queued.empty()) Push(std::move(queued));
  WriteCrisisLog();
  return answer;
}

bool PlanService::AnswerByReply(int64_t contact_id, const std::string& channel, const std::string& text) {
  const std::optional<bool> approve = ReplyDecision(text);
  if (!approve) return false;
  std::string person;
  int64_t incident_id = 0, action = 0;
  {
    std::lock_guard lock(mutex_);
    auto named = people_.name_of.find(contact_id);
    if (named != people_.name_of.end()) person = named->second;
    for (const respond::TeamMember& m : app_.team())
      if (person.empty() && m.contact_id == contact_id) person = m.name;
    if (person.empty()) return false;
    // The newest request still open that was sent to this person.
    TimePoint newest{};
    for (const plan::Incident* incident : engine_->Incidents()) {
      if (incident->closed()) continue;
      for (const plan::PendingApproval& p : incident->run.approvals) {
        if (!ToldAbout(*incident, p, contact_id)) continue;
        const std::vector<std::string> may = MayAnswerLocked(*incident, p);
        if (std::find(may.begin(), may.end(), person) == may.end()) continue;
        if (action == 0 || p.asked_at > newest) {
          newest = p.asked_at;
          incident_id = incident->id;
          action = p.ask_action;
        }
      }
    }
  }
  if (action == 0) return false;
  auto decided = Decide(incident_id, action, *approve, person, StrCat("reply on ", channel, ": \"", std::string(Trim(text)), "\""));
  if (!decided.ok()) {
    Log(StrCat("incident #", incident_id, ": the reply of ", person, " was not taken: ", Message(decided.status())));
    return false;
  }
  // The reply answered Faro, not a question of theirs: nothing waits for an answer.
  (void)app_.inbox().Resolve(contact_id, app_.clock().Now());
  return true;
}

absl::StatusOr<std::vector<std::string>> PlanService::MayAnswer(int64_t id, int64_t action) {
  std::lock_guard lock(mutex_);
  const plan::Incident* incident = engine_->Find(id);
  if (incident == nullptr) return absl::NotFoundError(StrCat("no open incident #", id));
  const plan::PendingApproval* pending = FindPending(*incident, action);
  if (pending == nullptr) return absl::NotFoundError(StrCat("incident #", id, " has no pending approval request ", action));
  return MayAnswerLocked(*incident, *pending);
}

absl::StatusOr<std::string> PlanService::Reload(setup::FaroConfig& fresh) {
  if (fresh.plans.plans.empty())
    return absl::FailedPreconditionError("the new configuration has no plans:; restart to stop running plans");
  FARO_ASSIGN_OR_RETURN(People people, UpsertPeople(fresh.plans.plans));
  std::lock_guard lock(mutex_);
  // Every incident moves to an engine with the new plans, or none does.
  plan::EngineOptions eo;
  eo.first_action_id = max_action_ + 1;
  int64_t max_incident = 0;
  for (const plan::Incident* i : engine_->Incidents()) max_incident = std::max(max_incident, i->id);
  if (auto max = store_->Max(); max.ok()) max_incident = std::max(max_incident, max->incident);
  eo.first_incident_id = max_incident + 1;
  auto engine = std::make_unique<plan::Engine>(fresh.plans.plans, eo);
  for (const plan::Incident* i : engine_->Incidents()) {
    if (absl::Status st = engine->Adopt(*i); !st.ok())
      return absl::FailedPreconditionError(StrCat("plans: incident #", i->id, " would not fit the new plans: ",
                                                  Message(st), "; the plans running now keep running"));
  }
  engine_ = std::move(engine);
  plans_ = fresh.plans.plans;
  if (fresh.crisis_log != crisis_log_dir_) {
    crisis_log_dir_ = fresh.crisis_log;
    log_due_ = !unlogged_.empty();  // the new folder gets what the old one could not
  }
  people_ = std::move(people);
  for (auto& platform : fresh.ads.platforms) {
    accounts_[platform->account()] = platform.get();
    owned_accounts_.push_back(std::move(platform));
  }
  fresh.ads.platforms.clear();
  for (ads::AdPlatform* platform : options_.ad_accounts) accounts_[platform->account()] = platform;
  std::vector<std::string> ids;
  for (const auto& p : plans_) ids.push_back(p->id);
  return StrCat("plans reloaded: ", Join(ids, ", "));
}

}  // namespace faro::service

// --- the crisis log -----------------------------------------------------------------------------

namespace faro::service {

std::string PlanService::crisis_log_dir() const {
  std::lock_guard lock(mutex_);
  return crisis_log_dir_;
}

nlohmann::json PlanService::CrisisLogUnwritten() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, change] : unlogged_) {
    auto error = log_errors_.find(id);
    out.push_back({{"id", id}, {"error", error == log_errors_.end() ? "" : error->second}});
  }
  return out;
}

absl::Status PlanService::FindUnloggedClosed() {
  std::string dir;
  {
    std::lock_guard lock(mutex_);
    dir = crisis_log_dir_;
  }
  if (dir.empty()) return absl::OkStatus();  // no crisis log configured (LoadFaroConfig always sets one)
  history::IncidentQuery q;
  q.state = "closed";
  q.limit = 500;
  size_t found = 0;
  for (q.offset = 0;; q.offset += q.limit) {
    FARO_ASSIGN_OR_RETURN(const std::vector<history::StoredIncident> rows, store_->List(q));
    for (const history::StoredIncident& row : rows) {
      // The log's copy is the stored record byte for byte once written; anything else is old.
      bool current = false;
      if (auto record = record::ParseIncidentText(row.json); record.ok()) {
        const std::string copy = (std::filesystem::path(dir) / record::FolderName(*record) / "INCIDENT.json").string();
        std::error_code ec;
        if (std::filesystem::exists(copy, ec))
          if (auto text = record::ReadWholeFile(copy); text.ok()) current = *text == row.json;
      }
      if (current) continue;
      std::lock_guard lock(mutex_);
      unlogged_[row.id] = ++log_changes_;
      log_due_ = true;
      stats_.crisis_log_unwritten = static_cast<int64_t>(unlogged_.size());
      ++found;
    }
    if (static_cast<int>(rows.size()) < q.limit) break;
  }
  if (found > 0) Log(StrCat("crisis log: ", found, " closed incident(s) not in ", dir, " yet; writing them"));
  return absl::OkStatus();
}

void PlanService::WriteCrisisLog() {
  std::lock_guard writing(log_mutex_);
  std::map<int64_t, uint64_t> due;
  std::string dir;
  {
    std::lock_guard lock(mutex_);
    if (!log_due_ || crisis_log_dir_.empty()) return;
    log_due_ = false;
    due = unlogged_;
    dir = crisis_log_dir_;
  }
  for (const auto& [id, change] : due) {
    // The record as stored: the database is the source of truth, the log its copy.
    auto row = store_->Get(id);
    absl::StatusOr<std::string> folder = absl::NotFoundError("not in the database");
    if (!row.ok()) folder = row.status();
    else if (*row && (*row)->state == "closed") folder = record::AddToLog(dir, (*row)->json);
    else if (*row) folder = absl::FailedPreconditionError("it is not closed");
    std::lock_guard lock(mutex_);
    auto it = unlogged_.find(id);
    if (folder.ok() || (row.ok() && (!*row || (*row)->state != "closed"))) {
      if (it != unlogged_.end() && it->second == change) unlogged_.erase(it);  // a later change waits its turn
      log_errors_.erase(id);
      stats_.crisis_log_unwritten = static_cast<int64_t>(unlogged_.size());
      if (folder.ok()) Log(StrCat("incident #", id, ": written to the crisis log (", *folder, ")"));
      continue;
    }
    ++stats_.crisis_log_errors;
    log_errors_[id] = Message(folder.status());
    Log(StrCat("incident #", id, ": not written to the crisis log ", dir, " (it stays in the database; tried again "
               "at the next close or start): ", Message(folder.status())));
  }
}

}  // namespace faro::service
