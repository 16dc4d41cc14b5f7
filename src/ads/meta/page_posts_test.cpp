// Contract tests: the Facebook Page reader against the local fake (tests/fakes/meta_pages_fake.py).
#include "ads/meta/page_posts.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ads/ad_platform.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "fake_server.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

constexpr char kToken[] = "EAAB-page-test-token";
constexpr int64_t kOpened = 1633356000;  // 2021-10-04 14:00 UTC: the incident opened
constexpr int64_t kHour = 3600;

TimePoint At(int64_t unix_seconds) { return FromUnixMillis(unix_seconds * 1000); }

json Post(const std::string& id, const std::string& message, int64_t due) {
  return {{"id", id}, {"message", message}, {"scheduled_publish_time", due}};
}

class PagePostsTest : public ::testing::Test {
 protected:
  FacebookPage Page(const std::string& token = kToken) const {
    PageSettings s;
    s.id = "fb-page";
    s.page_id = "1234567890";
    s.token = token;
    s.graph_url = StrCat(fake_.base_url(), "/v25.0");
    s.timeout = std::chrono::seconds(5);
    return FacebookPage(std::move(s));
  }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }
  json Requests() const { return json::parse(fake_.Get("/_fake/requests")); }

  // The usual outage: three posts scheduled for the window, seen by a check right after it opened.
  std::vector<RememberedPost> SeenAtOpening() {
    Configure({{"now", kOpened},
               {"posts",
                {Post("1234567890_1", "Turnos de octubre", kOpened + kHour),
                 Post("1234567890_2", "Promo de primavera", kOpened + 2 * kHour),
                 Post("1234567890_3", "Receta del lunes", kOpened + 3 * kHour),
                 Post("1234567890_4", "Newsletter", kOpened + 30 * kHour)}}});
    std::vector<RememberedPost> memory;
    auto due = Page().DueIn(At(kOpened), At(kOpened + 60), memory);
    EXPECT_TRUE(due.ok()) << due.status();
    EXPECT_TRUE(due.ok() && due->empty()) << "nothing was due yet";
    EXPECT_EQ(memory.size(), 4u);
    return memory;
  }

  testing::FakeServer fake_{"meta_pages_fake.py", {"--token", kToken, "--page", "1234567890"}};
};

TEST_F(PagePostsTest, APostDueWhileThePlatformWasDownIsMissedTheOthersPublished) {
  std::vector<RememberedPost> memory = SeenAtOpening();
  // Down from 14:30 to 15:30: the 15:00 post fails, the 16:00 and 17:00 ones go out.
  Configure({{"now", kOpened + kHour / 2}, {"down", true}});
  Configure({{"now", kOpened + 3 * kHour / 2}, {"down", false}});
  Configure({{"now", kOpened + 4 * kHour}});
  auto due = Page().DueIn(At(kOpened), At(kOpened + 4 * kHour), memory);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 3u) << "the newsletter is due tomorrow, outside the window";
  EXPECT_EQ((*due)[0].id, "1234567890_1");
  EXPECT_EQ((*due)[0].fate, PostFate::kMissed);
  EXPECT_EQ((*due)[0].message, "Turnos de octubre");
  EXPECT_EQ((*due)[0].page, "fb-page");
  EXPECT_EQ((*due)[0].due, At(kOpened + kHour));
  EXPECT_EQ((*due)[1].fate, PostFate::kPublished);
  EXPECT_EQ((*due)[2].fate, PostFate::kPublished);
  // The published ones were read by id; the token never travels in a URL.
  bool read_by_id = false;
  for (const json& r : Requests()) {
    if (r["path"] == "/v25.0/1234567890_2") {
      read_by_id = true;
      EXPECT_NE(r["params"]["fields"].get<std::string>().find("is_published"), std::string::npos);
    }
    EXPECT_FALSE(r["params"].contains("access_token"));
  }
  EXPECT_TRUE(read_by_id);
}

TEST_F(PagePostsTest, AMissedPostIsFoundEvenWithoutMemory) {
  Configure({{"now", kOpened}, {"posts", {Post("1234567890_7", "Sorteo", kOpened + kHour)}}, {"down", true}});
  Configure({{"now", kOpened + 2 * kHour}, {"down", false}});
  std::vector<RememberedPost> memory;
  auto due = Page().DueIn(At(kOpened), At(kOpened + 2 * kHour), memory);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].fate, PostFate::kMissed);
  EXPECT_EQ(memory.size(), 1u) << "remembered for the next check";
}

TEST_F(PagePostsTest, APostMovedPastTheCheckIsRescheduledAndKeepsItsFirstTime) {
  std::vector<RememberedPost> memory = SeenAtOpening();
  Configure({{"reschedule", {{"1234567890_2", kOpened + 6 * kHour}}}});
  Configure({{"now", kOpened + 4 * kHour}});
  auto due = Page().DueIn(At(kOpened), At(kOpened + 4 * kHour), memory);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 3u);
  EXPECT_EQ((*due)[1].id, "1234567890_2");
  EXPECT_EQ((*due)[1].fate, PostFate::kRescheduled);
  EXPECT_EQ((*due)[1].due, At(kOpened + 2 * kHour)) << "when it was due, as Faro first saw it";
  EXPECT_EQ((*due)[1].reason, Rfc3339(At(kOpened + 6 * kHour)));
  EXPECT_EQ((*due)[0].fate, PostFate::kPublished);
  EXPECT_EQ((*due)[2].fate, PostFate::kPublished);
  // Later, once its new time passed and it went out, it reads as published.
  Configure({{"now", kOpened + 7 * kHour}});
  auto later = Page().DueIn(At(kOpened), At(kOpened + 7 * kHour), memory);
  ASSERT_TRUE(later.ok()) << later.status();
  for (const DuePost& p : *later) {
    if (p.id == "1234567890_2") {
      EXPECT_EQ(p.fate, PostFate::kPublished);
    }
  }
}

