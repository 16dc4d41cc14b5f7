#include "ads/dry_run.hpp"

#include <gtest/gtest.h>

namespace faro::ads {
namespace {

TEST(DryRunTest, PausesAndResumesButNeverRemoves) {
  DryRunPlatform account("meta", "meta");
  account.AddCampaign("1", "Turnos de noviembre", CampaignStatus::kActive);
  ASSERT_TRUE(account.SetStatus("1", CampaignStatus::kPaused).ok());
  EXPECT_EQ(account.campaigns()[0].status, CampaignStatus::kPaused);
  const absl::StatusOr<Campaign> removed = account.SetStatus("1", CampaignStatus::kRemoved);
  EXPECT_FALSE(removed.ok());
  EXPECT_EQ(ErrorCode(removed.status()), "irreversible");
  EXPECT_EQ(account.campaigns()[0].status, CampaignStatus::kPaused);
  ASSERT_TRUE(account.SetStatus("1", CampaignStatus::kActive).ok());
  EXPECT_EQ(account.campaigns()[0].status, CampaignStatus::kActive);
  EXPECT_EQ(account.campaigns()[0].platform, "meta");
}

TEST(DryRunTest, RemovedIsTerminalAndUnknownIsPermanent) {
  DryRunPlatform account("meta");
  account.AddCampaign("1", "Old", CampaignStatus::kActive);
  account.PersonSets("1", CampaignStatus::kRemoved);
  const absl::StatusOr<Campaign> r = account.SetStatus("1", CampaignStatus::kActive);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.status()), ErrorClass::kPermanent);
  EXPECT_EQ(ErrorCode(r.status()), "removed");
  EXPECT_EQ(ErrorCode(account.SetStatus("9", CampaignStatus::kPaused).status()), "not-found");
}

TEST(DryRunTest, InsightsSumTheDaysInTheRange) {
  DryRunPlatform account("meta", "meta", "USD");
  account.AddCampaign("1", "A", CampaignStatus::kActive);
  account.SetDay("1", "2026-01-01", Money{10'000'000, "USD"}, 1000, 10);
  account.SetDay("1", "2026-01-02", Money{20'500'000, "USD"}, 3000, 20);
  account.SetDay("1", "2026-01-03", Money{99'000'000, "USD"}, 9000, 90);
  const absl::StatusOr<Insights> i = account.ReadInsights("1", {"2026-01-01", "2026-01-02"});
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->spend, (Money{30'500'000, "USD"}));
  EXPECT_EQ(i->impressions, 4000);
  EXPECT_EQ(i->clicks, 30);
  EXPECT_EQ(i->cpm, (Money{7'625'000, "USD"}));  // 30.50 / 4000 * 1000
  EXPECT_EQ(i->ctr.micros, 750'000);             // 0.75 %
  EXPECT_FALSE(account.ReadInsights("1", {"2026-01-03", "2026-01-01"}).ok());
}

TEST(DryRunTest, DuplicatesPausedWithDeterministicIdsAndRecordsEveryCall) {
  DryRunPlatform google("google", "google", "USD");
  const Campaign source{"120", "Turnos de noviembre", "meta", CampaignStatus::kPaused, "PAUSED"};
  const absl::StatusOr<Campaign> copy = google.Duplicate(source, Money{150'000'000, "USD"});
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->id, "dry-google-1");
  EXPECT_EQ(copy->name, "Turnos de noviembre (Faro)");
  EXPECT_EQ(copy->status, CampaignStatus::kPaused);
  EXPECT_FALSE(google.Duplicate(source, Money{150'000'000, "EUR"}).ok());
  ASSERT_EQ(google.calls().size(), 2u);
  EXPECT_EQ(google.calls()[0].what, "duplicate");
  EXPECT_EQ(google.calls()[0].detail, "copy of meta 120, cap 150.00 USD");
  EXPECT_TRUE(google.calls()[0].ok);
  EXPECT_FALSE(google.calls()[1].ok);
}

TEST(DryRunTest, ScriptedFailuresComeInOrder) {
  DryRunPlatform account("meta");
  account.AddCampaign("1", "A", CampaignStatus::kActive);
  account.FailNext(AdError(ErrorClass::kRateLimited, "slow down", "17", std::chrono::minutes(2)));
  const absl::StatusOr<std::vector<Campaign>> first = account.ListCampaigns();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(RetryWait(first.status()), std::chrono::minutes(2));
  EXPECT_TRUE(account.ListCampaigns().ok());
}

}  // namespace
}  // namespace faro::ads
