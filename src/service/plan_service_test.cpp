// The contingency plans inside `faro serve`, without sockets: events in, the real outbox,
// failover log, SQLite incident store and ad guard (over a dry-run Meta account) out, on a
// simulated clock. The worker thread is not started: each test runs the queue itself (Drain).
#include "service/plan_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "outbox/broadcast.hpp"
#include "record/crisis_log.hpp"
#include "store/sqlite.hpp"

#include "service/plan_test_world.hpp"

namespace faro::service {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

class PlanServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(FromUnixMillis(1633359600000));  // 2021-10-04 15:00 UTC
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("faro_plan_service_", ::getpid(), "_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    testing::WriteWorld(dir_);
    auto config = setup::LoadFaroConfigFromString(testing::WorldConfig(), (dir_ / "faro.yaml").string(), dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = setup::App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    testing::FillAccount(meta_);
    std::tie(carla_, diego_) = testing::AddCustomers(*app_);
    OpenService();
  }
  void TearDown() override {
    service_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  void OpenService() {
    PlanServiceOptions options;
    options.ad_accounts = {&meta_};
    auto service = PlanService::Open(*app_, options);
    ASSERT_TRUE(service.ok()) << Message(service.status());
    service_ = std::move(*service);
  }

  void Down() {
    service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 1));
    service_->Drain();
  }

  // Ana approves the first pending request of incident 1; false when the service refused.
  bool AnaApproves() {
    const bool ok =
        service_->Decide(1, Incident()["pending_approvals"][0]["action"].get<int64_t>(), true, "Ana", "").ok();
    service_->Drain();
    return ok;
  }

  // An hour later the platform is back.
  void RestoredAnHourLater() {
    clock_.Advance(hours(1));
    service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 2));
    service_->Drain();
  }

  // Messages still queued keep "outbox-drained" from being green; the dispatcher is not running
  // here, so everything queued is marked sent, as a dispatcher would. Then the hour of watching
  // after restoration passes, rechecked every 10 minutes. False when the outbox could not be
  // written.
  bool EverythingSentThenAnHourOfWatching() {
    const bool sent = app_->outbox()
                          .WithDb("test", [](SQLite::Database& db) { db.exec("UPDATE outbox_message SET state = 2"); })
                          .ok();
    for (int i = 0; i < 7; ++i) {
      clock_.Advance(minutes(10));
      service_->Tick(clock_.Now());
      service_->Drain();
    }
    return sent;
  }

  json Incident(int64_t id = 1) {
    auto j = service_->IncidentJson(id);
    EXPECT_TRUE(j.ok()) << Message(j.status());
    return j.ok() ? *j : json::object();
  }

  // The outcome of the incident's (first) action of this kind.
  static json OutcomeOf(const json& incident, const std::string& kind) {
    for (const auto& e : incident["timeline"])
      if (e["kind"] == "outcome" && e["details"].value("action_kind", "") == kind) return e;
    return json();
  }

  std::string StatusOf(const std::string& campaign) {
    for (const ads::Campaign& c : meta_.campaigns())
      if (c.id == campaign) return std::string(ads::StatusName(c.status));
    return "missing";
  }

  int64_t ContactOf(const std::string& telegram) {
    auto id = app_->contacts().FindByAddress(channels::AddressKind::kTelegram, telegram);
    EXPECT_TRUE(id.ok() && id->has_value());
    return id.ok() && id->has_value() ? **id : 0;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<setup::App> app_;
  ads::DryRunPlatform meta_{"meta", "meta"};
  std::unique_ptr<PlanService> service_;
  int64_t carla_ = 0, diego_ = 0;
};

