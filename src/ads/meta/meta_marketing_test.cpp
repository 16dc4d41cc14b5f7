// Contract tests: the Meta Marketing adapter against the local fake (tests/fakes/meta_marketing_fake.py).
#include "ads/meta/meta_marketing.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ads/ads_config.hpp"
#include "ads/guard.hpp"
#include "channel_fixture.hpp"
#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

constexpr char kToken[] = "EAAB-meta-test-token";

const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder("faro-meta-ads-test",
                                            {{"meta.token", StrCat(kToken, "\n")}, {"wrong.token", "EAAB-wrong\n"}});
  return folder;
}

json Campaign(const std::string& id, const std::string& name, const std::string& status, json insights = nullptr) {
  json c = {{"id", id}, {"name", name}, {"status", status}};
  if (!insights.is_null()) c["insights"] = insights;
  return c;
}

class MetaTest : public ::testing::Test {
 protected:
  MetaTest() {
    Configure({{"campaigns",
                {Campaign("120000000000001", "Turnos de noviembre", "ACTIVE",
                          {{"spend", "123.45"}, {"impressions", "10000"}, {"clicks", "250"}, {"cpm", "12.345"},
                           {"ctr", "2.5"}}),
                 Campaign("120000000000002", "Verano", "PAUSED"), Campaign("120000000000003", "Viejo", "ARCHIVED"),
                 Campaign("120000000000004", "Borrado", "DELETED")}}});
  }

  std::unique_ptr<AdPlatform> Make(const std::string& token_file = "meta.token", const std::string& extra = "") {
    const YAML::Node node = YAML::Load(StrCat("{ id: meta, type: meta_marketing, ad_account: act_1234567890, token_file: ",
                                              token_file, ", base_url: \"", fake_.base_url(), "\"", extra, " }"));
    const YamlReader reader("faro.yaml", Folder().path());
    absl::StatusOr<std::unique_ptr<AdPlatform>> made = CreateAdPlatform(node, "ads[0]", reader);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? std::move(made).value() : nullptr;
  }
  MetaMarketing& AsMeta(AdPlatform& p) { return dynamic_cast<MetaMarketing&>(p); }
  json Campaigns() const { return json::parse(fake_.Get("/_fake/campaigns")); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }

  testing::FakeServer fake_{"meta_marketing_fake.py", {"--token", kToken, "--ad-account", "1234567890"}};
};

TEST_F(MetaTest, ListsCampaignsAcrossPagesWithNormalisedStatus) {
  json many = json::array();
  for (int i = 0; i < 150; ++i) many.push_back(Campaign(std::to_string(130000000000000 + i), StrCat("C", i), "ACTIVE"));
  Configure({{"add_campaigns", many}});
  auto meta = Make();
  const absl::StatusOr<std::vector<ads::Campaign>> list = meta->ListCampaigns();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 154u);
  EXPECT_EQ((*list)[0].id, "120000000000001");
  EXPECT_EQ((*list)[0].name, "Turnos de noviembre");
  EXPECT_EQ((*list)[0].platform, "meta");
  EXPECT_EQ((*list)[0].status, CampaignStatus::kActive);
  EXPECT_EQ((*list)[1].status, CampaignStatus::kPaused);
  EXPECT_EQ((*list)[2].status, CampaignStatus::kRemoved);
  EXPECT_EQ((*list)[2].raw_status, "ARCHIVED");
  EXPECT_EQ((*list)[3].status, CampaignStatus::kRemoved);
  EXPECT_EQ(list->back().name, "C149");
  // Two pages of 100, following the "after" cursor; the token is never in the URL.
  const json requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0]["path"], "/v25.0/act_1234567890/campaigns");
  EXPECT_EQ(requests[1]["params"]["after"], "cursor-100");
  EXPECT_EQ(requests[0]["params"]["fields"], "id,name,status,effective_status");
}

