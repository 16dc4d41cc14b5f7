#include "channels/webhook/webhook_channel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "channel_fixture.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::channels::webhook {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr char kSecret[] = "whsec_0123456789";

// Creates a channel from YAML text, as the configuration loader would for channels[0].
absl::StatusOr<std::unique_ptr<Channel>> Make(const std::string& yaml, const testing::ConfigFolder& dir) {
  return testing::ChannelFromYaml(yaml, dir.path(), [](const ChannelConfig& config) {
    return config.type == "slack_webhook" ? CreateSlack(config) : CreateWebhook(config);
  });
}

// What a receiver computes: hex HMAC-SHA256 with OpenSSL directly.
std::string HexHmacSha256(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &length);
  std::string out;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    snprintf(byte, sizeof byte, "%02x", mac[i]);
    out += byte;
  }
  return out;
}

Delivery Alert(const std::string& subject, const std::string& text) {
  // Sent at 2021-10-04T14:00:00Z, to no address.
  Delivery d = testing::MakeDelivery("msg-7", "", text, "msg-7/alerts", FromUnixMillis(1633356000000));
  d.display_name = "Equipo de guardia";
  d.lang = Lang::kEs;
  d.content.subject = subject;
  return d;
}

class WebhookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sink_ = new testing::FakeServer("webhook_sink.py"); }
  static void TearDownTestSuite() { delete sink_; }
  void SetUp() override {
    sink_->Post("/_fake/reset", "{}");
    dir_.Write("secret", StrCat(kSecret, "\n"));
    dir_.Write("slack_url", StrCat(SlackUrl(), "\n"));
  }

  static std::string SlackUrl() { return sink_->base_url() + "/services/T000/B000/XXXXSECRETXXXX"; }
  std::unique_ptr<Channel> Webhook(const std::string& url = "") {
    return testing::ExpectCreated(Make(StrCat("id: alerts\ntype: webhook\nurl: ",
                                              url.empty() ? sink_->base_url() + "/hook" : url,
                                              "\nsecret_file: secret\ntimeout: 2s\n"),
                                       dir_));
  }
  std::unique_ptr<Channel> Slack() {
    return testing::ExpectCreated(Make("id: team\ntype: slack_webhook\nurl_file: slack_url\ntimeout: 2s\n", dir_));
  }
  absl::Status ConfigError(const std::string& yaml) {
    auto channel = Make(yaml, dir_);
    return channel.ok() ? absl::OkStatus() : channel.status();
  }
  static Json Received() { return Json::parse(sink_->Get("/_fake/received")); }
  static void Answer(const Json& answer) { sink_->Post("/_fake/config", answer.dump()); }

  static testing::FakeServer* sink_;
  testing::ConfigFolder dir_{"faro-webhook"};
};

testing::FakeServer* WebhookTest::sink_ = nullptr;

TEST_F(WebhookTest, PostsSignedJsonAReceiverCanVerify) {
  auto hook = Webhook();
  Delivery d = Alert("WhatsApp caído", "Escríbenos por Telegram: @tienda");
  d.address = "+34911234567";
  const SendResult result = hook->Send(d);
  EXPECT_EQ(result.kind, ResultKind::kAccepted) << result.detail;
  const Json received = Received();
  ASSERT_EQ(received.size(), 1u);
  const Json& headers = received[0]["headers"];
  EXPECT_EQ(received[0]["path"], "/hook");
  EXPECT_EQ(headers["content-type"], "application/json");
  EXPECT_EQ(headers["idempotency-key"], "msg-7/alerts");
  EXPECT_EQ(headers["x-faro-timestamp"], "1633356000");
  const std::string body = received[0]["body"];
  EXPECT_EQ(headers["x-faro-signature"], StrCat("sha256=", HexHmacSha256(kSecret, StrCat("1633356000.", body))));
  const Json doc = Json::parse(body);
  EXPECT_EQ(doc["id"], "msg-7");
  EXPECT_EQ(doc["idempotency_key"], "msg-7/alerts");
  EXPECT_EQ(doc["to"], "+34911234567");
  EXPECT_EQ(doc["name"], "Equipo de guardia");
  EXPECT_EQ(doc["lang"], "es");
  EXPECT_EQ(doc["subject"], "WhatsApp caído");
  EXPECT_EQ(doc["text"], "Escríbenos por Telegram: @tienda");
  EXPECT_EQ(doc["sent_at"], "2021-10-04T14:00:00Z");
  EXPECT_EQ(hook->address_kind(), AddressKind::kNone);
  EXPECT_DOUBLE_EQ(hook->limits().overall.PerSecond(), 10.0);
}