TEST_F(PlanServiceTest, PlatformDownOpensAnIncidentTellsTheTeamFailsOverPausesAdsAndAsks) {
  Down();
  auto list = service_->IncidentsJson({});
  ASSERT_TRUE(list.ok()) << Message(list.status());
  ASSERT_EQ((*list)["total"], 1);
  EXPECT_EQ((*list)["incidents"][0]["state"], "active");
  EXPECT_EQ((*list)["incidents"][0]["approvals_pending"], 1);

  const json incident = Incident();
  // The team was told through the outbox, on the channel each person is reached on.
  const json notify = OutcomeOf(incident, "notify");
  ASSERT_TRUE(notify.is_object()) << incident["timeline"].dump(1);
  ASSERT_EQ(notify["details"]["told"].size(), 2u);
  for (const auto& told : notify["details"]["told"]) {
    EXPECT_EQ(told["channel"], "telegram");
    auto message = app_->outbox().Get(told["message_id"].get<int64_t>());
    ASSERT_TRUE(message.ok() && message->has_value());
    EXPECT_NE((*message)->text.find("WhatsApp no funciona (#1)"), std::string::npos) << (*message)->text;
  }
  // WhatsApp failed over.
  EXPECT_TRUE(app_->outbox().DownSet().contains("whatsapp"));
  EXPECT_EQ(OutcomeOf(incident, "failover")["details"]["already"], false);
  // Ads paused: what was running; the campaign a person had paused is recorded as such.
  EXPECT_EQ(StatusOf("c1"), "paused");
  EXPECT_EQ(StatusOf("c3"), "paused");
  EXPECT_EQ(StatusOf("c2"), "paused");
  EXPECT_EQ(incident["figures"]["campaigns_paused"], 2);
  const json guard = OutcomeOf(incident, "pause-ads")["details"]["guard"];
  ASSERT_EQ(guard["campaigns"].size(), 3u);
  for (const auto& c : guard["campaigns"])
    EXPECT_EQ(c["state"], c["id"] == "c2" ? "already-paused" : "paused-by-faro") << c.dump();
  // The approval was asked of the owner, who alone may answer it.
  ASSERT_EQ(incident["pending_approvals"].size(), 1u);
  const json pending = incident["pending_approvals"][0];
  EXPECT_EQ(pending["may_answer"], json::array({"Ana"}));
  EXPECT_EQ(pending["role"], "approver");
  const json asked = OutcomeOf(incident, "ask-approval");
  ASSERT_EQ(asked["details"]["told"].size(), 1u);
  EXPECT_EQ(asked["details"]["told"][0]["person"], "Ana");
  auto request = app_->outbox().Get(asked["details"]["told"][0]["message_id"].get<int64_t>());
  ASSERT_TRUE(request.ok() && request->has_value());
  EXPECT_NE((*request)->text.find("«sí»"), std::string::npos) << (*request)->text;
  // Nothing past the approval ran yet.
  EXPECT_TRUE(OutcomeOf(incident, "holding-statement").is_null());
  EXPECT_FALSE(incident["may_close"]["may_close"].get<bool>());

  // The incident is stored before anything else happens: a fresh reader sees it.
  auto stored = service_->IncidentsJson({{"state", "active"}, {"kind", "outage"}});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)["total"], 1);
  EXPECT_FALSE(service_->IncidentsJson({{"limit", "0"}}).ok());
  EXPECT_FALSE(service_->IncidentsJson({{"kind", "sideways"}}).ok());

  const PlanStats stats = service_->Stats();
  EXPECT_EQ(stats.approvals_pending, 1);
  EXPECT_EQ(stats.incidents.at("active"), 1);
  EXPECT_EQ(stats.actions.at({"pause-ads", "ok"}), 1u);
}

TEST_F(PlanServiceTest, AReplyOnTheChannelAnswersTheApprovalAndThePlanGoesOn) {
  testing::CustomerWrote(*app_, carla_, "¿atienden hoy?", clock_.Now() - minutes(5));
  Down();
  const int64_t leo = ContactOf("4242"), ana = ContactOf("5151");
  // Words that are not an answer, and people who were not asked, change nothing.
  EXPECT_FALSE(service_->AnswerByReply(ana, "telegram", "ya veo"));
  EXPECT_FALSE(service_->AnswerByReply(leo, "telegram", "sí"));
  EXPECT_FALSE(service_->AnswerByReply(carla_, "telegram", "sí"));
  clock_.Advance(minutes(3));
  ASSERT_TRUE(service_->AnswerByReply(ana, "telegram", "Sí!"));
  service_->Drain();

  const json incident = Incident();
  EXPECT_TRUE(incident["pending_approvals"].empty());
  bool approved = false;
  for (const auto& e : incident["timeline"])
    if (e["kind"] == "approved") {
      approved = true;
      EXPECT_EQ(e["who"], "Ana");
      EXPECT_NE(e["details"]["reason"].get<std::string>().find("reply on telegram"), std::string::npos);
    }
  EXPECT_TRUE(approved);
  // The holding statement: Carla (on Telegram) is told; Diego has no working channel named;
  // Instagram is for people.
  const json holding = OutcomeOf(incident, "holding-statement");
  ASSERT_TRUE(holding.is_object()) << incident["timeline"].dump(1);
  EXPECT_EQ(holding["details"]["contacts_told"], 1);
  EXPECT_EQ(holding["details"]["not_reachable"], 1);
  EXPECT_EQ(holding["details"]["by_hand"], json::array({"instagram"}));
  // An outbox broadcast like any other: followed by its id, never taken for a personal reply.
  auto progress = outbox::Progress(app_->outbox(), holding["details"]["broadcast_id"].get<int64_t>());
  ASSERT_TRUE(progress.ok()) << Message(progress.status());
  EXPECT_EQ(progress->total, 1);
  EXPECT_EQ(progress->failed_channel, "whatsapp");
  EXPECT_EQ(progress->by_channel.at("telegram"), 1);
  EXPECT_EQ(incident["figures"]["contacts_told"], 1);
  EXPECT_EQ(incident["figures"]["first_message_after_s"], 180);
  // Carla's unanswered WhatsApp message went to the community manager.
  const json assigned = OutcomeOf(incident, "assign-replies");
  ASSERT_EQ(assigned["details"]["conversations"], 1);
  EXPECT_EQ(assigned["details"]["assigned"][0]["person"], "Leo");
  EXPECT_EQ(assigned["details"]["assigned"][0]["contacts"], json::array({carla_}));
  auto told = app_->outbox().Get(assigned["details"]["assigned"][0]["message_id"].get<int64_t>());
  ASSERT_TRUE(told.ok() && told->has_value());
  EXPECT_NE((*told)->text.find("Carla"), std::string::npos) << (*told)->text;
  // A second answer is too late.
  EXPECT_FALSE(service_->AnswerByReply(ana, "telegram", "no"));
}

