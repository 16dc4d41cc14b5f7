// The feed reader of `faro serve` against a real local web server (tests/fakes/feed_server.py):
// new items only once, 304 on ETag and on Last-Modified, redirects, errors that leave the
// memory alone, and a restart that does not take the feed again.
#include "service/listen_sources_feeds.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/strings.hpp"
#include "fake_server.hpp"
#include "store/sqlite.hpp"

namespace faro::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Item {
  std::string guid, title, date;  // date: RFC 822
};

std::string Rss(const std::vector<Item>& items) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Blog de Ana</title><link>https://blog.example.com/</link>
)";
  for (const Item& i : items)
    StrAppend(out, "<item><title>", i.title, "</title><link>https://blog.example.com/", i.guid, "</link><guid>", i.guid,
              "</guid><pubDate>", i.date, "</pubDate></item>\n");
  out += "</channel></rss>\n";
  return out;
}

const Item kFirst{"p1", "Don Faro no carga", "Fri, 20 Nov 2026 21:00:00 GMT"};
const Item kSecond{"p2", "Sigue caído el turnero", "Fri, 20 Nov 2026 21:05:00 GMT"};
const Item kThird{"p3", "Volvió todo, gracias", "Fri, 20 Nov 2026 22:00:00 GMT"};

class FeedPollerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / StrCat("faro_feed_poller_", ::getpid(), "_",
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    poller_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  // A new connection and a new poller, as after a restart of `faro serve`.
  void Reopen() {
    poller_.reset();
    db_.reset();
    auto db = store::Open((dir_ / "faro.db").string(), store::Durability::kProcessCrash);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    FeedPollerOptions options;
    options.timeout = std::chrono::seconds(10);
    auto poller = FeedPoller::Open(*db_, options);
    ASSERT_TRUE(poller.ok()) << poller.status();
    poller_ = std::move(*poller);
  }

  void Publish(const std::string& path, const std::string& body, const std::string& etag = "",
               const std::string& last_modified = "", int status = 200) {
    json feed = {{"body", body}, {"status", status}};
    if (!etag.empty()) feed["etag"] = etag;
    if (!last_modified.empty()) feed["last_modified"] = last_modified;
    feeds_[path] = feed;
    fake_.Post("/_fake/config", json({{"feeds", feeds_}}).dump());
  }

  // One read of `path`; the mentions handed on are added to `delivered`, one batch per call.
  FeedPoll Poll(const std::string& path, const std::string& brand = "") {
    setup::FeedSourceConfig feed;
    feed.url = fake_.base_url() + path;
    feed.brand = brand;
    return poller_->Poll(feed, [&](std::string_view lines) {
      ++batches_;
      for (std::string_view line : Split(lines, "\n", true)) delivered_.push_back(json::parse(line));
    });
  }

  json Requests() { return json::parse(fake_.Get("/_fake/requests")); }

  faro::testing::FakeServer fake_{"feed_server.py"};
  json feeds_ = json::object();
  fs::path dir_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<FeedPoller> poller_;
  std::vector<json> delivered_;
  int batches_ = 0;
};

TEST_F(FeedPollerTest, HandsOnEachItemOnceOldestFirst) {
  Publish("/blog.xml", Rss({kSecond, kFirst}));  // newest first, as blogs list them
  FeedPoll first = Poll("/blog.xml", "nutricion-ana");
  ASSERT_EQ(first.outcome, FeedPoll::Outcome::kRead) << first.error;
  EXPECT_EQ(first.items, 2);
  EXPECT_EQ(first.fresh, 2);
  ASSERT_EQ(delivered_.size(), 2u);
  EXPECT_EQ(batches_, 1);
  EXPECT_EQ(delivered_[0]["id"], "p1");
  EXPECT_EQ(delivered_[1]["id"], "p2");
  EXPECT_EQ(delivered_[0]["source"], "rss");
  EXPECT_EQ(delivered_[0]["brand"], "nutricion-ana");
  EXPECT_EQ(delivered_[0]["channel"], "Blog de Ana");

  // The same document again (no validators: the server answers 200): nothing new.
  FeedPoll again = Poll("/blog.xml", "nutricion-ana");
  ASSERT_EQ(again.outcome, FeedPoll::Outcome::kRead) << again.error;
  EXPECT_EQ(again.fresh, 0);
  EXPECT_EQ(again.already_taken, 2);
  EXPECT_EQ(delivered_.size(), 2u);
  EXPECT_EQ(batches_, 1);  // no empty batch

  // A new post: only it flows.
  Publish("/blog.xml", Rss({kThird, kSecond, kFirst}));
  FeedPoll third = Poll("/blog.xml", "nutricion-ana");
  EXPECT_EQ(third.fresh, 1);
  EXPECT_EQ(third.already_taken, 2);
  ASSERT_EQ(delivered_.size(), 3u);
  EXPECT_EQ(delivered_[2]["id"], "p3");
  EXPECT_EQ(delivered_[2]["text"], "Volvió todo, gracias");
}

