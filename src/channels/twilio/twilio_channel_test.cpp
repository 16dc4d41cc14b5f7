#include "channels/twilio/twilio_channel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "channel_fixture.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::channels::twilio {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kSid[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kToken[] = "s3cr3t-auth-token-value";
constexpr char kService[] = "MG0123456789abcdef0123456789abcdef";

// Creates a channel from YAML text, as the configuration loader would for channels[0].
absl::StatusOr<std::unique_ptr<Channel>> Make(const std::string& yaml, const testing::ConfigFolder& dir) {
  return testing::ChannelFromYaml(yaml, dir.path(), [](const ChannelConfig& config) {
    return config.type == "twilio_voice" ? CreateVoice(config) : CreateSms(config);
  });
}

Delivery To(const std::string& address, const std::string& text, std::string key = "") {
  return testing::MakeDelivery("m-1", address, text, std::move(key), FromUnixMillis(1633356000000));
}

std::string Base64HmacSha1(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &length);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  out.resize(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(length)));
  return out;
}

class TwilioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fake_ = new testing::FakeServer("twilio.py", {"--account-sid", kSid, "--auth-token", kToken});
    sink_ = new testing::FakeServer("webhook_sink.py");
  }
  static void TearDownTestSuite() {
    delete fake_;
    delete sink_;
  }
  void SetUp() override {
    fake_->Post("/_fake/reset", "{}");
    sink_->Post("/_fake/reset", "{}");
    dir_.Write("token", StrCat(kToken, "\n"));
  }

  // An SMS channel at the fake; `extra` adds or overrides YAML lines.
  std::unique_ptr<Channel> Sms(const std::string& sender = "from: '+15005550006'", const std::string& extra = "") {
    return testing::ExpectCreated(Make(StrCat("id: sms\ntype: twilio_sms\nbase_url: ", fake_->base_url(),
                                              "\naccount_sid: ", kSid, "\ntoken_file: token\n", sender, "\n", extra),
                                       dir_));
  }
  std::unique_ptr<Channel> Voice(const std::string& extra = "") {
    return testing::ExpectCreated(Make(StrCat("id: call\ntype: twilio_voice\nbase_url: ", fake_->base_url(),
                                              "\naccount_sid: ", kSid,
                                              "\ntoken_file: token\nfrom: '+15005550006'\n", extra),
                                       dir_));
  }
  absl::Status ConfigError(const std::string& yaml) {
    auto channel = Make(yaml, dir_);
    return channel.ok() ? absl::OkStatus() : channel.status();
  }
  static Json Sent() { return Json::parse(fake_->Get("/_fake/sent")); }
  static Json Stats() { return Json::parse(fake_->Get("/_fake/stats")); }
  static void Configure(const Json& config) { fake_->Post("/_fake/config", config.dump()); }

  static testing::FakeServer* fake_;
  static testing::FakeServer* sink_;
  testing::ConfigFolder dir_{"faro-twilio"};
};

testing::FakeServer* TwilioTest::fake_ = nullptr;
testing::FakeServer* TwilioTest::sink_ = nullptr;

TEST_F(TwilioTest, SmsPostsTheDocumentedFormFields) {
  const std::string callback = "https://faro.example.com/twilio/status?ch=sms";
  auto sms = Sms("from: '+15005550006'", StrCat("status_callback: '", callback, "'"));
  const SendResult result = sms->Send(To("+34911234567", "Hola & adiós: 50% off?", "key-1"));
  EXPECT_EQ(result.kind, ResultKind::kAccepted) << result.detail;
  EXPECT_THAT(result.provider_id, StartsWith("SM"));
  const Json sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["sid"], result.provider_id);
  const Json& fields = sent[0]["fields"];
  EXPECT_EQ(fields["To"], "+34911234567");
  EXPECT_EQ(fields["From"], "+15005550006");
  EXPECT_EQ(fields["Body"], "Hola & adiós: 50% off?");
  EXPECT_EQ(fields["StatusCallback"], callback);
  EXPECT_EQ(fields.size(), 4u) << fields.dump();
  EXPECT_EQ(sent[0]["idempotency_key"], "key-1");
  EXPECT_EQ(sms->address_kind(), AddressKind::kPhone);
  EXPECT_DOUBLE_EQ(sms->limits().overall.PerSecond(), 10.0);
  EXPECT_EQ(sms->limits().max_text, 1600u);
}