TEST_F(PlanServiceTest, ApprovalsCheckWhoAnswersAndEscalationWidensIt) {
  Down();
  const int64_t ask = Incident()["pending_approvals"][0]["action"].get<int64_t>();
  auto refused = service_->Decide(1, ask, true, "Leo", "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(Message(refused.status()).find("Ana"), std::string::npos);
  EXPECT_EQ(service_->Decide(1, 999, true, "Ana", "").status().code(), absl::StatusCode::kNotFound);
  // Ten minutes without an answer: the community manager is told and may answer too.
  clock_.Advance(minutes(10));
  service_->Tick(clock_.Now());
  service_->Drain();
  json incident = Incident();
  EXPECT_EQ(incident["pending_approvals"][0]["may_answer"], json::array({"Ana", "Leo"}));
  ASSERT_TRUE(OutcomeOf(incident, "escalate").is_object());
  EXPECT_EQ(OutcomeOf(incident, "escalate")["details"]["told"][0]["person"], "Leo");
  auto denied = service_->Decide(1, ask, false, "Leo", "no publicamos nada todavía");
  ASSERT_TRUE(denied.ok()) << Message(denied.status());
  service_->Drain();
  incident = Incident();
  // Denied: nothing the approval guarded runs (the engine goes on to its recovery steps).
  EXPECT_TRUE(OutcomeOf(incident, "holding-statement").is_null());
  EXPECT_TRUE(OutcomeOf(incident, "assign-replies").is_null());
  // Answering again is refused and the late answer is on the timeline.
  auto late = service_->Decide(1, ask, true, "Ana", "");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  bool recorded = false;
  incident = Incident();
  for (const auto& e : incident["timeline"]) recorded |= e["kind"] == "approved" && e["details"].value("late", false);
  EXPECT_TRUE(recorded) << "the late answer is on the timeline";
}

TEST_F(PlanServiceTest, ARestartResumesTheIncidentAndResumesOnlyWhatFaroPaused) {
  Down();
  ASSERT_TRUE(AnaApproves());
  const size_t before = Incident()["timeline"].size();
  // Faro stops; a second service over the same database takes over.
  service_.reset();
  OpenService();
  json incident = Incident();
  EXPECT_EQ(incident["state"], "active");
  EXPECT_EQ(incident["timeline"].size(), before) << "nothing lost, nothing done twice";

  clock_.Advance(hours(2));
  service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 2));
  service_->Drain();
  incident = Incident();
  EXPECT_EQ(incident["state"], "stable");
  EXPECT_FALSE(app_->outbox().DownSet().contains("whatsapp"));
  EXPECT_EQ(StatusOf("c1"), "active");
  EXPECT_EQ(StatusOf("c3"), "active");
  EXPECT_EQ(StatusOf("c2"), "paused") << "a campaign paused before the incident stays paused";
  // Two campaigns at 1.00 USD an hour, paused for two hours.
  EXPECT_EQ(incident["figures"]["spend_protected"], "4.00");
  EXPECT_EQ(incident["figures"]["currency"], "USD");
  // The restoration check ran: the campaigns are as they should be; watching goes on for 1 h.
  std::map<std::string, std::string> states;
  for (const auto& item : incident["checklist"]) states[item["item"]] = item["state"];
  EXPECT_EQ(states["campaigns-resumed"], "green");
  EXPECT_EQ(states["watching"], "pending");
  EXPECT_EQ(states["scheduled-posts"], "green");
  for (const auto& item : incident["checklist"])
    if (item["item"] == "scheduled-posts") { EXPECT_EQ(item["details"]["known_to_faro"], false); }
  // Once closed, the next outage is a new incident, numbered after the stored ones.
  ASSERT_TRUE(service_->Close(1, "Ana", "revisado")->closed);
  service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 3));
  service_->Drain();
  EXPECT_EQ(Incident(2)["subject"], "whatsapp");
  EXPECT_GT(Incident(2)["pending_approvals"][0]["action"].get<int64_t>(),
            Incident(1)["timeline"].back()["details"].value("action", int64_t{0}));
}

TEST_F(PlanServiceTest, CloseIsRefusedOverARedItemAndAcceptedWithAReason) {
  testing::CustomerWrote(*app_, diego_, "necesito un turno", clock_.Now() - minutes(30));
  Down();
  ASSERT_TRUE(AnaApproves());
  RestoredAnHourLater();
  json incident = Incident();
  std::map<std::string, std::string> states;
  for (const auto& item : incident["checklist"]) states[item["item"]] = item["state"];
  EXPECT_EQ(states["unanswered"], "red") << "Diego waits since before the outage";

  auto refused = service_->Close(1, "Ana", "");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->closed);
  EXPECT_NE(std::find(refused->blocking.begin(), refused->blocking.end(), "unanswered"), refused->blocking.end());
  EXPECT_EQ(Incident()["state"], "stable");

  auto closed = service_->Close(1, "Ana", "Diego ya tiene turno por teléfono");
  ASSERT_TRUE(closed.ok());
  EXPECT_TRUE(closed->closed);
  EXPECT_EQ(closed->incident["state"], "closed");
  bool overridden = false;
  for (const auto& o : closed->incident["overrides"]) overridden |= o["item"] == "unanswered" && o["by"] == "Ana";
  EXPECT_TRUE(overridden);
  // Notes after closing still go on the record; the report reads it.
  ASSERT_TRUE(service_->AddNote(1, "Leo", "worked: el aviso por Telegram salió rápido").ok());
  auto report = service_->Report(1, record::ReportFormat::kMarkdown, Lang::kEs);
  ASSERT_TRUE(report.ok()) << Message(report.status());
  EXPECT_NE(report->find("WhatsApp no funciona"), std::string::npos);
  EXPECT_EQ(service_->Stats().incidents.at("closed"), 1);
}

