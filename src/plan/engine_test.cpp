// The engine's rules one by one, on a small plan: what opens an incident, deadlines, refused
// inputs, figures, notes, roles, closing and resuming.
#include "plan/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <functional>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "plan/incident_json.hpp"
#include "plan/plan_file.hpp"
#include "plan/words.hpp"

namespace faro::plan {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const char* kPlan = R"(plan: bakery
business: "Panadería Sol"
brands: [{ id: sol, name: "Panadería Sol" }]
roles:
  manager:
    title: { es: Encargada, en: Manager }
    people:
      - { name: Rosa, reach: [{ channel: telegram, chat_id: "1" }] }
      - { name: Nico, lang: en, reach: [{ channel: email, address: nico@example.com }] }
  owner:
    title: { es: Dueño, en: Owner }
    people: [{ name: Julián, reach: [{ channel: sms, phone: "+5491100000001" }] }]
customer_channels:
  - { id: whatsapp, platform: whatsapp, share: 60% }
  - { id: telegram, platform: telegram, share: 10% }
  - { id: email, platform: email, share: 30% }
ad_accounts: [{ id: meta, type: meta_marketing }]
triggers:
  - { on: platform-down, platforms: [whatsapp, telegram], scope: [global], min_share: 50%, run: outage }
  - { on: crisis-suspected, brands: [sol], min_per_minute: 20, min_negative_share: 40%, run: crisis }
playbooks:
  outage:
    title: { es: "WhatsApp caído", en: "WhatsApp down" }
    steps:
      - pause_ads: { account: meta }
      - approve: { role: owner, ask: "¿Avisamos?", within: 15m }
      - broadcast: { channels: [email], text: "Hola" }
      - wait: { for: platform-restored }
      - restoration_check: { watch_for: 1h }
  crisis:
    title: Crisis
    steps:
      - notify: { roles: [manager] }
      - status_updates: { to: [owner] }
)";

std::shared_ptr<const Plan> LoadPlan(const char* yaml = kPlan) {
  PlanLoad load = ReadPlanYaml(yaml, "bakery.yaml");
  EXPECT_TRUE(load.ok()) << Join(load.errors, "\n");
  return load.plan;
}

const TimePoint kStart = *ParseRfc3339("2021-10-04T15:40:00Z");

Event Down(const std::string& platform, const std::string& scope, TimePoint at = kStart) {
  Event e;
  e.at = at;
  e.kind = "platform-down";
  e.subject = platform;
  e.state = "down";
  e.scope = scope;
  return e;
}

Event Crisis(const std::string& kind, double per_minute, double negative, TimePoint at = kStart) {
  Event e;
  e.at = at;
  e.kind = kind;
  e.subject = "brand:sol";
  e.state = "suspected";
  e.evidence = {{"kind", "both"}, {"magnitude", {{"per_minute", per_minute}, {"negative_share", negative}}}};
  return e;
}

Event Restored(const std::string& platform, TimePoint at) {
  Event e;
  e.at = at;
  e.kind = "platform-restored";
  e.subject = platform;
  e.state = "up";
  return e;
}

int64_t AskId(const std::vector<Action>& actions) {
  for (const Action& a : actions)
    if (a.kind == "ask-approval") return a.id;
  ADD_FAILURE() << "no approval asked";
  return 0;
}

TEST(Engine, WhatOpensAnIncident) {
  Engine engine(LoadPlan());
  EXPECT_TRUE(engine.OnEvent(Down("whatsapp", "regional")).empty());  // scope not in the trigger
  EXPECT_TRUE(engine.OnEvent(Down("telegram", "global")).empty());    // 10% < min_share 50%
  Event suppressed = Down("whatsapp", "global");
  suppressed.suppressed_by = "maintenance";
  EXPECT_TRUE(engine.OnEvent(suppressed).empty());
  EXPECT_TRUE(engine.Incidents().empty());
  const auto actions = engine.OnEvent(Down("whatsapp", "global"));
  ASSERT_EQ(engine.Incidents().size(), 1u);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].kind, "pause-ads");
  EXPECT_EQ(actions[1].kind, "ask-approval");
  EXPECT_EQ(actions[1].to.size(), 1u);
  EXPECT_EQ(actions[1].to[0].person, "Julián");
  // The same outage again: on the timeline, no second incident, no new actions.
  const size_t before = engine.Find(1)->timeline.size();
  EXPECT_TRUE(engine.OnEvent(Down("whatsapp", "global", kStart + minutes(1))).empty());
  EXPECT_EQ(engine.Incidents().size(), 1u);
  EXPECT_EQ(engine.Find(1)->timeline.size(), before + 1);
  EXPECT_EQ(engine.Find(1)->timeline.back().kind, "event");
}

