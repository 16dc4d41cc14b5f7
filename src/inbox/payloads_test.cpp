#include "inbox/payloads.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "inbox/test_fixtures.hpp"

namespace faro::inbox {
namespace {

const TimePoint kReceived = FromUnixMillis(1749416999000);

std::string WhatsAppValue(std::string_view value_fields) {
  return StrCat(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{)",
                R"("messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},)", value_fields,
                R"(},"field":"messages"}]}]})");
}

TEST(WhatsAppPayload, InboundTextFixture) {
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(fixtures::kWhatsAppInbound, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const InboundEvent& e = parsed->events[0];
  EXPECT_EQ(e.kind, InboundEvent::Kind::kMessage);
  EXPECT_EQ(e.channel_type, "whatsapp_cloud");
  EXPECT_EQ(e.event_id, "wamid.TEST1");
  EXPECT_EQ(e.from, "+16505551234");
  EXPECT_EQ(e.to, "106540352242922");
  EXPECT_EQ(e.display_name, "Sheena Nelson");
  EXPECT_EQ(e.message_type, "text");
  EXPECT_EQ(e.text, "Does it come in another color?");
  EXPECT_EQ(e.time, FromUnixMillis(1749416383000));
  EXPECT_TRUE(parsed->warnings.empty());
}

TEST(WhatsAppPayload, FailedStatusFixtureCarriesTheErrorCode) {
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(fixtures::kWhatsAppFailedStatus, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const InboundEvent& e = parsed->events[0];
  EXPECT_EQ(e.kind, InboundEvent::Kind::kStatus);
  EXPECT_EQ(e.provider_message_id, "wamid.TEST1");
  EXPECT_EQ(e.status, DeliveryStatus::kFailed);
  EXPECT_EQ(e.provider_status, "failed");
  EXPECT_EQ(e.error_code, "131047");
  EXPECT_EQ(e.from, "+16505551234");
  EXPECT_EQ(e.time, FromUnixMillis(1749416400000));
}

TEST(WhatsAppPayload, OtherMessageTypesGetAPlaceholderAndButtonsTheirLabel) {
  const std::string body = WhatsAppValue(
      R"("messages":[)"
      R"({"from":"34600000001","id":"wamid.A","timestamp":"1749416383","type":"image","image":{"id":"m1","caption":"la factura"}},)"
      R"({"from":"34600000001","id":"wamid.B","timestamp":"1749416384","type":"button","button":{"text":"STOP","payload":"x"}},)"
      R"({"from":"34600000001","id":"wamid.C","timestamp":"1749416385","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"b1","title":"Sí, gracias"}}},)"
      R"({"from":"34600000001","id":"wamid.D","timestamp":"1749416386","type":"location","location":{"latitude":1}}])");
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(body, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 4u);
  EXPECT_EQ(parsed->events[0].message_type, "image");
  EXPECT_EQ(parsed->events[0].text, "[image] la factura");
  EXPECT_EQ(parsed->events[1].text, "STOP");
  EXPECT_EQ(parsed->events[2].text, "Sí, gracias");
  EXPECT_EQ(parsed->events[3].text, "[location]");
  EXPECT_EQ(parsed->events[3].display_name, "");  // no contacts[] entry
}

TEST(WhatsAppPayload, UnusableItemsAreSkippedWithAWarning) {
  const std::string body = WhatsAppValue(
      R"("messages":[{"from":"34600000001","timestamp":"1","type":"text","text":{"body":"no id"}},)"
      R"({"from":"34600000001","id":"wamid.OK","type":"text","text":{"body":"no time"}}],)"
      R"("statuses":[{"id":"wamid.X","status":"exploded"}])");
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(body, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(parsed->events[0].event_id, "wamid.OK");
  EXPECT_EQ(parsed->events[0].time, kReceived) << "without a timestamp the receive time is used";
  ASSERT_EQ(parsed->warnings.size(), 2u);
  EXPECT_EQ(parsed->warnings[0], "entry[0].changes[0].value.messages[0] skipped: no id or no sender");
  EXPECT_NE(parsed->warnings[1].find("statuses[0]"), std::string::npos);
}

TEST(WhatsAppPayload, OtherFieldsYieldNoEvents) {
  const std::string body =
      R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"event":"FLAGGED"},"field":"account_update"}]}]})";
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(body, kReceived);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->events.empty());
}

