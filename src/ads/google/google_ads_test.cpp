// Contract tests: the Google Ads adapter against the local fake (tests/fakes/google_ads_fake.py).
#include "ads/google/google_ads.hpp"

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

constexpr char kToken[] = "ya29.google-test-token";
constexpr char kDeveloperToken[] = "DEV-google-test-token";

const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder("faro-google-ads-test", {{"google.token", StrCat(kToken, "\n")},
                                                                     {"dev.token", StrCat(kDeveloperToken, "\n")},
                                                                     {"wrong.token", "ya29.wrong\n"},
                                                                     {"wrong-dev.token", "DEV-wrong\n"}});
  return folder;
}

json Campaign(const std::string& id, const std::string& name, const std::string& status, json daily = json::object()) {
  return {{"id", id}, {"name", name}, {"status", status}, {"daily", daily}};
}

class GoogleTest : public ::testing::Test {
 protected:
  GoogleTest() {
    Configure({{"campaigns",
                {Campaign("456", "Turnos de noviembre", "ENABLED",
                          {{"2026-01-01", {{"cost_micros", 100'000'000}, {"impressions", 6000}, {"clicks", 150}}},
                           {"2026-01-02", {{"cost_micros", 23'450'000}, {"impressions", 4000}, {"clicks", 100}}},
                           {"2026-01-09", {{"cost_micros", 999'000'000}, {"impressions", 1}, {"clicks", 1}}}}),
                 Campaign("457", "Verano", "PAUSED"), Campaign("458", "Viejo", "REMOVED"),
                 Campaign("459", "Black Friday", "ENABLED")}}});
  }

  std::unique_ptr<AdPlatform> Make(const std::string& extra = "", const std::string& token = "google.token",
                                   const std::string& dev = "dev.token") {
    const YAML::Node node = YAML::Load(StrCat("{ id: google, type: google_ads, customer_id: 123-456-7890, token_file: ",
                                              token, ", developer_token_file: ", dev, ", base_url: \"",
                                              fake_.base_url(), "\"", extra, " }"));
    const YamlReader reader("faro.yaml", Folder().path());
    absl::StatusOr<std::unique_ptr<AdPlatform>> made = CreateAdPlatform(node, "ads[0]", reader);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? std::move(made).value() : nullptr;
  }
  GoogleAds& AsGoogle(AdPlatform& p) { return dynamic_cast<GoogleAds&>(p); }
  json Campaigns() const { return json::parse(fake_.Get("/_fake/campaigns")); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }
  // Sends `body` to campaigns:mutate as a client would, bypassing the adapter.
  channels::HttpResponse RawMutate(const json& body) {
    channels::HttpRequest r;
    r.url = fake_.base_url() + "/v23/customers/1234567890/campaigns:mutate";
    r.headers = {"Content-Type: application/json", StrCat("Authorization: Bearer ", kToken),
                 StrCat("developer-token: ", kDeveloperToken)};
    r.body = body.dump();
    return *channels::PerformHttp(r);
  }

  testing::FakeServer fake_{"google_ads_fake.py", {"--token", kToken, "--developer-token", kDeveloperToken}};
};

TEST_F(GoogleTest, ListsCampaignsWithGaqlAndFollowsPages) {
  Configure({{"page_size", 3}});
  auto google = Make();
  const absl::StatusOr<std::vector<ads::Campaign>> list = google->ListCampaigns();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].id, "456");
  EXPECT_EQ((*list)[0].name, "Turnos de noviembre");
  EXPECT_EQ((*list)[0].status, CampaignStatus::kActive);
  EXPECT_EQ((*list)[0].raw_status, "ENABLED");
  EXPECT_EQ((*list)[1].status, CampaignStatus::kPaused);
  EXPECT_EQ((*list)[2].status, CampaignStatus::kRemoved);
  const json requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0]["path"], "/v23/customers/1234567890/googleAds:search");
  EXPECT_EQ(requests[1]["body"]["pageToken"], "page-3");
  EXPECT_EQ(requests[0]["headers"]["developer-token"], kDeveloperToken);
  EXPECT_FALSE(requests[0]["headers"].contains("login-customer-id"));
}

TEST_F(GoogleTest, PausesWithAnUpdateMaskAndResumes) {
  auto google = Make();
  const absl::StatusOr<ads::Campaign> paused = google->SetStatus("456", CampaignStatus::kPaused);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->raw_status, "PAUSED");
  EXPECT_EQ(Campaigns()["456"]["status"], "PAUSED");
  const json body = Requests().back()["body"];
  EXPECT_EQ(body, json::parse(R"({"operations":[{"update":{"resourceName":"customers/1234567890/campaigns/456",
                                 "status":"PAUSED"},"updateMask":"status"}],"partialFailure":false})"));
  ASSERT_TRUE(google->SetStatus("456", CampaignStatus::kActive).ok());
  EXPECT_EQ(Campaigns()["456"]["status"], "ENABLED");
}

