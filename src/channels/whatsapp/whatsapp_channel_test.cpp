// Contract tests: the adapter against the local fake WhatsApp Cloud API (tests/fakes/whatsapp.py).
#include "channels/whatsapp/whatsapp_channel.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channel_fixture.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::channels::whatsapp {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::seconds;

constexpr char kToken[] = "EAAG-test-token";
constexpr char kWrongToken[] = "EAAG-WRONG-secret";
constexpr char kPhoneNumberId[] = "106540352242922";
constexpr char kAna[] = "+5491155550123";
constexpr char kAnaWaId[] = "5491155550123";

// The configuration's folder, holding the secret files; removed when the tests end.
const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder("faro-whatsapp-test", {{"token.txt", StrCat(kToken, "\n")},
                                                                   {"wrong.txt", StrCat(kWrongToken, "\n")},
                                                                   {"app_secret.txt", "test_app_secret\n"}});
  return folder;
}

// `yaml` is a configuration document; its channels[0] is created.
absl::StatusOr<std::unique_ptr<Channel>> FromYaml(const std::string& yaml) {
  const YAML::Node root = YAML::Load(yaml);
  return testing::ChannelFromYaml(root["channels"][0], Folder().path(), Create);
}

WhatsAppTemplate Holding() { return {"service_notice_v1", "es", {"Ana", "Panadería Sol", "martes"}}; }

json TemplateJson(const std::string& to) {
  return {{"messaging_product", "whatsapp"},
          {"to", to},
          {"type", "template"},
          {"template",
           {{"name", "service_notice_v1"},
            {"language", {{"code", "es"}}},
            {"components", json::array({{{"type", "body"},
                                         {"parameters", json::array({{{"type", "text"}, {"text", "Ana"}},
                                                                     {{"type", "text"}, {"text", "Panadería Sol"}},
                                                                     {{"type", "text"}, {"text", "martes"}}})}}})}}}};
}

class WhatsAppTest : public ::testing::Test {
 protected:
  // `extra` is more YAML keys, each "    key: value\n".
  std::unique_ptr<Channel> Make(const std::string& extra = "", const std::string& token_file = "token.txt") {
    return testing::ExpectCreated(FromYaml(StrCat("channels:\n  - id: wa\n    type: whatsapp_cloud\n    base_url: ",
                                                  fake_.base_url(), "\n    phone_number_id: \"", kPhoneNumberId,
                                                  "\"\n    token_file: ", token_file,
                                                  "\n    app_secret_file: app_secret.txt\n", extra)));
  }
  // A new message to `to`, who last wrote `since` ago (never, when negative).
  Delivery To(std::string to, std::string text, hours since, std::optional<WhatsAppTemplate> tmpl = {}) {
    const std::string id = StrCat("m", ++messages_);
    Delivery d = testing::MakeDelivery(id, std::move(to), std::move(text), StrCat(id, "/wa"));
    d.content.whatsapp_template = std::move(tmpl);
    if (since >= hours(0)) d.last_inbound = d.now - since;
    return d;
  }
  // The fake's own record of when `wa_id` last wrote.
  void LastWrote(const std::string& wa_id, hours ago) {
    const auto now = std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch());
    Configure({{"inbound", {{wa_id, (now - ago).count()}}}});
  }
  json Sent() const { return json::parse(fake_.Get("/_fake/sent")); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }
  json Stats() const { return json::parse(fake_.Get("/_fake/stats")); }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }

  int messages_ = 0;
  testing::FakeServer fake_{"whatsapp.py", {"--token", kToken, "--phone-number-id", kPhoneNumberId}};
};

TEST_F(WhatsAppTest, InsideTheWindowSendsFreeFormText) {
  LastWrote(kAnaWaId, hours(2));
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "Seguimos atendiendo por aquí", hours(2), Holding()));
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  EXPECT_EQ(r.provider_id, "wamid.FAKE000001");
  const json sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["body"], json({{"messaging_product", "whatsapp"},
                                   {"recipient_type", "individual"},
                                   {"to", kAnaWaId},
                                   {"type", "text"},
                                   {"text", {{"body", "Seguimos atendiendo por aquí"}}}}));
  EXPECT_EQ(sent[0]["idempotency_key"], "m1/wa");
}

TEST_F(WhatsAppTest, OutsideTheWindowSendsTheTemplateWithParametersInOrder) {
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "free-form text not used", hours(30), Holding()));
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  const json sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["body"], TemplateJson(kAnaWaId));
  ASSERT_EQ(Requests().size(), 1u);  // no free-form attempt first
}

