#pragma once
// Ad accounts from faro.yaml's `ads:` list, each validated with file:line:column and key:
//
//   ads:
//     - { id: meta, type: meta_marketing, ad_account: act_1234567890, token_file: meta.token }
//     - { id: google, type: google_ads, customer_id: 123-456-7890, token_file: google.token,
//         developer_token_file: google-dev.token, login_customer_id: 111-222-3333 }
//     - { id: tiktok, type: tiktok_ads, advertiser_id: "7000000000000000000", token_file: tiktok.token }
//
// Every type also takes base_url (http:// or https://; tests point it at a local fake),
// api_version (meta v25.0, google v23), currency (the account's, "USD": budget caps must be in
// it), timeout (default 15s, at most 5m); meta and tiktok take `objective` for copies Faro makes.
// Secrets live in files (relative to the configuration's folder) and never in messages.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ads/ad_platform.hpp"
#include "config/yaml_reader.hpp"

namespace faro::ads {

// What an entry says without reading its secrets: enough for drills (which use dry-run
// accounts) and for checking that a plan's accounts exist.
struct AdAccountInfo {
  std::string id;        // "meta"
  std::string type;      // "meta_marketing"
  std::string platform;  // "meta" "google" "tiktok"
  std::string remote;    // "act_1234567890", "1234567890", the advertiser id
};

// The known types: meta_marketing, google_ads, tiktok_ads.
const std::vector<std::string_view>& AdPlatformTypes();

// Validates one entry (a mapping at `path`, such as "ads[0]") apart from its secret files.
absl::StatusOr<AdAccountInfo> ReadAdAccountInfo(const YAML::Node& node, std::string_view path, const YamlReader& reader);

// Validates one entry and creates its adapter, reading its secret files.
absl::StatusOr<std::unique_ptr<AdPlatform>> CreateAdPlatform(const YAML::Node& node, std::string_view path,
                                                             const YamlReader& reader);

// Every entry of the `ads:` list (a sequence); ids must be unique.
absl::StatusOr<std::vector<std::unique_ptr<AdPlatform>>> CreateAdPlatforms(const YAML::Node& list,
                                                                           const YamlReader& reader);

}  // namespace faro::ads
