// The X filtered stream connector on sample stream lines, and X's back-off rules.
#include "sources/x_stream.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "sources/test_util.hpp"

namespace faro::sources {
namespace {

using testing::ExpectGolden;
using testing::ReadTestdata;
using testing::Report;

// Every line of the sample stream, as the client reads them.
ConvertResult ReadSample(std::vector<XStreamMessage>* messages = nullptr) {
  const std::string stream = ReadTestdata("x_stream_sample.jsonl");
  const std::vector<std::string_view> lines = Split(stream, "\n", false);
  XStreamConnector connector;
  ConvertResult all;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {  // the text ends with '\n'
    XStreamMessage message = connector.Read(lines[i], static_cast<int64_t>(i + 1));
    testing::Merge(all, message.result);
    if (messages) messages->push_back(std::move(message));
  }
  return all;
}

TEST(XStreamConnector, SampleStreamMatchesGoldenFiles) {
  const ConvertResult all = ReadSample();
  ExpectGolden("x_stream_sample.expected.jsonl", ToJsonLines(all));
  ExpectGolden("x_stream_sample.report.txt", Report(all));
}

TEST(XStreamConnector, ReadsAuthorFollowersMetricsReplyAndRuleTag) {
  const ConvertResult all = ReadSample();
  ASSERT_EQ(all.mentions.size(), 3u);
  const MentionRecord& first = all.mentions[0];
  EXPECT_EQ(first.author_handle, "ana_nutri");
  EXPECT_EQ(first.followers, 12840);
  EXPECT_EQ(first.shares, 16);  // 14 retweets + 2 quotes
  EXPECT_EQ(first.likes, 52);
  EXPECT_EQ(first.brand, "donfaro");
  EXPECT_EQ(Rfc3339(first.at), "2026-11-20T21:04:05.000Z");
  EXPECT_EQ(first.url, "https://x.com/ana_nutri/status/1710000000000000001");
  const MentionRecord& reply = all.mentions[1];
  EXPECT_EQ(reply.reply_to, "1710000000000000001");
  EXPECT_EQ(reply.reply_to_author, "ana_nutri");
  EXPECT_EQ(reply.author_handle, "donfaro_pizza");
  EXPECT_EQ(reply.brand, "donfaro");  // the first non-empty tag
  // Without the author_id expansion there is neither handle nor audience.
  const MentionRecord& bare = all.mentions[2];
  EXPECT_EQ(bare.author_id, "1500000000000000009");
  EXPECT_TRUE(bare.author_handle.empty());
  EXPECT_EQ(bare.followers, 0);
  EXPECT_EQ(bare.url, "https://x.com/i/web/status/1710000000000000003");
}

TEST(XStreamConnector, KeepAlivesAndDisconnectsAreNotRejections) {
  std::vector<XStreamMessage> messages;
  const ConvertResult all = ReadSample(&messages);
  EXPECT_EQ(messages[1].kind, XStreamMessage::Kind::kKeepAlive);  // "\r\n"
  EXPECT_EQ(messages[4].kind, XStreamMessage::Kind::kKeepAlive);  // "\n"
  EXPECT_EQ(messages[5].kind, XStreamMessage::Kind::kErrors);
  EXPECT_TRUE(messages[5].disconnect);
  ASSERT_EQ(messages[5].errors.size(), 1u);
  EXPECT_EQ(messages[5].errors[0].disconnect_type, "UpstreamOperationalDisconnect");
  EXPECT_EQ(all.skipped.at("keep-alive"), 2);
  EXPECT_EQ(all.skipped.at("stream-error"), 1);
}

TEST(XStreamConnector, RejectionsNameLineAndField) {
  const ConvertResult all = ReadSample();
  ASSERT_EQ(all.rejections.size(), 6u);
  EXPECT_EQ(all.rejections[0].where, "line 7");
  EXPECT_EQ(all.rejections[0].reason, "malformed-json");
  EXPECT_EQ(all.rejections[1].field, "data.created_at");
  EXPECT_EQ(all.rejections[1].reason, "missing-field");
  EXPECT_EQ(all.rejections[2].field, "data.public_metrics.retweet_count");
  EXPECT_EQ(all.rejections[2].reason, "wrong-type");
  EXPECT_EQ(all.rejections[5].reason, "bad-time");
}

TEST(XStreamConnector, TextOfTheWrongTypeIsNamed) {
  XStreamConnector connector;
  const ConvertResult r = connector.Convert("{\"data\":{\"id\":\"1\",\"text\":5}}\r\n");
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].field, "data.text");
  EXPECT_EQ(r.rejections[0].reason, "wrong-type");
}