TEST_F(PlanServiceTest, AStableIncidentIsCheckedAgainAndClosesWhenAllIsGreen) {
  Down();
  ASSERT_TRUE(AnaApproves());
  RestoredAnHourLater();
  EXPECT_EQ(Incident()["state"], "stable");
  // After the hour of watching, the rechecks find everything green and the incident closes.
  ASSERT_TRUE(EverythingSentThenAnHourOfWatching());
  const json incident = Incident();
  EXPECT_EQ(incident["state"], "closed") << incident["checklist"].dump(1);
  EXPECT_TRUE(incident["overrides"].empty());
}

TEST_F(PlanServiceTest, CampaignsTwoOutagesPausedRunAgainOnlyWhenTheLastIsOver) {
  Down();  // #1: WhatsApp; pauses c1 and c3
  clock_.Advance(minutes(5));
  service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 2, "instagram"));  // #2
  service_->Drain();
  EXPECT_EQ(Incident(2)["state"], "active");
  clock_.Advance(hours(1));
  service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 3));
  service_->Drain();
  // WhatsApp is back, Instagram is not: the campaigns stay paused for #2.
  EXPECT_EQ(StatusOf("c1"), "paused");
  EXPECT_EQ(StatusOf("c3"), "paused");
  const json first = Incident(1);
  EXPECT_EQ(OutcomeOf(first, "resume-ads")["details"]["still_held"], 2);
  for (const auto& item : first["checklist"])
    if (item["item"] == "campaigns-resumed") { EXPECT_EQ(item["state"], "green") << item.dump(); }
  // Faro restarts in between: the shared record comes back from the incidents' timelines.
  service_.reset();
  OpenService();
  clock_.Advance(minutes(30));
  service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 4, "instagram"));
  service_->Drain();
  EXPECT_EQ(StatusOf("c1"), "active");
  EXPECT_EQ(StatusOf("c3"), "active");
  EXPECT_EQ(StatusOf("c2"), "paused");
}

TEST_F(PlanServiceTest, AnActionStoredButNotCarriedOutIsCarriedOutOnceAfterARestart) {
  Down();
  const json asked = OutcomeOf(Incident(), "ask-approval");
  ASSERT_TRUE(asked.is_object());
  const int64_t message = asked["details"]["told"][0]["message_id"].get<int64_t>();
  service_.reset();
  // As if Faro died after storing the incident and before asking Ana: no outcome of the ask.
  {
    auto db = store::Open(app_->config().database, store::Durability::kProcessCrash);
    ASSERT_TRUE(db.ok());
    auto store = history::IncidentStore::Open(**db);
    ASSERT_TRUE(store.ok());
    auto row = (*store)->Get(1);
    ASSERT_TRUE(row.ok() && row->has_value());
    json record = json::parse((*row)->json);
    ASSERT_EQ(record["timeline"].back()["details"]["action_kind"], "ask-approval");
    record["timeline"].erase(record["timeline"].size() - 1);
    history::StoredIncident changed = **row;
    changed.json = record.dump();
    ASSERT_TRUE((*store)->Save({changed}).ok());
  }
  const int64_t queued = (*app_->outbox().CountsByChannel())["telegram"].queued;
  OpenService();
  service_->Drain();
  const json again = OutcomeOf(Incident(), "ask-approval");
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again["details"]["told"][0]["message_id"], message) << "the same message, not a second one";
  EXPECT_EQ((*app_->outbox().CountsByChannel())["telegram"].queued, queued);
  EXPECT_EQ(Incident()["pending_approvals"].size(), 1u);
}

TEST_F(PlanServiceTest, AStatusUpdateAPersonPostsReachesTheTeamThroughTheOutbox) {
  Down();
  auto posted = service_->PostStatusUpdate(1, "Leo", "Ya contestamos a 12 pacientes por Telegram");
  ASSERT_TRUE(posted.ok()) << Message(posted.status());
  service_->Drain();
  const json incident = Incident();
  // On the timeline by Leo, with his words; told through the outbox like the plan's own updates.
  const json* entry = nullptr;
  for (const auto& e : incident["timeline"])
    if (e["kind"] == "action" && e["details"].value("action_kind", "") == "status-update") entry = &e;
  ASSERT_NE(entry, nullptr) << incident["timeline"].dump(1);
  EXPECT_EQ((*entry)["who"], "Leo");
  EXPECT_NE((*entry)["text"]["es"].get<std::string>().find("12 pacientes"), std::string::npos);
  const json outcome = OutcomeOf(incident, "status-update");
  ASSERT_TRUE(outcome.is_object());
  ASSERT_EQ(outcome["details"]["told"].size(), 2u) << "the playbook has no status updates: the whole team";
  for (const auto& told : outcome["details"]["told"]) {
    auto message = app_->outbox().Get(told["message_id"].get<int64_t>());
    ASSERT_TRUE(message.ok() && message->has_value());
    EXPECT_NE((*message)->text.find("Informe de situación de Leo"), std::string::npos) << (*message)->text;
    EXPECT_NE((*message)->text.find("12 pacientes"), std::string::npos) << (*message)->text;
  }
  auto plan = service_->StatusUpdatesJson(1);
  ASSERT_TRUE(plan.ok()) << Message(plan.status());
  EXPECT_EQ((*plan)["to"], json::array({"Leo", "Ana"}));
  EXPECT_EQ((*plan)["running"], false);
  EXPECT_TRUE((*plan)["next"].is_null());
  EXPECT_EQ(service_->PostStatusUpdate(1, "Leo", " ").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->PostStatusUpdate(7, "Leo", "hola").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(service_->Close(1, "Ana", "falsa alarma")->closed);
  EXPECT_EQ(service_->PostStatusUpdate(1, "Leo", "hola").status().code(), absl::StatusCode::kFailedPrecondition);
}

// The crisis log folder of the test world: "crisis-log" beside faro.db.
class PlanCrisisLogTest : public PlanServiceTest {
 protected:
  std::filesystem::path Log() const { return dir_ / "crisis-log"; }
  std::vector<std::string> Folders() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(Log(), ec))
      if (entry.is_directory()) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string Read(const std::filesystem::path& path) const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  std::string Stored(int64_t id) {
    auto db = store::Open(app_->config().database, store::Durability::kProcessCrash);
    EXPECT_TRUE(db.ok());
    auto store = history::IncidentStore::Open(**db);
    auto row = (*store)->Get(id);
    EXPECT_TRUE(row.ok() && row->has_value());
    return row.ok() && row->has_value() ? (*row)->json : "";
  }
};

