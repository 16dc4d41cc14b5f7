#pragma once
// The Meta Marketing API (Facebook and Instagram ads), over the Graph API:
//   list     GET  /{version}/act_{account}/campaigns?fields=id,name,status,effective_status&limit=100
//   status   POST /{version}/{campaign}            form status=PAUSED | ACTIVE
//   insights GET  /{version}/{campaign}/insights?fields=spend,impressions,clicks,cpm,ctr,account_currency
//                 &level=campaign&time_range={"since":…,"until":…}   (every metric is a JSON string)
//   copy     POST /{version}/act_{account}/campaigns  form name, objective, status=PAUSED,
//                 special_ad_categories=[], spend_cap (in the currency's smallest unit)
// The token travels as "Authorization: Bearer", never in a URL. Errors come in the JSON body
// ({"error": {"code", "error_subcode", "message", ...}}), whatever the HTTP status:
//   4, 17, 32, 613, 80000–80014: rate-limited; the wait is the largest
//     estimated_time_to_regain_access (minutes) in the x-business-use-case-usage header, else
//     Retry-After, else 5 minutes (Meta's block time for development-tier apps);
//   190, 102, 10, 200–299: auth; 1, 2 and HTTP 5xx: transient; anything else: permanent.
#include <chrono>
#include <memory>
#include <string>

#include "ads/ad_platform.hpp"
#include "ads/http_call.hpp"

namespace faro::ads {

struct MetaSettings {
  std::string account;     // the faro.yaml id ("meta")
  std::string ad_account;  // digits, without "act_"
  std::string token;
  std::string base_url = "https://graph.facebook.com";
  std::string api_version = "v25.0";
  std::string currency;                       // the account's currency when configured ("USD")
  std::string objective = "OUTCOME_TRAFFIC";  // for copies made by Duplicate
  std::chrono::milliseconds timeout{15000};
};

class MetaMarketing final : public AdPlatform {
 public:
  explicit MetaMarketing(MetaSettings settings);

  std::string_view platform() const override { return "meta"; }
  const std::string& account() const override { return s_.account; }
  absl::StatusOr<std::vector<Campaign>> ListCampaigns() override;
  absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) override;
  absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) override;
  absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& budget_cap) override;

  // Sends `raw` ("PAUSED", "ACTIVE") as the campaign's status. ARCHIVED and DELETED (any case)
  // are refused without a request, as is any value Meta does not define.
  absl::StatusOr<Campaign> SetRawStatus(const std::string& id, const std::string& raw);

 private:
  MetaSettings s_;
};

// A Graph API answer's error as the classified status above; OK when it is not an error. Shared
// with the Facebook Page reader (ads/meta/page_posts.hpp), which speaks to the same Graph API.
absl::Status ClassifyMetaAnswer(const channels::HttpResponse& response, const nlohmann::json& body,
                                const Subject& subject);

// "ACTIVE" -> active, "PAUSED" -> paused, "ARCHIVED"/"DELETED" -> removed, else other.
CampaignStatus MetaStatus(std::string_view raw);

}  // namespace faro::ads