TEST_F(MetaTest, PausesAndResumesWithAFormPost) {
  auto meta = Make();
  const absl::StatusOr<ads::Campaign> paused = meta->SetStatus("120000000000001", CampaignStatus::kPaused);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->status, CampaignStatus::kPaused);
  EXPECT_EQ(paused->raw_status, "PAUSED");
  EXPECT_EQ(Campaigns()["120000000000001"]["status"], "PAUSED");
  const json request = Requests().back();
  EXPECT_EQ(request["method"], "POST");
  EXPECT_EQ(request["path"], "/v25.0/120000000000001");
  EXPECT_EQ(request["params"], json({{"status", "PAUSED"}}));
  ASSERT_TRUE(meta->SetStatus("120000000000001", CampaignStatus::kActive).ok());
  EXPECT_EQ(Campaigns()["120000000000001"]["status"], "ACTIVE");
}

TEST_F(MetaTest, ReadsInsightStringsAsExactDecimals) {
  Configure({{"add_campaigns",
              {Campaign("120000000000009", "Largo", "ACTIVE",
                        {{"spend", "0.10"}, {"impressions", "3"}, {"clicks", "1"}, {"cpm", "33.333333333"},
                         {"ctr", "33.333333333333"}})}}});
  auto meta = Make();
  const absl::StatusOr<Insights> i = meta->ReadInsights("120000000000001", {"2026-01-01", "2026-01-07"});
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->spend, (Money{123'450'000, "USD"}));
  EXPECT_EQ(i->impressions, 10000);
  EXPECT_EQ(i->clicks, 250);
  EXPECT_EQ(i->cpm, (Money{12'345'000, "USD"}));
  EXPECT_EQ(i->ctr, Decimal{2'500'000});
  EXPECT_EQ(i->date_start, "2026-01-01");
  EXPECT_EQ(i->date_stop, "2026-01-07");
  const json request = Requests().back();
  EXPECT_EQ(request["path"], "/v25.0/120000000000001/insights");
  EXPECT_EQ(json::parse(request["params"]["time_range"].get<std::string>()),
            json({{"since", "2026-01-01"}, {"until", "2026-01-07"}}));
  const absl::StatusOr<Insights> small = meta->ReadInsights("120000000000009", {"2026-01-01", "2026-01-01"});
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ(small->spend.micros, 100'000);
  EXPECT_EQ(small->cpm.micros, 33'333'333);
  EXPECT_EQ(small->ctr.micros, 33'333'333);
  // A campaign with no delivery: no rows, zeros.
  const absl::StatusOr<Insights> none = meta->ReadInsights("120000000000002", {"2026-01-01", "2026-01-01"});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->spend.micros, 0);
  EXPECT_EQ(none->impressions, 0);
}

TEST_F(MetaTest, BadInsightValuesAreClearErrors) {
  Configure({{"add_campaigns", {Campaign("120000000000010", "Coma", "ACTIVE",
                                         {{"spend", "12,5"}, {"impressions", "10"}, {"clicks", "1"}})}}});
  auto meta = Make();
  const absl::StatusOr<Insights> i = meta->ReadInsights("120000000000010", {"2026-01-01", "2026-01-01"});
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(Message(i.status()),
            "Meta Marketing account meta (act_1234567890), campaign 120000000000010: reading insights: Meta's answer is "
            "wrong: spend: \"12,5\" is not a decimal");
  const absl::StatusOr<Insights> range = meta->ReadInsights("120000000000001", {"2026-01-07", "2026-01-01"});
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(ClassOf(range.status()), ErrorClass::kPermanent);
}

TEST_F(MetaTest, ThrottlingIsRateLimitedWithTheUsageHeadersWait) {
  Configure({{"limit", {{"calls", 1}, {"regain_minutes", 19}}}});
  auto meta = Make();
  ASSERT_TRUE(meta->SetStatus("120000000000001", CampaignStatus::kPaused).ok());
  const absl::StatusOr<ads::Campaign> second = meta->SetStatus("120000000000001", CampaignStatus::kActive);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(ClassOf(second.status()), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryWait(second.status()), std::chrono::minutes(19));
  EXPECT_EQ(ErrorCode(second.status()), "17");
  EXPECT_EQ(Message(second.status()),
            "Meta Marketing account meta (act_1234567890), campaign 120000000000001: resuming: Meta said error 17 "
            "(subcode 2446079): (#17) User request limit reached; retry in 19 min");
  EXPECT_EQ(Campaigns()["120000000000001"]["status"], "PAUSED");
}

