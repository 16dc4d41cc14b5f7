// The shared record and its JSON Lines form, checked against the listen reader when it is
// built (FARO_HAVE_LISTEN_READER), else against the documented fields.
#include "sources/connector.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "sources/feeds.hpp"
#include "sources/meta_webhook.hpp"
#include "sources/telegram_updates.hpp"
#include "sources/test_util.hpp"
#include "sources/x_stream.hpp"

#ifdef FARO_HAVE_LISTEN_READER
#include "listen/mention_reader.hpp"
#endif

namespace faro::sources {
namespace {

using testing::ReadTestdata;

MentionRecord Full() {
  MentionRecord m;
  m.id = "1710000000000000001";
  m.at = FromUnixMillis(1795208645250);
  m.source = "x";
  m.author_id = "42";
  m.author_handle = "ana_nutri";
  m.followers = 12840;
  m.text = "línea 1\nlínea \"2\" \\ 😡";
  m.url = "https://x.com/ana_nutri/status/1";
  m.reply_to = "9";
  m.reply_to_author = "donfaro";
  m.shares = 3;
  m.likes = 7;
  m.brand = "donfaro";
  m.channel = "timeline";
  return m;
}

TEST(ToJsonLine, WritesEveryFieldOnOneLine) {
  const std::string line = ToJsonLine(Full());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // the text's line break is escaped
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["id"], "1710000000000000001");
  EXPECT_EQ(j["at"], "2026-11-20T21:04:05.250Z");
  EXPECT_EQ(j["source"], "x");
  EXPECT_EQ(j["author"], nlohmann::json({{"id", "42"}, {"handle", "ana_nutri"}, {"followers", 12840}}));
  EXPECT_EQ(j["text"], "línea 1\nlínea \"2\" \\ 😡");
  EXPECT_EQ(j["reply_to_author"], "donfaro");
  EXPECT_EQ(j["shares"], 3);
  EXPECT_EQ(j["likes"], 7);
  EXPECT_EQ(j["channel"], "timeline");
}

TEST(ToJsonLine, LeavesOutWhatIsUnknown) {
  MentionRecord m;
  m.at = FromUnixMillis(0);
  m.text = "hola";
  EXPECT_EQ(ToJsonLine(m), "{\"at\":\"1970-01-01T00:00:00.000Z\",\"text\":\"hola\"}\n");
}

TEST(ConnectorCounts, AddsMentionsRejectionsAndSkips) {
  ConvertResult r;
  r.mentions.resize(2);
  r.rejections.push_back({"line 1", "", "malformed-json", ""});
  r.rejections.push_back({"line 2", "data.id", "missing-field", ""});
  r.rejections.push_back({"line 3", "", "malformed-json", ""});
  r.skipped["keep-alive"] = 4;
  ConnectorCounts counts;
  counts.Add(r);
  counts.Add(r);
  EXPECT_EQ(counts.payloads, 2);
  EXPECT_EQ(counts.mentions, 4);
  EXPECT_EQ(counts.rejected, 6);
  EXPECT_EQ(counts.rejected_by_reason.at("malformed-json"), 4);
  EXPECT_EQ(counts.skipped.at("keep-alive"), 8);
  EXPECT_EQ(Describe(r.rejections[1]), "line 2: data.id: missing-field");
}

// All sample payloads of all connectors, as JSON Lines.
std::string EverySampleAsJsonLines() {
  std::string out;
  XStreamConnector x;
  for (std::string_view line : [] {
         static const std::string stream = ReadTestdata("x_stream_sample.jsonl");
         return Split(stream, "\n", false);
       }())
    out += ToJsonLines(x.Convert(line));
  MetaWebhookConnector meta;
  out += ToJsonLines(meta.Convert(ReadTestdata("meta_instagram.json")));
  out += ToJsonLines(meta.Convert(ReadTestdata("meta_page.json")));
  TelegramUpdatesConnector telegram;
  out += ToJsonLines(telegram.Convert(ReadTestdata("telegram_get_updates.json")));
  out += ToJsonLines(telegram.Convert(ReadTestdata("telegram_webhook_update.json")));
  FeedConnector feeds;
  out += ToJsonLines(feeds.Convert(ReadTestdata("rss_sample.xml")));
  out += ToJsonLines(feeds.Convert(ReadTestdata("atom_sample.xml")));
  return out;
}

TEST(ConnectorOutput, EveryLineHasTheDocumentedShape) {
  const std::string lines = EverySampleAsJsonLines();
  const std::vector<std::string_view> split = Split(lines, "\n", true);
  ASSERT_EQ(split.size(), 18u);  // 3 X + 5 Meta + 6 Telegram + 4 feeds (golden files)
  for (std::string_view line : split) {
    const auto j = nlohmann::json::parse(line);
    ASSERT_TRUE(j.is_object());
    ASSERT_TRUE(j["text"].is_string());
    EXPECT_FALSE(j["text"].get<std::string>().empty());
    ASSERT_TRUE(j["at"].is_string());
    EXPECT_TRUE(ParseRfc3339(j["at"].get<std::string>()).ok()) << line;
    EXPECT_TRUE(j["source"] == "x" || j["source"] == "instagram" || j["source"] == "facebook" ||
                j["source"] == "telegram" || j["source"] == "rss")
        << line;
    for (const char* key : {"shares", "likes"}) {
      if (j.contains(key)) {
        EXPECT_TRUE(j[key].is_number_unsigned()) << line;
      }
    }
    for (auto& [key, value] : j.items()) {
      static const std::vector<std::string> kKnown = {"id", "at", "source", "author", "text", "url", "reply_to",
                                                      "reply_to_author", "shares", "likes", "brand", "channel"};
      EXPECT_NE(std::find(kKnown.begin(), kKnown.end(), key), kKnown.end()) << "unknown field " << key;
    }
  }
}

// Damaged copies of every sample (bytes flipped, cut, duplicated; a fixed seed, so a failure
// replays): no connector throws or crashes, and whatever comes out is a well-formed mention.
TEST(ConnectorOutput, DamagedPayloadsNeverCrashAndNeverGiveBrokenMentions) {
  XStreamConnector x;
  MetaWebhookConnector meta;
  TelegramUpdatesConnector telegram;
  FeedConnector feeds;
  const std::vector<std::pair<Connector*, std::string>> samples = {
      {&x, ReadTestdata("x_stream_sample.jsonl").substr(0, ReadTestdata("x_stream_sample.jsonl").find('\n'))},
      {&meta, ReadTestdata("meta_instagram.json")},
      {&meta, ReadTestdata("meta_page.json")},
      {&telegram, ReadTestdata("telegram_get_updates.json")},
      {&feeds, ReadTestdata("rss_sample.xml")},
      {&feeds, ReadTestdata("atom_sample.xml")}};
  uint64_t state = 0x5eed;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  int64_t mentions = 0, rejections = 0;
  for (const auto& [connector, sample] : samples) {
    ASSERT_FALSE(sample.empty());
    for (int round = 0; round < 400; ++round) {
      std::string damaged = sample;
      const int edits = 1 + static_cast<int>(next() % 4);
      for (int e = 0; e < edits && !damaged.empty(); ++e) {
        const std::size_t at = next() % damaged.size();
        switch (next() % 4) {
          case 0: damaged[at] = static_cast<char>(next() & 0xff); break;
          case 1: damaged.resize(at); break;
          case 2: damaged.insert(at, damaged.substr(at, next() % 64)); break;
          default: damaged.erase(at, next() % 16); break;
        }
      }
      ConvertResult r;
      ASSERT_NO_THROW(r = connector->Convert(damaged));
      for (const MentionRecord& m : r.mentions) {
        EXPECT_FALSE(m.text.empty());
        EXPECT_TRUE(IsValidUtf8(m.text));
        const std::string line = ToJsonLine(m);
        EXPECT_TRUE(nlohmann::json::accept(line)) << line;
      }
      mentions += static_cast<int64_t>(r.mentions.size());
      rejections += static_cast<int64_t>(r.rejections.size());
    }
  }
  // The damage is mild enough that both outcomes happen.
  EXPECT_GT(mentions, 0);
  EXPECT_GT(rejections, 0);
}

#ifdef FARO_HAVE_LISTEN_READER
TEST(ConnectorOutput, TheListenReaderAcceptsEveryLineWithTheSameFields) {
  const std::string lines = EverySampleAsJsonLines();
  MemoryByteSource bytes(lines);
  MentionReader reader(bytes);
  std::vector<std::string> rejected;
  reader.OnReject([&](const Rejection& r) { rejected.push_back(std::string(RejectReasonCode(r.reason))); });
  // The same records, read back by the connectors again, to compare field by field.
  std::vector<MentionRecord> expected;
  {
    XStreamConnector x;
    const std::string stream = ReadTestdata("x_stream_sample.jsonl");
    for (std::string_view line : Split(stream, "\n", false))
      for (auto& m : x.Convert(line).mentions) expected.push_back(m);
    MetaWebhookConnector meta;
    TelegramUpdatesConnector telegram;
    FeedConnector feeds;
    for (const ConvertResult& r :
         {meta.Convert(ReadTestdata("meta_instagram.json")), meta.Convert(ReadTestdata("meta_page.json")),
          telegram.Convert(ReadTestdata("telegram_get_updates.json")),
          telegram.Convert(ReadTestdata("telegram_webhook_update.json")), feeds.Convert(ReadTestdata("rss_sample.xml")),
          feeds.Convert(ReadTestdata("atom_sample.xml"))})
      for (const auto& m : r.mentions) expected.push_back(m);
  }
  Mention m;
  std::size_t n = 0;
  while (reader.Next(m)) {
    ASSERT_LT(n, expected.size());
    const MentionRecord& e = expected[n++];
    EXPECT_EQ(m.id, e.id);
    EXPECT_EQ(ToUnixMillis(m.at), ToUnixMillis(e.at));
    EXPECT_EQ(MentionSourceName(m.source), e.source);
    EXPECT_EQ(m.author_id, e.author_id);
    EXPECT_EQ(m.author_handle, e.author_handle);
    EXPECT_EQ(m.followers, e.followers);
    EXPECT_EQ(m.url, e.url);
    EXPECT_EQ(m.reply_to, e.reply_to);
    EXPECT_EQ(m.reply_to_author, e.reply_to_author);
    EXPECT_EQ(m.shares, e.shares);
    EXPECT_EQ(m.likes, e.likes);
    EXPECT_EQ(m.brand, e.brand);
    EXPECT_EQ(m.channel, e.channel);
    EXPECT_EQ(m.text, e.text);
  }
  EXPECT_TRUE(reader.status().ok());
  EXPECT_TRUE(rejected.empty()) << rejected.size() << " lines rejected, first: " << rejected.front();
  EXPECT_EQ(n, expected.size());
  EXPECT_EQ(reader.counts().accepted, static_cast<int64_t>(expected.size()));
}
#endif

}  // namespace
}  // namespace faro::sources
