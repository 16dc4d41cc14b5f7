#pragma once
// The TikTok Marketing API v1.3 (header "Access-Token", JSON; every answer is an envelope
// {"code", "message", "request_id", "data"} with code 0 meaning success, whatever the HTTP status):
//   list     GET  /open_api/v1.3/campaign/get/?advertiser_id=…&page=N&page_size=1000
//                 &fields=["campaign_id","campaign_name","operation_status","secondary_status"]
//   status   POST /open_api/v1.3/campaign/status/update/
//                 {"advertiser_id", "campaign_ids": [1 to 20 ids], "operation_status": "DISABLE"|"ENABLE"}
//                 (longer lists go in batches of 20; DELETE is never sent)
//   insights GET  /open_api/v1.3/report/integrated/get/?report_type=BASIC&data_level=AUCTION_CAMPAIGN
//                 &dimensions=["campaign_id"]&metrics=["spend","impressions","clicks","cpm","ctr","currency"]
//                 &start_date&end_date&filtering=[campaign_ids IN [id]]   (metrics are strings)
//   copy     POST /open_api/v1.3/campaign/create/ {"advertiser_id", "campaign_name", "objective_type",
//                 "budget_mode": "BUDGET_MODE_TOTAL", "budget": the cap, "operation_status": "DISABLE"},
//                 then status/update DISABLE: TikTok ignores operation_status on create unless the
//                 account is allow-listed, so the copy is paused explicitly.
// Envelope codes: 40100 rate-limited (wait: Retry-After, else 60 s); 40001, 40002 (no
// permission), 40100-range token errors 40102, 40104, 40105 and HTTP 401/403: auth; 50000 and up
// and HTTP 5xx: transient; anything else: permanent.
#include <chrono>
#include <string>

#include "ads/ad_platform.hpp"

namespace faro::ads {

struct TikTokSettings {
  std::string account;        // the faro.yaml id ("tiktok")
  std::string advertiser_id;  // digits
  std::string token;
  std::string base_url = "https://business-api.tiktok.com";
  std::string currency;             // the account's currency when configured ("USD")
  std::string objective = "TRAFFIC";  // objective_type of copies made by Duplicate
  std::chrono::milliseconds timeout{15000};
};

class TikTokAds final : public AdPlatform {
 public:
  static constexpr size_t kMaxIdsPerCall = 20;

  explicit TikTokAds(TikTokSettings settings);

  std::string_view platform() const override { return "tiktok"; }
  const std::string& account() const override { return s_.account; }
  absl::StatusOr<std::vector<Campaign>> ListCampaigns() override;
  absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) override;
  std::vector<StatusChange> SetStatuses(const std::vector<std::string>& ids, CampaignStatus status) override;
  absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) override;
  absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& budget_cap) override;

  // Sends `raw` ("DISABLE", "ENABLE") as operation_status, 20 ids a call; DELETE (any case) and
  // other values are refused without a request.
  std::vector<StatusChange> SetRawStatuses(const std::vector<std::string>& ids, const std::string& raw);

 private:
  TikTokSettings s_;
};

// secondary_status CAMPAIGN_STATUS_DELETE -> removed; else operation_status ENABLE -> active,
// DISABLE -> paused; anything else -> other.
CampaignStatus TikTokStatus(std::string_view operation_status, std::string_view secondary_status);

}  // namespace faro::ads