TEST_F(PlanCrisisLogTest, AClosedIncidentIsWrittenWithItsReportsAndNotesAfterwardsUpdateIt) {
  EXPECT_EQ(service_->crisis_log_dir(), Log().string());
  Down();
  EXPECT_TRUE(Folders().empty()) << "an open incident is not in the log";
  ASSERT_TRUE(service_->Close(1, "Ana", "Falsa alarma: era el wifi")->closed);
  ASSERT_EQ(Folders(), std::vector<std::string>({"2021-10-04-150000-messaging-outage-1"}));
  const std::filesystem::path folder = Log() / Folders()[0];
  EXPECT_EQ(Read(folder / "INCIDENT.json"), Stored(1)) << "the record exactly as stored";
  for (const char* report : {"report.es.md", "report.en.md", "report.es.html", "report.en.html"})
    EXPECT_TRUE(std::filesystem::exists(folder / report)) << report;
  EXPECT_NE(Read(folder / "report.en.html").find("WhatsApp is down"), std::string::npos);
  EXPECT_NE(Read(Log() / "index.json").find("messaging-outage-1"), std::string::npos);
  // A postmortem note goes into the log's copy too, and the log finds it by a word without accents.
  ASSERT_TRUE(service_->AddNote(1, "Leo", "cambiar: revisar el router del consultorio").ok());
  EXPECT_EQ(Read(folder / "INCIDENT.json"), Stored(1));
  auto log = record::LoadCrisisLog(Log().string());
  ASSERT_TRUE(log.ok()) << Message(log.status());
  EXPECT_EQ(record::SearchLog(*log, "ROUTER consultorio", {}, Lang::kEs).size(), 1u);
  EXPECT_EQ(service_->Stats().crisis_log_errors, 0u);
  EXPECT_TRUE(service_->CrisisLogUnwritten().empty());
}

TEST_F(PlanCrisisLogTest, AnIncidentTheRestorationCheckClosesIsWrittenToo) {
  Down();
  ASSERT_TRUE(AnaApproves());
  RestoredAnHourLater();
  ASSERT_TRUE(EverythingSentThenAnHourOfWatching());
  ASSERT_EQ(Incident()["state"], "closed");
  ASSERT_EQ(Folders().size(), 1u);
  EXPECT_EQ(Read(Log() / Folders()[0] / "INCIDENT.json"), Stored(1));
}

TEST_F(PlanCrisisLogTest, AFailedWriteKeepsTheIncidentAndIsTriedAgainAtTheNextCloseAndStart) {
  std::ofstream(Log()) << "not a folder\n";  // the log cannot be made
  Down();
  auto closed = service_->Close(1, "Ana", "falsa alarma");
  ASSERT_TRUE(closed.ok()) << Message(closed.status());
  EXPECT_TRUE(closed->closed) << "the close itself never fails for the log";
  EXPECT_EQ(Incident()["state"], "closed");
  EXPECT_EQ(service_->Stats().crisis_log_errors, 1u);
  EXPECT_EQ(service_->Stats().crisis_log_unwritten, 1);
  const json unwritten = service_->CrisisLogUnwritten();
  ASSERT_EQ(unwritten.size(), 1u);
  EXPECT_EQ(unwritten[0]["id"], 1);
  EXPECT_FALSE(unwritten[0]["error"].get<std::string>().empty());
  // Ticks do not hammer a broken folder: it is tried again at the next close.
  for (int i = 0; i < 3; ++i) {
    service_->Tick(clock_.Now());
    service_->Drain();
  }
  EXPECT_EQ(service_->Stats().crisis_log_errors, 1u);
  clock_.Advance(minutes(5));
  service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 2, "instagram"));
  service_->Drain();
  ASSERT_TRUE(service_->Close(2, "Ana", "también falsa alarma")->closed);
  EXPECT_EQ(service_->Stats().crisis_log_errors, 3u) << "both tried again, both refused";
  EXPECT_EQ(service_->CrisisLogUnwritten().size(), 2u);
  // Someone fixes the folder; at the next start every closed incident missing from it is written.
  std::filesystem::remove(Log());
  service_.reset();
  OpenService();
  EXPECT_EQ(Folders(), std::vector<std::string>({"2021-10-04-150000-messaging-outage-1",
                                                 "2021-10-04-150500-instagram-down-2"}));
  EXPECT_EQ(Read(Log() / Folders()[0] / "INCIDENT.json"), Stored(1));
  EXPECT_TRUE(service_->CrisisLogUnwritten().empty());
  EXPECT_EQ(service_->Stats().crisis_log_unwritten, 0);
  // A start with nothing missing writes nothing again.
  const auto written = std::filesystem::last_write_time(Log() / Folders()[0] / "INCIDENT.json");
  service_.reset();
  OpenService();
  EXPECT_EQ(std::filesystem::last_write_time(Log() / Folders()[0] / "INCIDENT.json"), written);
}