TEST(WhatsAppPayload, NotJsonOrNotANotificationIsAnError) {
  absl::StatusOr<ParsedPayload> bad = ParseWhatsAppNotification(R"({"entry":[)", kReceived);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(Message(bad.status()).find("not JSON"), std::string::npos);
  EXPECT_FALSE(ParseWhatsAppNotification(R"({"object":"page"})", kReceived).ok());
  EXPECT_FALSE(ParseWhatsAppNotification(R"([1,2])", kReceived).ok());
  EXPECT_FALSE(ParseWhatsAppNotification(R"({"entry":{}})", kReceived).ok());
}

TEST(WhatsAppPayload, WrongTypesInsideDoNotCrash) {
  const std::string body = WhatsAppValue(
      R"("contacts":"nope","messages":[7,{"from":12,"id":["x"]},{"from":"1","id":"wamid.Z","type":"text","text":"flat"}])");
  absl::StatusOr<ParsedPayload> parsed = ParseWhatsAppNotification(body, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(parsed->events[0].event_id, "wamid.Z");
  EXPECT_EQ(parsed->events[0].text, "");
}

TEST(TelegramPayload, MessageFromAPerson) {
  const std::string body =
      R"({"update_id":900001,"message":{"message_id":5,"date":1749416383,)"
      R"("from":{"id":111,"is_bot":false,"first_name":"Ana","last_name":"García","username":"anag"},)"
      R"("chat":{"id":111,"type":"private"},"text":"¿Está abierto hoy?"}})";
  absl::StatusOr<ParsedPayload> parsed = ParseTelegramUpdate(body, kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const InboundEvent& e = parsed->events[0];
  EXPECT_EQ(e.channel_type, "telegram_bot");
  EXPECT_EQ(e.event_id, "900001");
  EXPECT_EQ(e.from, "111");
  EXPECT_EQ(e.display_name, "Ana García");
  EXPECT_EQ(e.text, "¿Está abierto hoy?");
  EXPECT_EQ(e.time, FromUnixMillis(1749416383000));
  EXPECT_FALSE(e.edited);
}

TEST(TelegramPayload, EditedMessagesChannelPostsAndMedia) {
  absl::StatusOr<ParsedPayload> edited = ParseTelegramUpdate(
      R"({"update_id":2,"edited_message":{"date":1,"chat":{"id":-1001234567890},"from":{"username":"shop"},"text":"x"}})",
      kReceived);
  ASSERT_TRUE(edited.ok());
  ASSERT_EQ(edited->events.size(), 1u);
  EXPECT_TRUE(edited->events[0].edited);
  EXPECT_EQ(edited->events[0].from, "-1001234567890");
  EXPECT_EQ(edited->events[0].display_name, "@shop");

  absl::StatusOr<ParsedPayload> post = ParseTelegramUpdate(
      R"({"update_id":3,"channel_post":{"date":1,"chat":{"id":-100,"title":"Avisos"},"photo":[{}],"caption":"cerrado"}})",
      kReceived);
  ASSERT_TRUE(post.ok());
  ASSERT_EQ(post->events.size(), 1u);
  EXPECT_EQ(post->events[0].display_name, "Avisos");
  EXPECT_EQ(post->events[0].message_type, "photo");
  EXPECT_EQ(post->events[0].text, "[photo] cerrado");
}

TEST(TelegramPayload, OtherUpdatesYieldNoEventsAndJunkIsAnError) {
  absl::StatusOr<ParsedPayload> callback =
      ParseTelegramUpdate(R"({"update_id":4,"callback_query":{"id":"1","data":"x"}})", kReceived);
  ASSERT_TRUE(callback.ok());
  EXPECT_TRUE(callback->events.empty());
  EXPECT_FALSE(ParseTelegramUpdate(R"({"message":{}})", kReceived).ok());
  EXPECT_FALSE(ParseTelegramUpdate(R"({"update_id":"4"})", kReceived).ok());
  EXPECT_FALSE(ParseTelegramUpdate("update_id=4", kReceived).ok());
  absl::StatusOr<ParsedPayload> no_chat = ParseTelegramUpdate(R"({"update_id":5,"message":{"text":"hi"}})", kReceived);
  ASSERT_TRUE(no_chat.ok());
  EXPECT_TRUE(no_chat->events.empty());
  EXPECT_EQ(no_chat->warnings.size(), 1u);
}

TEST(TwilioPayload, InboundSms) {
  absl::StatusOr<ParsedPayload> parsed = ParseTwilioCallback(
      {{"MessageSid", "SM1"}, {"From", "+5491155550000"}, {"To", "+15005550006"}, {"Body", "STOP"}, {"NumMedia", "0"},
       {"SmsStatus", "received"}},
      kReceived);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const InboundEvent& e = parsed->events[0];
  EXPECT_EQ(e.kind, InboundEvent::Kind::kMessage);
  EXPECT_EQ(e.channel_type, "twilio_sms");
  EXPECT_EQ(e.event_id, "SM1");
  EXPECT_EQ(e.from, "+5491155550000");
  EXPECT_EQ(e.to, "+15005550006");
  EXPECT_EQ(e.text, "STOP");
  EXPECT_EQ(e.time, kReceived);
}

TEST(TwilioPayload, MmsWithoutTextGetsAPlaceholder) {
  absl::StatusOr<ParsedPayload> parsed =
      ParseTwilioCallback({{"MessageSid", "MM1"}, {"From", "+1"}, {"To", "+2"}, {"Body", ""}, {"NumMedia", "1"}}, kReceived);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->events[0].text, "[media]");
}

TEST(TwilioPayload, StatusCallbackWithErrorCode) {
  absl::StatusOr<ParsedPayload> parsed = ParseTwilioCallback(
      {{"MessageSid", "SM2"}, {"MessageStatus", "undelivered"}, {"ErrorCode", "30003"}, {"To", "+5491155550000"},
       {"From", "+15005550006"}},
      kReceived);
  ASSERT_TRUE(parsed.ok());
  const InboundEvent& e = parsed->events[0];
  EXPECT_EQ(e.kind, InboundEvent::Kind::kStatus);
  EXPECT_EQ(e.provider_message_id, "SM2");
  EXPECT_EQ(e.status, DeliveryStatus::kFailed);
  EXPECT_EQ(e.provider_status, "undelivered");
  EXPECT_EQ(e.error_code, "30003");
  EXPECT_EQ(e.from, "+5491155550000") << "a status names the person the message went to";
}

TEST(TwilioPayload, WithoutMessageSidIsAnError) {
  EXPECT_FALSE(ParseTwilioCallback({{"From", "+1"}, {"Body", "hi"}}, kReceived).ok());
  EXPECT_FALSE(ParseTwilioCallback({{"MessageSid", "SM3"}, {"Body", "hi"}}, kReceived).ok());
}

TEST(FormUrlEncoded, DecodesPlusPercentAndKeepsRepeats) {
  const FormParams p = ParseFormUrlEncoded("From=%2B15005550006&Body=Hola+mundo%21&MediaUrl=a&MediaUrl=b&Empty=&Flag&Bad=%zz%4");
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>("From", "+15005550006")));
  EXPECT_EQ(p[1].second, "Hola mundo!");
  EXPECT_EQ(p[2].second, "a");
  EXPECT_EQ(p[3].second, "b");
  EXPECT_EQ(p[4].second, "");
  EXPECT_EQ(p[5].first, "Flag");
  EXPECT_EQ(p[6].second, "%zz%4");
  EXPECT_EQ(ParseFormUrlEncoded("A=%-1").at(0).second, "%-1");
}

TEST(DeliveryStatuses, ProviderWordsAndRanks) {
  EXPECT_EQ(ParseDeliveryStatus("accepted"), DeliveryStatus::kQueued);
  EXPECT_EQ(ParseDeliveryStatus("sending"), DeliveryStatus::kQueued);
  EXPECT_EQ(ParseDeliveryStatus("canceled"), DeliveryStatus::kFailed);
  EXPECT_EQ(ParseDeliveryStatus("READ"), DeliveryStatus::kRead);
  EXPECT_EQ(ParseDeliveryStatus("received"), std::nullopt);
  EXPECT_LT(Rank(DeliveryStatus::kSent), Rank(DeliveryStatus::kFailed));
  EXPECT_LT(Rank(DeliveryStatus::kFailed), Rank(DeliveryStatus::kDelivered));
  EXPECT_LT(Rank(DeliveryStatus::kDelivered), Rank(DeliveryStatus::kRead));
}

}  // namespace
}  // namespace faro::inbox
