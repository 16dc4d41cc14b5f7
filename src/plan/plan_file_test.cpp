// The plan loader: a good plan reads whole; every kind of mistake gives its own error at the
// exact file:line:column, and all of them are reported at once.
#include "plan/plan_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/strings.hpp"
#include "plan/plan_check.hpp"

namespace faro::plan {
namespace {

std::vector<std::string> Errors(const std::string& yaml) { return ReadPlanYaml(yaml, "plan.yaml").errors; }

// The one error starting with `prefix` (file:line:column: key), with what it says.
::testing::AssertionResult HasError(const std::vector<std::string>& errors, const std::string& prefix,
                                    const std::string& says = "") {
  for (const std::string& e : errors)
    if (e.rfind(prefix, 0) == 0 && Contains(e, says)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no error \"" << prefix << " … " << says << "\" among:\n" << Join(errors, "\n");
}

// A small plan that is fine; tests change one line of it at a time.
const char* kGood = R"(plan: test
business: "Panadería Sol"
roles:
  manager:
    title: { es: Encargada, en: Manager }
    people:
      - { name: Rosa, reach: [{ channel: telegram, chat_id: "1" }] }
customer_channels:
  - { id: whatsapp, platform: whatsapp, share: 60% }
  - { id: email, platform: email, share: 0.4 }
ad_accounts:
  - { id: meta, type: meta_marketing }
  - { id: google, type: google_ads }
triggers:
  - { on: platform-down, platforms: [whatsapp], run: outage }
playbooks:
  outage:
    title: Caída
    steps:
      - notify: { roles: [manager] }
)";

std::string With(std::string_view from, std::string_view to) {
  std::string yaml = kGood;
  const size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

TEST(PlanFile, GoodPlanReadsWithDefaults) {
  const PlanLoad load = ReadPlanYaml(kGood, "plan.yaml");
  ASSERT_TRUE(load.ok()) << Join(load.errors, "\n");
  const Plan& plan = *load.plan;
  EXPECT_EQ(plan.id, "test");
  EXPECT_EQ(plan.lang, Lang::kEs);
  EXPECT_EQ(plan.name.es, "Panadería Sol");  // no name: the business
  ASSERT_EQ(plan.customer_channels.size(), 2u);
  EXPECT_EQ(plan.customer_channels[0].share, 6000);
  EXPECT_EQ(plan.customer_channels[1].share, 4000);
  EXPECT_EQ(plan.ShareOn("whatsapp"), 6000);
  ASSERT_EQ(plan.ad_accounts.size(), 2u);
  EXPECT_EQ(plan.ad_accounts[0].platforms, (std::vector<std::string>{"facebook", "instagram"}));
  ASSERT_EQ(plan.triggers.size(), 1u);
  EXPECT_EQ(plan.triggers[0].scope, (std::vector<std::string>{"global", "regional"}));
  EXPECT_EQ(plan.triggers[0].line, 15);
  ASSERT_EQ(plan.playbooks.size(), 1u);
  EXPECT_EQ(plan.playbooks[0].kind, PlaybookKind::kOutage);
  EXPECT_EQ(plan.playbooks[0].steps[0].kind, StepKind::kNotify);
  EXPECT_EQ(plan.roles[0].people[0].reach[0], (Reach{"telegram", "chat_id", "1"}));
}

TEST(PlanFile, StepDefaults) {
  const PlanLoad load = ReadPlanYaml(With("      - notify: { roles: [manager] }\n",
                                          "      - status_updates: { to: [manager] }\n"
                                          "      - restoration_check:\n"
                                          "      - wait: { for: 90m }\n"),
                                     "plan.yaml");
  ASSERT_TRUE(load.ok()) << Join(load.errors, "\n");
  const auto& steps = load.plan->playbooks[0].steps;
  EXPECT_EQ(steps[0].first_within, std::chrono::minutes(5));
  EXPECT_EQ(steps[0].every, std::chrono::minutes(20));
  EXPECT_EQ(steps[1].watch_for, std::chrono::hours(4));
  EXPECT_EQ(steps[1].ad_tolerance, 2500);
  EXPECT_EQ(steps[2].wait_for, std::chrono::minutes(90));
}

TEST(PlanFile, NotYaml) {
  EXPECT_TRUE(HasError(Errors("plan: [test\nbusiness: x\n"), "plan.yaml:", "not valid YAML"));
  EXPECT_TRUE(HasError(Errors(""), "plan.yaml: the plan is empty"));
  EXPECT_TRUE(HasError(Errors("- a\n- b\n"), "plan.yaml:1:1: plan: expected a mapping"));
}

TEST(PlanFile, RequiredSections) {
  const auto errors = Errors("plan: x\nbusiness: y\nroles: {}\ntriggers: []\nplaybooks: {}\n");
  EXPECT_TRUE(HasError(errors, "plan.yaml:3:8: roles: a plan needs at least one role"));
  EXPECT_TRUE(HasError(errors, "plan.yaml:4:11: triggers: expected a list of triggers"));
  EXPECT_TRUE(HasError(errors, "plan.yaml:5:12: playbooks: a plan needs at least one playbook"));
  EXPECT_EQ(errors.size(), 3u) << Join(errors, "\n");
  EXPECT_TRUE(HasError(Errors("plan: x\nbusiness: y\n"), "plan.yaml:1:1: roles: missing"));
  EXPECT_TRUE(HasError(Errors("plan: x\nbusiness: y\n"), "plan.yaml:1:1: triggers: missing"));
  EXPECT_TRUE(HasError(Errors("plan: x\nbusiness: y\n"), "plan.yaml:1:1: playbooks: missing"));
}

TEST(PlanFile, UnknownKeys) {
  EXPECT_TRUE(HasError(Errors(With("business:", "bussines:")), "plan.yaml:2:1: bussines: unknown key"));
  EXPECT_TRUE(HasError(Errors(With("business:", "bussines:")), "plan.yaml:1:1: business: missing"));
  EXPECT_TRUE(HasError(Errors(With("run: outage }", "run: outage, share: 2 }")),
                       "plan.yaml:15:62: triggers[0].share: unknown key", "expected one of: on, platforms"));
  EXPECT_TRUE(HasError(Errors(With("{ roles: [manager] }", "{ roles: [manager], txt: hola }")),
                       "plan.yaml:20:37: playbooks.outage.steps[0].notify.txt: unknown key", "roles, text"));
}

TEST(PlanFile, UnknownStepKind) {
  EXPECT_TRUE(HasError(Errors(With("- notify:", "- notfy:")), "plan.yaml:20:9: playbooks.outage.steps[0].notfy: unknown step kind",
                       "notify, approve, failover"));
}

TEST(PlanFile, OneKindPerStep) {
  EXPECT_TRUE(HasError(Errors(With("{ roles: [manager] }", "{ roles: [manager] }\n        failover: { channel: whatsapp }")),
                       "plan.yaml:21:9: playbooks.outage.steps[0].failover: one kind per step"));
  EXPECT_TRUE(HasError(Errors(With("- notify: { roles: [manager] }", "- id: alone")),
                       "plan.yaml:20:9: playbooks.outage.steps[0]: the step has no kind"));
}

TEST(PlanFile, ReferencesMustBeDefined) {
  EXPECT_TRUE(HasError(Errors(With("roles: [manager]", "roles: [manager, owner]")),
                       "plan.yaml:20:36: playbooks.outage.steps[0].notify.roles[1]: no role named \"owner\"; defined: manager"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "failover: { channel: telegram }")),
                       "plan.yaml:20:30: playbooks.outage.steps[0].failover.channel: no customer channel named \"telegram\"",
                       "defined: email, whatsapp"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "pause_ads: { account: tiktok }")),
                       "plan.yaml:20:31: playbooks.outage.steps[0].pause_ads.account: no ad account named \"tiktok\"",
                       "defined: google, meta"));
  EXPECT_TRUE(HasError(Errors(With("run: outage }", "run: outages }")),
                       "plan.yaml:15:54: triggers[0].run: no playbook named \"outages\"; defined: outage"));
  EXPECT_TRUE(HasError(
      Errors(With("triggers:\n", "brands: [{ id: sol, name: Sol }]\ntriggers:\n  - { on: crisis-suspected, brands: [luna], run: outage }\n")),
      "plan.yaml:16:38: triggers[0].brands[0]: no brand named \"luna\"; defined: sol"));
}

