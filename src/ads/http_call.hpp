#pragma once
// What the HTTP ad adapters share: the last check before a request leaves (nothing that archives
// or deletes ever does), transport failures as transient errors, the wording of error messages,
// and small readers for the platforms' JSON.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ads/ad_platform.hpp"
#include "channels/http_client.hpp"

namespace faro::ads {

// Values that archive or delete a campaign on some platform: Meta ARCHIVED and DELETED, Google
// REMOVED, TikTok DELETE.
bool IsIrreversibleStatus(std::string_view raw);

// OK unless `request` would archive or delete something: the DELETE method, a status-like field
// ("status", "configured_status", "operation_status", "opt_status") holding an irreversible value
// in the URL's query, a form body or anywhere in a JSON body, or a Google "remove" operation.
absl::Status CheckReversible(const channels::HttpRequest& request);

// Who and what a request is about, to begin every error message with it:
// "Meta Marketing account meta (act_123), campaign 120001: pausing".
// Owns its text: it is often built from temporaries.
struct Subject {
  std::string platform;  // "Meta Marketing", "Google Ads", "TikTok Ads"
  std::string account;   // the faro.yaml id
  std::string remote;    // the platform's account id ("act_123", "customer 1234567890")
  std::string campaign;  // empty when the request is about the account
  std::string doing;     // "pausing", "listing campaigns", "reading insights"
  std::string Text() const;
};

// Performs `request` after CheckReversible (refused: permanent, code "irreversible", and no
// request is sent). A transport failure is transient and says which platform and what failed.
absl::StatusOr<channels::HttpResponse> Perform(const channels::HttpRequest& request, const Subject& subject);

// The JSON body of an answer, or a transient error when it is not JSON (a proxy's HTML page).
absl::StatusOr<nlohmann::json> JsonBody(const channels::HttpResponse& response, const Subject& subject);

// A member that may come as a JSON string or number ("123" or 123): its text; nullopt when absent
// or of another type.
std::optional<std::string> TextOf(const nlohmann::json& object, std::string_view key);

// "19 min", "30 s", "1 h 5 min": a wait as people read it.
std::string WaitText(std::chrono::milliseconds wait);

// `url` + "?" + FormEncode(fields).
std::string WithQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace faro::ads