TEST(Engine, CrisisThresholdsReadTheEvidence) {
  Engine engine(LoadPlan());
  EXPECT_TRUE(engine.OnEvent(Crisis("crisis-suspected", 19.9, 0.9)).empty());
  EXPECT_TRUE(engine.OnEvent(Crisis("crisis-suspected", 48, 0.39)).empty());
  Event other = Crisis("crisis-suspected", 48, 0.9);
  other.subject = "brand:luna";
  EXPECT_TRUE(engine.OnEvent(other).empty());
  const auto actions = engine.OnEvent(Crisis("crisis-updated", 20, 0.4, kStart + minutes(2)));
  ASSERT_EQ(engine.Incidents().size(), 1u);
  EXPECT_EQ(engine.Find(1)->kind, "crisis");
  EXPECT_EQ(engine.Find(1)->subject, "brand:sol");
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions[0].kind, "notify");
  EXPECT_EQ(actions[0].to.size(), 2u);
  EXPECT_EQ(actions[0].to[1].lang, Lang::kEn);  // Nico reads English
}

TEST(Engine, AnAnswerAtTheDeadlineStillCounts) {
  Engine engine(LoadPlan());
  const int64_t ask = AskId(engine.OnEvent(Down("whatsapp", "global")));
  EXPECT_TRUE(engine.Tick(kStart + minutes(15) - seconds(1)).empty());
  auto decided = engine.Decide({ask, "Julián", true, kStart + minutes(15), ""});
  ASSERT_TRUE(decided.ok()) << decided.status();
  ASSERT_EQ(decided->size(), 1u);
  EXPECT_EQ((*decided)[0].kind, "broadcast");
  EXPECT_EQ(engine.Find(1)->figures.approvals_granted, 1);
}

TEST(Engine, AnAnswerAfterTheDeadlineIsRecordedAndRefused) {
  Engine engine(LoadPlan());
  const int64_t ask = AskId(engine.OnEvent(Down("whatsapp", "global")));
  auto late = engine.Decide({ask, "Julián", true, kStart + minutes(15) + seconds(1), ""});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  const auto& timeline = engine.Find(1)->timeline;
  ASSERT_GE(timeline.size(), 3u);
  EXPECT_EQ(timeline[timeline.size() - 3].kind, "no-answer");
  EXPECT_EQ(timeline.back().kind, "approved");
  EXPECT_TRUE(timeline.back().details["late"].get<bool>());
  // Stopped until the recovery: the playbook's `wait` for the platform and what follows it
  // (undoing the failover) still run.
  EXPECT_EQ(engine.Find(1)->run.status, "wait");
}