TEST_F(TwilioTest, SmsSendsFromAMessagingService) {
  auto sms = Sms(StrCat("messaging_service_sid: ", kService));
  EXPECT_EQ(sms->Send(To("+15005550009", "hi")).kind, ResultKind::kAccepted);
  const Json fields = Sent()[0]["fields"];
  EXPECT_EQ(fields["MessagingServiceSid"], kService);
  EXPECT_FALSE(fields.contains("From"));
  EXPECT_FALSE(fields.contains("StatusCallback"));
}

TEST_F(TwilioTest, StopIsConsentUntilStart) {
  auto sms = Sms();
  const std::string number = "+15005550009";
  for (const char* word : {" stop ", "STOPALL", "Unsubscribe", "cancel", "END", "quit"}) {
    fake_->Post("/_fake/inbound", Json{{"from", number}, {"body", word}}.dump());
    const SendResult refused = sms->Send(To(number, "Service is back"));
    EXPECT_EQ(refused.kind, ResultKind::kConsent) << word;
    EXPECT_EQ(refused.code, "21610") << word;
    fake_->Post("/_fake/inbound", Json{{"from", number}, {"body", "START"}}.dump());
    EXPECT_EQ(sms->Send(To(number, "Service is back")).kind, ResultKind::kAccepted) << word;
  }
  fake_->Post("/_fake/inbound", Json{{"from", number}, {"body", "stop please"}}.dump());  // not a keyword
  EXPECT_EQ(sms->Send(To(number, "x")).kind, ResultKind::kAccepted);
  Configure({{"stopped", {number}}});
  EXPECT_EQ(sms->Send(To(number, "x")).kind, ResultKind::kConsent);
  fake_->Post("/_fake/inbound", Json{{"from", number}, {"body", "yes"}}.dump());
  EXPECT_EQ(sms->Send(To(number, "x")).kind, ResultKind::kAccepted);
}

TEST_F(TwilioTest, TooManyRequestsIsRateLimited) {
  auto sms = Sms();
  Configure({{"rate", 1}});
  EXPECT_EQ(sms->Send(To("+15005550009", "one")).kind, ResultKind::kAccepted);
  SendResult limited = sms->Send(To("+15005550009", "two"));
  EXPECT_EQ(limited.kind, ResultKind::kRateLimited);
  EXPECT_EQ(limited.code, "20429");
  EXPECT_EQ(limited.wait, std::chrono::seconds(1));  // Twilio sends no Retry-After
  EXPECT_FALSE(limited.provider_fault);
  Configure({{"retry_after", 3}});
  limited = sms->Send(To("+15005550009", "three"));
  EXPECT_EQ(limited.kind, ResultKind::kRateLimited);
  EXPECT_EQ(limited.wait, std::chrono::seconds(3));
  EXPECT_EQ(Stats()["rate_limited"], 2);
}

TEST_F(TwilioTest, WrongTokenIsAuthWithoutTheToken) {
  dir_.Write("token", "not-the-token");
  auto sms = Sms();
  const SendResult result = sms->Send(To("+15005550009", "hi"));
  EXPECT_EQ(result.kind, ResultKind::kAuth);
  EXPECT_EQ(result.code, "20003");
  EXPECT_THAT(result.detail, HasSubstr("401"));
  EXPECT_THAT(result.detail, Not(HasSubstr("not-the-token")));
  EXPECT_EQ(Stats()["auth_failed"], 1);
  EXPECT_TRUE(Sent().empty());
}

