#include "ads/ads_config.hpp"

#include <gtest/gtest.h>

#include "ads/google/google_ads.hpp"
#include "channel_fixture.hpp"

namespace faro::ads {
namespace {

const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder("faro-ads-config-test", {{"meta.token", "EAAB-token\n"},
                                                                    {"google.token", "ya29.token\n"},
                                                                    {"dev.token", "DEV-token-22-characters\n"},
                                                                    {"tiktok.token", "tt-token\n"},
                                                                    {"spaces.token", "two words\n"}});
  return folder;
}

absl::StatusOr<std::vector<std::unique_ptr<AdPlatform>>> Load(const std::string& yaml) {
  const YAML::Node root = YAML::Load(yaml);
  const YamlReader reader("faro.yaml", Folder().path());
  return CreateAdPlatforms(root["ads"], reader);
}

std::string Error(const std::string& yaml) {
  auto loaded = Load(yaml);
  EXPECT_FALSE(loaded.ok()) << yaml;
  return loaded.ok() ? "" : std::string(loaded.status().message());
}

TEST(AdsConfigTest, CreatesEveryPlatform) {
  auto loaded = Load(R"(
ads:
  - { id: meta, type: meta_marketing, ad_account: act_1234567890, token_file: meta.token, currency: USD }
  - id: google
    type: google_ads
    customer_id: 123-456-7890
    login_customer_id: "1112223333"
    token_file: google.token
    developer_token_file: dev.token
  - { id: tiktok, type: tiktok_ads, advertiser_id: "7000000000000000001", token_file: tiktok.token, timeout: 30s }
)");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0]->platform(), "meta");
  EXPECT_EQ((*loaded)[0]->account(), "meta");
  EXPECT_EQ((*loaded)[1]->platform(), "google");
  EXPECT_EQ((*loaded)[2]->platform(), "tiktok");
  EXPECT_EQ((*loaded)[2]->account(), "tiktok");
}

TEST(AdsConfigTest, ErrorsSayFileLineKeyAndWhatWasExpected) {
  EXPECT_EQ(Error("ads:\n  - { id: meta, type: meta_ads, token_file: meta.token }\n"),
            "faro.yaml:2:23: ads[0].type: unknown ad platform \"meta_ads\"; expected one of: meta_marketing, "
            "google_ads, tiktok_ads");
  EXPECT_EQ(Error("ads:\n  - id: meta\n    type: meta_marketing\n    ad_account: 123-abc\n    token_file: meta.token\n"),
            "faro.yaml:4:17: ads[0].ad_account: expected act_ and digits (\"act_1234567890\"), got \"123-abc\"");
  EXPECT_EQ(Error("ads:\n  - id: g\n    type: google_ads\n    customer_id: 12345\n    token_file: google.token\n"
                  "    developer_token_file: dev.token\n"),
            "faro.yaml:4:18: ads[0].customer_id: expected ten digits, with or without dashes (\"123-456-7890\"), got "
            "\"12345\"");
  EXPECT_EQ(Error("ads:\n  - id: g\n    type: google_ads\n    customer_id: 1234567890\n    token_file: google.token\n"),
            "faro.yaml:2:5: ads[0].developer_token_file: missing; Google Ads needs the developer token of your manager "
            "account");
  EXPECT_EQ(Error("ads:\n  - { id: t, type: tiktok_ads, advertiser_id: \"7\", token_file: tiktok.token, ad_account: 1 }\n"),
            "faro.yaml:2:78: ads[0].ad_account: unknown key; expected one of: id, type, advertiser_id, token_file, "
            "base_url, currency, objective, timeout");
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: missing.token }\n"),
            "faro.yaml:2:65: ads[0].token_file: cannot read the secret file " +
                (Folder().path() / "missing.token").string());
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: spaces.token }\n"),
            "faro.yaml:2:65: ads[0].token_file: the secret file must hold one token: one line without spaces");
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: meta.token, currency: usd }\n"),
            "faro.yaml:2:87: ads[0].currency: expected a three-letter currency code like \"USD\", got \"usd\"");
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: meta.token, base_url: ftp://x }\n"),
            "faro.yaml:2:87: ads[0].base_url: expected an http:// or https:// address, got \"ftp://x\"");
  EXPECT_EQ(Error("ads:\n  - { id: Meta!, type: meta_marketing, ad_account: \"1\", token_file: meta.token }\n"),
            "faro.yaml:2:11: ads[0].id: expected lower-case letters, digits, '-' and '_' (like \"meta\"), got \"Meta!\"");
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: meta.token }\n"
                  "  - { id: m, type: tiktok_ads, advertiser_id: \"2\", token_file: tiktok.token }\n"),
            "faro.yaml:3:11: ads[1].id: \"m\" is used by another ad account");
  EXPECT_EQ(Error("ads: { id: m }\n"), "faro.yaml:1:6: ads: expected a list of ad accounts (- { id: …, type: … })");
  EXPECT_EQ(Error("ads:\n  - just-a-name\n"),
            "faro.yaml:2:5: ads[0]: expected a mapping with id, type and the account's keys");
  EXPECT_EQ(Error("ads:\n  - { id: m, type: meta_marketing, ad_account: \"1\", token_file: meta.token, timeout: 10m }\n"),
            "faro.yaml:2:86: ads[0].timeout: expected a duration above 0 and at most 5m");
}

TEST(AdsConfigTest, InfoNeedsNoSecrets) {
  const YAML::Node root = YAML::Load(
      "ads:\n  - { id: meta, type: meta_marketing, ad_account: \"987\", token_file: /nonexistent/meta.token }\n");
  const YamlReader reader("faro.yaml", Folder().path());
  const absl::StatusOr<AdAccountInfo> info = ReadAdAccountInfo(root["ads"][0], "ads[0]", reader);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->id, "meta");
  EXPECT_EQ(info->platform, "meta");
  EXPECT_EQ(info->remote, "act_987");
  EXPECT_FALSE(CreateAdPlatform(root["ads"][0], "ads[0]", reader).ok());
}

}  // namespace
}  // namespace faro::ads
