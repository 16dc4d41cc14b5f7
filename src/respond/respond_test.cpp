#include "respond/respond.hpp"

#include <gtest/gtest.h>

namespace faro::respond {
namespace {

using std::chrono::minutes;

const TimePoint kT0 = FromUnixMillis(1633362000000);  // 2021-10-04 15:40 UTC

std::vector<TeamMember> Team() {
  return {{"Leo", "community-manager", Lang::kEn, 1}, {"Ana", "owner", Lang::kEs, 2}, {"Eva", "support", Lang::kEs, 3}};
}

AlertRules Rules() {
  AlertRules r;
  r.notify = {"community-manager"};
  r.escalate = {{minutes(10), {"owner"}}, {minutes(30), {"support", "owner"}}};
  return r;
}

Event Down(std::string subject = "whatsapp", std::string scope = "global") {
  Event e;
  e.id = 12;
  e.at = kT0;
  e.kind = "platform-down";
  e.subject = std::move(subject);
  e.state = "down";
  e.previous = "up";
  e.scope = std::move(scope);
  e.cause = "dns-servfail";
  e.covers_us = true;
  e.evidence = {{"summary", {{"en", "WhatsApp is down for everyone"}, {"es", "WhatsApp caído para todos"}}}};
  return e;
}

TEST(DecideAlert, OpensAnAlertForTheFirstRoleInEachPersonsLanguage) {
  AlertDecision d = DecideAlert(Down(), std::nullopt, Rules(), Team(), "Nutrición Ana");
  EXPECT_TRUE(d.open);
  ASSERT_EQ(d.notices.size(), 1u);
  EXPECT_EQ(d.notices[0].person.name, "Leo");
  EXPECT_EQ(d.notices[0].text,
            "[Nutrición Ana] WhatsApp is down for everyone since 15:40 UTC. Reply OK to acknowledge, or use the Faro "
            "dashboard.");
  EXPECT_EQ(d.notices[0].subject, "Faro: WhatsApp is down for everyone");
}

TEST(DecideAlert, SecondBadEventForTheSameSubjectDoesNotPageAgain) {
  AlertView open{.id = 5, .subject = "whatsapp", .kind = "platform-partial", .created_at = kT0, .told = {1}};
  AlertDecision d = DecideAlert(Down(), open, Rules(), Team(), "B");
  EXPECT_FALSE(d.open);
  EXPECT_EQ(d.update, 5);
  EXPECT_TRUE(d.notices.empty());
}

TEST(DecideAlert, SuppressedOrUnlistedEventsOpenNothing) {
  Event e = Down();
  e.suppressed_by = "flapping";
  EXPECT_FALSE(DecideAlert(e, std::nullopt, Rules(), Team(), "B").open);
  e = Down();
  e.kind = "platform-degraded";
  EXPECT_FALSE(DecideAlert(e, std::nullopt, Rules(), Team(), "B").open);
}

TEST(DecideAlert, RecoveryResolvesAndTellsOnlyThoseAlerted) {
  AlertView open{.id = 5, .subject = "whatsapp", .kind = "platform-down", .level = 1, .created_at = kT0, .told = {1, 2}};
  Event back = Down();
  back.kind = "platform-restored";
  back.evidence = {{"summary", {{"en", "WhatsApp works again"}, {"es", "WhatsApp vuelve a funcionar"}}}};
  AlertDecision d = DecideAlert(back, open, Rules(), Team(), "B");
  EXPECT_EQ(d.resolve, 5);
  ASSERT_EQ(d.notices.size(), 2u);
  EXPECT_EQ(d.notices[1].person.name, "Ana");
  EXPECT_EQ(d.notices[1].text, "[B] Resuelto: WhatsApp vuelve a funcionar (15:40 UTC).");
  // Without an open alert a recovery says nothing.
  EXPECT_FALSE(DecideAlert(back, std::nullopt, Rules(), Team(), "B").resolve.has_value());
}

TEST(DueEscalations, StepsComeDueInOrderAndNobodyIsToldTwice) {
  AlertView a{.id = 7, .subject = "whatsapp", .kind = "platform-down", .created_at = kT0, .told = {1},
              .words_en = "WhatsApp is down", .words_es = "WhatsApp caído"};
  EXPECT_TRUE(DueEscalations({a}, kT0 + minutes(9), Rules(), Team(), "B").empty());
  auto first = DueEscalations({a}, kT0 + minutes(10), Rules(), Team(), "B");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].level, 1);
  ASSERT_EQ(first[0].notices.size(), 1u);
  EXPECT_EQ(first[0].notices[0].person.name, "Ana");
  EXPECT_EQ(first[0].notices[0].text, "[B] Sin confirmar tras 10 min: WhatsApp caído. Responde OK para confirmar.");
  a.level = 1;
  a.told = {1, 2};
  auto second = DueEscalations({a}, kT0 + minutes(30), Rules(), Team(), "B");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].level, 2);
  ASSERT_EQ(second[0].notices.size(), 1u);  // Ana already told; Eva only
  EXPECT_EQ(second[0].notices[0].person.name, "Eva");
  a.level = 2;
  EXPECT_TRUE(DueEscalations({a}, kT0 + minutes(300), Rules(), Team(), "B").empty());
}

