#include "drill/drill.hpp"

#include <gtest/gtest.h>

#include "plan/plan_file.hpp"

namespace faro::drill {
namespace {

std::shared_ptr<const plan::Plan> SmallBusiness() {
  auto plan = plan::LoadPlanFile(std::string(FARO_SOURCE_DIR) + "/examples/plans/small-business.yaml");
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : nullptr;
}

const nlohmann::json* ByPlaybook(const DrillResult& r, const std::string& playbook) {
  for (const auto& i : r.incidents)
    if (i.value("playbook", "") == playbook) return &i;
  return nullptr;
}

TEST(Drill, Fb2021WithTheSmallBusinessPlanRunsFromOutageToClosedIncident) {
  auto scenario = BuiltinScenario("fb-2021", {2000, 50, 20211004});
  ASSERT_TRUE(scenario.ok());
  auto result = RunDrill(SmallBusiness(), *scenario);
  ASSERT_TRUE(result.ok()) << result.status();
  const nlohmann::json* whatsapp = ByPlaybook(*result, "messaging-outage");
  ASSERT_NE(whatsapp, nullptr);
  EXPECT_TRUE(whatsapp->value("drill", false));
  EXPECT_EQ(whatsapp->value("subject", ""), "whatsapp");
  EXPECT_EQ(whatsapp->value("state", ""), "closed") << (*whatsapp)["checklist"].dump(1);
  const nlohmann::json& figures = (*whatsapp)["figures"];
  EXPECT_GT(figures.value("contacts_told", 0), 0);
  EXPECT_GT(figures.value("messages_rerouted", 0), 0);
  EXPECT_GT(figures.value("campaigns_paused", 0), 0);
  EXPECT_NE(figures.value("spend_protected", "0.00"), "0.00");
  EXPECT_EQ(figures.value("approvals_granted", 0), 2);  // the notice and the campaign move
  // Instagram failing opened its own incident.
  EXPECT_NE(ByPlaybook(*result, "instagram-down"), nullptr);
  // Every campaign that was paused before the outage is still paused; every other is active.
  for (const Campaign& c : scenario->campaigns) {
    ASSERT_TRUE(result->campaigns_after.count(c.id)) << c.id;
    EXPECT_EQ(result->campaigns_after.at(c.id), c.active ? "active" : "paused") << c.name;
  }
  // The moved campaign's copy runs on Google.
  EXPECT_GT(result->campaigns_after.size(), scenario->campaigns.size());
  EXPECT_GT(result->stats.actions_by_kind["status-update"], 10);  // every 20 minutes for 6 hours
  EXPECT_GT(result->stats.simulated, std::chrono::hours(6));
}

TEST(Drill, NobodyAnsweringStopsTheNoticeAndEscalates) {
  auto scenario = BuiltinScenario("fb-2021", {500, 10, 1});
  ASSERT_TRUE(scenario.ok());
  DrillOptions options;
  options.answers = Answers::kNone;
  auto result = RunDrill(SmallBusiness(), *scenario, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GE(result->stats.actions_by_kind["escalate"], 1);
  EXPECT_EQ(result->stats.actions_by_kind["holding-statement"], 0);
  const nlohmann::json* whatsapp = ByPlaybook(*result, "messaging-outage");
  ASSERT_NE(whatsapp, nullptr);
  EXPECT_EQ((*whatsapp)["figures"].value("approvals_granted", 0), 0);
}

TEST(Drill, TheSameDrillGivesTheSameRecord) {
  auto scenario = BuiltinScenario("whatsapp-2022", {1000, 20, 3});
  ASSERT_TRUE(scenario.ok());
  auto a = RunDrill(SmallBusiness(), *scenario);
  auto b = RunDrill(SmallBusiness(), *scenario);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_FALSE(a->incidents.empty());
  EXPECT_EQ(a->incidents.front().dump(), b->incidents.front().dump());
}

TEST(Drill, AReputationSpikeRunsTheCrisisPlaybook) {
  auto scenario = BuiltinScenario("reputation-spike", {1000, 20, 3});
  ASSERT_TRUE(scenario.ok());
  auto result = RunDrill(SmallBusiness(), *scenario);
  ASSERT_TRUE(result.ok()) << result.status();
  const nlohmann::json* crisis = ByPlaybook(*result, "reputation");
  ASSERT_NE(crisis, nullptr);
  EXPECT_EQ(crisis->value("kind", ""), "crisis");
  EXPECT_FALSE((*crisis)["series"]["mentions"].empty());
  EXPECT_GT(result->stats.actions_by_kind["assign-replies"], 0);
}

}  // namespace
}  // namespace faro::drill
