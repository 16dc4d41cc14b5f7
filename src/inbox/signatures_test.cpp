#include "inbox/signatures.hpp"

#include <gtest/gtest.h>

#include "inbox/test_fixtures.hpp"

namespace faro::inbox {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// Golden vectors S3/S4: Twilio's documented example.
const Params kS3Params = {{"CallSid", "CA1234567890ABCDE"},
                          {"Caller", "+12349013030"},
                          {"Digits", "1234"},
                          {"From", "+12349013030"},
                          {"To", "+18005551212"}};
constexpr std::string_view kS3Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr std::string_view kS3Signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
constexpr std::string_view kS4Url = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
constexpr std::string_view kS4Signature = "EpDEmp1PyjDYp77YxYU3GILBWzE=";

// Golden vector S5: an SMS status callback.
const Params kS5Params = {{"AccountSid", "AC00000000000000000000000000000000"},
                          {"ApiVersion", "2010-04-01"},
                          {"From", "+15005550006"},
                          {"MessageSid", "SM00000000000000000000000000000000"},
                          {"MessageStatus", "delivered"},
                          {"SmsSid", "SM00000000000000000000000000000000"},
                          {"SmsStatus", "delivered"},
                          {"To", "+15005550009"}};

TEST(MetaSignature, GoldenVectorS1) {
  EXPECT_EQ(HmacSha256Hex("secret", "test"), "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914");
  EXPECT_TRUE(VerifyMetaSignature("secret", "test",
                                  "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"));
}

TEST(MetaSignature, GoldenVectorS2OverTheExactBody) {
  ASSERT_EQ(fixtures::kWhatsAppInbound.size(), 448u);
  EXPECT_TRUE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound, fixtures::kWhatsAppInboundSignature));
}

TEST(MetaSignature, UpperCaseHexIsAccepted) {
  EXPECT_TRUE(VerifyMetaSignature("secret", "test",
                                  "sha256=0329A06B62CD16B33EB6792BE8C60B158D89A2EE3A876FCE9A881EBB488C0914"));
}

TEST(MetaSignature, TamperedBodyWrongKeyAndBadHeadersAreRefused) {
  const std::string sig(fixtures::kWhatsAppInboundSignature);
  std::string tampered(fixtures::kWhatsAppInbound);
  tampered.replace(tampered.find("another color"), 13, "another colour");
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", tampered, sig));
  // One extra byte, as a re-serialiser or a trailing newline would add.
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", std::string(fixtures::kWhatsAppInbound) + "\n", sig));
  EXPECT_FALSE(VerifyMetaSignature("wrong_secret", fixtures::kWhatsAppInbound, sig));
  EXPECT_FALSE(VerifyMetaSignature("", fixtures::kWhatsAppInbound, sig));
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound, ""));
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound, sig.substr(7)));  // no "sha256="
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound, sig.substr(0, sig.size() - 2)));
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound, "sha1=" + sig.substr(7)));
  EXPECT_FALSE(VerifyMetaSignature("test_app_secret", fixtures::kWhatsAppInbound,
                                   "sha256=zz923f9277e1525fed6e590fa820d08c7dc87df72e98ab2522d2de5bcc447f10"));
}

TEST(TwilioSignature, GoldenVectorS3) {
  EXPECT_EQ(HmacSha1Base64("12345", TwilioSignedData(kS3Url, kS3Params)), kS3Signature);
  EXPECT_TRUE(VerifyTwilioSignature("12345", kS3Url, kS3Params, kS3Signature));
}

TEST(TwilioSignature, ParameterOrderDoesNotMatter) {
  Params reversed(kS3Params.rbegin(), kS3Params.rend());
  EXPECT_TRUE(VerifyTwilioSignature("12345", kS3Url, reversed, kS3Signature));
}

TEST(TwilioSignature, GoldenVectorS4PortQuirk) {
  EXPECT_EQ(HmacSha1Base64("12345", TwilioSignedData(kS4Url, kS3Params)), kS4Signature);
  // Twilio called the URL with :443 but signed it without the port…
  EXPECT_TRUE(VerifyTwilioSignature("12345", kS4Url, kS3Params, kS3Signature));
  // …or called it without the port and signed it with :443.
  EXPECT_TRUE(VerifyTwilioSignature("12345", kS3Url, kS3Params, kS4Signature));
  EXPECT_TRUE(VerifyTwilioSignature("12345", kS4Url, kS3Params, kS4Signature));
  // Another scheme's default port is not a variant of this URL.
  EXPECT_FALSE(VerifyTwilioSignature("12345", "http://mycompany.com/myapp.php?foo=1&bar=2", kS3Params, kS4Signature));
}

TEST(TwilioSignature, GoldenVectorS5StatusCallback) {
  EXPECT_TRUE(
      VerifyTwilioSignature("test_auth_token", "https://example.com/twilio/status", kS5Params, "WxZq5AbXSpVXpqv3JhaGhPjF6X8="));
}

