#include "ads/ads_config.hpp"

#include <set>

#include "ads/google/google_ads.hpp"
#include "ads/meta/meta_marketing.hpp"
#include "ads/tiktok/tiktok_ads.hpp"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

bool AllDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return s.front() != '-' && s.front() != '_';
}

bool IsApiVersion(std::string_view v) {
  if (v.size() < 2 || v.front() != 'v' || v[1] == '.') return false;
  for (char c : v.substr(1))
    if ((c < '0' || c > '9') && c != '.') return false;
  return v.back() != '.';
}

// A token travels in a header: one line of visible characters.
bool IsTokenShaped(std::string_view s) {
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7F) return false;
  return !s.empty();
}

// "123-456-7890" or "1234567890" as ten digits; empty when it is neither.
std::string CustomerId(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != '-') digits.push_back(c);
  return digits.size() == 10 && AllDigits(digits) ? digits : std::string();
}

struct Common {
  std::string id, type, base_url, api_version, currency, objective;
  std::chrono::milliseconds timeout{15000};
};

absl::StatusOr<Common> ReadCommon(const YAML::Node& node, std::string_view path, const YamlReader& r,
                                  std::string_view default_base, std::string_view default_version,
                                  std::string_view default_objective) {
  Common c;
  FARO_ASSIGN_OR_RETURN(c.id, r.String(node, "id", path, true));
  if (!IsId(c.id))
    return r.Error(node["id"], StrCat(path, ".id"),
                   StrCat("expected lower-case letters, digits, '-' and '_' (like \"meta\"), got \"", c.id, "\""));
  FARO_ASSIGN_OR_RETURN(c.type, r.String(node, "type", path, true));
  FARO_ASSIGN_OR_RETURN(c.base_url, r.String(node, "base_url", path, false, std::string(default_base)));
  if (!c.base_url.starts_with("https://") && !c.base_url.starts_with("http://"))
    return r.Error(node["base_url"], StrCat(path, ".base_url"),
                   StrCat("expected an http:// or https:// address, got \"", c.base_url, "\""));
  while (c.base_url.ends_with('/')) c.base_url.pop_back();
  if (!default_version.empty()) {
    FARO_ASSIGN_OR_RETURN(c.api_version, r.String(node, "api_version", path, false, std::string(default_version)));
    if (!IsApiVersion(c.api_version))
      return r.Error(node["api_version"], StrCat(path, ".api_version"),
                     StrCat("expected a version like \"", default_version, "\", got \"", c.api_version, "\""));
  }
  FARO_ASSIGN_OR_RETURN(c.currency, r.String(node, "currency", path, false));
  if (!c.currency.empty() &&
      (c.currency.size() != 3 || c.currency.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos))
    return r.Error(node["currency"], StrCat(path, ".currency"),
                   StrCat("expected a three-letter currency code like \"USD\", got \"", c.currency, "\""));
  if (!default_objective.empty()) {
    FARO_ASSIGN_OR_RETURN(c.objective, r.String(node, "objective", path, false, std::string(default_objective)));
    if (c.objective.empty() || c.objective.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string::npos)
      return r.Error(node["objective"], StrCat(path, ".objective"),
                     StrCat("expected the platform's objective in capitals, like \"", default_objective, "\", got \"",
                            c.objective, "\""));
  }
  FARO_ASSIGN_OR_RETURN(c.timeout, r.Duration(node, "timeout", path, c.timeout));
  if (c.timeout.count() <= 0 || c.timeout > std::chrono::minutes(5))
    return r.Error(node["timeout"], StrCat(path, ".timeout"), "expected a duration above 0 and at most 5m");
  return c;
}

absl::StatusOr<std::string> Token(const YAML::Node& node, std::string_view key, std::string_view path,
                                  const YamlReader& r) {
  FARO_ASSIGN_OR_RETURN(std::string token, r.SecretFile(node, key, path, true));
  if (!IsTokenShaped(token))
    return r.Error(node[std::string(key)], StrCat(path, ".", key),
                   "the secret file must hold one token: one line without spaces");
  return token;
}

absl::Status CheckShape(const YAML::Node& node, std::string_view path, const YamlReader& r, std::string& type) {
  if (!node.IsMap()) return r.Error(node, path, "expected a mapping with id, type and the account's keys");
  FARO_ASSIGN_OR_RETURN(type, r.String(node, "type", path, true));
  static const std::initializer_list<std::string_view> kMeta = {
      "id", "type", "ad_account", "token_file", "base_url", "api_version", "currency", "objective", "timeout"};
  static const std::initializer_list<std::string_view> kGoogle = {
      "id", "type", "customer_id", "token_file", "developer_token_file", "login_customer_id", "base_url",
      "api_version", "currency", "timeout"};
  static const std::initializer_list<std::string_view> kTikTok = {
      "id", "type", "advertiser_id", "token_file", "base_url", "currency", "objective", "timeout"};
  if (type == "meta_marketing") return r.OnlyKeys(node, path, kMeta);
  if (type == "google_ads") return r.OnlyKeys(node, path, kGoogle);
  if (type == "tiktok_ads") return r.OnlyKeys(node, path, kTikTok);
  return r.Error(node["type"], StrCat(path, ".type"),
                 StrCat("unknown ad platform \"", type, "\"; expected one of: meta_marketing, google_ads, tiktok_ads"));
}

absl::StatusOr<Common> ReadCommonFor(const std::string& type, const YAML::Node& node, std::string_view path,
                                     const YamlReader& r) {
  if (type == "meta_marketing") return ReadCommon(node, path, r, "https://graph.facebook.com", "v25.0", "OUTCOME_TRAFFIC");
  if (type == "google_ads") return ReadCommon(node, path, r, "https://googleads.googleapis.com", "v23", "");
  return ReadCommon(node, path, r, "https://business-api.tiktok.com", "", "TRAFFIC");
}

}  // namespace

