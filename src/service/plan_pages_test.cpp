// The restoration check's scheduled-posts item from faro.yaml `pages:`: the Page reader's facts
// (against tests/fakes/meta_pages_fake.py) and the item inside the plan service, on the world of
// plan_test_world.hpp with a simulated clock that the fake follows.
#include "service/plan_pages.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fake_server.hpp"
#include "service/plan_service.hpp"
#include "service/plan_test_world.hpp"
#include "core/time_text.hpp"

namespace faro::service {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

constexpr char kToken[] = "EAAB-page-test-token";
constexpr int64_t kOpened = 1633359600;  // 2021-10-04 15:00 UTC: WhatsApp goes down
constexpr int64_t kHour = 3600;

TimePoint At(int64_t unix_seconds) { return FromUnixMillis(unix_seconds * 1000); }

json Post(const std::string& id, const std::string& message, int64_t due) {
  return {{"id", id}, {"message", message}, {"scheduled_publish_time", due}};
}

class PagePostsFactsTest : public ::testing::Test {
 protected:
  std::vector<ads::FacebookPage> Pages(const std::string& graph_url = "") const {
    ads::PageSettings s;
    s.id = "fb-page";
    s.page_id = "1234567890";
    s.token = kToken;
    s.graph_url = graph_url.empty() ? StrCat(fake_.base_url(), "/v25.0") : graph_url;
    s.timeout = std::chrono::seconds(3);
    return {ads::FacebookPage(std::move(s))};
  }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }
  faro::testing::FakeServer fake_{"meta_pages_fake.py", {"--token", kToken, "--page", "1234567890"}};
};

TEST_F(PagePostsFactsTest, TheMemoryOfOneCheckLetsTheNextCountWhatWentOut) {
  Configure({{"now", kOpened},
             {"posts", {Post("1234567890_1", "Turnos de octubre\nReservá tu turno", kOpened + kHour),
                        Post("1234567890_2", "Promo", kOpened + 2 * kHour)}}});
  const std::vector<ads::FacebookPage> pages = Pages();
  // A check right after opening: nothing due yet, both remembered.
  PagePostsFacts first = ReadPagePosts(pages, {}, At(kOpened), At(kOpened + 60));
  EXPECT_TRUE(first.posts.empty());
  ASSERT_EQ(first.seen.size(), 2u);
  EXPECT_EQ(first.seen[0]["due"], Rfc3339(At(kOpened + kHour)));
  plan::ChecklistItem stored{"scheduled-posts", "pending", {}, {{"seen_posts", first.seen}}};
  // Three hours later both went out: counted as published thanks to the memory; without it,
  // nothing would be known.
  Configure({{"now", kOpened + 3 * kHour}});
  PagePostsFacts later = ReadPagePosts(pages, {stored}, At(kOpened), At(kOpened + 3 * kHour));
  ASSERT_EQ(later.posts.size(), 2u);
  EXPECT_EQ(later.posts[0].state, record::PostState::kPublished);
  EXPECT_EQ(later.posts[0].title, "Turnos de octubre") << "the first line of the message";
  EXPECT_EQ(later.posts[0].channel, "fb-page");
  EXPECT_EQ(later.posts[1].state, record::PostState::kPublished);
  EXPECT_EQ(later.seen.size(), 2u) << "the memory is kept for the next check";
  EXPECT_TRUE(ReadPagePosts(pages, {}, At(kOpened), At(kOpened + 3 * kHour)).posts.empty());
}

TEST_F(PagePostsFactsTest, APageThatCannotBeReadIsNeverGreen) {
  Configure({{"now", kOpened}, {"posts", json::array()}});
  const std::vector<ads::FacebookPage> pages = Pages("http://127.0.0.1:9/v25.0");
  PagePostsFacts facts = ReadPagePosts(pages, {}, At(kOpened), At(kOpened + kHour));
  ASSERT_EQ(facts.posts.size(), 1u);
  EXPECT_EQ(facts.posts[0].state, record::PostState::kUnknown);
  ASSERT_EQ(facts.unread.size(), 1u);
  record::RestorationFacts f;
  f.now = At(kOpened + kHour);
  f.posts = facts.posts;
  record::CheckItem item = record::CheckRestoration(f)[0];
  DescribeScheduledPosts(item, pages, facts, {});
  EXPECT_EQ(item.state, record::ItemState::kPending);
  EXPECT_NE(item.text.en.find("Faro could not read the scheduled posts of: fb-page"), std::string::npos) << item.text.en;
  EXPECT_NE(item.text.es.find("Faro no pudo leer las publicaciones programadas de: fb-page"), std::string::npos);
  EXPECT_EQ(item.details["known_to_faro"], true);
  // Without pages the item says Faro knows none (and is not silently green "none scheduled").
  record::CheckItem none = record::CheckRestoration(record::RestorationFacts{})[0];
  DescribeScheduledPosts(none, {}, PagePostsFacts{}, {});
  EXPECT_EQ(none.details["known_to_faro"], false);
  EXPECT_NE(none.text.en.find("Faro knows no scheduled posts"), std::string::npos);
}