TEST_F(WebhookTest, SignatureMatchesAnIndependentComputation) {
  // Computed with Python's hmac module; the same example is in docs/channels.md.
  EXPECT_EQ(FaroSignature("whsec_test", "1633356000", "{\"text\":\"hola\"}"),
            "sha256=90fd37b47d1988b593fa52db3158b9eb70e399a86c85860371b90032806d47b4");
  EXPECT_NE(FaroSignature("whsec_other", "1633356000", "{\"text\":\"hola\"}"),
            FaroSignature("whsec_test", "1633356000", "{\"text\":\"hola\"}"));
  EXPECT_NE(FaroSignature("whsec_test", "1633356001", "{\"text\":\"hola\"}"),
            FaroSignature("whsec_test", "1633356000", "{\"text\":\"hola\"}"));
}

TEST_F(WebhookTest, AnswersAreClassified) {
  struct Case {
    int status;
    Json retry_after;
    ResultKind kind;
    bool provider_fault;
    std::chrono::milliseconds wait;
  };
  const std::vector<Case> cases = {
      {204, nullptr, ResultKind::kAccepted, false, {}},
      {429, 2, ResultKind::kRateLimited, false, std::chrono::seconds(2)},
      {429, nullptr, ResultKind::kRateLimited, false, std::chrono::seconds(1)},
      {503, 2, ResultKind::kTransient, true, {}},
      {500, nullptr, ResultKind::kTransient, true, {}},
      {408, nullptr, ResultKind::kTransient, true, {}},
      {401, nullptr, ResultKind::kAuth, false, {}},
      {403, nullptr, ResultKind::kAuth, false, {}},
      {410, nullptr, ResultKind::kPermanent, false, {}},
      {400, nullptr, ResultKind::kPermanent, false, {}},
      {302, nullptr, ResultKind::kPermanent, false, {}},
  };
  Json script = Json::array();
  for (const Case& c : cases) script.push_back({{"status", c.status}, {"retry_after", c.retry_after}, {"body", "nope"}});
  Answer({{"script", script}});
  auto hook = Webhook();
  for (const Case& c : cases) {
    const SendResult r = hook->Send(Alert("s", "t"));
    EXPECT_EQ(r.kind, c.kind) << c.status << " got " << ResultKindName(r.kind);
    EXPECT_EQ(r.provider_fault, c.provider_fault) << c.status;
    if (c.kind == ResultKind::kRateLimited) {
      EXPECT_EQ(r.wait, c.wait) << c.status;
    }
    if (c.kind != ResultKind::kAccepted) {
      EXPECT_EQ(r.code, StrCat(c.status));
      EXPECT_THAT(r.detail, HasSubstr("nope"));
      EXPECT_THAT(r.detail, Not(HasSubstr(kSecret)));
    }
  }
}

TEST_F(WebhookTest, UnreachableReceiverIsTransient) {
  auto hook = Webhook("http://127.0.0.1:1/hook");
  const SendResult r = hook->Send(Alert("s", "t"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
}

TEST_F(WebhookTest, SlackBodyIsEscapedMrkdwn) {
  auto slack = Slack();
  EXPECT_EQ(slack->Send(Alert("Outage & <fix>", "a < b > c & d\n<!channel> *ok*")).kind, ResultKind::kAccepted);
  const Json received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["path"], "/services/T000/B000/XXXXSECRETXXXX");
  EXPECT_EQ(received[0]["headers"]["content-type"], "application/json");
  const Json doc = Json::parse(std::string(received[0]["body"]));
  EXPECT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc["text"], "*Outage &amp; &lt;fix&gt;*\na &lt; b &gt; c &amp; d\n&lt;!channel&gt; *ok*");
  EXPECT_EQ(SlackText("", "only text"), "only text");
  EXPECT_EQ(SlackText("Two\nlines", ""), "*Two lines*");
  EXPECT_EQ(slack->address_kind(), AddressKind::kNone);
  EXPECT_DOUBLE_EQ(slack->limits().overall.PerSecond(), 1.0);
}