TEST(Engine, InputsNamingUnknownThingsAreRefused) {
  Engine engine(LoadPlan());
  const auto actions = engine.OnEvent(Down("whatsapp", "global"));
  EXPECT_EQ(engine.Decide({999, "Julián", true, kStart, ""}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine.Decide({actions[0].id, "Julián", true, kStart, ""}).status().code(),
            absl::StatusCode::kInvalidArgument);  // a pause-ads is not an approval request
  EXPECT_EQ(engine.Decide({AskId(actions), " ", true, kStart, ""}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.OnOutcome({999, kStart, true, {}, {}}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine.AddNote(7, "Rosa", "hola", kStart).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine.AddNote(1, "Rosa", "  ", kStart).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.AssignRole(1, "scribe", "Rosa", kStart).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine.OnChecklist(1, {{"watching", "purple", {}, {}}}, kStart).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.OnChecklist(1, {}, kStart).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.Close(1, "", "porque sí", kStart).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Engine, OutcomesAddUpExactlyAndBadOnesChangeNothing) {
  Engine engine(LoadPlan());
  const auto actions = engine.OnEvent(Down("whatsapp", "global"));
  const int64_t pause = actions[0].id;
  const size_t before = engine.Find(1)->timeline.size();
  auto bad = engine.OnOutcome({pause, kStart, true, {}, {{"spend_protected", "12,50"}, {"currency", "USD"}}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  auto no_currency = engine.OnOutcome({pause, kStart, true, {}, {{"spend_protected", "12.50"}}});
  EXPECT_EQ(no_currency.status().code(), absl::StatusCode::kInvalidArgument);
  auto negative = engine.OnOutcome({pause, kStart, true, {}, {{"campaigns_paused", -1}}});
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.Find(1)->timeline.size(), before);
  ASSERT_TRUE(engine.OnOutcome({pause, kStart, true, {}, {{"spend_protected", "0.10"}, {"currency", "USD"}, {"campaigns_paused", 1}}}).ok());
  ASSERT_TRUE(engine.OnOutcome({pause, kStart, true, {}, {{"spend_protected", "0.20"}, {"currency", "USD"}, {"campaigns_paused", 2}}}).ok());
  const nlohmann::json figures = IncidentToJson(*engine.Find(1))["figures"];
  EXPECT_EQ(figures["spend_protected"], "0.30");
  EXPECT_EQ(figures["currency"], "USD");
  EXPECT_EQ(figures["campaigns_paused"], 3);
}

TEST(Engine, FirstMessageToCustomers) {
  Engine engine(LoadPlan());
  const int64_t ask = AskId(engine.OnEvent(Down("whatsapp", "global")));
  auto after = engine.Decide({ask, "Julián", true, kStart + minutes(6), ""});
  ASSERT_TRUE(after.ok());
  const int64_t broadcast = (*after)[0].id;
  ASSERT_TRUE(engine.OnOutcome({broadcast, kStart + minutes(7), true, {}, {{"contacts_told", 120}}}).ok());
  const Incident& incident = *engine.Find(1);
  EXPECT_EQ(incident.figures.first_message_after_s, 420);
  EXPECT_EQ(incident.figures.contacts_told, 120);
  ASSERT_EQ(incident.lessons.change.size(), 1u);
  EXPECT_TRUE(Contains(incident.lessons.change[0].en, "7 min after the incident opened")) << incident.lessons.change[0].en;
}

TEST(Engine, NotesBecomeLessonsInEitherLanguage) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));
  ASSERT_TRUE(engine.AddNote(1, "Rosa", "Funcionó: avisar temprano", kStart).ok());
  ASSERT_TRUE(engine.AddNote(1, "Nico", "change: keep the notice pre-approved", kStart).ok());
  ASSERT_TRUE(engine.AddNote(1, "Rosa", "cambiar: revisar los teléfonos", kStart).ok());
  ASSERT_TRUE(engine.AddNote(1, "Rosa", "Todo tranquilo por ahora", kStart).ok());
  const Lessons& lessons = engine.Find(1)->lessons;
  ASSERT_EQ(lessons.worked.size(), 1u);
  EXPECT_EQ(lessons.worked[0].es, "avisar temprano");
  ASSERT_EQ(lessons.change.size(), 2u);
  EXPECT_EQ(lessons.change[1].en, "revisar los teléfonos");
  EXPECT_EQ(engine.Find(1)->timeline.back().kind, "note");
  EXPECT_EQ(engine.Find(1)->timeline.back().who, "Rosa");
}

TEST(Engine, RolesOverTime) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));
  EXPECT_EQ(engine.Find(1)->Holders("manager"), (std::vector<std::string>{"Rosa", "Nico"}));
  ASSERT_TRUE(engine.AssignRole(1, "manager", "Marta", kStart + minutes(3)).ok());
  EXPECT_EQ(engine.Find(1)->Holders("manager"), (std::vector<std::string>{"Marta"}));
  EXPECT_EQ(engine.AssignRole(1, "manager", "Marta", kStart + minutes(4)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(engine.AssignRole(1, "manager", "Rosa", kStart + minutes(5), RoleChange::kJoin).ok());
  ASSERT_TRUE(engine.AssignRole(1, "manager", "Marta", kStart + minutes(6), RoleChange::kHandOver).ok());
  EXPECT_EQ(engine.Find(1)->Holders("manager"), (std::vector<std::string>{"Rosa"}));
  // Rosa held it twice: until Marta took it, and again from 15:45.
  int rosa = 0;
  for (const RoleHolding& h : engine.Find(1)->roles) rosa += h.person == "Rosa";
  EXPECT_EQ(rosa, 2);
}

TEST(Engine, ClosingNeedsGreenOrAReason) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));
  // Still active: closing needs a reason, which overrides "stable".
  EXPECT_EQ(engine.Close(1, "Julián", "", kStart + minutes(1)).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine.Find(1)->state, "active");
  ASSERT_TRUE(engine.Close(1, "Julián", "Falsa alarma: era el wifi del local", kStart + minutes(2)).ok());
  const Incident& incident = *engine.Find(1);
  EXPECT_EQ(incident.state, "closed");
  ASSERT_EQ(incident.overrides.size(), 2u);
  EXPECT_EQ(incident.overrides[0].item, "stable");
  EXPECT_EQ(incident.overrides[1].item, "restoration-check");
  EXPECT_TRUE(incident.run.approvals.empty());
  EXPECT_EQ(incident.timeline.back().details["cancelled_approvals"].size(), 1u);
  // Closed: never reopens; a note is still welcome; a new outage opens a new incident.
  EXPECT_EQ(engine.Close(1, "Julián", "otra vez", kStart + minutes(3)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(engine.AddNote(1, "Julián", "worked: cerrar rápido", kStart + minutes(4)).ok());
  EXPECT_TRUE(engine.Tick(kStart + std::chrono::hours(5)).empty());
  engine.OnEvent(Down("whatsapp", "global", kStart + std::chrono::hours(6)));
  EXPECT_EQ(engine.Incidents().size(), 2u);
  EXPECT_EQ(engine.Find(2)->state, "active");
}

TEST(Engine, AGreenChecklistClosesOnlyAStableIncident) {
  Engine engine(LoadPlan());
  const int64_t ask = AskId(engine.OnEvent(Down("whatsapp", "global")));
  ASSERT_TRUE(engine.Decide({ask, "Julián", true, kStart + minutes(1), ""}).ok());
  ASSERT_TRUE(engine.OnChecklist(1, {{"watching", "green", {}, {}}}, kStart + minutes(2)).ok());
  EXPECT_EQ(engine.Find(1)->state, "active");
  const auto actions = engine.OnEvent(Restored("whatsapp", kStart + minutes(30)));
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, "restoration-check");
  EXPECT_EQ(engine.Find(1)->state, "stable");
  EXPECT_EQ(engine.NextTimer(), kStart + minutes(90));  // the check again when watching ends
  ASSERT_TRUE(engine.OnChecklist(1, {{"watching", "green", {}, {}}, {"unanswered", "green", {}, {{"unanswered_left", 0}}}},
                                 kStart + minutes(31)).ok());
  EXPECT_EQ(engine.Find(1)->state, "closed");
  EXPECT_EQ(engine.Find(1)->figures.unanswered_left, 0);
  EXPECT_FALSE(engine.NextTimer().has_value());
}