TEST_F(FeedPollerTest, AskWithTheETagAndTake304AsNothingNew) {
  Publish("/blog.xml", Rss({kFirst}), "\"v1\"", "Fri, 20 Nov 2026 21:00:00 GMT");
  ASSERT_EQ(Poll("/blog.xml").outcome, FeedPoll::Outcome::kRead);
  FeedPoll unchanged = Poll("/blog.xml");
  EXPECT_EQ(unchanged.outcome, FeedPoll::Outcome::kNotModified);
  EXPECT_EQ(unchanged.http_status, 304);
  EXPECT_EQ(delivered_.size(), 1u);

  Publish("/blog.xml", Rss({kSecond, kFirst}), "\"v2\"", "Fri, 20 Nov 2026 21:05:00 GMT");
  FeedPoll changed = Poll("/blog.xml");
  ASSERT_EQ(changed.outcome, FeedPoll::Outcome::kRead) << changed.error;
  EXPECT_EQ(changed.fresh, 1);

  const json requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0]["if_none_match"].is_null());  // nothing known yet
  EXPECT_EQ(requests[1]["if_none_match"], "\"v1\"");
  EXPECT_EQ(requests[1]["if_modified_since"], "Fri, 20 Nov 2026 21:00:00 GMT");
  EXPECT_EQ(requests[1]["status"], 304);
  EXPECT_EQ(requests[2]["if_none_match"], "\"v1\"");
  EXPECT_EQ(requests[2]["status"], 200);
}

TEST_F(FeedPollerTest, LastModifiedAloneAlsoGives304) {
  Publish("/atom.xml", Rss({kFirst}), "", "Fri, 20 Nov 2026 21:00:00 GMT");
  ASSERT_EQ(Poll("/atom.xml").outcome, FeedPoll::Outcome::kRead);
  EXPECT_EQ(Poll("/atom.xml").outcome, FeedPoll::Outcome::kNotModified);
  const json requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[1]["if_none_match"].is_null());
  EXPECT_EQ(requests[1]["if_modified_since"], "Fri, 20 Nov 2026 21:00:00 GMT");
}

TEST_F(FeedPollerTest, AMalformedDocumentIsAnErrorAndChangesNothing) {
  Publish("/blog.xml", Rss({kFirst}), "\"v1\"");
  ASSERT_EQ(Poll("/blog.xml").outcome, FeedPoll::Outcome::kRead);
  Publish("/blog.xml", "<rss><channel><item><title>cortado", "\"broken\"");
  FeedPoll broken = Poll("/blog.xml");
  EXPECT_EQ(broken.outcome, FeedPoll::Outcome::kError);
  EXPECT_EQ(broken.error.rfind("malformed-xml: ", 0), 0u) << broken.error;
  EXPECT_EQ(delivered_.size(), 1u);

  Publish("/blog.xml", "<html><body>not a feed</body></html>", "\"html\"");
  FeedPoll html = Poll("/blog.xml");
  EXPECT_EQ(html.outcome, FeedPoll::Outcome::kError);
  EXPECT_EQ(html.error.rfind("unsupported-feed: ", 0), 0u) << html.error;

  // Fixed: read in full (the broken ETags were not kept), and only the new item flows.
  Publish("/blog.xml", Rss({kSecond, kFirst}), "\"v2\"");
  FeedPoll fixed = Poll("/blog.xml");
  ASSERT_EQ(fixed.outcome, FeedPoll::Outcome::kRead) << fixed.error;
  EXPECT_EQ(fixed.fresh, 1);
  const json requests = Requests();
  EXPECT_EQ(requests[3]["if_none_match"], "\"v1\"");
}

TEST_F(FeedPollerTest, ABadItemIsReportedAndTheOthersFlow) {
  std::string doc = Rss({kFirst});
  const std::string bad = "<item><title>sin fecha</title><guid>p9</guid></item>\n";
  doc.insert(doc.find("</channel>"), bad);
  Publish("/blog.xml", doc);
  FeedPoll poll = Poll("/blog.xml");
  ASSERT_EQ(poll.outcome, FeedPoll::Outcome::kRead) << poll.error;
  EXPECT_EQ(poll.fresh, 1);
  ASSERT_EQ(poll.rejections.size(), 1u);
  EXPECT_EQ(poll.rejections[0].where, "item[1]");
  EXPECT_EQ(poll.rejections[0].reason, "missing-field");
}

