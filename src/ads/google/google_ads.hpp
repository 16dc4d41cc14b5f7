#pragma once
// The Google Ads API over REST (JSON; int64 values such as cost_micros travel as strings):
//   list     POST /{version}/customers/{cid}/googleAds:search   {"query": GAQL, "pageToken"?}
//            SELECT campaign.id, campaign.name, campaign.status FROM campaign ORDER BY campaign.id
//   status   POST /{version}/customers/{cid}/campaigns:mutate
//            {"operations": [{"update": {"resourceName": "customers/{cid}/campaigns/{id}",
//             "status": "PAUSED"}, "updateMask": "status"}], "partialFailure": …}
//            One id: an atomic request. Several: one request with partialFailure, so one removed
//            campaign does not stop the others; each failure is matched to its operation index.
//   insights googleAds:search  SELECT campaign.id, metrics.cost_micros, metrics.impressions,
//            metrics.clicks, customer.currency_code FROM campaign WHERE campaign.id = {id} AND
//            segments.date BETWEEN '{since}' AND '{until}'   (CPM and CTR computed exactly)
//   copy     campaignBudgets:mutate (a total budget: totalAmountMicros, CUSTOM_PERIOD), then
//            campaigns:mutate create (status PAUSED, that budget, manual CPC, SEARCH)
// Headers: "Authorization: Bearer {token}", "developer-token", and "login-customer-id" when
// the account is reached through a manager account. REMOVED is never sent.
// Errors ({"error": {"code", "status", "details": [{GoogleAdsFailure "errors": [{"errorCode":
// {"<family>": "<VALUE>"}, "message", "details": {"quotaErrorDetails": {"retryDelay"}}}]}]}}):
//   quotaError or HTTP 429 / RESOURCE_EXHAUSTED: rate-limited, wait = retryDelay, else
//   Retry-After, else 5 minutes; authenticationError / authorizationError or HTTP 401/403:
//   auth; internalError or HTTP 5xx: transient; anything else: permanent.
#include <chrono>
#include <string>

#include "ads/ad_platform.hpp"

namespace faro::ads {

struct GoogleSettings {
  std::string account;      // the faro.yaml id ("google")
  std::string customer_id;  // ten digits, no dashes
  std::string token;        // OAuth 2.0 access token
  std::string developer_token;
  std::string login_customer_id;  // the manager account's ten digits, or empty
  std::string base_url = "https://googleads.googleapis.com";
  std::string api_version = "v23";
  std::string currency;  // the account's currency when configured ("USD")
  std::chrono::milliseconds timeout{15000};
};

class GoogleAds final : public AdPlatform {
 public:
  explicit GoogleAds(GoogleSettings settings);

  std::string_view platform() const override { return "google"; }
  const std::string& account() const override { return s_.account; }
  absl::StatusOr<std::vector<Campaign>> ListCampaigns() override;
  absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) override;
  std::vector<StatusChange> SetStatuses(const std::vector<std::string>& ids, CampaignStatus status) override;
  absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) override;
  absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& budget_cap) override;

  // Sends `raw` ("PAUSED", "ENABLED") as the campaigns' status in one mutate; REMOVED (any
  // case) and values Google does not define are refused without a request.
  std::vector<StatusChange> SetRawStatuses(const std::vector<std::string>& ids, const std::string& raw);

 private:
  GoogleSettings s_;
};

// "ENABLED" -> active, "PAUSED" -> paused, "REMOVED" -> removed, else other.
CampaignStatus GoogleStatus(std::string_view raw);

}  // namespace faro::ads