TEST(PlanFile, SharesAddUpToAtMostAWhole) {
  EXPECT_TRUE(HasError(Errors(With("share: 0.4", "share: 45%")),
                       "plan.yaml:9:3: customer_channels: the shares add up to 105%; together they can be at most 100%"));
}

TEST(PlanFile, Percentages) {
  EXPECT_TRUE(HasError(Errors(With("share: 60%", "share: 120%")), "plan.yaml:9:48: customer_channels[0].share:", "more than 100%"));
  EXPECT_TRUE(HasError(Errors(With("share: 60%", "share: 60")), "plan.yaml:9:48: customer_channels[0].share:",
                       "write \"60%\" for a percentage"));
  EXPECT_TRUE(HasError(Errors(With("share: 60%", "share: mucho")), "plan.yaml:9:48: customer_channels[0].share:",
                       "expected a percentage such as 20%"));
}

TEST(PlanFile, Durations) {
  const std::string approve =
      "approve: { role: manager, ask: \"¿Seguimos?\", within: 15 minutes }";
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", approve)),
                       "plan.yaml:20:62: playbooks.outage.steps[0].approve.within: expected a duration such as"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "wait: { for: 0s }")),
                       "plan.yaml:20:22: playbooks.outage.steps[0].wait.for: expected platform-restored, crisis-over or a duration"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "remind: { roles: [manager], text: hola, every: 0m }")),
                       "plan.yaml:20:56: playbooks.outage.steps[0].remind.every: must be longer than zero"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "remind: { roles: [manager], text: hola }")),
                       "plan.yaml:20:17: playbooks.outage.steps[0].remind.every: missing; it is required"));
}

