#include "inbox/webhooks.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "inbox/conversations.hpp"
#include "inbox/signatures.hpp"
#include "inbox/test_fixtures.hpp"
#include "store/sqlite.hpp"

namespace faro::inbox {
namespace {

const TimePoint kNow = FromUnixMillis(1749417000000);

WebhookSecrets Secrets() {
  WebhookSecrets s;
  s.whatsapp_app_secret = "test_app_secret";
  s.whatsapp_verify_token = "meatyhamhock";
  s.telegram_secret_token = "abc_DEF-123";
  s.twilio_auth_token = "test_auth_token";
  return s;
}

WebhookRequest Post(std::string path, std::string body, std::vector<std::pair<std::string, std::string>> headers) {
  WebhookRequest r;
  r.method = "POST";
  r.url = StrCat("https://faro.example.com", path);
  r.path = std::move(path);
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.received_at = kNow;
  return r;
}

WebhookRequest WhatsAppPost(std::string_view body, std::string signature) {
  return Post("/webhooks/whatsapp", std::string(body), {{"x-hub-signature-256", std::move(signature)}});
}

WebhookRequest Handshake(std::string query_token) {
  WebhookRequest r;
  r.method = "GET";
  r.path = "/webhooks/whatsapp";
  r.url = StrCat("https://faro.example.com/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=",
                 query_token);
  r.query = {{"hub.mode", "subscribe"}, {"hub.challenge", "1158201444"}, {"hub.verify_token", query_token}};
  return r;
}

// ---- WhatsApp ----

TEST(WhatsAppWebhook, HandshakeAnswersTheChallenge) {
  Webhooks hooks(Secrets());
  HandleResult ok = hooks.Handle(Handshake("meatyhamhock"));
  EXPECT_EQ(ok.response.status, 200);
  EXPECT_EQ(ok.response.content_type, "text/plain");
  EXPECT_EQ(ok.response.body, "1158201444");
  EXPECT_EQ(hooks.Handle(Handshake("meatyhamhocks")).response.status, 403);
  WebhookRequest no_token = Handshake("x");
  no_token.query.pop_back();
  EXPECT_EQ(hooks.Handle(no_token).response.status, 403);
  WebhookRequest unsubscribe = Handshake("meatyhamhock");
  unsubscribe.query[0].second = "unsubscribe";
  EXPECT_EQ(hooks.Handle(unsubscribe).response.status, 403);
  const WebhookCounters c = hooks.Counters(kWhatsAppCloud);
  EXPECT_EQ(c.accepted, 1u);
  EXPECT_EQ(c.refused_bad_signature, 1u);
  EXPECT_EQ(c.refused_unsigned, 1u);
}

TEST(WhatsAppWebhook, SignedFixtureGivesOneMessageEvent) {
  Webhooks hooks(Secrets());
  HandleResult r =
      hooks.Handle(WhatsAppPost(fixtures::kWhatsAppInbound, std::string(fixtures::kWhatsAppInboundSignature)));
  EXPECT_EQ(r.response.status, 200);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, InboundEvent::Kind::kMessage);
  EXPECT_EQ(r.events[0].event_id, "wamid.TEST1");
  EXPECT_EQ(r.events[0].from, "+16505551234");
  EXPECT_EQ(r.events[0].display_name, "Sheena Nelson");
  EXPECT_EQ(r.events[0].text, "Does it come in another color?");
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).accepted, 1u);
}

TEST(WhatsAppWebhook, UnsignedIs401AndNotParsed) {
  Webhooks hooks(Secrets());
  HandleResult r = hooks.Handle(Post("/webhooks/whatsapp", std::string(fixtures::kWhatsAppInbound), {}));
  EXPECT_EQ(r.response.status, 401);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).refused_unsigned, 1u);
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).accepted, 0u);
}

TEST(WhatsAppWebhook, WrongSignatureIs403AndNotParsed) {
  Webhooks hooks(Secrets());
  std::string tampered(fixtures::kWhatsAppInbound);
  tampered.replace(tampered.find("16505551234"), 11, "16505559999");
  HandleResult r = hooks.Handle(WhatsAppPost(tampered, std::string(fixtures::kWhatsAppInboundSignature)));
  EXPECT_EQ(r.response.status, 403);
  EXPECT_TRUE(r.events.empty());
  // Signed with another app's secret.
  HandleResult other = hooks.Handle(
      WhatsAppPost(fixtures::kWhatsAppInbound, "sha256=" + HmacSha256Hex("other_secret", fixtures::kWhatsAppInbound)));
  EXPECT_EQ(other.response.status, 403);
  EXPECT_TRUE(other.events.empty());
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).refused_bad_signature, 2u);
}

