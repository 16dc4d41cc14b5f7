// Contract tests: the TikTok adapter against the local fake (tests/fakes/tiktok_ads_fake.py).
#include "ads/tiktok/tiktok_ads.hpp"

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

constexpr char kToken[] = "tiktok-test-token";
constexpr char kAdvertiser[] = "7000000000000000001";

const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder("faro-tiktok-ads-test",
                                            {{"tiktok.token", StrCat(kToken, "\n")}, {"wrong.token", "tt-wrong\n"}});
  return folder;
}

std::string Id(int n) { return std::to_string(1700000000000000000LL + n); }

json Campaign(const std::string& id, const std::string& name, const std::string& status, json daily = json::object()) {
  return {{"id", id}, {"name", name}, {"status", status}, {"daily", daily}};
}

class TikTokTest : public ::testing::Test {
 protected:
  TikTokTest() {
    Configure({{"campaigns",
                {Campaign(Id(1), "Clips de noviembre", "ENABLE",
                          {{"2026-01-01", {{"spend", "100.00"}, {"impressions", 6000}, {"clicks", 150}}},
                           {"2026-01-02", {{"spend", "23.45"}, {"impressions", 4000}, {"clicks", 100}}}}),
                 Campaign(Id(2), "Verano", "DISABLE"), Campaign(Id(3), "Borrada", "DELETE")}}});
  }

  std::unique_ptr<AdPlatform> Make(const std::string& token = "tiktok.token", const std::string& extra = "") {
    const YAML::Node node = YAML::Load(StrCat("{ id: tiktok, type: tiktok_ads, advertiser_id: \"", kAdvertiser,
                                              "\", token_file: ", token, ", base_url: \"", fake_.base_url(), "\"",
                                              extra, " }"));
    const YamlReader reader("faro.yaml", Folder().path());
    absl::StatusOr<std::unique_ptr<AdPlatform>> made = CreateAdPlatform(node, "ads[0]", reader);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? std::move(made).value() : nullptr;
  }
  TikTokAds& AsTikTok(AdPlatform& p) { return dynamic_cast<TikTokAds&>(p); }
  json Campaigns() const { return json::parse(fake_.Get("/_fake/campaigns")); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }
  json Stats() const { return json::parse(fake_.Get("/_fake/stats")); }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }
  void AddActive(int from, int count) {
    json more = json::array();
    for (int i = from; i < from + count; ++i) more.push_back(Campaign(Id(i), StrCat("Lote ", i), "ENABLE"));
    Configure({{"add_campaigns", more}});
  }
  // The status update bodies the fake received.
  std::vector<json> Updates() const {
    std::vector<json> out;
    for (const json& r : Requests())
      if (r["path"] == "/open_api/v1.3/campaign/status/update/") out.push_back(r["body"]);
    return out;
  }

  testing::FakeServer fake_{"tiktok_ads_fake.py", {"--token", kToken, "--advertiser-id", kAdvertiser}};
};

TEST_F(TikTokTest, ListsCampaignsWithTheEnvelope) {
  auto tiktok = Make();
  const absl::StatusOr<std::vector<ads::Campaign>> list = tiktok->ListCampaigns();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);  // deleted campaigns are not listed
  EXPECT_EQ((*list)[0].id, Id(1));
  EXPECT_EQ((*list)[0].name, "Clips de noviembre");
  EXPECT_EQ((*list)[0].status, CampaignStatus::kActive);
  EXPECT_EQ((*list)[0].raw_status, "ENABLE");
  EXPECT_EQ((*list)[1].status, CampaignStatus::kPaused);
  const json request = Requests().back();
  EXPECT_EQ(request["query"]["advertiser_id"], kAdvertiser);
  EXPECT_EQ(json::parse(request["query"]["fields"].get<std::string>()),
            json({"campaign_id", "campaign_name", "operation_status", "secondary_status"}));
}

TEST_F(TikTokTest, PausesAndResumesWithOperationStatus) {
  auto tiktok = Make();
  const absl::StatusOr<ads::Campaign> paused = tiktok->SetStatus(Id(1), CampaignStatus::kPaused);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->raw_status, "DISABLE");
  EXPECT_EQ(Campaigns()[Id(1)]["status"], "DISABLE");
  EXPECT_EQ(Updates().back(),
            json({{"advertiser_id", kAdvertiser}, {"campaign_ids", {Id(1)}}, {"operation_status", "DISABLE"}}));
  ASSERT_TRUE(tiktok->SetStatus(Id(1), CampaignStatus::kActive).ok());
  EXPECT_EQ(Campaigns()[Id(1)]["status"], "ENABLE");
}

