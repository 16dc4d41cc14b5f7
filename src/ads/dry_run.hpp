#pragma once
// An ad account that lives in memory, for drills and tests: the same rules as the real
// platforms (pause and resume only; a removed campaign cannot change; nothing is deleted), daily
// figures to read insights from, scripted failures, and a log of every call. Deterministic:
// the same calls give the same answers and the same new ids.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ads/ad_platform.hpp"

namespace faro::ads {

class DryRunPlatform final : public AdPlatform {
 public:
  // `platform` is the name it reports ("meta" to stand in for a Meta account in a drill).
  DryRunPlatform(std::string account, std::string platform = "dry-run", std::string currency = "USD");

  // Set-up, as the drill's scenario describes the account (these are not logged as calls).
  void AddCampaign(const std::string& id, const std::string& name, CampaignStatus status);
  // Figures of one day ("2026-01-01") for a campaign; ReadInsights sums the days in its range.
  void SetDay(const std::string& id, const std::string& date, const Money& spend, int64_t impressions, int64_t clicks);
  // A person changes a campaign in the platform's own manager (any status, removed included).
  void PersonSets(const std::string& id, CampaignStatus status);
  // The next call fails with `status` (each call takes one, in order).
  void FailNext(absl::Status status);

  struct Call {
    std::string what;  // "list", "set-status", "insights", "duplicate"
    std::string id;    // the campaign, when the call is about one
    std::string detail;  // "paused", "active", "2026-01-01..2026-01-07", "cap 150.00 USD"
    bool ok = true;
  };
  std::vector<Call> calls() const;
  std::vector<Campaign> campaigns() const;  // as they are now

  std::string_view platform() const override { return platform_; }
  const std::string& account() const override { return account_; }
  absl::StatusOr<std::vector<Campaign>> ListCampaigns() override;
  absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) override;
  absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) override;
  absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& budget_cap) override;

 private:
  struct Day {
    Money spend;
    int64_t impressions = 0, clicks = 0;
  };
  absl::Status TakeFailure(const std::string& what, const std::string& id, const std::string& detail);
  Campaign* Find(const std::string& id);

  std::string account_, platform_, currency_;
  mutable std::mutex mu_;
  std::vector<Campaign> campaigns_;
  std::map<std::string, std::map<std::string, Day>> days_;  // campaign -> date -> figures
  std::vector<absl::Status> failures_;
  std::vector<Call> calls_;
  int next_copy_ = 1;
};

}  // namespace faro::ads