const std::vector<std::string_view>& AdPlatformTypes() {
  static const std::vector<std::string_view> kTypes = {"meta_marketing", "google_ads", "tiktok_ads"};
  return kTypes;
}

absl::StatusOr<AdAccountInfo> ReadAdAccountInfo(const YAML::Node& node, std::string_view path, const YamlReader& r) {
  std::string type;
  FARO_RETURN_IF_ERROR(CheckShape(node, path, r, type));
  AdAccountInfo info;
  info.type = type;
  FARO_ASSIGN_OR_RETURN(info.id, r.String(node, "id", path, true));
  if (type == "meta_marketing") {
    info.platform = "meta";
    FARO_ASSIGN_OR_RETURN(const std::string account, r.String(node, "ad_account", path, true));
    const std::string digits = account.starts_with("act_") ? account.substr(4) : account;
    if (!AllDigits(digits))
      return r.Error(node["ad_account"], StrCat(path, ".ad_account"),
                     StrCat("expected act_ and digits (\"act_1234567890\"), got \"", account, "\""));
    info.remote = StrCat("act_", digits);
  } else if (type == "google_ads") {
    info.platform = "google";
    FARO_ASSIGN_OR_RETURN(const std::string customer, r.String(node, "customer_id", path, true));
    info.remote = CustomerId(customer);
    if (info.remote.empty())
      return r.Error(node["customer_id"], StrCat(path, ".customer_id"),
                     StrCat("expected ten digits, with or without dashes (\"123-456-7890\"), got \"", customer, "\""));
    FARO_ASSIGN_OR_RETURN(const std::string login, r.String(node, "login_customer_id", path, false));
    if (!login.empty() && CustomerId(login).empty())
      return r.Error(node["login_customer_id"], StrCat(path, ".login_customer_id"),
                     StrCat("expected the manager account's ten digits (\"111-222-3333\"), got \"", login, "\""));
    if (!node["developer_token_file"])
      return r.Error(node, StrCat(path, ".developer_token_file"),
                     "missing; Google Ads needs the developer token of your manager account");
  } else {
    info.platform = "tiktok";
    FARO_ASSIGN_OR_RETURN(info.remote, r.String(node, "advertiser_id", path, true));
    if (!AllDigits(info.remote))
      return r.Error(node["advertiser_id"], StrCat(path, ".advertiser_id"),
                     StrCat("expected the advertiser's digits, got \"", info.remote, "\""));
  }
  if (!node["token_file"]) return r.Error(node, StrCat(path, ".token_file"), "missing; it is required");
  FARO_RETURN_IF_ERROR(ReadCommonFor(type, node, path, r).status());
  return info;
}

absl::StatusOr<std::unique_ptr<AdPlatform>> CreateAdPlatform(const YAML::Node& node, std::string_view path,
                                                             const YamlReader& r) {
  FARO_ASSIGN_OR_RETURN(const AdAccountInfo info, ReadAdAccountInfo(node, path, r));
  if (info.type == "meta_marketing") {
    FARO_ASSIGN_OR_RETURN(const Common c, ReadCommonFor(info.type, node, path, r));
    MetaSettings s;
    s.account = c.id;
    s.ad_account = info.remote.substr(4);
    FARO_ASSIGN_OR_RETURN(s.token, Token(node, "token_file", path, r));
    s.base_url = c.base_url;
    s.api_version = c.api_version;
    s.currency = c.currency;
    s.objective = c.objective;
    s.timeout = c.timeout;
    return std::make_unique<MetaMarketing>(std::move(s));
  }
  if (info.type == "google_ads") {
    FARO_ASSIGN_OR_RETURN(const Common c, ReadCommonFor(info.type, node, path, r));
    GoogleSettings s;
    s.account = c.id;
    s.customer_id = info.remote;
    FARO_ASSIGN_OR_RETURN(s.token, Token(node, "token_file", path, r));
    FARO_ASSIGN_OR_RETURN(s.developer_token, Token(node, "developer_token_file", path, r));
    FARO_ASSIGN_OR_RETURN(const std::string login, r.String(node, "login_customer_id", path, false));
    s.login_customer_id = CustomerId(login);
    s.base_url = c.base_url;
    s.api_version = c.api_version;
    s.currency = c.currency;
    s.timeout = c.timeout;
    return std::make_unique<GoogleAds>(std::move(s));
  }
  FARO_ASSIGN_OR_RETURN(const Common c, ReadCommonFor(info.type, node, path, r));
  TikTokSettings s;
  s.account = c.id;
  s.advertiser_id = info.remote;
  FARO_ASSIGN_OR_RETURN(s.token, Token(node, "token_file", path, r));
  s.base_url = c.base_url;
  s.currency = c.currency;
  s.objective = c.objective;
  s.timeout = c.timeout;
  return std::make_unique<TikTokAds>(std::move(s));
}

absl::StatusOr<std::vector<std::unique_ptr<AdPlatform>>> CreateAdPlatforms(const YAML::Node& list,
                                                                           const YamlReader& r) {
  if (!list.IsSequence()) return r.Error(list, "ads", "expected a list of ad accounts (- { id: …, type: … })");
  std::vector<std::unique_ptr<AdPlatform>> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = StrCat("ads[", i, "]");
    FARO_ASSIGN_OR_RETURN(std::unique_ptr<AdPlatform> platform, CreateAdPlatform(list[i], path, r));
    if (!ids.insert(platform->account()).second)
      return r.Error(list[i]["id"], StrCat(path, ".id"), StrCat("\"", platform->account(), "\" is used by another ad account"));
    out.push_back(std::move(platform));
  }
  return out;
}

}  // namespace faro::ads