TEST(TwilioSignature, TamperedParamsWrongTokenOtherUrlAndMissingHeaderAreRefused) {
  Params tampered = kS3Params;
  tampered[2].second = "1235";
  EXPECT_FALSE(VerifyTwilioSignature("12345", kS3Url, tampered, kS3Signature));
  Params extra = kS3Params;
  extra.emplace_back("Body", "hi");
  EXPECT_FALSE(VerifyTwilioSignature("12345", kS3Url, extra, kS3Signature));
  EXPECT_FALSE(VerifyTwilioSignature("54321", kS3Url, kS3Params, kS3Signature));
  EXPECT_FALSE(VerifyTwilioSignature("", kS3Url, kS3Params, kS3Signature));
  EXPECT_FALSE(VerifyTwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", kS3Params, kS3Signature));
  EXPECT_FALSE(VerifyTwilioSignature("12345", kS3Url, kS3Params, ""));
  EXPECT_FALSE(VerifyTwilioSignature("12345", kS3Url, kS3Params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
}

TEST(TwilioSignature, RepeatedKeysSignEachSortedValueOnce) {
  const Params a = {{"MediaUrl", "https://b.example/2"}, {"To", "+1"}, {"MediaUrl", "https://a.example/1"}};
  const Params b = {{"MediaUrl", "https://a.example/1"}, {"MediaUrl", "https://b.example/2"}, {"To", "+1"},
                    {"MediaUrl", "https://a.example/1"}};
  EXPECT_EQ(TwilioSignedData("https://x.example/t", a),
            "https://x.example/tMediaUrlhttps://a.example/1MediaUrlhttps://b.example/2To+1");
  EXPECT_EQ(TwilioSignedData("https://x.example/t", a), TwilioSignedData("https://x.example/t", b));
}

TEST(TwilioSignature, KeysSortInByteOrder) {
  // Upper case sorts before lower case in byte order.
  EXPECT_EQ(TwilioSignedData("u", {{"b", "1"}, {"B", "2"}, {"a", "3"}}), "uB2a3b1");
}

TEST(TwilioSignature, NonDefaultPortIsAlsoTriedWithout) {
  const std::string sig = HmacSha1Base64("tok", TwilioSignedData("https://h.example/p", kS5Params));
  EXPECT_TRUE(VerifyTwilioSignature("tok", "https://h.example:8443/p", kS5Params, sig));
  const std::string v6 = HmacSha1Base64("tok", TwilioSignedData("https://[2001:db8::1]/p", kS5Params));
  EXPECT_TRUE(VerifyTwilioSignature("tok", "https://[2001:db8::1]:443/p", kS5Params, v6));
}

TEST(TwilioJsonSignature, GoldenVectorS6) {
  constexpr std::string_view kBody = R"({"event":"test"})";
  EXPECT_EQ(Sha256Hex(kBody), "2d9c95a7b02d34fcd937555555970ef0183483946d5268fbcf68a324674be708");
  const std::string url =
      "https://example.com/studiojson?bodySHA256=2d9c95a7b02d34fcd937555555970ef0183483946d5268fbcf68a324674be708";
  EXPECT_TRUE(VerifyTwilioJsonSignature("test_auth_token", url, kBody, "Fa0RTArlPSiq+IpbDU+lwfouY6k="));
  // The body must match the hash in the URL, even under a valid URL signature.
  EXPECT_FALSE(VerifyTwilioJsonSignature("test_auth_token", url, R"({"event":"tesT"})", "Fa0RTArlPSiq+IpbDU+lwfouY6k="));
  EXPECT_FALSE(VerifyTwilioJsonSignature("other_token", url, kBody, "Fa0RTArlPSiq+IpbDU+lwfouY6k="));
  EXPECT_FALSE(VerifyTwilioJsonSignature("test_auth_token", url, kBody, ""));
  EXPECT_FALSE(VerifyTwilioJsonSignature("test_auth_token", "https://example.com/studiojson", kBody,
                                         "Fa0RTArlPSiq+IpbDU+lwfouY6k="));
}

TEST(TelegramSecret, GoldenVectorS7) {
  EXPECT_TRUE(VerifyTelegramSecret("abc_DEF-123", "abc_DEF-123"));
  EXPECT_FALSE(VerifyTelegramSecret("abc_DEF-123", "abc_DEF-124"));
  EXPECT_FALSE(VerifyTelegramSecret("abc_DEF-123", "abc_DEF-1234"));
  EXPECT_FALSE(VerifyTelegramSecret("abc_DEF-123", ""));
  EXPECT_FALSE(VerifyTelegramSecret("", ""));
}

TEST(TelegramSecret, ConfiguredSecretMustUseTelegramsAlphabet) {
  EXPECT_TRUE(ValidateTelegramSecret("abc_DEF-123").ok());
  EXPECT_TRUE(ValidateTelegramSecret(std::string(256, 'a')).ok());
  EXPECT_FALSE(ValidateTelegramSecret("").ok());
  EXPECT_FALSE(ValidateTelegramSecret(std::string(257, 'a')).ok());
  const absl::Status bad = ValidateTelegramSecret("abc def");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(Message(bad).find("character 4"), std::string::npos);
  EXPECT_EQ(Message(bad).find("abc"), std::string::npos) << "the message must not quote the secret";
  EXPECT_FALSE(ValidateTelegramSecret("abc=").ok());
  EXPECT_FALSE(ValidateTelegramSecret("ñ").ok());
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("meatyhamhock", "meatyhamhock"));
  EXPECT_FALSE(ConstantTimeEquals("meatyhamhock", "meatyhamhoc"));
  EXPECT_FALSE(ConstantTimeEquals("meatyhamhock", "meatyhamhocK"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace faro::inbox
