// faro.yaml `ads:` and `plans:`: plan files are loaded relative to faro.yaml's folder, checked
// whole, then against the configuration's channels and ad accounts, with file, line and key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/strings.hpp"
#include "setup/faro_config.hpp"

namespace faro::setup {
namespace {

constexpr const char* kChannels = R"(
business: { name: "Nutrición Ana", region: AR }
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "1065", token_file: wa.token }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token }
)";

// A plan; `reach`, `failover` and `account` are spliced in to break it on purpose.
std::string Plan(const std::string& reach = R"({ channel: telegram, chat_id: "4242" })",
                 const std::string& failover = "whatsapp", const std::string& account_type = "meta_marketing") {
  return StrCat(R"(plan: small-business
name: Plan
business: "Nutrición Ana"
roles:
  community-manager:
    title: Community manager
    people:
      - { name: Leo, reach: [)", reach, R"(] }
customer_channels:
  - { id: whatsapp, platform: whatsapp, share: 70% }
  - { id: telegram, platform: telegram, share: 30% }
  - { id: sms, platform: sms }
ad_accounts:
  - { id: meta, type: )", account_type, R"(, platforms: [instagram] }
triggers:
  - { on: platform-down, platforms: [whatsapp], run: outage }
playbooks:
  outage:
    title: WhatsApp
    steps:
      - notify: { roles: [community-manager] }
      - failover: { channel: )", failover, R"( }
      - pause_ads: { account: meta }
)");
}

class PlansConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / StrCat("faro_plans_config_", ::getpid());
    std::filesystem::create_directories(dir_ / "plans");
    std::ofstream(dir_ / "tg.token") << "123:abc\n";
    std::ofstream(dir_ / "wa.token") << "EAAB\n";
    std::ofstream(dir_ / "meta.token") << "meta-token\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void WritePlan(const std::string& text) { std::ofstream(dir_ / "plans" / "p.yaml") << text; }
  absl::StatusOr<FaroConfig> Load(const std::string& extra) {
    return LoadFaroConfigFromString(StrCat(kChannels, extra), "faro.yaml", dir_.string());
  }
  static constexpr const char* kAds =
      "ads:\n  - { id: meta, type: meta_marketing, ad_account: act_123, token_file: meta.token }\n";
  std::filesystem::path dir_;
};

TEST_F(PlansConfigTest, PlansAndAdAccountsAreLoaded) {
  WritePlan(Plan());
  auto c = Load(StrCat(kAds, "plans: [plans/p.yaml]\n"));
  ASSERT_TRUE(c.ok()) << Message(c.status());
  ASSERT_EQ(c->plans.plans.size(), 1u);
  EXPECT_EQ(c->plans.plans[0]->id, "small-business");
  EXPECT_EQ(c->plans.files[0], (dir_ / "plans" / "p.yaml").string());
  ASSERT_EQ(c->ads.platforms.size(), 1u);
  EXPECT_EQ(c->ads.platforms[0]->account(), "meta");
  EXPECT_EQ(c->ads.Find("meta")->type, "meta_marketing");
}

TEST_F(PlansConfigTest, ErrorsNameTheFileTheLineAndTheKey) {
  struct Case {
    std::string plan, extra;
    std::vector<std::string> says;
  } cases[] = {
      // The plan's own errors, every one, each with its position in the plan file.
      {"plan: Bad Id\n", StrCat(kAds, "plans: [plans/p.yaml]\n"), {"faro.yaml:", "plans[0]", "p.yaml:1:", "plan"}},
      // Someone reached on a channel faro.yaml does not have.
      {Plan(R"({ channel: signal, chat_id: "1" })"), StrCat(kAds, "plans: [plans/p.yaml]\n"),
       {"roles.community-manager.people[0] (Leo).reach[0].channel", "no channel \"signal\"", "telegram, whatsapp"}},
      // An address the channel cannot use.
      {Plan(R"({ channel: whatsapp, phone: "not a phone" })"), StrCat(kAds, "plans: [plans/p.yaml]\n"),
       {"reach[0].phone"}},
      // A failover of a channel Faro does not send on.
      {Plan(R"({ channel: telegram, chat_id: "4242" })", "sms"), StrCat(kAds, "plans: [plans/p.yaml]\n"),
       {"p.yaml:", "playbooks.outage.steps[1].failover.channel", "no channel \"sms\""}},
      // Ad accounts must be faro.yaml's, of the same type.
      {Plan(), "plans: [plans/p.yaml]\n", {"ad_accounts.meta", "no ad account \"meta\"", "steps[2].pause_ads.account"}},
      {Plan(R"({ channel: telegram, chat_id: "4242" })", "whatsapp", "google_ads"),
       StrCat(kAds, "plans: [plans/p.yaml]\n"), {"ad_accounts.meta.type", "google_ads", "meta_marketing"}},
      // The list itself.
      {Plan(), StrCat(kAds, "plans: plans/p.yaml\n"), {"faro.yaml:", "plans", "list of plan files"}},
      {Plan(), StrCat(kAds, "plans: [plans/missing.yaml]\n"), {"plans[0]", "missing.yaml"}},
      {Plan(), StrCat(kAds, "plans: [plans/p.yaml, plans/p.yaml]\n"), {"plans[1]", "two plans are called \"small-business\""}},
      {Plan(), "ads:\n  - { id: meta, type: myspace_ads }\n", {"faro.yaml:", "ads[0].type", "myspace_ads"}},
  };
  for (const Case& c : cases) {
    WritePlan(c.plan);
    auto loaded = Load(c.extra);
    ASSERT_FALSE(loaded.ok()) << c.extra << "\n" << c.plan;
    const std::string message = Message(loaded.status());
    for (const std::string& part : c.says) EXPECT_NE(message.find(part), std::string::npos) << part << "\n" << message;
  }
}

}  // namespace
}  // namespace faro::setup