TEST(WhatsAppWebhook, SignedButMalformedIs400WithAReason) {
  Webhooks hooks(Secrets());
  const std::string body = R"({"object":"whatsapp_business_account","entry":[{)";
  HandleResult r = hooks.Handle(WhatsAppPost(body, "sha256=" + HmacSha256Hex("test_app_secret", body)));
  EXPECT_EQ(r.response.status, 400);
  EXPECT_NE(r.response.body.find("not JSON"), std::string::npos);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).malformed, 1u);
}

TEST(WhatsAppWebhook, FailedStatusFixtureCarries131047) {
  Webhooks hooks(Secrets());
  const std::string body(fixtures::kWhatsAppFailedStatus);
  HandleResult r = hooks.Handle(WhatsAppPost(body, "sha256=" + HmacSha256Hex("test_app_secret", body)));
  EXPECT_EQ(r.response.status, 200);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, InboundEvent::Kind::kStatus);
  EXPECT_EQ(r.events[0].provider_message_id, "wamid.TEST1");
  EXPECT_EQ(r.events[0].status, DeliveryStatus::kFailed);
  EXPECT_EQ(r.events[0].error_code, "131047");
}

TEST(WhatsAppWebhook, HeaderNamesInAnyCaseAreFound) {
  Webhooks hooks(Secrets());
  WebhookRequest req = Post("/webhooks/whatsapp", std::string(fixtures::kWhatsAppInbound),
                            {{"X-Hub-Signature-256", std::string(fixtures::kWhatsAppInboundSignature)}});
  EXPECT_EQ(hooks.Handle(req).response.status, 200);
}

TEST(WhatsAppWebhook, DuplicateDeliveryIsRecordedOnceAndCounted) {
  auto db = store::Open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status();
  auto inbox = Inbox::Open(**db);
  ASSERT_TRUE(inbox.ok()) << inbox.status();
  Webhooks hooks(Secrets());
  const WebhookRequest delivery =
      WhatsAppPost(fixtures::kWhatsAppInbound, std::string(fixtures::kWhatsAppInboundSignature));
  int recorded = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    HandleResult r = hooks.Handle(delivery);
    // Both deliveries are acknowledged, or Meta would keep retrying.
    ASSERT_EQ(r.response.status, 200);
    ASSERT_EQ(r.events.size(), 1u);
    absl::StatusOr<RecordResult> rec = (*inbox)->RecordInbound(7, "wa", r.events[0]);
    ASSERT_TRUE(rec.ok()) << rec.status();
    if (rec->duplicate)
      hooks.CountDuplicate(r.events[0].channel_type);
    else
      ++recorded;
  }
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).duplicates, 1u);
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).accepted, 2u);
  auto messages = (*inbox)->Messages(7);
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ(messages->size(), 1u);
}

TEST(WhatsAppWebhook, NotConfiguredIs404) {
  Webhooks hooks(WebhookSecrets{});
  EXPECT_EQ(
      hooks.Handle(WhatsAppPost(fixtures::kWhatsAppInbound, std::string(fixtures::kWhatsAppInboundSignature))).response.status,
      404);
  EXPECT_EQ(hooks.Handle(Handshake("")).response.status, 404);
}

// ---- Twilio ----