// A campaign that must stay on air moves to Google while Meta's apps are down, once the owner
// approves, and its copy stops when the outage is over.
TEST(PlanServiceMoveTest, AnApprovedMoveCopiesTheCampaignAndStopsTheCopyAfterwards) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / StrCat("faro_plan_move_", ::getpid());
  std::filesystem::remove_all(dir);
  testing::WriteWorld(dir);
  std::ofstream(dir / "google.token") << "ya29.token\n";
  std::ofstream(dir / "google-dev.token") << "dev-token\n";
  std::ofstream(dir / "plans" / "move.yaml") << R"yaml(plan: keep-on-air
name: Keep on air
business: "Nutrición Ana"
roles:
  approver:
    title: Owner
    people: [{ name: Ana, reach: [{ channel: telegram, chat_id: "5151" }] }]
customer_channels:
  - { id: whatsapp, platform: whatsapp, share: 100% }
ad_accounts:
  - { id: meta, type: meta_marketing, platforms: [instagram] }
  - { id: google, type: google_ads, platforms: [google] }
triggers:
  - { on: platform-down, platforms: [whatsapp], run: keep }
playbooks:
  keep:
    title: Keep on air
    steps:
      - move_campaign:
          account: meta
          campaign: "Turnos de octubre"
          to: google
          budget_cap: "50.00 USD"
          approval: { role: approver, within: 30m }
      - wait: { for: platform-restored }
      - resume_ads: { account: meta }
)yaml";
  FakeClock clock(FromUnixMillis(1633359600000));
  auto config = setup::LoadFaroConfigFromString(R"(
business: { name: "Nutrición Ana", timezone: UTC, region: AR }
storage: { sqlite: faro.db, durability: process-crash }
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "1065", token_file: wa.token, base_url: "http://127.0.0.1:9" }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, base_url: "http://127.0.0.1:9" }
ads:
  - { id: meta, type: meta_marketing, ad_account: act_1, token_file: meta.token, base_url: "http://127.0.0.1:9" }
  - { id: google, type: google_ads, customer_id: 123-456-7890, token_file: google.token,
      developer_token_file: google-dev.token, base_url: "http://127.0.0.1:9" }
plans: [plans/move.yaml]
)",
                                                (dir / "faro.yaml").string(), dir.string());
  ASSERT_TRUE(config.ok()) << Message(config.status());
  auto app = setup::App::Open(std::move(*config), &clock);
  ASSERT_TRUE(app.ok()) << Message(app.status());
  ads::DryRunPlatform meta("meta", "meta"), google("google", "google");
  testing::FillAccount(meta);
  PlanServiceOptions options;
  options.ad_accounts = {&meta, &google};
  auto service = PlanService::Open(**app, options);
  ASSERT_TRUE(service.ok()) << Message(service.status());
  (*service)->OnEvent(testing::PlatformEvent("platform-down", clock.Now(), 1));
  (*service)->Drain();
  EXPECT_TRUE(google.campaigns().empty()) << "nothing moves before the owner approves";
  json incident = *(*service)->IncidentJson(1);
  ASSERT_EQ(incident["pending_approvals"].size(), 1u);
  EXPECT_EQ(incident["pending_approvals"][0]["kind"], "step");
  ASSERT_TRUE((*service)->Decide(1, incident["pending_approvals"][0]["action"].get<int64_t>(), true, "Ana", "").ok());
  (*service)->Drain();
  ASSERT_EQ(google.campaigns().size(), 1u);
  EXPECT_EQ(google.campaigns()[0].status, ads::CampaignStatus::kActive);
  bool capped = false;
  for (const auto& call : google.calls()) capped |= call.what == "duplicate" && call.detail.find("cap 50.00 USD") != std::string::npos;
  EXPECT_TRUE(capped);
  clock.Advance(hours(1));
  (*service)->OnEvent(testing::PlatformEvent("platform-restored", clock.Now(), 2));
  (*service)->Drain();
  EXPECT_EQ(google.campaigns()[0].status, ads::CampaignStatus::kPaused) << "the copy stops, it is never deleted";
  service->reset();
  app->reset();
  std::filesystem::remove_all(dir);
}

TEST_F(PlanServiceTest, AChannelIsFailedOverOnceWhoeverAsksFirst) {
  // The watch's automatic failover (its own log over the same database) gets there first.
  auto db = store::Open(app_->config().database, store::Durability::kProcessCrash);
  ASSERT_TRUE(db.ok());
  auto log = FailoverLog::Open(**db);
  ASSERT_TRUE(log.ok());
  ChannelFailover watch(*app_, **log);
  auto first = watch.Fail({.channel = "whatsapp", .platform = "whatsapp", .reason = "watch", .at = clock_.Now()});
  ASSERT_TRUE(first.ok()) << Message(first.status());
  EXPECT_FALSE(first->already);
  Down();
  const json failover = OutcomeOf(Incident(), "failover");
  EXPECT_EQ(failover["details"]["already"], true);
  EXPECT_EQ(failover["details"]["failover_id"], first->failover_id);
  EXPECT_EQ(*watch.Active(), std::set<std::string>({"whatsapp"}));
  ASSERT_TRUE(watch.Restore("whatsapp", 0, clock_.Now()).ok());
  EXPECT_TRUE(watch.Restore("whatsapp", 0, clock_.Now())->already);
  EXPECT_FALSE(app_->outbox().DownSet().contains("whatsapp"));
}