TEST_F(MetaTest, BusinessUseCaseCodesAreRateLimitedToo) {
  for (int code : {613, 80000, 80004, 4}) {
    Configure({{"limit", {{"calls", 0}, {"regain_minutes", 7}, {"code", code}, {"status", 403}}}});
    auto meta = Make();
    const absl::StatusOr<std::vector<ads::Campaign>> list = meta->ListCampaigns();
    ASSERT_FALSE(list.ok()) << code;
    EXPECT_EQ(ClassOf(list.status()), ErrorClass::kRateLimited) << code;
    EXPECT_EQ(RetryWait(list.status()), std::chrono::minutes(7)) << code;
    EXPECT_EQ(ErrorCode(list.status()), std::to_string(code));
  }
}

TEST_F(MetaTest, RefusedTokenIsAuth) {
  auto meta = Make("wrong.token");
  const absl::StatusOr<std::vector<ads::Campaign>> list = meta->ListCampaigns();
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(ClassOf(list.status()), ErrorClass::kAuth);
  EXPECT_EQ(ErrorCode(list.status()), "190");
  EXPECT_EQ(Message(list.status()).find("EAAB-wrong"), std::string::npos);  // the token never shows
}

TEST_F(MetaTest, NeverSendsArchiveOrDelete) {
  auto meta = Make();
  for (const char* raw : {"ARCHIVED", "DELETED", "deleted", " Archived "}) {
    const absl::StatusOr<ads::Campaign> r = AsMeta(*meta).SetRawStatus("120000000000001", raw);
    ASSERT_FALSE(r.ok()) << raw;
    EXPECT_EQ(ErrorCode(r.status()), "irreversible") << raw;
  }
  EXPECT_EQ(ErrorCode(AsMeta(*meta).SetRawStatus("120000000000001", "BANANA").status()), "bad-status");
  EXPECT_EQ(ErrorCode(meta->SetStatus("120000000000001", CampaignStatus::kRemoved).status()), "irreversible");
  EXPECT_TRUE(Requests().empty());  // nothing reached the platform
  EXPECT_EQ(Campaigns()["120000000000001"]["status"], "ACTIVE");
}

TEST_F(MetaTest, ArchivedAndDeletedCampaignsCannotBeResumed) {
  auto meta = Make();
  const absl::StatusOr<ads::Campaign> archived = meta->SetStatus("120000000000003", CampaignStatus::kActive);
  ASSERT_FALSE(archived.ok());
  EXPECT_EQ(ClassOf(archived.status()), ErrorClass::kPermanent);
  EXPECT_EQ(ErrorCode(archived.status()), "100");
  EXPECT_NE(Message(archived.status()).find("An archived campaign can only be deleted"), std::string::npos);
  EXPECT_FALSE(meta->SetStatus("120000000000004", CampaignStatus::kPaused).ok());
  EXPECT_EQ(Campaigns()["120000000000003"]["status"], "ARCHIVED");
}

TEST_F(MetaTest, OutagesAreTransient) {
  auto meta = Make();
  Configure({{"outage", true}});
  const absl::StatusOr<ads::Campaign> code2 = meta->SetStatus("120000000000001", CampaignStatus::kPaused);
  ASSERT_FALSE(code2.ok());
  EXPECT_EQ(ClassOf(code2.status()), ErrorClass::kTransient);
  EXPECT_EQ(ErrorCode(code2.status()), "2");
  Configure({{"outage", "503"}});
  const absl::StatusOr<ads::Campaign> bare = meta->SetStatus("120000000000001", CampaignStatus::kPaused);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(ClassOf(bare.status()), ErrorClass::kTransient);
  EXPECT_EQ(ErrorCode(bare.status()), "503");
  Configure({{"outage", false}});
  EXPECT_TRUE(meta->SetStatus("120000000000001", CampaignStatus::kPaused).ok());
}