const std::vector<std::pair<std::string, std::string>> kS3Params = {
    {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"}, {"From", "+12349013030"},
    {"To", "+18005551212"}};

// Golden vector S5 as Twilio sends it: form-encoded ('+' as %2B).
constexpr std::string_view kS5Body =
    "AccountSid=AC00000000000000000000000000000000&ApiVersion=2010-04-01&From=%2B15005550006"
    "&MessageSid=SM00000000000000000000000000000000&MessageStatus=delivered"
    "&SmsSid=SM00000000000000000000000000000000&SmsStatus=delivered&To=%2B15005550009";
constexpr std::string_view kS5Signature = "WxZq5AbXSpVXpqv3JhaGhPjF6X8=";

WebhookRequest TwilioPost(std::string url, std::string path, std::string_view body, std::string signature) {
  WebhookRequest r = Post(std::move(path), std::string(body), {{"x-twilio-signature", std::move(signature)}});
  r.url = std::move(url);
  return r;
}

TEST(TwilioWebhook, GoldenVectorS5StatusCallbackValidatesAndParses) {
  Webhooks hooks(Secrets());
  HandleResult r = hooks.TwilioCallback(
      TwilioPost("https://example.com/twilio/status", "/twilio/status", kS5Body, std::string(kS5Signature)));
  EXPECT_EQ(r.response.status, 200);
  ASSERT_EQ(r.events.size(), 1u);
  const InboundEvent& e = r.events[0];
  EXPECT_EQ(e.kind, InboundEvent::Kind::kStatus);
  EXPECT_EQ(e.channel_type, "twilio_sms");
  EXPECT_EQ(e.provider_message_id, "SM00000000000000000000000000000000");
  EXPECT_EQ(e.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(e.from, "+15005550009");
  EXPECT_EQ(e.error_code, "");
  EXPECT_EQ(e.time, kNow);
}

TEST(TwilioWebhook, BehindAProxyThePublicUrlIsWhatWasSigned) {
  WebhookSecrets secrets = Secrets();
  secrets.public_base_url = "https://example.com/";
  Webhooks hooks(secrets);
  WebhookRequest req = TwilioPost("http://127.0.0.1:8080/twilio/status", "/twilio/status", kS5Body, std::string(kS5Signature));
  EXPECT_EQ(hooks.TwilioSignedUrl(req), "https://example.com/twilio/status");
  EXPECT_EQ(hooks.TwilioCallback(req).response.status, 200);
  // Without public_url the local URL is checked, and the signature does not match it.
  Webhooks direct(Secrets());
  EXPECT_EQ(direct.TwilioCallback(req).response.status, 403);
}

TEST(TwilioWebhook, PublicUrlKeepsTheQueryTwilioCalled) {
  WebhookSecrets secrets = Secrets();
  secrets.public_base_url = "https://mycompany.com";
  Webhooks hooks(secrets);
  WebhookRequest req = TwilioPost("http://10.0.0.2/myapp.php?foo=1&bar=2", "/myapp.php", "", "x");
  EXPECT_EQ(hooks.TwilioSignedUrl(req), "https://mycompany.com/myapp.php?foo=1&bar=2");
}

TEST(TwilioWebhook, PortVariantS4) {
  Webhooks hooks(Secrets());
  // S5's signature, but Twilio called the URL with an explicit :443.
  HandleResult r = hooks.TwilioCallback(
      TwilioPost("https://example.com:443/twilio/status", "/twilio/status", kS5Body, std::string(kS5Signature)));
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.events.size(), 1u);

  // S3/S4 themselves: the S3 signature is accepted for the :443 URL. They describe a voice call,
  // not a message, so the verified body is then refused as not a message callback.
  Webhooks voice(WebhookSecrets{.twilio_auth_token = "12345"});
  std::string body;
  for (const auto& [k, v] : kS3Params) StrAppend(body, body.empty() ? "" : "&", k, "=", v[0] == '+' ? "%2B" + v.substr(1) : v);
  HandleResult s4 = voice.TwilioCallback(TwilioPost("https://mycompany.com:443/myapp.php?foo=1&bar=2", "/myapp.php", body,
                                                    "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_EQ(s4.response.status, 400);
  EXPECT_NE(s4.response.body.find("MessageSid"), std::string::npos);
  EXPECT_EQ(voice.Counters(kTwilioSms).refused_bad_signature, 0u);
  EXPECT_EQ(voice.Counters(kTwilioSms).malformed, 1u);
}

TEST(TwilioWebhook, InboundSmsIsAnsweredWithEmptyTwiml) {
  Webhooks hooks(Secrets());
  const std::string url = "https://faro.example.com/webhooks/twilio";
  const std::string body = "MessageSid=SM123&From=%2B5491155550000&To=%2B15005550006&Body=Hola%2C+%C2%BFabren+hoy%3F&NumMedia=0";
  const std::string sig = HmacSha1Base64(
      "test_auth_token", TwilioSignedData(url, {{"MessageSid", "SM123"}, {"From", "+5491155550000"}, {"To", "+15005550006"},
                                                {"Body", "Hola, ¿abren hoy?"}, {"NumMedia", "0"}}));
  HandleResult r = hooks.Handle(TwilioPost(url, "/webhooks/twilio", body, sig));
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.content_type, "text/xml");
  EXPECT_NE(r.response.body.find("<Response/>"), std::string::npos);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, InboundEvent::Kind::kMessage);
  EXPECT_EQ(r.events[0].event_id, "SM123");
  EXPECT_EQ(r.events[0].from, "+5491155550000");
  EXPECT_EQ(r.events[0].text, "Hola, ¿abren hoy?");
}

TEST(TwilioWebhook, MissingSignatureIs401AndWrongIs403) {
  Webhooks hooks(Secrets());
  WebhookRequest unsigned_req = TwilioPost("https://example.com/twilio/status", "/twilio/status", kS5Body, "");
  unsigned_req.headers.clear();
  HandleResult missing = hooks.TwilioCallback(unsigned_req);
  EXPECT_EQ(missing.response.status, 401);
  EXPECT_TRUE(missing.events.empty());
  std::string tampered(kS5Body);
  tampered.replace(tampered.find("delivered"), 9, "failed");
  HandleResult wrong = hooks.TwilioCallback(
      TwilioPost("https://example.com/twilio/status", "/twilio/status", tampered, std::string(kS5Signature)));
  EXPECT_EQ(wrong.response.status, 403);
  EXPECT_TRUE(wrong.events.empty());
  const WebhookCounters c = hooks.Counters(kTwilioSms);
  EXPECT_EQ(c.refused_unsigned, 1u);
  EXPECT_EQ(c.refused_bad_signature, 1u);
  EXPECT_EQ(c.accepted, 0u);
}

TEST(TwilioWebhook, JsonBodyWithBodySha256) {
  Webhooks hooks(Secrets());
  const std::string body = R"({"MessageSid":"SM9","MessageStatus":"read","To":"+15005550009"})";
  const std::string url = StrCat("https://example.com/twilio/json?bodySHA256=", Sha256Hex(body));
  const std::string sig = HmacSha1Base64("test_auth_token", url);
  HandleResult r = hooks.TwilioCallback(TwilioPost(url, "/twilio/json", body, sig));
  EXPECT_EQ(r.response.status, 200);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].status, DeliveryStatus::kRead);
  EXPECT_EQ(hooks.TwilioCallback(TwilioPost(url, "/twilio/json", body + " ", sig)).response.status, 403);
}