TEST_F(PlanServiceTest, AReloadMovesRunningIncidentsToTheNewPlansOrChangesNothing) {
  Down();
  // The playbook the incident runs is gone from the new plan: refused, the old plans go on.
  std::string renamed = testing::kPlan;
  for (const std::string from : {"run: messaging-outage", "  messaging-outage:"}) {
    const std::string to = from == "run: messaging-outage" ? "run: whatsapp-down" : "  whatsapp-down:";
    renamed.replace(renamed.find(from), from.size(), to);
  }
  std::ofstream(dir_ / "plans" / "outage.yaml") << renamed;
  auto fresh = setup::LoadFaroConfigFromString(testing::WorldConfig(), (dir_ / "faro.yaml").string(), dir_.string());
  ASSERT_TRUE(fresh.ok()) << Message(fresh.status());
  auto refused = service_->Reload(*fresh);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(Message(refused.status()).find("incident #1"), std::string::npos) << Message(refused.status());
  EXPECT_EQ(Incident()["pending_approvals"].size(), 1u);
  // The same plan again (a person edited a text): accepted, the incident keeps its approval.
  std::string edited = testing::kPlan;
  edited.replace(edited.find("WhatsApp no funciona (#{incident})."), 35, "WhatsApp está caído (#{incident}).");
  std::ofstream(dir_ / "plans" / "outage.yaml") << edited;
  fresh = setup::LoadFaroConfigFromString(testing::WorldConfig(), (dir_ / "faro.yaml").string(), dir_.string());
  ASSERT_TRUE(fresh.ok()) << Message(fresh.status());
  auto note = service_->Reload(*fresh);
  ASSERT_TRUE(note.ok()) << Message(note.status());
  const int64_t ask = Incident()["pending_approvals"][0]["action"].get<int64_t>();
  ASSERT_TRUE(service_->Decide(1, ask, true, "Ana", "").ok());
  service_->Drain();
  EXPECT_TRUE(OutcomeOf(Incident(), "holding-statement").is_object());
}

// "Check now" while WhatsApp is still down: nothing that only the time after restoration can
// tell reads green (the watching had not "ended", the campaigns Faro paused are not "wrong"),
// and each of those items says why.
TEST_F(PlanServiceTest, ARestorationCheckWhileStillDownSaysNotYet) {
  Down();
  clock_.Advance(minutes(5));
  auto checked = service_->CheckRestorationNow(1);
  ASSERT_TRUE(checked.ok()) << Message(checked.status());
  json incident = Incident();
  EXPECT_EQ(incident["state"], "active");
  std::map<std::string, json> items;
  for (const auto& item : incident["checklist"]) items[item["item"]] = item;
  ASSERT_EQ(items.size(), 6u) << incident["checklist"].dump(1);
  for (const char* id : {"scheduled-posts", "campaigns-resumed", "ad-figures", "watching"}) {
    EXPECT_EQ(items[id]["state"], "pending") << items[id].dump();
    EXPECT_EQ(items[id]["text"]["en"].get<std::string>().rfind("Not yet: the platform is not back.", 0), 0u) << items[id].dump();
    EXPECT_EQ(items[id]["text"]["es"].get<std::string>().rfind("Todavía no: la plataforma no volvió.", 0), 0u) << items[id].dump();
    EXPECT_EQ(items[id]["details"]["not_restored"], true);
  }
  // The watching names the playbook's hour, even though the check step has not run yet.
  EXPECT_NE(items["watching"]["text"]["en"].get<std::string>().find("(1 h) starts once it is back"), std::string::npos)
      << items["watching"].dump();
  EXPECT_NE(items["campaigns-resumed"]["text"]["en"].get<std::string>().find("(2 in this incident)"), std::string::npos)
      << items["campaigns-resumed"].dump();
  EXPECT_FALSE(incident["may_close"]["may_close"].get<bool>());

  // Once WhatsApp is back the same items are judged for real.
  ASSERT_TRUE(service_->Decide(1, incident["pending_approvals"][0]["action"].get<int64_t>(), true, "Ana", "").ok());
  service_->Drain();
  RestoredAnHourLater();
  incident = Incident();
  EXPECT_EQ(incident["state"], "stable");
  for (const auto& item : incident["checklist"]) {
    EXPECT_FALSE(item["details"].contains("not_restored")) << item.dump();
    if (item["item"] == "campaigns-resumed") { EXPECT_EQ(item["state"], "green") << item.dump(); }
    if (item["item"] == "watching") {
      EXPECT_NE(item["text"]["en"].get<std::string>().find("Keep watching"), std::string::npos);
    }
  }
}

