// Contract tests: the adapter against the local fake Telegram Bot API (tests/fakes/telegram.py).
#include "channels/telegram/telegram_channel.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channel_fixture.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::channels::telegram {
namespace {

using nlohmann::json;

constexpr char kToken[] = "123456:TEST-token_abc";
constexpr char kWrongToken[] = "999999:WRONG-secret_xyz";

// The configuration's folder, holding the token files; removed when the tests end.
const testing::ConfigFolder& Folder() {
  static const testing::ConfigFolder folder(
      "faro-telegram-test",
      {{"token.txt", StrCat(kToken, "\n")}, {"wrong.txt", StrCat(kWrongToken, "\n")}, {"spaces.txt", "123 456\n"}});
  return folder;
}

// `yaml` is a configuration document; its channels[0] is created.
absl::StatusOr<std::unique_ptr<Channel>> FromYaml(const std::string& yaml) {
  const YAML::Node root = YAML::Load(yaml);
  return testing::ChannelFromYaml(root["channels"][0], Folder().path(), Create);
}

class TelegramTest : public ::testing::Test {
 protected:
  // `extra` is more YAML keys, each "    key: value\n".
  std::unique_ptr<Channel> Make(const std::string& extra = "", const std::string& token_file = "token.txt") {
    return testing::ExpectCreated(FromYaml(StrCat("channels:\n  - id: tg\n    type: telegram_bot\n    base_url: ",
                                                  fake_.base_url(), "\n    token_file: ", token_file, "\n", extra)));
  }
  static Delivery To(std::string address, std::string text, std::string key = "") {
    return testing::MakeDelivery("m1", std::move(address), std::move(text), std::move(key));
  }
  json Sent() const { return json::parse(fake_.Get("/_fake/sent")); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }
  json Stats() const { return json::parse(fake_.Get("/_fake/stats")); }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }

  testing::FakeServer fake_{"telegram.py", {"--token", kToken}};
};

TEST_F(TelegramTest, AcceptedSendRecordsChatTextAndIdempotencyKey) {
  auto channel = Make();
  const SendResult r = channel->Send(To("123456789", "Seguimos atendiendo por aquí — ñ 😀", "msg-1/tg"));
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  EXPECT_EQ(r.provider_id, "1");
  const json sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["chat_id"], 123456789);  // numeric ids go as JSON integers
  EXPECT_EQ(sent[0]["text"], "Seguimos atendiendo por aquí — ñ 😀");
  EXPECT_EQ(sent[0]["idempotency_key"], "msg-1/tg");
  // Exactly the two fields of sendMessage, nothing else.
  EXPECT_EQ(Requests()[0]["body"],
            json({{"chat_id", 123456789}, {"text", "Seguimos atendiendo por aquí — ñ 😀"}}));
}

TEST_F(TelegramTest, PostsToChannelByNameAndToTheConfiguredChannelWithoutAddress) {
  auto channel = Make("    channel: \"@faro_news\"\n");
  EXPECT_EQ(channel->Send(To("@other_channel", "one")).kind, ResultKind::kAccepted);
  EXPECT_EQ(channel->Send(To("", "two")).kind, ResultKind::kAccepted);
  EXPECT_EQ(channel->Send(To("-1001234567890", "three")).kind, ResultKind::kAccepted);
  const json sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0]["chat_id"], "@other_channel");
  EXPECT_EQ(sent[1]["chat_id"], "@faro_news");
  EXPECT_EQ(sent[2]["chat_id"], -1001234567890);
}

TEST_F(TelegramTest, NoAddressAndNoChannelIsPermanentWithoutRequest) {
  auto channel = Make();
  const SendResult r = channel->Send(To("", "hello"));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "no-address");
  const SendResult bad = channel->Send(To("not a chat", "hello"));
  EXPECT_EQ(bad.kind, ResultKind::kPermanent);
  EXPECT_EQ(bad.code, "bad-address");
  EXPECT_TRUE(Requests().empty());
}