TEST(DueEscalations, AcknowledgedAlertsStopEscalating) {
  AlertView a{.id = 7, .created_at = kT0, .acknowledged = true};
  EXPECT_TRUE(DueEscalations({a}, kT0 + minutes(60), Rules(), Team(), "B").empty());
}

TEST(DueEscalations, ALateTickReachesEveryDueLevelAtOnce) {
  AlertView a{.id = 7, .created_at = kT0, .told = {1}};
  auto due = DueEscalations({a}, kT0 + minutes(45), Rules(), Team(), "B");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_EQ(due[0].notices.size(), 2u);  // Ana (level 1), Eva (level 2)
}

std::vector<FailoverRule> Failovers() {
  return {{.channel = "whatsapp", .platform = "whatsapp", .broadcast_template = "reachable-elsewhere"},
          {.channel = "instagram-dm", .platform = "instagram", .automatic = false}};
}

TEST(DecideFailover, GlobalDownFailsTheChannelOverWithItsBroadcast) {
  auto actions = DecideFailover(Down(), Failovers(), {});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, FailoverAction::Kind::kFail);
  EXPECT_EQ(actions[0].channel, "whatsapp");
  EXPECT_EQ(actions[0].broadcast_template, "reachable-elsewhere");
  EXPECT_EQ(actions[0].reason, "whatsapp down, global, dns-servfail (event 12)");
  // Already failed over: nothing more.
  EXPECT_TRUE(DecideFailover(Down(), Failovers(), {"whatsapp"}).empty());
}

TEST(DecideFailover, RegionalActsOnlyWhenItCoversUs) {
  Event e = Down("whatsapp", "regional");
  e.covers_us = false;
  EXPECT_TRUE(DecideFailover(e, Failovers(), {}).empty());
  e.covers_us = true;
  EXPECT_EQ(DecideFailover(e, Failovers(), {}).size(), 1u);
}

TEST(DecideFailover, ManualRulesScopesAndSuppressionHoldBack) {
  EXPECT_TRUE(DecideFailover(Down("instagram"), Failovers(), {}).empty());  // automatic: false
  auto rules = Failovers();
  rules[0].scopes = {"global"};
  EXPECT_TRUE(DecideFailover(Down("whatsapp", "unconfirmed"), rules, {}).empty());
  Event m = Down();
  m.suppressed_by = "maintenance";
  EXPECT_TRUE(DecideFailover(m, Failovers(), {}).empty());
}

TEST(DecideFailover, RestoredUndoesOnlyWhatFaroFailedOver) {
  Event back = Down();
  back.kind = "platform-restored";
  EXPECT_TRUE(DecideFailover(back, Failovers(), {}).empty());
  auto actions = DecideFailover(back, Failovers(), {"whatsapp"});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, FailoverAction::Kind::kRestore);
}

}  // namespace
}  // namespace faro::respond