TEST_F(PagePostsTest, ADeletedPostIsUnknownWithTheReason) {
  std::vector<RememberedPost> memory = SeenAtOpening();
  Configure({{"delete", {"1234567890_1"}}, {"now", kOpened + 4 * kHour}});
  auto due = Page().DueIn(At(kOpened), At(kOpened + 4 * kHour), memory);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 3u);
  EXPECT_EQ((*due)[0].fate, PostFate::kUnknown);
  EXPECT_NE((*due)[0].reason.find("no longer exists"), std::string::npos) << (*due)[0].reason;
}

TEST_F(PagePostsTest, ListsEveryPageFollowingPagingNext) {
  json many = json::array();
  for (int i = 0; i < 230; ++i) many.push_back(Post(StrCat("1234567890_", 100 + i), StrCat("P", i), kOpened + kHour + i));
  Configure({{"now", kOpened}, {"posts", many}});
  auto listed = Page().ListScheduled();
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 230u);
  EXPECT_EQ(listed->back().message, "P229");
  EXPECT_EQ(listed->back().due, At(kOpened + kHour + 229));
  const json requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0]["path"], "/v25.0/1234567890/scheduled_posts");
  EXPECT_EQ(requests[0]["params"]["limit"], "100");
  EXPECT_EQ(requests[2]["params"]["after"], "cursor-200");
}

TEST_F(PagePostsTest, ANextPageOnAnotherHostIsNotFollowed) {
  json many = json::array();
  for (int i = 0; i < 120; ++i) many.push_back(Post(StrCat("1234567890_", 100 + i), StrCat("P", i), kOpened + kHour));
  Configure({{"now", kOpened}, {"posts", many}, {"next_host", "graph.example.org"}});
  auto listed = Page().ListScheduled();
  ASSERT_FALSE(listed.ok());
  EXPECT_NE(Message(listed.status()).find("points the next page at another host"), std::string::npos)
      << Message(listed.status());
  EXPECT_EQ(Requests().size(), 1u) << "the token never leaves for another host";
}

TEST_F(PagePostsTest, AnExpiredTokenIsAnAuthErrorNeverAnEmptyList) {
  SeenAtOpening();
  auto listed = Page("EAAB-expired").ListScheduled();
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(ClassOf(listed.status()), ErrorClass::kAuth);
  EXPECT_EQ(ErrorCode(listed.status()), "190");
  EXPECT_NE(Message(listed.status()).find("fb-page"), std::string::npos) << Message(listed.status());
  EXPECT_EQ(Message(listed.status()).find("EAAB-expired"), std::string::npos) << "the token is never in messages";
}

TEST_F(PagePostsTest, RateLimitsAreRateLimitedAndAFailedPostReadIsUnknown) {
  std::vector<RememberedPost> memory = SeenAtOpening();
  for (int code : {4, 17, 32, 613}) {
    Configure({{"fail_next", {{{"status", 400}, {"code", code}, {"message", "Application request limit reached"}}}}});
    auto listed = Page().ListScheduled();
    ASSERT_FALSE(listed.ok()) << code;
    EXPECT_EQ(ClassOf(listed.status()), ErrorClass::kRateLimited) << code;
    EXPECT_EQ(ErrorCode(listed.status()), std::to_string(code));
  }
  // The list reads, the read of one published post does not: that post is unknown, with why,
  // and the others are judged as usual.
  Configure({{"now", kOpened + 4 * kHour},
             {"fail_next", {{{"status", 400}, {"code", 17}, {"message", "User request limit reached"},
                             {"path", "1234567890_2"}}}}});
  auto due = Page().DueIn(At(kOpened), At(kOpened + 4 * kHour), memory);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 3u);
  EXPECT_EQ((*due)[0].fate, PostFate::kPublished);
  EXPECT_EQ((*due)[1].fate, PostFate::kUnknown);
  EXPECT_NE((*due)[1].reason.find("error 17"), std::string::npos) << (*due)[1].reason;
  EXPECT_EQ((*due)[2].fate, PostFate::kPublished);
}

TEST_F(PagePostsTest, NoAnswerIsATransientError) {
  PageSettings s;
  s.id = "fb-page";
  s.page_id = "1234567890";
  s.token = kToken;
  s.graph_url = "http://127.0.0.1:9/v25.0";  // nothing listens there
  s.timeout = std::chrono::seconds(2);
  std::vector<RememberedPost> memory;
  auto due = FacebookPage(s).DueIn(At(kOpened), At(kOpened + kHour), memory);
  ASSERT_FALSE(due.ok());
  EXPECT_EQ(ClassOf(due.status()), ErrorClass::kTransient);
}

}  // namespace
}  // namespace faro::ads