TEST(PlanFile, BadIds) {
  EXPECT_TRUE(HasError(Errors(With("plan: test", "plan: Test Plan")), "plan.yaml:1:7: plan: \"Test Plan\" is not a valid id"));
  EXPECT_TRUE(HasError(Errors(With("  manager:", "  Manager:")), "plan.yaml:4:3: roles.Manager: \"Manager\" is not a valid id"));
  EXPECT_TRUE(HasError(Errors(With("  outage:", "  outage!:")), "plan.yaml:17:3: playbooks.outage!: \"outage!\" is not a valid id"));
  EXPECT_TRUE(HasError(Errors(With("{ roles: [manager] }", "{ roles: [manager] }\n        id: Tell"))
                           ,"plan.yaml:21:13: playbooks.outage.steps[0].id: \"Tell\" is not a valid id"));
  EXPECT_TRUE(HasError(Errors(With("- { id: email, platform: email", "- { id: whatsapp, platform: email")),
                       "plan.yaml:10:11: customer_channels[1].id: \"whatsapp\" names two channels"));
}

TEST(PlanFile, MoveCampaignNeedsApprovalAndCap) {
  const auto errors = Errors(With("notify: { roles: [manager] }", "move_campaign: { account: meta, campaign: Otoño, to: google }"));
  EXPECT_TRUE(HasError(errors, "plan.yaml:20:9: playbooks.outage.steps[0].move_campaign.budget_cap: missing", "budget cap"));
  EXPECT_TRUE(HasError(errors, "plan.yaml:20:9: playbooks.outage.steps[0].move_campaign.approval: missing",
                       "always needs an approval"));
  EXPECT_EQ(errors.size(), 2u) << Join(errors, "\n");
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }",
                                   "move_campaign: { account: meta, campaign: Otoño, to: google, budget_cap: 150 dollars, "
                                   "approval: { role: manager, within: 30m } }")),
                       "plan.yaml:20:82: playbooks.outage.steps[0].move_campaign.budget_cap: expected a currency code"));
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }",
                                   "move_campaign: { account: meta, campaign: Otoño, to: meta, budget_cap: 150 USD, "
                                   "approval: { role: manager, within: 30m } }")),
                       "plan.yaml:20:62: playbooks.outage.steps[0].move_campaign.to: the campaign must move to another ad account"));
}