TEST_F(WhatsAppTest, TemplateWithoutParametersHasNoComponents) {
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "", hours(-1), WhatsAppTemplate{"hello_world", "en_US", {}}));
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  EXPECT_EQ(Sent()[0]["body"]["template"], json({{"name", "hello_world"}, {"language", {{"code", "en_US"}}}}));
  // A template without a language goes in the person's.
  Delivery spanish = To("+5491155550999", "", hours(-1), WhatsAppTemplate{"hello_world", "", {}});
  spanish.lang = Lang::kEs;
  ASSERT_EQ(channel->Send(spanish).kind, ResultKind::kAccepted);
  EXPECT_EQ(Sent()[1]["body"]["template"]["language"]["code"], "es");
}

TEST_F(WhatsAppTest, WindowClosedAtMetaSwitchesToTheTemplateInTheSameSend) {
  // Faro thinks Ana wrote an hour ago; Meta's records say she never did.
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "Seguimos atendiendo por aquí", hours(1), Holding()));
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  const json requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0]["body"]["type"], "text");
  EXPECT_EQ(requests[0]["code"], 131047);
  EXPECT_EQ(requests[1]["body"], TemplateJson(kAnaWaId));
  const json sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["type"], "template");
}

TEST_F(WhatsAppTest, WindowClosedAtMetaWithoutTemplateIsPermanent) {
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "hola", hours(1)));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "131047");
  EXPECT_EQ(Requests().size(), 1u);
}

TEST_F(WhatsAppTest, OutsideTheWindowWithoutTemplateIsPermanentWithoutRequest) {
  auto channel = Make();
  SendResult r = channel->Send(To(kAna, "hola", hours(25)));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "131047-no-template");
  r = channel->Send(To(kAna, "hola", hours(-1)));  // never wrote
  EXPECT_EQ(r.code, "131047-no-template");
  r = channel->Send(To("5491155550123", "hola", hours(1)));  // no '+'
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "bad-address");
  EXPECT_TRUE(Requests().empty());
}

TEST_F(WhatsAppTest, TooLongFreeFormUsesTheTemplateOrIsPermanent) {
  LastWrote(kAnaWaId, hours(1));
  auto channel = Make();
  const std::string long_text(4097, 'a');
  SendResult r = channel->Send(To(kAna, long_text, hours(1)));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "too-long");
  EXPECT_TRUE(Requests().empty());
  r = channel->Send(To(kAna, long_text, hours(1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  EXPECT_EQ(Sent()[0]["type"], "template");
}

TEST_F(WhatsAppTest, NumberThroughputIsRateLimited) {
  Configure({{"rate", 0.5}, {"burst", 1}});
  auto channel = Make();
  ASSERT_EQ(channel->Send(To(kAna, "", hours(-1), Holding())).kind, ResultKind::kAccepted);
  const SendResult r = channel->Send(To("+5491155550999", "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kRateLimited);
  EXPECT_EQ(r.code, "130429");
  EXPECT_EQ(r.wait, seconds(1));
  EXPECT_FALSE(r.provider_fault);
}

TEST_F(WhatsAppTest, PairLimitIsRateLimitedForThatPerson) {
  Configure({{"pair_burst", 1}});
  auto channel = Make();
  ASSERT_EQ(channel->Send(To(kAna, "", hours(-1), Holding())).kind, ResultKind::kAccepted);
  const SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kRateLimited);
  EXPECT_EQ(r.code, "131056");
  EXPECT_EQ(r.wait, seconds(6));
  EXPECT_FALSE(r.provider_fault);
  EXPECT_EQ(channel->Send(To("+5491155550999", "", hours(-1), Holding())).kind, ResultKind::kAccepted);
}

TEST_F(WhatsAppTest, RetryAfterHeaderSetsTheWait) {
  Configure({{"fail_next", {{{"status", 429}, {"code", 4}, {"message", "Application request limit reached"},
                             {"retry_after", 17}}}}});
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kRateLimited);
  EXPECT_EQ(r.code, "4");
  EXPECT_EQ(r.wait, seconds(17));
}

TEST_F(WhatsAppTest, OutageIsTransientAndTheProvidersFault) {
  Configure({{"outage", true}});
  auto channel = Make();
  SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "2");
  Configure({{"outage", "503"}});  // a bare 503 without a JSON body
  r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "503");
}

TEST_F(WhatsAppTest, NotOnWhatsAppIsPermanent) {
  Configure({{"not_on_whatsapp", {kAnaWaId}}});
  auto channel = Make();
  const SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "131026");
  EXPECT_FALSE(r.provider_fault);
}

