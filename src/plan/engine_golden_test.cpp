// Golden files of plan execution on a simulated clock: each scenario of testdata/scenarios
// runs through the engine; the transcript of inputs and actions and the final incidents must
// match testdata/golden/NAME.actions.txt and NAME.incidents.json exactly.
// FARO_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
#include <gtest/gtest.h>

#include <set>

#include "plan/scenario_test_util.hpp"

namespace faro::plan {
namespace {

using testing::GoldenMatches;
using testing::ScenarioRunner;

const std::vector<std::string> kScenarios = {"outage-approved", "approval-timeout", "approval-denied",
                                             "step-approvals",  "partial-continue", "crisis",
                                             "status-updates-posted"};

std::string ScenarioPath(const std::string& name) { return StrCat("src/plan/testdata/scenarios/", name, ".yaml"); }

class EngineGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(EngineGolden, MatchesGoldenFiles) {
  ScenarioRunner run(ScenarioPath(GetParam()));
  run.Run(0, run.size());
  std::string why;
  EXPECT_TRUE(GoldenMatches(StrCat("src/plan/testdata/golden/", GetParam(), ".actions.txt"), run.transcript(), &why)) << why;
  EXPECT_TRUE(GoldenMatches(StrCat("src/plan/testdata/golden/", GetParam(), ".incidents.json"), run.IncidentsJson(), &why))
      << why;
}

// Stopping half-way, writing the incidents as JSON and reading them into a new engine (a
// restart of `faro serve`, a drill saved and resumed) changes nothing.
TEST_P(EngineGolden, ResumesFromJsonExactly) {
  ScenarioRunner whole(ScenarioPath(GetParam()));
  whole.Run(0, whole.size());
  for (size_t cut : {whole.size() / 3, whole.size() / 2, whole.size() - 1}) {
    ScenarioRunner split(ScenarioPath(GetParam()));
    split.Run(0, cut);
    split.Restart();
    split.Run(cut, split.size());
    EXPECT_EQ(split.transcript(), whole.transcript()) << "cut after " << cut;
    EXPECT_EQ(split.IncidentsJson(), whole.IncidentsJson()) << "cut after " << cut;
  }
}

TEST_P(EngineGolden, IncidentsRoundTripThroughJson) {
  ScenarioRunner run(ScenarioPath(GetParam()));
  run.Run(0, run.size());
  for (const Incident* incident : run.engine().Incidents()) {
    const nlohmann::json json = IncidentToJson(*incident);
    auto back = IncidentFromJson(json);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(IncidentToJson(*back), json);
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EngineGolden, ::testing::ValuesIn(kScenarios));

// Together the scenarios exercise every trigger kind, every action kind and every timeline kind.
TEST(EngineGoldenCoverage, EveryKindIsExercised) {
  std::set<std::string> actions, timeline, triggers;
  for (const std::string& name : kScenarios) {
    ScenarioRunner run(ScenarioPath(name));
    run.Run(0, run.size());
    for (const Action& a : run.actions()) actions.insert(a.kind);
    for (const Incident* incident : run.engine().Incidents())
      for (const TimelineEntry& e : incident->timeline) {
        timeline.insert(e.kind);
        if (e.kind == "opened") triggers.insert(e.details["trigger"].get<std::string>());
      }
  }
  EXPECT_EQ(actions, (std::set<std::string>{"notify", "ask-approval", "escalate", "failover", "undo-failover", "broadcast",
                                            "pause-ads", "resume-ads", "move-campaign", "holding-statement",
                                            "assign-replies", "status-update", "remind", "restoration-check"}));
  EXPECT_EQ(timeline, (std::set<std::string>{"event", "opened", "state", "action", "outcome", "approval-asked", "approved",
                                             "denied", "escalated", "no-answer", "role", "note", "check", "override",
                                             "closed"}));
  EXPECT_EQ(triggers, (std::set<std::string>{"platform-down", "platform-partial", "crisis-suspected"}));
}

// The comparison is exact: one character changed in the output is a failure.
TEST(EngineGoldenCoverage, AChangedOutputFailsTheComparison) {
  ScenarioRunner run(ScenarioPath("approval-timeout"));
  run.Run(0, run.size());
  const std::string name = "src/plan/testdata/golden/approval-timeout.actions.txt";
  const std::string golden = testing::ReadText(testing::SourcePath(name));
  EXPECT_EQ(testing::GoldenDifference(name, golden, run.transcript()), "");
  std::string changed = run.transcript();
  const size_t at = changed.find("\"escalate\"");
  ASSERT_NE(at, std::string::npos);
  changed[at + 1] = 'E';
  EXPECT_TRUE(Contains(testing::GoldenDifference(name, golden, changed), "differs from line"));
  EXPECT_TRUE(Contains(testing::GoldenDifference(name, golden, changed + "\n"), "differs from line"));
  EXPECT_TRUE(Contains(testing::GoldenDifference(name, "", changed), "is missing"));
}

}  // namespace
}  // namespace faro::plan