// ---- Telegram ----

constexpr std::string_view kTelegramUpdate =
    R"({"update_id":424242,"message":{"message_id":9,"date":1749416383,"from":{"id":5,"first_name":"Luis"},)"
    R"("chat":{"id":5,"type":"private"},"text":"BAJA"}})";

TEST(TelegramWebhook, UpdateWithTheSecretGivesAMessageEvent) {
  Webhooks hooks(Secrets());
  HandleResult r = hooks.Handle(
      Post("/webhooks/telegram", std::string(kTelegramUpdate), {{"x-telegram-bot-api-secret-token", "abc_DEF-123"}}));
  EXPECT_EQ(r.response.status, 200);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].channel_type, "telegram_bot");
  EXPECT_EQ(r.events[0].event_id, "424242");
  EXPECT_EQ(r.events[0].from, "5");
  EXPECT_EQ(r.events[0].display_name, "Luis");
  EXPECT_EQ(r.events[0].text, "BAJA");
}

TEST(TelegramWebhook, MissingSecretIs401WrongIs403MalformedIs400) {
  Webhooks hooks(Secrets());
  HandleResult missing = hooks.Handle(Post("/webhooks/telegram", std::string(kTelegramUpdate), {}));
  EXPECT_EQ(missing.response.status, 401);
  EXPECT_TRUE(missing.events.empty());
  HandleResult wrong = hooks.Handle(
      Post("/webhooks/telegram", std::string(kTelegramUpdate), {{"x-telegram-bot-api-secret-token", "abc_DEF-124"}}));
  EXPECT_EQ(wrong.response.status, 403);
  EXPECT_TRUE(wrong.events.empty());
  HandleResult junk =
      hooks.Handle(Post("/webhooks/telegram", "{\"message\":", {{"x-telegram-bot-api-secret-token", "abc_DEF-123"}}));
  EXPECT_EQ(junk.response.status, 400);
  const WebhookCounters c = hooks.Counters(kTelegramBot);
  EXPECT_EQ(c.refused_unsigned, 1u);
  EXPECT_EQ(c.refused_bad_signature, 1u);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.accepted, 0u);
  // Counters are per channel.
  EXPECT_EQ(hooks.Counters(kWhatsAppCloud).refused_unsigned, 0u);
  EXPECT_EQ(hooks.Counters("sms").refused_unsigned, 0u);
}

// ---- Routing ----

TEST(WebhookRouting, UnknownPathsAndMethods) {
  Webhooks hooks(Secrets());
  WebhookRequest req = Post("/webhooks/instagram", "{}", {});
  EXPECT_EQ(hooks.Handle(req).response.status, 404);
  req.path = "/webhooks/telegram";
  req.method = "GET";
  EXPECT_EQ(hooks.Handle(req).response.status, 405);
  req.path = "/webhooks/whatsapp";
  req.method = "PUT";
  EXPECT_EQ(hooks.Handle(req).response.status, 405);
  req = Post("/webhooks/telegram/", std::string(kTelegramUpdate), {{"x-telegram-bot-api-secret-token", "abc_DEF-123"}});
  EXPECT_EQ(hooks.Handle(req).response.status, 200);
}

}  // namespace
}  // namespace faro::inbox