// Every kind of action the engine can make has words in both languages, so no outcome on the
// timeline or in a report shows a bare kind such as "ask-approval". The loop walks the step kinds
// until ActionKindName no longer knows one, so a new kind without words fails here.
TEST(EngineWords, EveryActionKindHasWords) {
  std::vector<std::string> kinds = {"escalate"};
  for (int k = 0; ActionKindName(static_cast<StepKind>(k)) != "?"; ++k)
    kinds.emplace_back(ActionKindName(static_cast<StepKind>(k)));
  ASSERT_GT(kinds.size(), 10u);
  for (const std::string& kind : kinds) {
    const std::optional<Text> words = ActionKindWords(kind);
    ASSERT_TRUE(words.has_value()) << kind << " has no words";
    EXPECT_FALSE(words->es.empty()) << kind;
    EXPECT_FALSE(words->en.empty()) << kind;
    // Words, not the kind itself: never the kind as it is, nor a hyphenated kind inside them.
    EXPECT_NE(words->es, kind);
    EXPECT_NE(words->en, kind);
    if (kind.find('-') != std::string::npos) {
      EXPECT_EQ(words->es.find(kind), std::string::npos) << kind << ": " << words->es;
      EXPECT_EQ(words->en.find(kind), std::string::npos) << kind << ": " << words->en;
    }
  }
  EXPECT_FALSE(ActionKindWords("teleport").has_value());
}