TEST_F(TwilioTest, ErrorCodesAreClassified) {
  struct Case {
    int status;
    int code;
    ResultKind kind;
    bool provider_fault;
  };
  const std::vector<Case> cases = {
      {400, 21211, ResultKind::kPermanent, false},  {400, 21614, ResultKind::kPermanent, false},
      {400, 30005, ResultKind::kPermanent, false},  {400, 30006, ResultKind::kPermanent, false},
      {400, 30003, ResultKind::kTransient, false},  {400, 21408, ResultKind::kPermanent, false},
      {404, 20404, ResultKind::kPermanent, false},  {401, 20003, ResultKind::kAuth, false},
      {429, 20429, ResultKind::kRateLimited, false}, {500, 20500, ResultKind::kTransient, true},
      {503, 503, ResultKind::kTransient, true},
  };
  Json script = Json::array();
  for (const Case& c : cases) script.push_back({{"status", c.status}, {"code", c.code}, {"message", "scripted"}});
  Configure({{"fail_next", script}});
  auto sms = Sms();
  for (const Case& c : cases) {
    const SendResult result = sms->Send(To("+15005550009", "hi"));
    EXPECT_EQ(result.kind, c.kind) << c.code << " got " << ResultKindName(result.kind);
    EXPECT_EQ(result.provider_fault, c.provider_fault) << c.code;
    EXPECT_EQ(result.code, StrCat(c.code));
    EXPECT_THAT(result.detail, HasSubstr("scripted"));
  }
}

TEST_F(TwilioTest, UnreachableApiIsTransientAndTwiliosFault) {
  auto sms = Make(StrCat("id: sms\ntype: twilio_sms\nbase_url: http://127.0.0.1:1/\naccount_sid: ", kSid,
                         "\ntoken_file: token\nfrom: '+15005550006'\ntimeout: 2s\n"),
                  dir_);
  ASSERT_TRUE(sms.ok()) << sms.status();
  const SendResult result = (*sms)->Send(To("+15005550009", "hi"));
  EXPECT_EQ(result.kind, ResultKind::kTransient);
  EXPECT_TRUE(result.provider_fault);
  EXPECT_THAT(result.detail, Not(HasSubstr(kToken)));
}

TEST_F(TwilioTest, BadDeliveriesAreRefusedWithoutARequest) {
  auto sms = Sms();
  EXPECT_EQ(sms->Send(To("0034911234567", "hi")).kind, ResultKind::kPermanent);
  EXPECT_EQ(sms->Send(To("+34 911 234 567", "hi")).code, "bad-address");
  EXPECT_EQ(sms->Send(To("+15005550009", "  ")).code, "empty");
  std::string long_text;
  for (int i = 0; i < 1601; ++i) long_text += "ñ";
  EXPECT_EQ(sms->Send(To("+15005550009", long_text)).code, "too-long");
  EXPECT_EQ(Stats()["requests"], 0);
  long_text.resize(long_text.size() - 2);  // 1600 characters, 3200 bytes: allowed
  EXPECT_EQ(sms->Send(To("+15005550009", long_text)).kind, ResultKind::kAccepted);
}

TEST_F(TwilioTest, RepeatedIdempotencyKeyIsDeliveredOnce) {
  auto sms = Sms();
  ASSERT_NO_FATAL_FAILURE(
      testing::ExpectRepeatedKeyDeliveredOnce(*sms, To("+15005550009", "hi", "outbox-42-sms"), *fake_));
}