TEST(PlanFile, EscalationsComeBeforeTheDeadline) {
  const std::string approve =
      "approve: { role: manager, ask: \"¿Seguimos?\", within: 15m, escalate: [{ after: 20m, to: [manager] }] }";
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", approve)),
                       "plan.yaml:20:87: playbooks.outage.steps[0].approve.escalate[0].after: must be shorter than the approval's `within`"));
}

TEST(PlanFile, StatementsGoWhereThingsStillWork) {
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "holding_statement: { channels: [whatsapp, email], text: Hola }")),
                       "plan.yaml:20:40: playbooks.outage.steps[0].holding_statement.channels: \"whatsapp\" is on whatsapp",
                       "post on a channel that still works"));
}

TEST(PlanFile, AfterRecoveryTheFailedChannelWorksAgain) {
  EXPECT_TRUE(ReadPlanYaml(With("      - notify: { roles: [manager] }\n",
                                "      - wait: { for: platform-restored }\n"
                                "      - broadcast: { channels: [whatsapp], text: \"Volvimos\" }\n"),
                           "plan.yaml")
                  .ok());
}

TEST(PlanFile, WaitsForWhatTheTriggerCanSee) {
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "wait: { for: crisis-over }")),
                       "plan.yaml:20:22: playbooks.outage.steps[0].wait.for: this playbook runs on a platform failure and would never see crisis-over"));
}

TEST(PlanFile, MinShareThatCanNeverBeMet) {
  EXPECT_TRUE(HasError(Errors(With("run: outage }", "min_share: 70%, run: outage }")),
                       "plan.yaml:15:60: triggers[0].min_share: customers use these platforms for less than 70%",
                       "whatsapp 60%"));
  // A trigger over several platforms: min_share picks those that carry enough.
  EXPECT_TRUE(ReadPlanYaml(With("platforms: [whatsapp]", "platforms: [whatsapp, telegram], min_share: 50%"), "plan.yaml").ok());
}

TEST(PlanFile, AdPlatformsOfTheAccount) {
  EXPECT_TRUE(HasError(Errors(With("notify: { roles: [manager] }", "pause_ads: { account: meta, platforms: [tiktok] }")),
                       "plan.yaml:20:48: playbooks.outage.steps[0].pause_ads.platforms: the ad account \"meta\" does not run ads on tiktok"));
}

TEST(PlanFile, TriggerKeysOfTheRightFamily) {
  EXPECT_TRUE(HasError(Errors(With("run: outage }", "min_per_minute: 20, run: outage }")),
                       "plan.yaml:15:65: triggers[0].min_per_minute: does not apply to platform-down"));
  EXPECT_TRUE(HasError(Errors(With("on: platform-down", "on: platform-up")),
                       "plan.yaml:15:11: triggers[0].on: expected one of: platform-down, platform-partial, crisis-suspected"));
  EXPECT_TRUE(HasError(Errors(With("platforms: [whatsapp], run", "platforms: [whatsapp], scope: [local], run")),
                       "plan.yaml:15:56: triggers[0].scope: unknown scope \"local\""));
}

TEST(PlanFile, TextsAndPlaceholders) {
  EXPECT_TRUE(HasError(Errors(With("{ roles: [manager] }", "{ roles: [manager], text: \"Hola {cliente}\" }")),
                       "plan.yaml:20:43: playbooks.outage.steps[0].notify.text: unknown placeholder {cliente}"));
  EXPECT_TRUE(HasError(Errors(With("title: Caída", "title: { es: Caída, fr: Panne }")),
                       "plan.yaml:18:12: playbooks.outage.title: unknown language \"fr\""));
  EXPECT_TRUE(ReadPlanYaml(With("{ roles: [manager] }", "{ roles: [manager], text: \"{business}: {subject} #{incident}\" }"),
                           "plan.yaml").ok());
}