TEST_F(TikTokTest, BatchesFortyFiveIdsIntoTwentyTwentyAndFive) {
  AddActive(100, 45);
  std::vector<std::string> ids;
  for (int i = 100; i < 145; ++i) ids.push_back(Id(i));
  auto tiktok = Make();
  const std::vector<StatusChange> changes = tiktok->SetStatuses(ids, CampaignStatus::kPaused);
  ASSERT_EQ(changes.size(), 45u);
  for (const StatusChange& c : changes) EXPECT_TRUE(c.result.ok()) << c.result;
  const std::vector<json> updates = Updates();
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[0]["campaign_ids"].size(), 20u);
  EXPECT_EQ(updates[1]["campaign_ids"].size(), 20u);
  EXPECT_EQ(updates[2]["campaign_ids"].size(), 5u);
  EXPECT_EQ(updates[0]["campaign_ids"][0], Id(100));
  EXPECT_EQ(updates[2]["campaign_ids"][4], Id(144));
  const json now = Campaigns();
  for (const std::string& id : ids) EXPECT_EQ(now[id]["status"], "DISABLE") << id;
}

TEST_F(TikTokTest, GuardPausesFortyFiveThroughBatchesAndResumesOnlyThose) {
  AddActive(100, 44);  // with Id(1): 45 active, plus Id(2) already paused
  auto tiktok = Make();
  GuardRecord record;
  const TimePoint t0 = FromUnixMillis(1633362300000);
  const GuardOutcome paused = PauseAll(record, {{tiktok.get(), {}}}, t0);
  EXPECT_EQ(paused.paused, 45);
  EXPECT_EQ(paused.already_paused, 1);
  EXPECT_EQ(Updates().size(), 3u);
  const GuardOutcome resumed = ResumeWhatWePaused(record, {tiktok.get()}, t0 + std::chrono::hours(6));
  EXPECT_EQ(resumed.resumed, 45);
  EXPECT_EQ(Updates().size(), 6u);
  const json now = Campaigns();
  EXPECT_EQ(now[Id(1)]["status"], "ENABLE");
  EXPECT_EQ(now[Id(2)]["status"], "DISABLE");
  EXPECT_EQ(now[Id(3)]["status"], "DELETE");
}

TEST_F(TikTokTest, ADeletedCampaignInABatchDoesNotStopTheOthers) {
  auto tiktok = Make();
  const std::vector<StatusChange> changes = tiktok->SetStatuses({Id(1), Id(3), Id(2)}, CampaignStatus::kPaused);
  EXPECT_TRUE(changes[0].result.ok()) << changes[0].result;
  EXPECT_FALSE(changes[1].result.ok());
  EXPECT_EQ(ErrorCode(changes[1].result), "40002");
  EXPECT_NE(Message(changes[1].result).find("is deleted and cannot be modified"), std::string::npos);
  EXPECT_TRUE(changes[2].result.ok()) << changes[2].result;
  EXPECT_EQ(Campaigns()[Id(1)]["status"], "DISABLE");
  EXPECT_EQ(Campaigns()[Id(3)]["status"], "DELETE");
}

TEST_F(TikTokTest, FakeValidatesIdsAndEnums) {
  // What the adapter must never send: the fake refuses it as TikTok does.
  const auto post = [&](const json& body) {
    channels::HttpRequest r;
    r.url = fake_.base_url() + "/open_api/v1.3/campaign/status/update/";
    r.headers = {"Content-Type: application/json", StrCat("Access-Token: ", kToken)};
    r.body = body.dump();
    return json::parse(channels::PerformHttp(r)->body);
  };
  json ids = json::array();
  for (int i = 0; i < 21; ++i) ids.push_back(Id(1));
  EXPECT_EQ(post({{"advertiser_id", kAdvertiser}, {"campaign_ids", ids}, {"operation_status", "DISABLE"}})["code"], 40002);
  EXPECT_EQ(post({{"advertiser_id", kAdvertiser}, {"campaign_ids", json::array()}, {"operation_status", "DISABLE"}})["code"],
            40002);
  EXPECT_EQ(post({{"advertiser_id", kAdvertiser}, {"campaign_ids", {Id(1)}}, {"operation_status", "CAMPAIGN_STATUS_PAUSE"}})
                ["code"],
            40002);
  EXPECT_EQ(Campaigns()[Id(1)]["status"], "ENABLE");
}

TEST_F(TikTokTest, NeverSendsDelete) {
  auto tiktok = Make();
  for (const char* raw : {"DELETE", "delete", "CAMPAIGN_STATUS_DELETE"})
    EXPECT_EQ(ErrorCode(AsTikTok(*tiktok).SetRawStatuses({Id(1)}, raw)[0].result), "irreversible") << raw;
  EXPECT_EQ(ErrorCode(AsTikTok(*tiktok).SetRawStatuses({Id(1)}, "CAMPAIGN_STATUS_PAUSE")[0].result), "bad-status");
  EXPECT_EQ(ErrorCode(tiktok->SetStatus(Id(1), CampaignStatus::kRemoved).status()), "irreversible");
  EXPECT_TRUE(Requests().empty());
  EXPECT_EQ(Campaigns()[Id(1)]["status"], "ENABLE");
}