// The whole service: WhatsApp goes down at 15:00 and Facebook's publishing fails too.
class PlanPagesServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(At(kOpened));
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("faro_plan_pages_", ::getpid(), "_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    testing::WriteWorld(dir_);
    std::ofstream(dir_ / "page.token") << kToken << "\n";
    const std::string pages = StrCat("pages:\n  - { id: fb-page, type: facebook_page, page_id: \"1234567890\", "
                                     "token_file: page.token, graph_url: \"",
                                     fake_.base_url(), "/v25.0\" }\n");
    auto config = setup::LoadFaroConfigFromString(testing::WorldConfig(pages), (dir_ / "faro.yaml").string(), dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = setup::App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    testing::FillAccount(meta_);
    PlanServiceOptions options;
    options.ad_accounts = {&meta_};
    auto service = PlanService::Open(*app_, options);
    ASSERT_TRUE(service.ok()) << Message(service.status());
    service_ = std::move(*service);
  }
  void TearDown() override {
    service_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Configure(const json& config) { fake_.Post("/_fake/config", config.dump()); }

  // The outage from 15:00 to 16:10, with a "check now" at 15:05 (Faro remembers the posts then).
  json Outage(bool facebook_fails) {
    Configure({{"now", kOpened},
               {"posts", {Post("1234567890_1", "Turnos de octubre", kOpened + kHour / 2),
                          Post("1234567890_2", "Promo de primavera", kOpened + kHour),
                          Post("1234567890_3", "Newsletter", kOpened + 5 * kHour)}},
               {"down", facebook_fails}});
    service_->OnEvent(testing::PlatformEvent("platform-down", clock_.Now(), 1));
    service_->Drain();
    clock_.Advance(minutes(5));
    Configure({{"now", kOpened + 300}});
    EXPECT_TRUE(service_->CheckRestorationNow(1).ok());
    json incident = *service_->IncidentJson(1);
    EXPECT_TRUE(service_->Decide(1, incident["pending_approvals"][0]["action"].get<int64_t>(), true, "Ana", "").ok());
    service_->Drain();
    clock_.Advance(minutes(65));
    Configure({{"now", kOpened + 70 * 60}, {"down", false}});
    service_->OnEvent(testing::PlatformEvent("platform-restored", clock_.Now(), 2));
    service_->Drain();
    incident = *service_->IncidentJson(1);
    EXPECT_EQ(incident["state"], "stable");
    for (const json& item : incident["checklist"])
      if (item["item"] == "scheduled-posts") return item;
    ADD_FAILURE() << "no scheduled-posts item: " << incident["checklist"].dump(1);
    return json();
  }

  FakeClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<setup::App> app_;
  ads::DryRunPlatform meta_{"meta", "meta"};
  std::unique_ptr<PlanService> service_;
  faro::testing::FakeServer fake_{"meta_pages_fake.py", {"--token", kToken, "--page", "1234567890"}};
};

TEST_F(PlanPagesServiceTest, APostThatDidNotGoOutIsRedAndNamed) {
  const json item = Outage(true);
  EXPECT_EQ(item["state"], "red") << item.dump(1);
  EXPECT_NE(item["text"]["en"].get<std::string>().find("Scheduled posts missed (2 of 2)"), std::string::npos)
      << item.dump(1);
  EXPECT_NE(item["text"]["en"].get<std::string>().find("Turnos de octubre"), std::string::npos) << item.dump(1);
  EXPECT_NE(item["text"]["es"].get<std::string>().find("Promo de primavera"), std::string::npos) << item.dump(1);
  EXPECT_EQ(item["details"]["known_to_faro"], true);
  ASSERT_EQ(item["details"]["missed"].size(), 2u);
  EXPECT_EQ(item["details"]["missed"][0]["channel"], "fb-page");
}

TEST_F(PlanPagesServiceTest, EveryPostThatWentOutIsGreen) {
  const json item = Outage(false);
  EXPECT_EQ(item["state"], "green") << item.dump(1);
  EXPECT_EQ(item["details"]["published"], 2) << "both due in the window went out; the newsletter is not due yet";
  EXPECT_EQ(item["details"]["total"], 2);
  EXPECT_NE(item["text"]["en"].get<std::string>().find("Every post scheduled in the outage window went out"),
            std::string::npos)
      << item.dump(1);
  EXPECT_EQ(item["details"]["seen_posts"].size(), 3u);
}

}  // namespace
}  // namespace faro::service