TEST(PlanFile, PeopleAndReach) {
  EXPECT_TRUE(HasError(Errors(With("{ channel: telegram, chat_id: \"1\" }", "{ channel: telegram }")),
                       "plan.yaml:7:31: roles.manager.people[0].reach[0]: how to reach this person there"));
  EXPECT_TRUE(HasError(Errors(With("{ name: Rosa,", "{ name: Rosa, lang: fr,")),
                       "plan.yaml:7:29: roles.manager.people[0].lang: expected one of: es, en"));
  EXPECT_TRUE(HasError(Errors(With("      - { name: Rosa, reach: [{ channel: telegram, chat_id: \"1\" }] }", "      []")),
                       "plan.yaml:7:7: roles.manager.people: expected a list of people", "at least one person"));
}

TEST(PlanFile, RepeatedKeysAndStepIds) {
  EXPECT_TRUE(HasError(Errors(With("business: \"Panadería Sol\"", "business: \"Panadería Sol\"\nbusiness: Otra")),
                       "plan.yaml:3:1: business: given twice"));
  EXPECT_TRUE(HasError(Errors(With("      - notify: { roles: [manager] }",
                                   "      - { id: tell, notify: { roles: [manager] } }\n      - { id: tell, notify: { roles: [manager] } }")),
                       "plan.yaml:21:15: playbooks.outage.steps[1].id: \"tell\" names two steps of this playbook"));
}

TEST(PlanFile, EveryErrorIsReportedInFileOrder) {
  std::string yaml = kGood;
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"plan: test", "plan: Test"},
           {"share: 60%", "share: 61%"},
           {"run: outage }", "run: outages }"},
           {"- notify: { roles: [manager] }", "- notify: { roles: [owner] }\n      - wait: { for: forever }"}}) {
    yaml.replace(yaml.find(from), from.size(), to);
  }
  const auto errors = Errors(yaml);
  ASSERT_EQ(errors.size(), 5u) << Join(errors, "\n");
  EXPECT_EQ(errors[0].substr(0, 15), "plan.yaml:1:7: ");
  EXPECT_EQ(errors[1].substr(0, 15), "plan.yaml:9:3: ");   // shares 101%
  EXPECT_EQ(errors[2].substr(0, 17), "plan.yaml:15:54: ");  // no playbook "outages"
  EXPECT_EQ(errors[3].substr(0, 17), "plan.yaml:20:27: ");  // no role "owner"
  EXPECT_EQ(errors[4].substr(0, 17), "plan.yaml:21:22: ");  // "forever"
}

// Mangled copies of the shipped plans (lines dropped, swapped or cut, characters replaced)
// always give a plan or a list of errors, never a crash or an exception.
TEST(PlanFile, MangledPlansNeverCrash) {
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&seed](uint64_t n) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed % n;
  };
  const char* kJunk[] = {"[", "]", "{", "}", ":", "- ", "\t", "&a", "*a", "? ", "'", "\"", "%", "{}", "[]", "#"};
  int rejected = 0;
  for (const char* name : {"small-business", "agency"}) {
    std::ifstream in(StrCat(FARO_SOURCE_DIR, "/examples/plans/", name, ".yaml"));
    std::stringstream text;
    text << in.rdbuf();
    const std::string original = text.str();
    for (int round = 0; round < 400; ++round) {
      std::string yaml = original;
      for (int cut = 0; cut < 3; ++cut) {
        const size_t at = next(yaml.size());
        switch (next(3)) {
          case 0: yaml.erase(at, next(40)); break;
          case 1: yaml.insert(at, kJunk[next(std::size(kJunk))]); break;
          default: {
            const size_t line = yaml.find('\n', at);
            if (line != std::string::npos) yaml.insert(line + 1, yaml.substr(at, line - at + 1));
          }
        }
      }
      PlanLoad load;
      EXPECT_NO_THROW(load = ReadPlanYaml(yaml, "mangled.yaml")) << yaml;
      EXPECT_NE(load.ok(), !load.errors.empty());
      rejected += !load.ok();
    }
  }
  EXPECT_GT(rejected, 400);  // most mangled plans are wrong, and say so
}

