// Telegram Bot API updates from groups, supergroups and channels.
#include "sources/telegram_updates.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "sources/test_util.hpp"

namespace faro::sources {
namespace {

using testing::ExpectGolden;
using testing::ReadTestdata;
using testing::Report;

TEST(TelegramUpdates, GetUpdatesSampleMatchesGoldenFiles) {
  TelegramUpdatesConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("telegram_get_updates.json"));
  ExpectGolden("telegram_get_updates.expected.jsonl", ToJsonLines(r));
  ExpectGolden("telegram_get_updates.report.txt", Report(r));
}

TEST(TelegramUpdates, WebhookUpdateMatchesGoldenFile) {
  TelegramUpdatesConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("telegram_webhook_update.json"));
  EXPECT_TRUE(r.rejections.empty());
  ExpectGolden("telegram_webhook_update.expected.jsonl", ToJsonLines(r));
}

TEST(TelegramUpdates, ReadsGroupsChannelsCaptionsAndReplies) {
  TelegramUpdatesConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("telegram_get_updates.json"));
  ASSERT_EQ(r.mentions.size(), 5u);
  EXPECT_EQ(r.mentions[0].id, "-4012345678:101");
  EXPECT_TRUE(r.mentions[0].url.empty());  // a basic group has no t.me link
  EXPECT_EQ(r.mentions[0].channel, "Clientes Don Faro");
  EXPECT_EQ(r.mentions[1].text, "Así llegó mi pizza");  // the caption
  EXPECT_EQ(r.mentions[1].reply_to, "-1001234567890:5499");
  EXPECT_EQ(r.mentions[1].reply_to_author, "ana_nutri");
  EXPECT_EQ(r.mentions[1].url, "https://t.me/vecinos_palermo/5501");
  EXPECT_EQ(r.mentions[2].author_id, "-1009876543210");  // a channel speaks as itself
  EXPECT_EQ(r.mentions[2].url, "https://t.me/c/9876543210/77");
  EXPECT_EQ(r.mentions[3].id, r.mentions[0].id);  // the edit keeps the message's id
  EXPECT_EQ(r.mentions[4].author_id, "-1001234567890");  // an anonymous admin: the group
  EXPECT_EQ(Rfc3339(r.mentions[0].at), "2026-11-20T21:11:40.000Z");
  for (const MentionRecord& m : r.mentions) {
    EXPECT_EQ(m.shares, 0);  // the Bot API has no forward counts
    EXPECT_EQ(m.followers, 0);
  }
  EXPECT_EQ(r.skipped.at("private-chat"), 1);
  EXPECT_EQ(r.skipped.at("no-text"), 1);
  EXPECT_EQ(r.skipped.at("update-callback_query"), 1);
}

TEST(TelegramUpdates, BadUpdatesAreRejectedWithTheirIndex) {
  TelegramUpdatesConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("telegram_get_updates.json"));
  ASSERT_EQ(r.rejections.size(), 2u);
  EXPECT_EQ(r.rejections[0].where, "result[7]");
  EXPECT_EQ(r.rejections[0].field, "message.date");
  EXPECT_EQ(r.rejections[1].where, "result[8]");
  EXPECT_EQ(r.rejections[1].reason, "wrong-type");
}

TEST(TelegramUpdates, ApiErrorsAndOtherShapesAreOneRejection) {
  TelegramUpdatesConnector connector;
  for (const auto& [payload, reason] : std::vector<std::pair<std::string, std::string>>{
           {"{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other getUpdates request\"}",
            "api-error"},
           {"{\"ok\":true,\"result\":{}}", "wrong-type"},
           {"{\"message\":{}}", "missing-field"},
           {"[1]", "not-an-object"},
           {"{\"ok\":tru", "malformed-json"}}) {
    const ConvertResult r = connector.Convert(payload);
    ASSERT_EQ(r.rejections.size(), 1u) << payload;
    EXPECT_EQ(r.rejections[0].reason, reason) << payload;
  }
  const ConvertResult conflict = connector.Convert(
      "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other getUpdates request\"}");
  EXPECT_NE(conflict.rejections[0].detail.find("Conflict"), std::string::npos);
}

}  // namespace
}  // namespace faro::sources