TEST_F(FeedPollerTest, HttpAndNetworkErrorsAreReportedWithTheirCause) {
  Publish("/blog.xml", "", "", "", 503);
  FeedPoll unavailable = Poll("/blog.xml");
  EXPECT_EQ(unavailable.outcome, FeedPoll::Outcome::kError);
  EXPECT_EQ(unavailable.error, "HTTP 503");
  EXPECT_EQ(Poll("/missing.xml").error, "HTTP 404");

  setup::FeedSourceConfig nowhere;
  nowhere.url = "http://127.0.0.1:1/feed.xml";  // nothing listens on port 1
  FeedPoll refused = poller_->Poll(nowhere, [](std::string_view) { FAIL() << "nothing to hand on"; });
  EXPECT_EQ(refused.outcome, FeedPoll::Outcome::kError);
  EXPECT_EQ(refused.error.rfind("network: ", 0), 0u) << refused.error;
}

TEST_F(FeedPollerTest, FollowsUpToFiveRedirects) {
  Publish("/blog.xml", Rss({kFirst}));
  json redirects = json::object();
  redirects["/old.xml"] = {{"to", "/older.xml"}, {"status", 301}};
  redirects["/older.xml"] = {{"to", fake_.base_url() + "/blog.xml"}, {"status", 302}};
  for (int i = 0; i < 6; ++i)  // /loop0 → /loop1 → … → /loop6: six redirects
    redirects[StrCat("/loop", i)] = {{"to", StrCat("/loop", i + 1)}, {"status", 307}};
  fake_.Post("/_fake/config", json({{"redirects", redirects}}).dump());

  FeedPoll moved = Poll("/old.xml");
  ASSERT_EQ(moved.outcome, FeedPoll::Outcome::kRead) << moved.error;
  EXPECT_EQ(moved.fresh, 1);

  FeedPoll loop = Poll("/loop0");
  EXPECT_EQ(loop.outcome, FeedPoll::Outcome::kError);
  EXPECT_EQ(loop.error, "more than 5 redirects");
}

TEST_F(FeedPollerTest, ARestartDoesNotTakeTheFeedAgain) {
  Publish("/blog.xml", Rss({kSecond, kFirst}), "\"v1\"");
  ASSERT_EQ(Poll("/blog.xml").fresh, 2);
  Reopen();
  // The validators survived: the server says 304.
  EXPECT_EQ(Poll("/blog.xml").outcome, FeedPoll::Outcome::kNotModified);
  EXPECT_EQ(Requests()[1]["if_none_match"], "\"v1\"");

  // The items survived too: a new ETag for the same items plus one gives only the new one.
  Publish("/blog.xml", Rss({kThird, kSecond, kFirst}), "\"v2\"");
  Reopen();
  FeedPoll after = Poll("/blog.xml");
  ASSERT_EQ(after.outcome, FeedPoll::Outcome::kRead) << after.error;
  EXPECT_EQ(after.fresh, 1);
  EXPECT_EQ(after.already_taken, 2);
  ASSERT_EQ(delivered_.size(), 3u);
  EXPECT_EQ(delivered_[2]["id"], "p3");
}

TEST_F(FeedPollerTest, AnUnknownItemFarOlderThanTheNewestIsNotTaken) {
  Publish("/blog.xml", Rss({kThird}));
  ASSERT_EQ(Poll("/blog.xml").fresh, 1);
  // Eight days before the newest item taken: outside the late window; one hour before: inside.
  const Item ancient{"old", "Un post viejo", "Thu, 12 Nov 2026 22:00:00 GMT"};
  const Item late{"late", "Publicado con fecha atrasada", "Fri, 20 Nov 2026 21:00:00 GMT"};
  Publish("/blog.xml", Rss({kThird, late, ancient}));
  FeedPoll poll = Poll("/blog.xml");
  EXPECT_EQ(poll.fresh, 1);
  EXPECT_EQ(poll.too_old, 1);
  EXPECT_EQ(delivered_.back()["id"], "late");
}

TEST_F(FeedPollerTest, EachFeedHasItsOwnMemory) {
  Publish("/a.xml", Rss({kFirst}));
  Publish("/b.xml", Rss({kFirst}));  // the same guid in another feed is another mention
  EXPECT_EQ(Poll("/a.xml").fresh, 1);
  EXPECT_EQ(Poll("/b.xml").fresh, 1);
}

TEST(FeedItemKey, PrefersTheIdThenTheLinkThenTimeAndText) {
  sources::MentionRecord m;
  m.at = FromUnixMillis(1795209000000);
  m.text = "hola";
  EXPECT_EQ(FeedItemKey(m), "text:1795209000000:hola");
  m.url = "https://blog.example.com/p1";
  EXPECT_EQ(FeedItemKey(m), "link:https://blog.example.com/p1");
  m.id = "tag:blog.example.com,2026:p1";
  EXPECT_EQ(FeedItemKey(m), "id:tag:blog.example.com,2026:p1");
}

}  // namespace
}  // namespace faro::service