TEST_F(TwilioTest, FakeSignaturesMatchGoldenVectors) {
  const Json s3 = Json::parse(fake_->Post(
      "/_fake/sign", Json{{"token", "12345"},
                          {"url", "https://mycompany.com/myapp.php?foo=1&bar=2"},
                          {"params",
                           {{"CallSid", "CA1234567890ABCDE"},
                            {"Caller", "+12349013030"},
                            {"Digits", "1234"},
                            {"From", "+12349013030"},
                            {"To", "+18005551212"}}}}
                         .dump()));
  EXPECT_EQ(s3["signature"], "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  const std::string sm = "SM00000000000000000000000000000000";
  const Json s5 = Json::parse(fake_->Post(
      "/_fake/sign", Json{{"token", "test_auth_token"},
                          {"url", "https://example.com/twilio/status"},
                          {"params",
                           {{"AccountSid", "AC00000000000000000000000000000000"},
                            {"ApiVersion", "2010-04-01"},
                            {"From", "+15005550006"},
                            {"MessageSid", sm},
                            {"MessageStatus", "delivered"},
                            {"SmsSid", sm},
                            {"SmsStatus", "delivered"},
                            {"To", "+15005550009"}}}}
                         .dump()));
  EXPECT_EQ(s5["signature"], "WxZq5AbXSpVXpqv3JhaGhPjF6X8=");
  // The same rule computed here independently agrees with the vector.
  std::string data = "https://mycompany.com/myapp.php?foo=1&bar=2";
  data += "CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212";
  EXPECT_EQ(Base64HmacSha1("12345", data), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST_F(TwilioTest, StatusCallbacksAreSentThenDeliveredAndSigned) {
  const std::string callback = sink_->base_url() + "/hook?ch=sms";
  auto sms = Sms("from: '+15005550006'", StrCat("status_callback: '", callback, "'"));
  const SendResult result = sms->Send(To("+15005550009", "hi"));
  ASSERT_EQ(result.kind, ResultKind::kAccepted);
  Json received;
  for (int i = 0; i < 200 && received.size() < 2; ++i) {  // the fake calls back from a thread
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    received = Json::parse(sink_->Get("/_fake/received"));
  }
  ASSERT_EQ(received.size(), 2u);
  std::vector<std::string> statuses;
  for (const Json& post : received) {
    const Json& form = post["form"];
    statuses.push_back(form["MessageStatus"][0]);
    EXPECT_EQ(form["MessageSid"][0], result.provider_id);
    EXPECT_EQ(form["AccountSid"][0], kSid);
    // Validate as Faro's inbox would: URL, then each parameter name and value sorted by name.
    std::map<std::string, std::string> sorted;
    for (const auto& [name, values] : form.items()) sorted[name] = values[0];
    std::string data = callback;
    for (const auto& [name, value] : sorted) data += name + value;
    EXPECT_EQ(post["headers"]["x-twilio-signature"], Base64HmacSha1(kToken, data));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"sent", "delivered"}));  // never "queued"
}

TEST_F(TwilioTest, VoiceReadsEscapedTextInTheRecipientsLanguage) {
  auto call = Voice();
  Delivery spanish = To("+34911234567", "Cerrado <hoy> & \"mañana\" 'sí'");
  spanish.lang = Lang::kEs;
  const SendResult result = call->Send(spanish);
  EXPECT_EQ(result.kind, ResultKind::kAccepted) << result.detail;
  EXPECT_THAT(result.provider_id, StartsWith("CA"));
  Delivery english = To("+15005550009", "Back at 5 pm");
  english.lang = Lang::kEn;
  EXPECT_EQ(call->Send(english).kind, ResultKind::kAccepted);
  const Json sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0]["kind"], "call");
  EXPECT_EQ(sent[0]["fields"]["Twiml"],
            "<Response><Say language=\"es-ES\">Cerrado &lt;hoy&gt; &amp; &quot;mañana&quot; &apos;sí&apos;</Say>"
            "</Response>");
  EXPECT_EQ(sent[0]["say"]["text"], "Cerrado <hoy> & \"mañana\" 'sí'");  // the fake parsed it as XML
  EXPECT_EQ(sent[0]["fields"]["From"], "+15005550006");
  EXPECT_EQ(sent[0]["fields"]["To"], "+34911234567");
  EXPECT_EQ(sent[1]["say"]["language"], "en-US");
  EXPECT_EQ(sent[1]["say"]["voice"], nullptr);
  EXPECT_EQ(call->limits().overall.PerSecond(), 1.0);
  EXPECT_EQ(call->address_kind(), AddressKind::kPhone);
}