TEST(PlanFile, SharesParse) {
  EXPECT_EQ(*ParseShare("20%"), 2000);
  EXPECT_EQ(*ParseShare("12.5%"), 1250);
  EXPECT_EQ(*ParseShare("0.2"), 2000);
  EXPECT_EQ(*ParseShare("1"), 10000);
  EXPECT_EQ(*ParseShare("0"), 0);
  EXPECT_FALSE(ParseShare("20").ok());
  EXPECT_FALSE(ParseShare("101%").ok());
  EXPECT_FALSE(ParseShare("12.345%").ok());
  EXPECT_FALSE(ParseShare("-5%").ok());
  EXPECT_FALSE(ParseShare("%").ok());
  EXPECT_EQ(ShareText(2000), "20%");
  EXPECT_EQ(ShareText(1250), "12.5%");
  EXPECT_EQ(ShareText(1234), "12.34%");
}

TEST(PlanFile, MoneyParses) {
  std::string amount, currency;
  EXPECT_TRUE(ParseMoney("150.00 USD", amount, currency).ok());
  EXPECT_EQ(amount, "150.00");
  EXPECT_EQ(currency, "USD");
  EXPECT_FALSE(ParseMoney("150.00", amount, currency).ok());
  EXPECT_FALSE(ParseMoney("0 USD", amount, currency).ok());
  EXPECT_FALSE(ParseMoney("150 usd", amount, currency).ok());
  EXPECT_FALSE(ParseMoney("1,50 EUR", amount, currency).ok());
}

TEST(PlanFile, ShippedExamplesPass) {
  for (const char* name : {"small-business", "agency"}) {
    const std::string path = StrCat(FARO_SOURCE_DIR, "/examples/plans/", name, ".yaml");
    const PlanLoad load = ReadPlanFile(path);
    EXPECT_TRUE(load.ok()) << name << ":\n" << Join(load.errors, "\n");
  }
}

TEST(PlanCheck, SummaryOrEveryError) {
  const std::string good = StrCat(FARO_SOURCE_DIR, "/examples/plans/small-business.yaml");
  const PlanCheckResult ok_en = CheckPlanFile(good, Lang::kEn);
  EXPECT_EQ(ok_en.exit_code, 0);
  EXPECT_EQ(ok_en.out.rfind("ok: ", 0), 0u) << ok_en.out;
  EXPECT_TRUE(Contains(ok_en.out, "Owner (approves) [approver]: Ana (es; sms, telegram)")) << ok_en.out;
  EXPECT_TRUE(Contains(ok_en.out, "WhatsApp down (global, regional) if it carries ≥ 20% of conversations (whatsapp 70%) → messaging-outage"))
      << ok_en.out;
  EXPECT_TRUE(Contains(ok_en.out, "fail whatsapp over to the other channels")) << ok_en.out;
  const PlanCheckResult ok_es = CheckPlanFile(good, Lang::kEs);
  EXPECT_TRUE(Contains(ok_es.out, "pasar los mensajes de whatsapp a los otros canales")) << ok_es.out;
  EXPECT_TRUE(Contains(ok_es.out, "Protocolo messaging-outage — WhatsApp no funciona")) << ok_es.out;

  const PlanCheckResult missing = CheckPlanFile("no-such-plan.yaml", Lang::kEn);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.out, "no-such-plan.yaml: cannot read the plan file")) << missing.out;
  EXPECT_TRUE(Contains(missing.out, "1 error in no-such-plan.yaml")) << missing.out;
}

}  // namespace
}  // namespace faro::plan