TEST_F(WebhookTest, SlackAnswersAreClassifiedWithoutShowingTheUrl) {
  struct Case {
    int status;
    std::string body;
    ResultKind kind;
    bool provider_fault;
  };
  const std::vector<Case> cases = {
      {200, "ok", ResultKind::kAccepted, false},
      {404, "no_service", ResultKind::kAuth, false},
      {403, "invalid_token", ResultKind::kAuth, false},
      {410, "channel_is_archived", ResultKind::kPermanent, false},
      {404, "channel_is_archived", ResultKind::kPermanent, false},
      {400, "invalid_payload", ResultKind::kPermanent, false},
      {429, "rate_limited", ResultKind::kRateLimited, false},
      {500, "rollup_error", ResultKind::kTransient, true},
  };
  Json script = Json::array();
  for (const Case& c : cases)
    script.push_back({{"status", c.status}, {"body", c.body}, {"retry_after", c.status == 429 ? Json(30) : Json()}});
  Answer({{"script", script}});
  auto slack = Slack();
  for (const Case& c : cases) {
    const SendResult r = slack->Send(Alert("", "hi"));
    EXPECT_EQ(r.kind, c.kind) << c.status << " " << c.body << " got " << ResultKindName(r.kind);
    EXPECT_EQ(r.provider_fault, c.provider_fault) << c.body;
    EXPECT_THAT(r.detail, Not(HasSubstr("XXXXSECRETXXXX")));
    if (c.kind == ResultKind::kRateLimited) {
      EXPECT_EQ(r.wait, std::chrono::seconds(30));
    }
  }
  EXPECT_EQ(slack->Send(Alert(" ", "")).code, "empty");
  EXPECT_EQ(Received().size(), cases.size());  // the empty message was not posted
}

TEST_F(WebhookTest, SlackTransportFailureHidesTheUrl) {
  dir_.Write("slack_url", "http://127.0.0.1:1/services/T000/B000/XXXXSECRETXXXX");
  auto slack = Slack();
  const SendResult r = slack->Send(Alert("", "hi"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_THAT(r.detail, Not(HasSubstr("XXXXSECRETXXXX")));
  EXPECT_THAT(r.detail, HasSubstr("team chat webhook"));
}

TEST_F(WebhookTest, ConfigErrorsSayWhereAndWhat) {
  absl::Status s = ConfigError("id: alerts\ntype: webhook\nsecret_file: secret\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:1:1: channels[0].url: missing; it is required"));
  s = ConfigError("id: alerts\ntype: webhook\nurl: ftp://example.com/x\nsecret_file: secret\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:3:6: channels[0].url: expected an http:// or https:// URL"));
  s = ConfigError("id: alerts\ntype: webhook\nurl: https://example.com/x\n");
  EXPECT_THAT(Message(s), HasSubstr("channels[0].secret_file: missing"));
  s = ConfigError("id: alerts\ntype: webhook\nurl: https://example.com/x\nsecret_file: missing-file\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:4:14: channels[0].secret_file: cannot read the secret file"));
  s = ConfigError("id: alerts\ntype: webhook\nurl: https://example.com/x\nsecret_file: secret\nsecret: x\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:5:1: channels[0].secret: unknown key"));
  s = ConfigError("id: alerts\ntype: webhook\nurl: https://example.com/x\nsecret_file: secret\nconcurrency: 0\n");
  EXPECT_THAT(Message(s), HasSubstr("channels[0].concurrency: expected a number from 1"));

  s = ConfigError("id: team\ntype: slack_webhook\nurl: https://hooks.slack.com/services/T/B/X\n");
  EXPECT_THAT(Message(s), HasSubstr("channels[0].url: unknown key"));
  dir_.Write("bad_url", "hooks.slack.com/services/T/B/XXXXSECRETXXXX");
  s = ConfigError("id: team\ntype: slack_webhook\nurl_file: bad_url\n");
  EXPECT_THAT(Message(s), HasSubstr("faro.yaml:3:11: channels[0].url_file: the file must hold one http"));
  EXPECT_THAT(Message(s), Not(HasSubstr("XXXXSECRETXXXX")));
}

}  // namespace
}  // namespace faro::channels::webhook