// The outcomes of approvals and of the actions the engine makes itself read as words: the
// approval names its question, the cadence's status update says what it is.
TEST(Engine, OutcomesOfApprovalsAndEngineMadeActionsAreWords) {
  Engine engine(LoadPlan());
  const auto opened = engine.OnEvent(Down("whatsapp", "global"));
  const int64_t ask = AskId(opened);
  Outcome told;
  told.action = ask;
  told.at = kStart + seconds(5);
  told.detail = {"Avisado: Julián (sms).", "Told: Julián (sms)."};
  ASSERT_TRUE(engine.OnOutcome(told).ok());
  const TimelineEntry& approval = engine.Find(1)->timeline.back();
  EXPECT_EQ(approval.kind, "outcome");
  EXPECT_EQ(approval.text.es, "Hecho: Pedir aprobación: «¿Avisamos?» — Avisado: Julián (sms).");
  EXPECT_EQ(approval.text.en, "Done: Ask for approval: “¿Avisamos?” — Told: Julián (sms).");

  engine.OnEvent(Crisis("crisis-suspected", 30, 0.6));
  int64_t update = 0;
  for (const Action& a : engine.Tick(kStart + minutes(6)))
    if (a.kind == "status-update") update = a.id;
  ASSERT_NE(update, 0);
  Outcome failed;
  failed.action = update;
  failed.at = kStart + minutes(6);
  failed.ok = false;
  ASSERT_TRUE(engine.OnOutcome(failed).ok());
  const Incident& crisis = *engine.Find(2);
  EXPECT_EQ(crisis.timeline.back().text.es, "Falló: Enviar el informe de situación.");
  EXPECT_EQ(crisis.timeline.back().text.en, "Failed: Send the status update.");
  for (const Incident* incident : engine.Incidents())
    for (const TimelineEntry& e : incident->timeline) {
      if (e.kind != "outcome") continue;
      const std::string kind = e.details.value("action_kind", "");
      EXPECT_EQ(e.text.es.find(StrCat(": ", kind)), std::string::npos) << e.text.es;
      EXPECT_EQ(e.text.en.find(StrCat(": ", kind)), std::string::npos) << e.text.en;
    }
}

TEST(Engine, StatusUpdatesKeepTheirCadence) {
  Engine engine(LoadPlan());
  engine.OnEvent(Crisis("crisis-suspected", 30, 0.6));
  std::vector<TimePoint> sent;
  for (int minute = 1; minute <= 70; ++minute)
    for (const Action& a : engine.Tick(kStart + minutes(minute)))
      if (a.kind == "status-update") sent.push_back(a.at);
  EXPECT_EQ(sent, (std::vector<TimePoint>{kStart + minutes(5), kStart + minutes(25), kStart + minutes(45),
                                          kStart + minutes(65)}));
  // One jump over an hour fires each update at its own time, in order.
  Engine jump(LoadPlan());
  jump.OnEvent(Crisis("crisis-suspected", 30, 0.6));
  const auto all = jump.Tick(kStart + minutes(70));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].at, kStart + minutes(65));
  EXPECT_EQ(all[3].params["n"], 4);
}