// A broadcast that names WhatsApp first: WhatsApp takes a written text only from people who
// wrote in the last 24 hours. The others get the step's next working channel (Telegram), or,
// with none, are counted in outside_window and the outcome says why.
TEST_F(PlanServiceTest, AWhatsAppBroadcastSkipsCustomersOutsideThe24HourWindow) {
  contacts::Contact eva;
  eva.name = "Eva";
  eva.phone = "+5491155553333";
  eva.consent["whatsapp"] = {contacts::ConsentState::kOptedIn, {}, "test"};
  const int64_t eva_id = app_->contacts().Upsert(eva, "test")->id;
  app_->directory().Invalidate();
  // Diego wrote two hours ago (inside the window); Eva 25 hours ago (outside); Carla never.
  testing::CustomerWrote(*app_, diego_, "¿tienen turno el jueves?", clock_.Now() - hours(2));
  testing::CustomerWrote(*app_, eva_id, "gracias", clock_.Now() - hours(25));
  // The Instagram playbook tells customers on WhatsApp, else on Telegram.
  std::string plan = testing::kPlan;
  const std::string steps = "      - pause_ads: { account: meta }\n      - wait: { for: platform-restored }\n      - resume_ads: { account: meta }\n";
  ASSERT_NE(plan.find(steps), std::string::npos);
  plan.replace(plan.find(steps), steps.size(),
               "      - broadcast: { channels: [whatsapp, telegram], text: { es: \"Instagram no anda.\", en: \"Instagram is down.\" } }\n");
  std::ofstream(dir_ / "plans" / "outage.yaml") << plan;
  auto fresh = setup::LoadFaroConfigFromString(testing::WorldConfig(), (dir_ / "faro.yaml").string(), dir_.string());
  ASSERT_TRUE(fresh.ok()) << Message(fresh.status());
  ASSERT_TRUE(service_->Reload(*fresh).ok());
  service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 1, "instagram"));
  service_->Drain();

  const json incident = Incident();
  const json broadcast = OutcomeOf(incident, "broadcast");
  ASSERT_TRUE(broadcast.is_object()) << incident["timeline"].dump(1);
  const json& d = broadcast["details"];
  EXPECT_EQ(d["contacts_told"], 2);
  EXPECT_EQ(d["by_channel"], json({{"telegram", 1}, {"whatsapp", 1}})) << d.dump();
  EXPECT_EQ(d["outside_window"], 1) << "Eva: WhatsApp only, last wrote 25 hours ago";
  EXPECT_EQ(d["not_reachable"], 1);
  EXPECT_NE(broadcast["text"]["en"].get<std::string>().find(
                "1 have not written on WhatsApp in the last 24 hours: only a template Meta approved can reach them there."),
            std::string::npos)
      << broadcast["text"].dump();
  EXPECT_NE(broadcast["text"]["es"].get<std::string>().find("1 no escribieron por WhatsApp en las últimas 24 horas"),
            std::string::npos)
      << broadcast["text"].dump();
  // Who got what: Diego on WhatsApp, Carla on Telegram, nothing for Eva.
  auto progress = outbox::Progress(app_->outbox(), d["broadcast_id"].get<int64_t>());
  ASSERT_TRUE(progress.ok()) << Message(progress.status());
  EXPECT_EQ(progress->total, 2);
  std::map<int64_t, std::string> channel_of;
  ASSERT_TRUE(app_->outbox()
                  .WithDb("test",
                          [&](SQLite::Database& db) {
                            SQLite::Statement q(db, "SELECT contact_id, channel FROM outbox_message WHERE broadcast_id = ?");
                            q.bind(1, static_cast<int64_t>(progress->id));
                            while (q.executeStep()) channel_of[q.getColumn(0).getInt64()] = q.getColumn(1).getString();
                          })
                  .ok());
  EXPECT_EQ(channel_of, (std::map<int64_t, std::string>{{carla_, "telegram"}, {diego_, "whatsapp"}}));
}

// Pause and resume outcomes name their campaigns: people ask "which ones?".
TEST_F(PlanServiceTest, PauseAndResumeOutcomesNameTheirCampaigns) {
  Down();  // #1: WhatsApp
  const std::string paused = OutcomeOf(Incident(1), "pause-ads")["text"]["es"];
  EXPECT_NE(paused.find("Pausadas por Faro: «Turnos de octubre» y «Marca»."), std::string::npos) << paused;
  EXPECT_NE(paused.find("Ya estaban pausadas antes y siguen así: «Promo de verano»."), std::string::npos) << paused;
  clock_.Advance(minutes(5));
  service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 2, "instagram"));  // #2
  service_->Drain();
  clock_.Advance(hours(1));
  service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 3));
  service_->Drain();
  // WhatsApp back, Instagram not: #1's resume leaves them paused for #2 and says so.
  const std::string held = OutcomeOf(Incident(1), "resume-ads")["text"]["en"];
  EXPECT_NE(held.find("Still paused for another incident: “Turnos de octubre” and “Marca”."), std::string::npos) << held;
  EXPECT_NE(held.find("Already paused before, and stay so: “Promo de verano”."), std::string::npos) << held;
  EXPECT_EQ(held.find("Resumed:"), std::string::npos) << held;
  clock_.Advance(minutes(30));
  service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 4, "instagram"));
  service_->Drain();
  const std::string resumed = OutcomeOf(Incident(2), "resume-ads")["text"]["es"];
  EXPECT_NE(resumed.find("Reanudadas: «Turnos de octubre» y «Marca»."), std::string::npos) << resumed;
  EXPECT_EQ(resumed.find("Siguen pausadas por otro incidente"), std::string::npos) << resumed;
}

}  // namespace
}  // namespace faro::service