TEST_F(TikTokTest, ReadsReportStringsAsDecimals) {
  auto tiktok = Make();
  const absl::StatusOr<Insights> i = tiktok->ReadInsights(Id(1), {"2026-01-01", "2026-01-07"});
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->spend, (Money{123'450'000, "USD"}));
  EXPECT_EQ(i->impressions, 10000);
  EXPECT_EQ(i->clicks, 250);
  EXPECT_EQ(i->cpm, (Money{12'345'000, "USD"}));  // exact, where TikTok's own is rounded to 12.35
  EXPECT_EQ(i->ctr, Decimal{2'500'000});
  const json query = Requests().back()["query"];
  EXPECT_EQ(query["start_date"], "2026-01-01");
  EXPECT_EQ(json::parse(query["filtering"].get<std::string>())[0]["filter_value"], StrCat("[\"", Id(1), "\"]"));
  Configure({{"add_campaigns", {Campaign(Id(9), "Coma", "ENABLE", {{"2026-01-01", {{"spend", "12,5"}, {"impressions", 1}}}})}}});
  const absl::StatusOr<Insights> bad = tiktok->ReadInsights(Id(9), {"2026-01-01", "2026-01-01"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(Message(bad.status()).find("spend: \"12,5\" is not a decimal"), std::string::npos);
  EXPECT_NE(Message(bad.status()).find(StrCat("campaign ", Id(9))), std::string::npos);
}

TEST_F(TikTokTest, RateLimitIsCode40100WithRetryAfter) {
  Configure({{"limit", {{"calls", 1}, {"http_status", 429}, {"retry_after", 15}}}});
  auto tiktok = Make();
  ASSERT_TRUE(tiktok->ListCampaigns().ok());
  const absl::StatusOr<ads::Campaign> r = tiktok->SetStatus(Id(1), CampaignStatus::kPaused);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.status()), ErrorClass::kRateLimited);
  EXPECT_EQ(ErrorCode(r.status()), "40100");
  EXPECT_EQ(RetryWait(r.status()), std::chrono::seconds(15));
  EXPECT_EQ(Message(r.status()),
            StrCat("TikTok Ads account tiktok (advertiser ", kAdvertiser, "), campaign ", Id(1),
                   ": pausing: TikTok said code 40100: Too many requests. Please retry in some time.; retry in 15 s"));
  // With HTTP 200 and no Retry-After, the envelope code alone decides; the wait is a minute.
  Configure({{"limit", {{"calls", 0}}}});
  const absl::StatusOr<std::vector<ads::Campaign>> list = tiktok->ListCampaigns();
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(ClassOf(list.status()), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryWait(list.status()), std::chrono::seconds(60));
}

TEST_F(TikTokTest, RefusedTokenIsAuthEvenWithHttp200) {
  const absl::StatusOr<std::vector<ads::Campaign>> r = Make("wrong.token")->ListCampaigns();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.status()), ErrorClass::kAuth);
  EXPECT_EQ(ErrorCode(r.status()), "40105");
}

TEST_F(TikTokTest, OutageIsTransient) {
  auto tiktok = Make();
  Configure({{"outage", true}});
  EXPECT_EQ(ClassOf(tiktok->ListCampaigns().status()), ErrorClass::kTransient);
  Configure({{"outage", "503"}});
  EXPECT_EQ(ClassOf(tiktok->ListCampaigns().status()), ErrorClass::kTransient);
}

TEST_F(TikTokTest, DuplicateIsPausedEvenWhenTikTokIgnoresOperationStatusOnCreate) {
  auto tiktok = Make("tiktok.token", ", currency: USD");
  const ads::Campaign source{"120000000000001", "Turnos de noviembre", "meta", CampaignStatus::kPaused, "PAUSED"};
  const absl::StatusOr<ads::Campaign> copy = tiktok->Duplicate(source, Money{150'250'000, "USD"});
  ASSERT_TRUE(copy.ok()) << copy.status();
  const json created = Campaigns()[copy->id];
  EXPECT_EQ(created["status"], "DISABLE");  // the fake started it ENABLE; the adapter paused it
  EXPECT_EQ(created["budget_mode"], "BUDGET_MODE_TOTAL");
  EXPECT_EQ(created["budget"], 150.25);
  EXPECT_EQ(created["name"], "Turnos de noviembre (Faro)");
  // The budget went as the exact decimal text.
  for (const json& r : Requests()) {
    if (r["path"] == "/open_api/v1.3/campaign/create/") {
      EXPECT_EQ(r["body"]["budget"].dump(), "150.25");
    }
  }
  EXPECT_EQ(Updates().size(), 1u);
  EXPECT_EQ(ErrorCode(tiktok->Duplicate(source, Money{150'000'000, "EUR"}).status()), "currency");
  const absl::StatusOr<ads::Campaign> tiny = tiktok->Duplicate(source, Money{10'000'000, "USD"});
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(ClassOf(tiny.status()), ErrorClass::kPermanent);
}

}  // namespace
}  // namespace faro::ads