TEST(Engine, APostedStatusUpdateReachesTheCadencesPeopleAndRestartsIt) {
  Engine engine(LoadPlan());
  engine.OnEvent(Crisis("crisis-suspected", 30, 0.6));  // status updates to the owner, first at 5 min
  const auto posted = engine.PostStatusUpdate(1, " Rosa ", "Respondimos a los primeros diez", kStart + minutes(3));
  ASSERT_TRUE(posted.ok()) << posted.status();
  ASSERT_EQ(posted->size(), 1u);
  const Action& a = (*posted)[0];
  EXPECT_EQ(a.kind, "status-update");
  EXPECT_EQ(a.step, -1);
  ASSERT_EQ(a.to.size(), 1u);
  EXPECT_EQ(a.to[0].person, "Julián");
  EXPECT_EQ(a.to[0].role, "owner");
  EXPECT_EQ(a.params["by"], "Rosa");
  EXPECT_EQ(a.params["n"], 1);
  EXPECT_EQ(a.params["next"], "2021-10-04T16:03:00.000Z");
  EXPECT_TRUE(Contains(a.text.es, "Informe de situación de Rosa")) << a.text.es;
  EXPECT_TRUE(Contains(a.text.es, "Respondimos a los primeros diez.")) << a.text.es;
  EXPECT_TRUE(Contains(a.text.en, "Next update: 16:03 UTC.")) << a.text.en;
  // On the timeline by the person, with their words.
  const TimelineEntry& entry = engine.Find(1)->timeline.back();
  EXPECT_EQ(entry.kind, "action");
  EXPECT_EQ(entry.who, "Rosa");
  EXPECT_EQ(entry.details["action_kind"], "status-update");
  EXPECT_TRUE(Contains(entry.text.en, "Respondimos a los primeros diez")) << entry.text.en;
  // The cadence starts over from it: nothing at 5 min, the next automatic one 20 min later.
  std::vector<TimePoint> sent;
  for (int minute = 4; minute <= 45; ++minute)
    for (const Action& next : engine.Tick(kStart + minutes(minute)))
      if (next.kind == "status-update") sent.push_back(next.at);
  EXPECT_EQ(sent, (std::vector<TimePoint>{kStart + minutes(23), kStart + minutes(43)}));
}

TEST(Engine, APostedStatusUpdateWithoutACadenceGoesToTheWholeTeam) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));  // the outage playbook has no status updates
  const auto posted = engine.PostStatusUpdate(1, "Julián", "Seguimos sin WhatsApp", kStart + minutes(1));
  ASSERT_TRUE(posted.ok()) << posted.status();
  ASSERT_EQ(posted->size(), 1u);
  std::vector<std::string> to;
  for (const Recipient& r : (*posted)[0].to) to.push_back(r.person);
  EXPECT_EQ(to, (std::vector<std::string>{"Rosa", "Nico", "Julián"}));
  EXPECT_FALSE((*posted)[0].params.contains("next"));
  EXPECT_EQ((*posted)[0].text.en, "Status update from Julián (incident #1, WhatsApp down): Seguimos sin WhatsApp.");
  // Its outcome files like any action's.
  ASSERT_TRUE(engine.OnOutcome({(*posted)[0].id, kStart + minutes(2), true, {}, {}}).ok());
  EXPECT_EQ(engine.Find(1)->timeline.back().kind, "outcome");
}

TEST(Engine, PostedStatusUpdatesRefuseWhatMakesNoSense) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));
  const size_t before = engine.Find(1)->timeline.size();
  EXPECT_EQ(engine.PostStatusUpdate(1, "Rosa", "  ", kStart).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.PostStatusUpdate(1, "", "hola", kStart).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.PostStatusUpdate(9, "Rosa", "hola", kStart).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engine.Find(1)->timeline.size(), before);
  ASSERT_TRUE(engine.Close(1, "Julián", "falsa alarma", kStart + minutes(1)).ok());
  const auto closed = engine.PostStatusUpdate(1, "Rosa", "hola", kStart + minutes(2));
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(Message(closed.status()), "note")) << closed.status();
}

TEST(Engine, TwoPlansShareOneNumbering) {
  std::string second = kPlan;
  second.replace(second.find("plan: bakery"), 12, "plan: second");
  Engine engine(std::vector<std::shared_ptr<const Plan>>{LoadPlan(), LoadPlan(second.c_str())}, {true, 10, 100});
  const auto actions = engine.OnEvent(Down("whatsapp", "global"));
  ASSERT_EQ(engine.Incidents().size(), 2u);  // one incident per plan
  EXPECT_EQ(engine.Incidents()[0]->id, 10);
  EXPECT_EQ(engine.Incidents()[1]->id, 11);
  EXPECT_EQ(engine.Incidents()[1]->plan, "second");
  EXPECT_TRUE(engine.Incidents()[0]->drill);
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0].id, 100);
  EXPECT_EQ(actions[3].id, 103);
}