TEST_F(TwilioTest, VoiceHonoursConfiguredVoiceAndLanguages) {
  auto call = Voice("voice: Polly.Lupe\nlanguage_es: es-MX\n");
  Delivery d = To("+15005550009", "Hola");
  d.lang = Lang::kEs;
  EXPECT_EQ(call->Send(d).kind, ResultKind::kAccepted);
  EXPECT_EQ(Sent()[0]["fields"]["Twiml"], "<Response><Say voice=\"Polly.Lupe\" language=\"es-MX\">Hola</Say></Response>");
  EXPECT_EQ(SayTwiml("a\x01" "b", "en-US", ""), "<Response><Say language=\"en-US\">a b</Say></Response>");
}

TEST_F(TwilioTest, VoiceRefusesLongTextAndSharesErrorMapping) {
  auto call = Voice();
  EXPECT_EQ(call->Send(To("+15005550009", std::string(1001, 'a'))).code, "too-long");
  EXPECT_EQ(Stats()["requests"], 0);
  Configure({{"fail_next", {{{"status", 503}, {"code", 20503}}}}});
  const SendResult outage = call->Send(To("+15005550009", "hi"));
  EXPECT_EQ(outage.kind, ResultKind::kTransient);
  EXPECT_TRUE(outage.provider_fault);
}

TEST_F(TwilioTest, ConfigErrorsSayWhereAndWhat) {
  const std::string head = StrCat("id: sms\ntype: twilio_sms\naccount_sid: ", kSid, "\ntoken_file: token\n");
  absl::Status s = ConfigError(StrCat(head, "from: '+15005550006'\nmessaging_service_sid: ", kService, "\n"));
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:6:"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].messaging_service_sid: set either from or messaging_service_sid"));

  s = ConfigError(head);
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:1:1: channels[0]: set the sender"));

  s = ConfigError(StrCat(head, "from: '911234567'\n"));
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:5:7: channels[0].from: expected a phone number in E.164 form"));

  s = ConfigError(StrCat(head, "messaging_service_sid: MG123\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].messaging_service_sid: expected a Messaging Service SID"));

  s = ConfigError("id: sms\ntype: twilio_sms\naccount_sid: AC123\ntoken_file: token\nfrom: '+15005550006'\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:3:14: channels[0].account_sid: expected a Twilio account SID"));

  s = ConfigError(StrCat("id: sms\ntype: twilio_sms\naccount_sid: ", kSid, "\nfrom: '+15005550006'\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].token_file: missing"));

  s = ConfigError(StrCat("id: sms\ntype: twilio_sms\naccount_sid: ", kSid,
                         "\ntoken_file: no-such-file\nfrom: '+15005550006'\n"));
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:4:13: channels[0].token_file: cannot read the secret file"));

  s = ConfigError(StrCat(head, "from: '+15005550006'\nstatus_callback: /twilio/status\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].status_callback: expected an http:// or https:// URL"));

  s = ConfigError(StrCat(head, "from: '+15005550006'\nrate: fast\n"));
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:6:7: channels[0].rate: expected a rate"));

  s = ConfigError(StrCat(head, "from: '+15005550006'\nvoice: alice\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].voice: unknown key"));

  const std::string voice_head = StrCat("id: call\ntype: twilio_voice\naccount_sid: ", kSid, "\ntoken_file: token\n");
  s = ConfigError(voice_head);
  EXPECT_THAT(Message(s), HasSubstr("channels[0].from: missing"));
  s = ConfigError(StrCat(voice_head, "from: '+15005550006'\nmessaging_service_sid: ", kService, "\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].messaging_service_sid: unknown key"));
  s = ConfigError(StrCat(voice_head, "from: '+15005550006'\nlanguage_es: 'es ES'\n"));
  EXPECT_THAT(Message(s), HasSubstr("channels[0].language_es: expected a value such as es-ES"));
}

}  // namespace
}  // namespace faro::channels::twilio
