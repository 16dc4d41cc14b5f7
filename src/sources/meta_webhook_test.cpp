// Meta webhooks: Instagram comments and mentions, Page feed, signatures and the handshake.
#include "sources/meta_webhook.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "inbox/signatures.hpp"
#include "sources/test_util.hpp"

namespace faro::sources {
namespace {

using testing::ExpectGolden;
using testing::ReadTestdata;
using testing::Report;

TEST(MetaWebhook, InstagramSampleMatchesGoldenFiles) {
  MetaWebhookConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("meta_instagram.json"));
  ExpectGolden("meta_instagram.expected.jsonl", ToJsonLines(r));
  ExpectGolden("meta_instagram.report.txt", Report(r));
}

TEST(MetaWebhook, PageFeedSampleMatchesGoldenFiles) {
  MetaWebhookConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("meta_page.json"));
  ExpectGolden("meta_page.expected.jsonl", ToJsonLines(r));
  ExpectGolden("meta_page.report.txt", Report(r));
}

TEST(MetaWebhook, InstagramCommentsUseEntryTimeAndReplyToParentOrMedia) {
  MetaWebhookConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("meta_instagram.json"));
  ASSERT_EQ(r.mentions.size(), 3u);
  EXPECT_EQ(r.mentions[0].author_handle, "lucia.viaja");
  EXPECT_EQ(r.mentions[0].reply_to, "17900000000000001");  // the media
  EXPECT_EQ(r.mentions[1].reply_to, "18000000000000001");  // the parent comment
  EXPECT_EQ(Rfc3339(r.mentions[0].at), "2026-11-20T21:04:05.000Z");
  EXPECT_EQ(r.mentions[0].channel, "17841400000000001");
}

TEST(MetaWebhook, MentionsWithoutTextAreListedForLookupAndCounted) {
  MetaWebhookConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("meta_instagram.json"));
  EXPECT_EQ(r.skipped.at("mention-needs-lookup"), 1);
  const std::vector<MentionLookup> lookups = connector.TakeLookups();
  ASSERT_EQ(lookups.size(), 1u);
  EXPECT_EQ(lookups[0].account_id, "17841400000000001");
  EXPECT_EQ(lookups[0].media_id, "17900000000000009");
  EXPECT_EQ(lookups[0].comment_id, "18000000000000009");
  EXPECT_TRUE(connector.TakeLookups().empty());
}

TEST(MetaWebhook, PageCommentsAndPostsKeepTheirOwnTimeAndPermalink) {
  MetaWebhookConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("meta_page.json"));
  ASSERT_EQ(r.mentions.size(), 2u);
  EXPECT_EQ(r.mentions[0].id, "900000000000001_700000000000001");
  EXPECT_EQ(r.mentions[0].url, "https://www.facebook.com/donfaro/posts/pfbid0abc");
  EXPECT_EQ(r.mentions[0].reply_to, "105000000000001_900000000000001");
  EXPECT_EQ(Rfc3339(r.mentions[0].at), "2026-11-20T21:09:50.000Z");
  EXPECT_EQ(Rfc3339(r.mentions[1].at), "2026-11-20T21:11:00.000Z");  // "+0000" text form
  EXPECT_EQ(r.skipped.at("feed-reaction"), 1);
  EXPECT_EQ(r.skipped.at("feed-remove"), 1);
  EXPECT_EQ(r.skipped.at("feed-without-text"), 1);
}

TEST(MetaWebhook, WholePayloadProblemsAreOneRejection) {
  MetaWebhookConnector connector;
  for (const auto& [body, reason] : std::vector<std::pair<std::string, std::string>>{
           {"", "malformed-json"},
           {"{\"object\":\"whatsapp_business_account\",\"entry\":[]}", "unsupported-object"},
           {"{\"entry\":[]}", "missing-field"},
           {"{\"object\":\"page\",\"entry\":{}}", "wrong-type"},
           {"{\"object\":\"page\",\"entry\":[7]}", "not-an-object"}}) {
    const ConvertResult r = connector.Convert(body);
    ASSERT_EQ(r.rejections.size(), 1u) << body;
    EXPECT_EQ(r.rejections[0].reason, reason) << body;
    EXPECT_TRUE(r.mentions.empty());
  }
}

TEST(MetaWebhook, ReceiveReadsOnlyCorrectlySignedBodies) {
  const std::string secret = "app-secret-for-tests";
  const std::string body = ReadTestdata("meta_page.json");
  MetaWebhookConnector connector(secret);
  const std::string good = "sha256=" + inbox::HmacSha256Hex(secret, body);
  EXPECT_EQ(connector.Receive(body, good).mentions.size(), 2u);

  const ConvertResult unsigned_r = connector.Receive(body, "");
  ASSERT_EQ(unsigned_r.rejections.size(), 1u);
  EXPECT_EQ(unsigned_r.rejections[0].reason, "unsigned");

  // One byte changed in the body, or a signature made with another secret.
  std::string tampered = body;
  tampered[tampered.find("vergüenza")] = 'V';
  for (const auto& [b, header] : std::vector<std::pair<std::string, std::string>>{
           {tampered, good}, {body, "sha256=" + inbox::HmacSha256Hex("other", body)}, {body, "sha1=abc"}}) {
    const ConvertResult r = connector.Receive(b, header);
    EXPECT_TRUE(r.mentions.empty());
    ASSERT_EQ(r.rejections.size(), 1u);
    EXPECT_EQ(r.rejections[0].reason, "bad-signature");
  }
  // Without an app secret nothing verifies.
  MetaWebhookConnector no_secret;
  EXPECT_EQ(no_secret.Receive(body, good).rejections.at(0).reason, "bad-signature");
}

TEST(MetaHandshake, AnswersTheChallengeOnlyForOurToken) {
  EXPECT_EQ(MetaHandshake("tok", "subscribe", "tok", "1158201444").status, 200);
  EXPECT_EQ(MetaHandshake("tok", "subscribe", "tok", "1158201444").body, "1158201444");
  EXPECT_EQ(MetaHandshake("tok", "subscribe", "tak", "1").status, 403);
  EXPECT_EQ(MetaHandshake("tok", "subscribe", "", "1").status, 403);
  EXPECT_EQ(MetaHandshake("tok", "unsubscribe", "tok", "1").status, 403);
  EXPECT_EQ(MetaHandshake("tok", "subscribe", "tok", "").status, 403);
  EXPECT_EQ(MetaHandshake("", "subscribe", "", "1").status, 404);
}

}  // namespace
}  // namespace faro::sources