TEST_F(GoogleTest, FakeRejectsAnUpdateWithoutUpdateMask) {
  // The contract the adapter relies on: without updateMask nothing changes. An adapter that
  // forgot it would see this error in PausesWithAnUpdateMaskAndResumes.
  const channels::HttpResponse r = RawMutate(
      {{"operations", {{{"update", {{"resourceName", "customers/1234567890/campaigns/456"}, {"status", "PAUSED"}}}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("FIELD_MASK_MISSING"), std::string::npos);
  EXPECT_EQ(Campaigns()["456"]["status"], "ENABLED");
}

TEST_F(GoogleTest, BatchUsesPartialFailureSoOneRemovedCampaignDoesNotStopTheOthers) {
  auto google = Make();
  const std::vector<StatusChange> changes = google->SetStatuses({"456", "458", "459"}, CampaignStatus::kPaused);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(changes[0].result.ok()) << changes[0].result;
  EXPECT_FALSE(changes[1].result.ok());
  EXPECT_EQ(ClassOf(changes[1].result), ErrorClass::kPermanent);
  EXPECT_EQ(ErrorCode(changes[1].result), "OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE");
  EXPECT_EQ(Message(changes[1].result),
            "Google Ads account google (customer 1234567890), campaign 458: pausing: Google said "
            "operationAccessDeniedError OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE: Mutate operation is not "
            "permitted for removed resources.");
  EXPECT_TRUE(changes[2].result.ok()) << changes[2].result;
  const json now = Campaigns();
  EXPECT_EQ(now["456"]["status"], "PAUSED");
  EXPECT_EQ(now["458"]["status"], "REMOVED");
  EXPECT_EQ(now["459"]["status"], "PAUSED");
  EXPECT_EQ(Requests().size(), 1u);  // one request for the three
  EXPECT_EQ(Requests()[0]["body"]["partialFailure"], true);
}

TEST_F(GoogleTest, AtomicRequestFailsWhollyWithoutPartialFailure) {
  const channels::HttpResponse r = RawMutate(
      {{"operations",
        {{{"update", {{"resourceName", "customers/1234567890/campaigns/456"}, {"status", "PAUSED"}}}, {"updateMask", "status"}},
         {{"update", {{"resourceName", "customers/1234567890/campaigns/458"}, {"status", "PAUSED"}}}, {"updateMask", "status"}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Campaigns()["456"]["status"], "ENABLED");  // nothing applied
}

TEST_F(GoogleTest, NeverSendsRemoved) {
  auto google = Make();
  for (const char* raw : {"REMOVED", "removed"}) {
    const std::vector<StatusChange> r = AsGoogle(*google).SetRawStatuses({"456"}, raw);
    EXPECT_EQ(ErrorCode(r[0].result), "irreversible") << raw;
  }
  EXPECT_EQ(ErrorCode(AsGoogle(*google).SetRawStatuses({"456"}, "UNKNOWN")[0].result), "bad-status");
  EXPECT_EQ(ErrorCode(google->SetStatus("456", CampaignStatus::kRemoved).status()), "irreversible");
  EXPECT_TRUE(Requests().empty());
  EXPECT_EQ(Campaigns()["456"]["status"], "ENABLED");
}

TEST_F(GoogleTest, ReadsCostMicrosAndComputesCpmAndCtrExactly) {
  auto google = Make();
  const absl::StatusOr<Insights> i = google->ReadInsights("456", {"2026-01-01", "2026-01-07"});
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->spend, (Money{123'450'000, "USD"}));
  EXPECT_EQ(i->impressions, 10000);
  EXPECT_EQ(i->clicks, 250);
  EXPECT_EQ(i->cpm, (Money{12'345'000, "USD"}));
  EXPECT_EQ(i->ctr, Decimal{2'500'000});
  EXPECT_NE(Requests().back()["body"]["query"].get<std::string>().find(
                "segments.date BETWEEN '2026-01-01' AND '2026-01-07'"),
            std::string::npos);
  // No figures in the range: zeros (after checking the campaign exists).
  const absl::StatusOr<Insights> none = google->ReadInsights("457", {"2026-01-01", "2026-01-07"});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->spend.micros, 0);
  EXPECT_EQ(none->ctr.micros, 0);
  const absl::StatusOr<Insights> missing = google->ReadInsights("999", {"2026-01-01", "2026-01-07"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ErrorCode(missing.status()), "not-found");
}

TEST_F(GoogleTest, QuotaErrorsAreRateLimitedWithTheRetryDelay) {
  Configure({{"quota", {{"requests", 1}, {"retry_seconds", 42}}}});
  auto google = Make();
  ASSERT_TRUE(google->ListCampaigns().ok());
  const absl::StatusOr<ads::Campaign> r = google->SetStatus("456", CampaignStatus::kPaused);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.status()), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryWait(r.status()), std::chrono::seconds(42));
  EXPECT_EQ(ErrorCode(r.status()), "RESOURCE_TEMPORARILY_EXHAUSTED");
  EXPECT_NE(Message(r.status()).find("campaign 456: pausing: Google said quotaError RESOURCE_TEMPORARILY_EXHAUSTED"),
            std::string::npos);
  EXPECT_NE(Message(r.status()).find("retry in 42 s"), std::string::npos);
  // The batch path reports the wait for each campaign.
  const std::vector<StatusChange> batch = google->SetStatuses({"456", "459"}, CampaignStatus::kPaused);
  EXPECT_EQ(RetryWait(batch[1].result), std::chrono::seconds(42));
  EXPECT_NE(Message(batch[1].result).find("campaign 459"), std::string::npos);
}

TEST_F(GoogleTest, AuthErrors) {
  const absl::StatusOr<std::vector<ads::Campaign>> token = Make("", "wrong.token")->ListCampaigns();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(ClassOf(token.status()), ErrorClass::kAuth);
  EXPECT_EQ(ErrorCode(token.status()), "OAUTH_TOKEN_INVALID");
  const absl::StatusOr<std::vector<ads::Campaign>> dev = Make("", "google.token", "wrong-dev.token")->ListCampaigns();
  ASSERT_FALSE(dev.ok());
  EXPECT_EQ(ClassOf(dev.status()), ErrorClass::kAuth);
  EXPECT_EQ(ErrorCode(dev.status()), "DEVELOPER_TOKEN_INVALID");
  EXPECT_EQ(Message(dev.status()).find("DEV-wrong"), std::string::npos);
  // Through a manager account: login-customer-id must be sent.
  Configure({{"login_customer_id", "1112223333"}});
  const absl::StatusOr<std::vector<ads::Campaign>> no_login = Make()->ListCampaigns();
  ASSERT_FALSE(no_login.ok());
  EXPECT_EQ(ErrorCode(no_login.status()), "USER_PERMISSION_DENIED");
  EXPECT_EQ(ClassOf(no_login.status()), ErrorClass::kAuth);
  EXPECT_TRUE(Make(", login_customer_id: 111-222-3333")->ListCampaigns().ok());
  EXPECT_EQ(Requests().back()["headers"]["login-customer-id"], "1112223333");
}

TEST_F(GoogleTest, OutagesAreTransient) {
  auto google = Make();
  for (const char* outage : {"503", "500"}) {
    Configure({{"outage", outage}});
    const absl::StatusOr<std::vector<ads::Campaign>> r = google->ListCampaigns();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(ClassOf(r.status()), ErrorClass::kTransient) << outage;
  }
}

TEST_F(GoogleTest, DuplicatesPausedWithATotalBudget) {
  auto google = Make(", currency: USD");
  const ads::Campaign source{"120000000000001", "Turnos de noviembre", "meta", CampaignStatus::kPaused, "PAUSED"};
  const absl::StatusOr<ads::Campaign> copy = google->Duplicate(source, Money{150'000'000, "USD"});
  ASSERT_TRUE(copy.ok()) << copy.status();
  const json created = Campaigns()[copy->id];
  EXPECT_EQ(created["status"], "PAUSED");
  EXPECT_EQ(created["name"], "Turnos de noviembre (Faro)");
  const json budgets = json::parse(fake_.Get("/_fake/budgets"));
  const json budget = budgets[created["budget"].get<std::string>()];
  EXPECT_EQ(budget["total_amount_micros"], 150'000'000);
  EXPECT_EQ(budget["period"], "CUSTOM_PERIOD");
  EXPECT_EQ(ErrorCode(google->Duplicate(source, Money{150'000'000, "EUR"}).status()), "currency");
  EXPECT_EQ(ErrorCode(google->Duplicate(source, Money{150'005'000, "USD"}).status()), "bad-cap");
}

TEST_F(GoogleTest, GuardResumesOnlyWhatItPausedAndReportsAPersonsChange) {
  auto google = Make();
  GuardRecord record;
  const TimePoint t0 = FromUnixMillis(1633362300000);
  const GuardOutcome paused = PauseAll(record, {{google.get(), {}}}, t0);
  EXPECT_EQ(paused.paused, 2);
  EXPECT_EQ(paused.already_paused, 1);
  // Someone resumes "Black Friday" by hand in Google Ads meanwhile.
  ASSERT_TRUE(google->SetStatus("459", CampaignStatus::kActive).ok());
  const GuardOutcome resumed = ResumeWhatWePaused(record, {google.get()}, t0 + std::chrono::hours(6));
  EXPECT_EQ(resumed.resumed, 1);
  EXPECT_EQ(resumed.changed_by_person, 1);
  const json now = Campaigns();
  EXPECT_EQ(now["456"]["status"], "ENABLED");
  EXPECT_EQ(now["457"]["status"], "PAUSED");
  EXPECT_EQ(now["458"]["status"], "REMOVED");
}

}  // namespace
}  // namespace faro::ads