TEST(XStreamConnector, NeverThrowsOnHostileLines) {
  XStreamConnector connector;
  const std::string deep(100000, '[');
  const std::string deep_objects = [] {
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "{\"data\":";
    return s;
  }();
  for (const std::string& line : {std::string("\xff\xfe{}"), std::string("{\"data\":{\"id\":1e400}}"), deep, deep_objects,
                                  std::string("{\"data\":{\"id\":\"1\",\"text\":\"\xc3\x28\"}}"), std::string("nul\0l", 5),
                                  std::string("{\"data\":{\"id\":\"1\",\"text\":\"x\",\"created_at\":\"2026-11-20T21:04:05Z\","
                                              "\"public_metrics\":{\"like_count\":-3}}}")}) {
    const ConvertResult r = connector.Convert(line);
    EXPECT_TRUE(r.mentions.empty());
    EXPECT_EQ(r.rejections.size(), 1u) << line.substr(0, 40);
  }
}

// ---- back-off (docs.x.com, "Handling disconnections") ----------------------------------------

TEST(XBackoff, NetworkErrorsBackOffLinearlyTo16Seconds) {
  XBackoff backoff;
  const TimePoint now = FromUnixMillis(1795209000000);
  std::vector<int64_t> waits;
  for (int i = 0; i < 70; ++i) waits.push_back(backoff.Next(XBackoff::Failure::kNetwork, now).count());
  EXPECT_EQ(waits[0], 250);
  EXPECT_EQ(waits[1], 500);
  EXPECT_EQ(waits[2], 750);
  EXPECT_EQ(waits[63], 16000);
  EXPECT_EQ(waits[64], 16000);
  EXPECT_EQ(waits[69], 16000);
}

TEST(XBackoff, HttpErrorsBackOffExponentiallyFrom5To320Seconds) {
  XBackoff backoff;
  const TimePoint now = FromUnixMillis(1795209000000);
  std::vector<int64_t> waits;
  for (int i = 0; i < 9; ++i) waits.push_back(backoff.Next(XBackoff::Failure::kHttp, now).count());
  EXPECT_EQ(waits, (std::vector<int64_t>{5000, 10000, 20000, 40000, 80000, 160000, 320000, 320000, 320000}));
}

TEST(XBackoff, RateLimitStartsAtOneMinuteDoublesAndWaitsForTheReset) {
  XBackoff backoff;
  const TimePoint now = FromUnixMillis(1795209000000);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now).count(), 60000);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now).count(), 120000);
  // x-rate-limit-reset 500 s away is later than the 4 min back-off: the reset wins.
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now, 1795209000 + 500).count(), 500000);
  // A reset already past does not shorten the back-off.
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now, 1795208000).count(), 480000);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now).count(), 900000);  // 15 min ceiling
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now).count(), 900000);
}

TEST(XBackoff, ADroppedConnectionReconnectsAtOnceAndSuccessResetsEverySequence) {
  XBackoff backoff;
  const TimePoint now = FromUnixMillis(1795209000000);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kDropped, now).count(), 0);
  backoff.Next(XBackoff::Failure::kNetwork, now);
  backoff.Next(XBackoff::Failure::kHttp, now);
  backoff.Next(XBackoff::Failure::kRateLimited, now);
  backoff.Connected();
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kNetwork, now).count(), 250);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kHttp, now).count(), 5000);
  EXPECT_EQ(backoff.Next(XBackoff::Failure::kRateLimited, now).count(), 60000);
}

TEST(XStreamQuery, AsksForTheFieldsTheConnectorReads) {
  const std::string query = XStreamQuery();
  EXPECT_NE(query.find("tweet.fields=created_at,author_id,public_metrics,conversation_id,referenced_tweets,lang"),
            std::string::npos);
  EXPECT_NE(query.find("expansions=author_id"), std::string::npos);
  EXPECT_NE(query.find("user.fields=public_metrics,username"), std::string::npos);
}

}  // namespace
}  // namespace faro::sources