TEST(Engine, AdoptChecksWhatItResumes) {
  Engine first(LoadPlan());
  first.OnEvent(Down("whatsapp", "global"));
  const Incident copy = *first.Find(1);
  Engine second(LoadPlan());
  ASSERT_TRUE(second.Adopt(copy).ok());
  EXPECT_EQ(second.Adopt(copy).code(), absl::StatusCode::kAlreadyExists);
  Incident foreign = copy;
  foreign.id = 5;
  foreign.plan = "someone-else";
  EXPECT_EQ(second.Adopt(foreign).code(), absl::StatusCode::kNotFound);
  Incident edited = copy;
  edited.id = 6;
  edited.run.approvals[0].step = 0;  // step 0 (pause_ads) asks nothing
  EXPECT_EQ(second.Adopt(edited).code(), absl::StatusCode::kInvalidArgument);
  edited.run.approvals[0].step = 1;
  edited.run.next_step = 9;
  EXPECT_EQ(second.Adopt(edited).code(), absl::StatusCode::kInvalidArgument);
  // The resumed engine goes on: the approval asked before the restart still times out.
  const auto later = second.Tick(kStart + minutes(20));
  EXPECT_TRUE(later.empty());
  const auto& timeline = second.Find(1)->timeline;
  EXPECT_TRUE(std::any_of(timeline.begin(), timeline.end(), [](const TimelineEntry& e) { return e.kind == "no-answer"; }));
  // The recovery still runs after the approval lapsed; new incidents and actions are numbered
  // after what it adopted and did.
  const auto recovery = second.OnEvent(Restored("whatsapp", kStart + minutes(21)));
  ASSERT_FALSE(recovery.empty());
  EXPECT_EQ(recovery.back().kind, "restoration-check");  // the test plan's recovery ends with it
  ASSERT_TRUE(second.Close(1, "Julián", "listo", kStart + minutes(22)).ok());
  const auto fresh = second.OnEvent(Down("whatsapp", "global", kStart + minutes(30)));
  EXPECT_EQ(second.Incidents().back()->id, 2);
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(fresh[0].id, recovery.back().id + 1);
}

TEST(IncidentJson, ErrorsNameTheMember) {
  Engine engine(LoadPlan());
  engine.OnEvent(Down("whatsapp", "global"));
  const nlohmann::json good = IncidentToJson(*engine.Find(1));
  ASSERT_TRUE(IncidentFromJson(good).ok());
  auto broken = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json copy = good;
    change(copy);
    auto read = IncidentFromJson(copy);
    return read.ok() ? std::string("accepted") : Message(read.status());
  };
  EXPECT_EQ(broken([](nlohmann::json& j) { j["timeline"][1].erase("at"); }), "timeline[1].at: missing");
  EXPECT_EQ(broken([](nlohmann::json& j) { j["timeline"][0]["seq"] = "one"; }), "timeline[0].seq: expected a whole number");
  EXPECT_TRUE(Contains(broken([](nlohmann::json& j) { j["opened_at"] = "yesterday"; }), "opened_at: \"yesterday\" is not an RFC 3339 time"));
  EXPECT_EQ(broken([](nlohmann::json& j) { j["state"] = "resolved"; }), "state: expected active, stable or closed, got \"resolved\"");
  EXPECT_EQ(broken([](nlohmann::json& j) { j["figures"]["spend_protected"] = "12,5"; }),
            "figures.spend_protected: \"12,5\" is not a decimal (an amount such as \"412.50\")");
  EXPECT_EQ(broken([](nlohmann::json& j) { j["run"]["approvals"][0]["step_only"] = 1; }),
            "run.approvals[0].step_only: expected true or false");
  EXPECT_EQ(broken([](nlohmann::json& j) { j["run"]["last_event"] = 3; }), "run.last_event: expected an object (an event)");
  EXPECT_EQ(broken([](nlohmann::json& j) { j = nlohmann::json::array(); }), "incident: expected a JSON object");
  // A record written elsewhere without engine state reads back, with nothing left to run.
  nlohmann::json plain = good;
  plain.erase("run");
  auto read = IncidentFromJson(plain);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->run.status, "stopped");
}

}  // namespace
}  // namespace faro::plan