TEST_F(MetaTest, DuplicatesPausedWithASpendCap) {
  auto meta = Make("meta.token", ", currency: USD");
  const ads::Campaign source{"456", "Turnos de noviembre", "google", CampaignStatus::kActive, "ENABLED"};
  const absl::StatusOr<ads::Campaign> copy = meta->Duplicate(source, Money{150'000'000, "USD"});
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->status, CampaignStatus::kPaused);
  const json created = Campaigns()[copy->id];
  EXPECT_EQ(created["status"], "PAUSED");
  EXPECT_EQ(created["name"], "Turnos de noviembre (Faro)");
  EXPECT_EQ(created["spend_cap"], 15000);  // cents
  EXPECT_EQ(created["objective"], "OUTCOME_TRAFFIC");
  // In another currency: refused before any request.
  const size_t before = Requests().size();
  const absl::StatusOr<ads::Campaign> euros = meta->Duplicate(source, Money{150'000'000, "EUR"});
  EXPECT_EQ(ErrorCode(euros.status()), "currency");
  EXPECT_EQ(Requests().size(), before);
  // Below Meta's minimum cap: Meta refuses it.
  const absl::StatusOr<ads::Campaign> tiny = meta->Duplicate(source, Money{50'000'000, "USD"});
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(ClassOf(tiny.status()), ErrorClass::kPermanent);
}

TEST_F(MetaTest, FakeFollowsMetasRulesForBudgetsInheritanceAndUsageHeaders) {
  // What the fake enforces beyond what the adapter sends, checked with plain requests.
  const auto post = [&](const std::string& id, const std::string& form) {
    channels::HttpRequest r;
    r.url = StrCat(fake_.base_url(), "/v25.0/", id);
    r.headers = {StrCat("Authorization: Bearer ", kToken), "Content-Type: application/x-www-form-urlencoded"};
    r.body = form;
    return *channels::PerformHttp(r);
  };
  Configure({{"add_campaigns", {{{"id", "120000000000020"}, {"name", "Con conjuntos"}, {"status", "ACTIVE"},
                                  {"adsets", {{{"id", "230000000000001"}, {"status", "ACTIVE"}}}}}}}});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(post("120000000000020", StrCat("daily_budget=", 1000 + i)).status, 200) << i;
  const channels::HttpResponse fifth = post("120000000000020", "daily_budget=2000");
  EXPECT_EQ(json::parse(fifth.body)["error"]["code"], 17);
  // Every answer, errors included, carries the usage headers.
  EXPECT_FALSE(fifth.Header("x-business-use-case-usage").empty());
  EXPECT_FALSE(fifth.Header("x-app-usage").empty());
  EXPECT_FALSE(fifth.Header("x-ad-account-usage").empty());
  EXPECT_EQ(post("120000000000020", "status=PAUSED").status, 200);
  EXPECT_EQ(Campaigns()["120000000000020"]["adsets"][0]["effective_status"], "CAMPAIGN_PAUSED");
  // ARCHIVED goes only to DELETED; DELETED is terminal.
  EXPECT_EQ(post("120000000000003", "status=ACTIVE").status, 400);
  EXPECT_EQ(post("120000000000003", "status=DELETED").status, 200);
  EXPECT_EQ(post("120000000000003", "status=ARCHIVED").status, 400);
  EXPECT_EQ(Campaigns()["120000000000003"]["status"], "DELETED");
}

TEST_F(MetaTest, GuardPausesAndResumesOnlyWhatItPaused) {
  auto meta = Make();
  GuardRecord record;
  const TimePoint t0 = FromUnixMillis(1633362300000);
  const GuardOutcome paused = PauseAll(record, {{meta.get(), {}}}, t0);
  EXPECT_TRUE(paused.complete()) << Summary(paused, Lang::kEn);
  EXPECT_EQ(paused.paused, 1);
  EXPECT_EQ(paused.already_paused, 1);
  EXPECT_EQ(paused.left_alone, 2);
  EXPECT_EQ(Campaigns()["120000000000001"]["status"], "PAUSED");
  const GuardOutcome resumed = ResumeWhatWePaused(record, {meta.get()}, t0 + std::chrono::hours(6));
  EXPECT_EQ(resumed.resumed, 1);
  const json now = Campaigns();
  EXPECT_EQ(now["120000000000001"]["status"], "ACTIVE");
  EXPECT_EQ(now["120000000000002"]["status"], "PAUSED");
  EXPECT_EQ(now["120000000000003"]["status"], "ARCHIVED");
  EXPECT_EQ(now["120000000000004"]["status"], "DELETED");
  // No request ever asked for anything irreversible.
  for (const json& r : Requests()) {
    EXPECT_NE(r["method"], "DELETE");
    const std::string status = r["params"].value("status", "");
    EXPECT_TRUE(status.empty() || status == "PAUSED" || status == "ACTIVE") << r.dump();
  }
}

}  // namespace
}  // namespace faro::ads