TEST_F(TelegramTest, TooManyRequestsWaitsRetryAfter) {
  Configure({{"per_chat_rate", 0.05}});  // one message per 20 s to a chat
  auto channel = Make();
  ASSERT_EQ(channel->Send(To("42", "first")).kind, ResultKind::kAccepted);
  const SendResult r = channel->Send(To("42", "second"));
  EXPECT_EQ(r.kind, ResultKind::kRateLimited);
  EXPECT_EQ(r.code, "429");
  EXPECT_EQ(r.wait, std::chrono::seconds(20));
  EXPECT_FALSE(r.provider_fault);
  EXPECT_EQ(channel->Send(To("43", "another chat")).kind, ResultKind::kAccepted);
  EXPECT_EQ(Stats()["rate_limited"], 1);
}

TEST_F(TelegramTest, OverallLimitAlsoAnswers429) {
  Configure({{"rate", 0.5}, {"burst", 1}});
  auto channel = Make();
  ASSERT_EQ(channel->Send(To("1", "a")).kind, ResultKind::kAccepted);
  const SendResult r = channel->Send(To("2", "b"));
  EXPECT_EQ(r.kind, ResultKind::kRateLimited);
  EXPECT_EQ(r.wait, std::chrono::seconds(2));
}

TEST_F(TelegramTest, BlockedOrNeverStartedIsConsent) {
  Configure({{"blocked", {"777"}}});
  auto channel = Make();
  const SendResult r = channel->Send(To("777", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kConsent);
  EXPECT_EQ(r.code, "403");
  EXPECT_TRUE(Sent().empty());
}

TEST_F(TelegramTest, MigratedGroupGivesTheNewChatId) {
  Configure({{"migrated", {{"-4001", -1001234567890}}}});
  auto channel = Make();
  const SendResult r = channel->Send(To("-4001", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_EQ(r.new_address, "-1001234567890");
  EXPECT_FALSE(r.provider_fault);
  EXPECT_EQ(channel->Send(To(r.new_address, "hola")).kind, ResultKind::kAccepted);
}

TEST_F(TelegramTest, TooLongIsPermanentWithoutRequest) {
  auto channel = Make();
  // 4095 letters and one emoji: 4097 UTF-16 code units, as Telegram counts.
  const SendResult r = channel->Send(To("42", std::string(4095, 'a') + "😀"));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "too-long");
  EXPECT_TRUE(Requests().empty());
  // Exactly 4096 units goes, and the fake (counting the same way) takes it.
  EXPECT_EQ(channel->Send(To("42", std::string(4094, 'a') + "😀")).kind, ResultKind::kAccepted);
  EXPECT_EQ(channel->Send(To("", "")).code, "no-address");
  EXPECT_EQ(channel->Send(To("43", "")).code, "empty-text");
}

TEST_F(TelegramTest, OtherBadRequestIsPermanent) {
  Configure({{"fail_next", {{{"status", 400}, {"description", "Bad Request: chat not found"}}}}});
  auto channel = Make();
  const SendResult r = channel->Send(To("42", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "400");
  EXPECT_NE(r.detail.find("chat not found"), std::string::npos);
}

TEST_F(TelegramTest, ForbiddenFromSomethingElseThanTheBotApiIsNotTheirConsent) {
  // A proxy's 403 page says nothing about the person: the channel is misconfigured.
  Configure({{"fail_next", {{{"status", 403}, {"raw", "<html>Forbidden</html>"}}}}});
  auto channel = Make();
  const SendResult r = channel->Send(To("42", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kAuth);
  EXPECT_EQ(r.code, "403");
}

TEST_F(TelegramTest, WrongTokenIsAuthAndDetailHidesTheToken) {
  auto channel = Make("", "wrong.txt");
  const SendResult r = channel->Send(To("42", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kAuth);
  EXPECT_EQ(r.code, "401");
  EXPECT_EQ(r.detail.find("WRONG-secret"), std::string::npos) << r.detail;
  EXPECT_EQ(Stats()["errors"]["401"], 1);
}

TEST_F(TelegramTest, ServerErrorIsTransientProviderFault) {
  Configure({{"outage", true}});
  auto channel = Make();
  const SendResult r = channel->Send(To("42", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "500");
}

TEST_F(TelegramTest, TransportFailureIsTransientAndHidesTheToken) {
  // Nothing listens on port 1; the URL (with the token in it) must not reach the detail.
  auto channel = FromYaml("channels:\n  - id: tg\n    type: telegram_bot\n    base_url: http://127.0.0.1:1/\n"
                          "    token_file: token.txt\n    timeout: 2s\n");
  ASSERT_TRUE(channel.ok()) << channel.status();
  const SendResult r = (*channel)->Send(To("42", "hola"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "transport");
  EXPECT_EQ(r.detail.find(kToken), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("<token>"), std::string::npos) << r.detail;
}

TEST_F(TelegramTest, RepeatedIdempotencyKeyIsDeliveredOnce) {
  auto channel = Make();
  ASSERT_NO_FATAL_FAILURE(testing::ExpectRepeatedKeyDeliveredOnce(*channel, To("42", "hola", "same-key"), fake_));
}

TEST_F(TelegramTest, LimitsAndAddressKindFollowTheConfiguration) {
  auto defaults = Make();
  EXPECT_EQ(defaults->address_kind(), AddressKind::kTelegram);
  Limits l = defaults->limits();
  EXPECT_DOUBLE_EQ(l.overall.PerSecond(), 30);
  ASSERT_TRUE(l.per_recipient.has_value());
  EXPECT_DOUBLE_EQ(l.per_recipient->PerSecond(), 1);
  EXPECT_EQ(l.max_text, 4096u);
  l = Make("    rate: 20/s\n    per_chat_rate: 20/min\n    burst: 5\n    concurrency: 2\n")->limits();
  EXPECT_DOUBLE_EQ(l.overall.PerSecond(), 20);
  EXPECT_EQ(l.per_recipient->per, std::chrono::minutes(1));
  EXPECT_EQ(l.burst, 5);
  EXPECT_EQ(l.concurrency, 2);
}

TEST(TelegramConfig, ErrorsNameFileLineAndKey) {
  const auto Error = [](const std::string& yaml) {
    const auto channel = FromYaml(yaml);
    return channel.ok() ? std::string("no error") : Message(channel.status());
  };
  EXPECT_EQ(Error("channels:\n  - id: tg\n    type: telegram_bot\n    tokn_file: token.txt\n"),
            "faro.yaml:4:5: channels[0].tokn_file: unknown key; expected one of: id, type, platform, consent, public_address, base_url, "
            "token_file, channel, rate, per_chat_rate, burst, concurrency, timeout");
  EXPECT_EQ(Error("channels:\n  - id: tg\n    type: telegram_bot\n"),
            "faro.yaml:2:5: channels[0].token_file: missing; it is required");
  EXPECT_EQ(Error("channels:\n  - id: tg\n    type: telegram_bot\n    token_file: token.txt\n    channel: news\n"),
            "faro.yaml:5:14: channels[0].channel: expected a public channel as \"@name\" or a numeric id starting "
            "with -100, got \"news\"");
  EXPECT_EQ(Error("channels:\n  - id: tg\n    type: telegram_bot\n    token_file: token.txt\n    rate: fast\n"),
            "faro.yaml:5:11: channels[0].rate: expected a rate such as 30/s, 20/min or 1/6s, got \"fast\"");
  EXPECT_EQ(Error("channels:\n  - id: tg\n    type: telegram_bot\n    base_url: api.telegram.org\n    token_file: t\n"),
            "faro.yaml:4:15: channels[0].base_url: expected an http:// or https:// address, got \"api.telegram.org\"");
  const std::string spaces = Error("channels:\n  - id: tg\n    type: telegram_bot\n    token_file: spaces.txt\n");
  EXPECT_TRUE(spaces.starts_with("faro.yaml:4:17: channels[0].token_file: the bot token")) << spaces;
  EXPECT_EQ(spaces.find("123 456"), std::string::npos);
  const std::string missing = Error("channels:\n  - id: tg\n    type: telegram_bot\n    token_file: nowhere.txt\n");
  EXPECT_TRUE(missing.starts_with("faro.yaml:4:17: channels[0].token_file: cannot read the secret file")) << missing;
}

TEST(TelegramText, LengthCountsUtf16CodeUnits) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("ñá"), 2u);   // two-byte sequences: one unit each
  EXPECT_EQ(Utf16Length("€"), 1u);    // three bytes, one unit
  EXPECT_EQ(Utf16Length("😀"), 2u);   // four bytes, a surrogate pair
}

}  // namespace
}  // namespace faro::channels::telegram