TEST_F(WhatsAppTest, ErrorCodesMapToKinds) {
  struct Case {
    int status;
    int code;
    ResultKind kind;
  };
  const Case cases[] = {{400, 131048, ResultKind::kPermanent}, {400, 131049, ResultKind::kPermanent},
                        {400, 368, ResultKind::kPermanent},    {400, 100, ResultKind::kPermanent},
                        {400, 131057, ResultKind::kTransient}, {500, 1, ResultKind::kTransient},
                        {400, 80007, ResultKind::kRateLimited}, {403, 200, ResultKind::kAuth},
                        {403, 10, ResultKind::kAuth},          {401, 0, ResultKind::kAuth}};
  json script = json::array();
  for (const Case& c : cases) script.push_back({{"status", c.status}, {"code", c.code}});
  Configure({{"fail_next", script}});
  auto channel = Make();
  for (const Case& c : cases) {
    const SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
    EXPECT_EQ(r.kind, c.kind) << c.code;
    EXPECT_EQ(r.code, std::to_string(c.code));
    EXPECT_EQ(r.provider_fault, c.kind == ResultKind::kTransient) << c.code;
  }
}

TEST_F(WhatsAppTest, WrongTokenIsAuthAndDetailHidesTheToken) {
  auto channel = Make("", "wrong.txt");
  const SendResult r = channel->Send(To(kAna, "", hours(-1), Holding()));
  EXPECT_EQ(r.kind, ResultKind::kAuth);
  EXPECT_EQ(r.code, "190");
  EXPECT_EQ(r.detail.find(kWrongToken), std::string::npos) << r.detail;
}

TEST_F(WhatsAppTest, RepeatedIdempotencyKeyIsDeliveredOnce) {
  auto channel = Make();
  ASSERT_NO_FATAL_FAILURE(testing::ExpectRepeatedKeyDeliveredOnce(*channel, To(kAna, "", hours(-1), Holding()), fake_));
}

TEST_F(WhatsAppTest, LimitsAndAddressKindFollowTheConfiguration) {
  auto defaults = Make();
  EXPECT_EQ(defaults->address_kind(), AddressKind::kPhone);
  Limits l = defaults->limits();
  EXPECT_DOUBLE_EQ(l.overall.PerSecond(), 80);
  ASSERT_TRUE(l.per_recipient.has_value());
  EXPECT_EQ(l.per_recipient->per, seconds(6));
  EXPECT_EQ(l.max_text, 4096u);
  l = Make("    rate: 20/s\n    pair_rate: 10/min\n    burst: 20\n")->limits();
  EXPECT_DOUBLE_EQ(l.overall.PerSecond(), 20);
  EXPECT_EQ(l.per_recipient->per, std::chrono::minutes(1));
  EXPECT_EQ(l.burst, 20);
}

TEST(WhatsAppWindow, OpenForLessThan24HoursAfterTheLastInboundMessage) {
  Delivery d;
  d.now = std::chrono::system_clock::now();
  EXPECT_FALSE(InsideServiceWindow(d));
  d.last_inbound = d.now - hours(24) + seconds(1);
  EXPECT_TRUE(InsideServiceWindow(d));
  d.last_inbound = d.now - hours(24);
  EXPECT_FALSE(InsideServiceWindow(d));
}

TEST(WhatsAppConfig, ErrorsNameFileLineAndKey) {
  const auto Error = [](const std::string& yaml) {
    const auto channel = FromYaml(yaml);
    return channel.ok() ? std::string("no error") : Message(channel.status());
  };
  const std::string head = "channels:\n  - id: wa\n    type: whatsapp_cloud\n";
  EXPECT_EQ(Error(head + "    token_file: token.txt\n"),
            "faro.yaml:2:5: channels[0].phone_number_id: missing; it is required");
  EXPECT_EQ(Error(head + "    phone_number_id: \"+15550783881\"\n    token_file: token.txt\n"),
            "faro.yaml:4:22: channels[0].phone_number_id: expected the numeric phone number id from WhatsApp "
            "Manager (not the phone number itself), got \"+15550783881\"");
  EXPECT_EQ(Error(head + "    phone_number_id: 1\n    token_file: token.txt\n    api_version: 23\n"),
            "faro.yaml:6:18: channels[0].api_version: expected a Graph API version such as v23.0, got \"23\"");
  EXPECT_EQ(Error(head + "    phone_number_id: 1\n    token_file: token.txt\n    pair_rate: 1/0s\n"),
            "faro.yaml:6:16: channels[0].pair_rate: expected a rate such as 30/s, 20/min or 1/6s, got \"1/0s\"");
  const std::string secret =
      Error(head + "    phone_number_id: 1\n    token_file: token.txt\n    app_secret_file: no.txt\n");
  EXPECT_TRUE(secret.starts_with("faro.yaml:6:22: channels[0].app_secret_file: cannot read the secret file")) << secret;
  const std::string unknown = Error(head + "    phone_number_id: 1\n    token: abc\n");
  EXPECT_TRUE(unknown.starts_with("faro.yaml:5:5: channels[0].token: unknown key")) << unknown;
}

}  // namespace
}  // namespace faro::channels::whatsapp
