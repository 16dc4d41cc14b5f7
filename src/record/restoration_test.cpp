#include "record/restoration.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/time_text.hpp"

namespace faro::record {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

constexpr int64_t kHour = 3600000;
constexpr int64_t kUsd = 1000000;  // one unit of currency in micros

// Facts of a restoration where everything went well: the check runs at 22:00, two hours after
// the 4 October 2021 outage ended, and the watching ended at 21:45.
RestorationFacts GoodFacts() {
  RestorationFacts f;
  f.now = At("2021-10-04T22:00:00Z");
  f.posts = {{"p1", "Receta de otoño", "instagram", At("2021-10-04T17:00:00Z"), PostState::kPublished},
             {"p2", "Turnos de noviembre", "facebook", At("2021-10-04T18:30:00Z"), PostState::kRescheduled}};
  f.campaigns = {{"meta", "c1", "Turnos de noviembre", "active", "active", "ACTIVE"}};
  AdFigures baseline{24 * kHour, 480 * kUsd, 48000, 1200, 10 * kUsd, 2500000};
  AdFigures now{2 * kHour, 40 * kUsd, 4000, 100, 10 * kUsd, 2500000};
  f.ads = {{"meta", "c1", "Turnos de noviembre", "USD", baseline, now}};
  f.watch_until = At("2021-10-04T21:45:00Z");
  return f;
}

const CheckItem& Find(const std::vector<CheckItem>& items, const std::string& id) {
  for (const CheckItem& i : items)
    if (i.item == id) return i;
  throw std::runtime_error("no item " + id);
}

CheckItem Check(const RestorationFacts& f, const std::string& id, RestorationOptions o = {}) {
  return Find(CheckRestoration(f, o), id);
}

TEST(Restoration, EverythingGoodIsAllGreenInOrder) {
  const auto items = CheckRestoration(GoodFacts());
  ASSERT_EQ(items.size(), 6u);
  const char* order[] = {"scheduled-posts", "outbox-drained", "unanswered", "campaigns-resumed", "ad-figures", "watching"};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(items[i].item, order[i]);
    EXPECT_EQ(items[i].state, ItemState::kGreen) << items[i].item << ": " << items[i].text.en;
    EXPECT_FALSE(items[i].text.es.empty());
    EXPECT_FALSE(items[i].text.en.empty());
    EXPECT_NE(items[i].text.es, items[i].text.en);
  }
  EXPECT_TRUE(MayClose(items, {}).may_close);
}

TEST(Restoration, ScheduledPosts) {
  RestorationFacts f = GoodFacts();
  CheckItem item = Check(f, "scheduled-posts");
  EXPECT_EQ(item.state, ItemState::kGreen);
  EXPECT_NE(item.text.en.find("published: 1, rescheduled: 1"), std::string::npos) << item.text.en;

  f.posts.push_back({"p3", "Sorteo de Halloween", "instagram", At("2021-10-04T19:00:00Z"), PostState::kMissed});
  item = Check(f, "scheduled-posts");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.es.find("«Sorteo de Halloween» (instagram, 2021-10-04 19:00 UTC)"), std::string::npos)
      << item.text.es;
  EXPECT_NE(item.text.en.find("(1 of 3)"), std::string::npos) << item.text.en;
  ASSERT_EQ(item.details["missed"].size(), 1u);
  EXPECT_EQ(item.details["missed"][0]["id"], "p3");

  f.posts.back().state = PostState::kUnknown;
  item = Check(f, "scheduled-posts");
  EXPECT_EQ(item.state, ItemState::kPending);
  EXPECT_NE(item.text.en.find("Sorteo de Halloween"), std::string::npos);

  f.posts.clear();
  EXPECT_EQ(Check(f, "scheduled-posts").state, ItemState::kGreen);
}

TEST(Restoration, OutboxDrained) {
  RestorationFacts f = GoodFacts();
  f.outbox_pending = 1234;
  CheckItem item = Check(f, "outbox-drained");
  EXPECT_EQ(item.state, ItemState::kPending);
  EXPECT_NE(item.text.es.find("1.234"), std::string::npos) << item.text.es;
  EXPECT_NE(item.text.en.find("1,234"), std::string::npos) << item.text.en;
  f.outbox_given_up = 3;
  item = Check(f, "outbox-drained");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_EQ(item.details["given_up"], 3);
  f.outbox_pending = 0;
  f.outbox_given_up = 0;
  EXPECT_EQ(Check(f, "outbox-drained").state, ItemState::kGreen);
}

TEST(Restoration, UnansweredUsesTheGrace) {
  RestorationFacts f = GoodFacts();
  f.waiting = {{"cv1", "Marta", "whatsapp", f.now - minutes(5)}};
  EXPECT_EQ(Check(f, "unanswered").state, ItemState::kPending);
  f.waiting[0].waiting_since = f.now - minutes(15);  // exactly the grace: not late yet
  EXPECT_EQ(Check(f, "unanswered").state, ItemState::kPending);
  f.waiting[0].waiting_since = f.now - minutes(15) - milliseconds(1);
  CheckItem item = Check(f, "unanswered");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("Marta (whatsapp, 15 min)"), std::string::npos) << item.text.en;
  RestorationOptions o;
  o.reply_grace = hours(1);
  EXPECT_EQ(Check(f, "unanswered", o).state, ItemState::kPending);
}

TEST(Restoration, CampaignsResumedAndTheOneAlreadyPaused) {
  RestorationFacts f = GoodFacts();
  f.campaigns.push_back({"meta", "c2", "Retargeting verano", "paused", "paused", "PAUSED"});
  CheckItem item = Check(f, "campaigns-resumed");
  EXPECT_EQ(item.state, ItemState::kGreen) << item.text.en;
  EXPECT_NE(item.text.en.find("“Retargeting verano” was already paused before the incident and stays paused"),
            std::string::npos)
      << item.text.en;
  EXPECT_NE(item.text.es.find("ya estaba pausada antes del incidente y sigue pausada"), std::string::npos);
  EXPECT_EQ(item.details["campaigns"][1]["expected"], "paused");

  // Resumed by mistake: it was paused before Faro came.
  f.campaigns[1].status_now = "active";
  item = Check(f, "campaigns-resumed");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("was paused before the incident and is running now"), std::string::npos);

  f.campaigns[1].status_now = "paused";
  f.campaigns[0].status_now = "paused";  // Faro paused it and it was not resumed
  item = Check(f, "campaigns-resumed");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("“Turnos de noviembre” is still paused"), std::string::npos) << item.text.en;

  f.campaigns[0].status_now = "removed";
  EXPECT_EQ(Check(f, "campaigns-resumed").state, ItemState::kRed);
  f.campaigns[0].status_now = "other";
  f.campaigns[0].raw_status_now = "WITH_ISSUES";
  EXPECT_NE(Check(f, "campaigns-resumed").text.en.find("WITH_ISSUES"), std::string::npos);

  f.campaigns[0].status_now.reset();  // could not be read
  EXPECT_EQ(Check(f, "campaigns-resumed").state, ItemState::kPending);

  f.campaigns.clear();
  EXPECT_EQ(Check(f, "campaigns-resumed").state, ItemState::kGreen);
}

// Spend over one hour against 100.00 an hour before, tolerance 25 %.
ItemState SpendState(int64_t now_spend_micros) {
  RestorationFacts f = GoodFacts();
  f.ads[0].baseline = {kHour, 100 * kUsd, 1000, 10, 100 * kUsd, 1000000};
  f.ads[0].now = AdFigures{kHour, now_spend_micros, 1000, 10, 100 * kUsd, 1000000};
  return Check(f, "ad-figures").state;
}

TEST(Restoration, AdToleranceEdges) {
  EXPECT_EQ(SpendState(125 * kUsd), ItemState::kGreen);      // +25 % exactly: within
  EXPECT_EQ(SpendState(125 * kUsd + 1), ItemState::kRed);    // one micro over
  EXPECT_EQ(SpendState(75 * kUsd), ItemState::kGreen);       // -25 % exactly
  EXPECT_EQ(SpendState(75 * kUsd - 1), ItemState::kRed);
  RestorationFacts f = GoodFacts();
  f.ads[0].baseline = {kHour, 100 * kUsd, 1000, 10, 100 * kUsd, 1000000};
  f.ads[0].now = AdFigures{kHour, 130 * kUsd, 1000, 10, 100 * kUsd, 1000000};
  RestorationOptions o;
  o.ad_tolerance_bp = 3000;
  EXPECT_EQ(Check(f, "ad-figures", o).state, ItemState::kGreen);
  o.ad_tolerance_bp = 2999;
  const CheckItem item = Check(f, "ad-figures", o);
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("spend 130.00 USD/h against 100.00 USD/h (+30.0 %)"), std::string::npos)
      << item.text.en;
  EXPECT_NE(item.text.es.find("gasto 130,00 USD/h frente a 100,00 USD/h (+30,0 %)"), std::string::npos)
      << item.text.es;
  EXPECT_NE(item.text.en.find("29.99 %"), std::string::npos) << item.text.en;
  EXPECT_EQ(item.details["tolerance_percent"], "29.99");
}

TEST(Restoration, AdFiguresAreComparedPerHour) {
  // GoodFacts: 480 over 24 h against 40 over 2 h: both 20.00 an hour.
  RestorationFacts f = GoodFacts();
  EXPECT_EQ(Check(f, "ad-figures").state, ItemState::kGreen);
  // The same total over the shorter window is twice the hourly spend.
  f.ads[0].now->spend_micros = 80 * kUsd;
  CheckItem item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("spend 40.00 USD/h against 20.00 USD/h (+100.0 %)"), std::string::npos)
      << item.text.en;
  // Impressions and clicks too; CPM and CTR are ratios and are not divided by the window.
  f = GoodFacts();
  f.ads[0].now->impressions = 1000;  // 500/h against 2000/h
  item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("impressions 500.0/h against 2,000.0/h (-75.0 %)"), std::string::npos)
      << item.text.en;
  f = GoodFacts();
  f.ads[0].now->window_ms = 3 * kHour;  // CPM and CTR unchanged: only the totals move
  f.ads[0].now->spend_micros = 60 * kUsd;
  f.ads[0].now->impressions = 6000;
  f.ads[0].now->clicks = 150;
  EXPECT_EQ(Check(f, "ad-figures").state, ItemState::kGreen);
  f.ads[0].now->ctr_micros = 1000000;  // 1 % against 2.5 %
  item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kRed);
  EXPECT_NE(item.text.en.find("CTR 1.00 % against 2.50 % (-60.0 %)"), std::string::npos) << item.text.en;
}

TEST(Restoration, AdFiguresWaitForEnoughDataAndSkipWhatStaysPaused) {
  RestorationFacts f = GoodFacts();
  f.ads[0].now->window_ms = 12 * 60000;
  CheckItem item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kPending);
  EXPECT_NE(item.text.en.find("12 min of figures"), std::string::npos) << item.text.en;
  f.ads[0].now.reset();
  EXPECT_EQ(Check(f, "ad-figures").state, ItemState::kPending);

  // A campaign that was paused before the incident delivers nothing now, as expected.
  f = GoodFacts();
  f.campaigns.push_back({"meta", "c2", "Retargeting verano", "paused", "paused", "PAUSED"});
  f.ads.push_back({"meta", "c2", "Retargeting verano", "USD", {24 * kHour, 5 * kUsd, 100, 1, 50 * kUsd, 1000000},
                   AdFigures{2 * kHour, 0, 0, 0, 0, 0}});
  item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kGreen) << item.text.en;
  EXPECT_NE(item.text.en.find("“Retargeting verano” (stays paused, as before the incident)"), std::string::npos);
  EXPECT_EQ(item.details["campaigns"][1]["status"], "skipped");

  // A metric with a zero baseline is listed, not judged.
  f = GoodFacts();
  f.ads[0].baseline.clicks = 0;
  item = Check(f, "ad-figures");
  EXPECT_EQ(item.state, ItemState::kGreen);
  EXPECT_EQ(item.details["campaigns"][0]["metrics"][2]["judged"], false);

  f.ads.clear();
  EXPECT_EQ(Check(f, "ad-figures").state, ItemState::kGreen);
}

TEST(Restoration, WatchingIsPendingUntilTheWindowEnds) {
  RestorationFacts f = GoodFacts();
  f.watch_until = f.now + hours(3) + minutes(20);
  CheckItem item = Check(f, "watching");
  EXPECT_EQ(item.state, ItemState::kPending);
  EXPECT_NE(item.text.en.find("until 2021-10-05 01:20 UTC (3 h 20 min left)"), std::string::npos) << item.text.en;
  EXPECT_EQ(item.details["left_s"], 12000);
  f.watch_until = f.now;
  EXPECT_EQ(Check(f, "watching").state, ItemState::kGreen);
}

// A check before restoration ("check now" while the platform is still down): the facts that
// would read green afterwards (watching over, posts out, campaigns as expected, figures within
// tolerance) say "not yet" and stay pending; the present (outbox, unanswered) is judged as always.
TEST(Restoration, BeforeRestorationOnlyThePresentCanBeGreen) {
  RestorationFacts f = GoodFacts();
  f.restored = Restored::kPlatformNotBack;
  f.watch_for = hours(2);
  f.watch_until = f.now;  // what a check without a restoration time would compute: "ended"
  const auto items = CheckRestoration(f);
  ASSERT_EQ(items.size(), 6u);
  for (const CheckItem& item : items) {
    if (item.item == "outbox-drained" || item.item == "unanswered") {
      EXPECT_EQ(item.state, ItemState::kGreen) << item.item;
      continue;
    }
    EXPECT_EQ(item.state, ItemState::kPending) << item.item << ": " << item.text.en;
    EXPECT_EQ(item.text.en.rfind("Not yet: the platform is not back. ", 0), 0u) << item.text.en;
    EXPECT_EQ(item.text.es.rfind("Todavía no: la plataforma no volvió. ", 0), 0u) << item.text.es;
    EXPECT_EQ(item.details["not_restored"], true) << item.item;
  }
  EXPECT_EQ(Find(items, "watching").text.en,
            "Not yet: the platform is not back. The heightened watching (2 h) starts once it is back.");
  EXPECT_EQ(Find(items, "campaigns-resumed").text.es,
            "Todavía no: la plataforma no volvió. Faro reanuda las campañas que pausó (1 en este incidente) "
            "cuando vuelva.");
  const CloseDecision close = MayClose(items, {});
  EXPECT_FALSE(close.may_close);
  EXPECT_EQ(close.blocking,
            (std::vector<std::string>{"scheduled-posts", "campaigns-resumed", "ad-figures", "watching"}));
  // A post already missed is red whatever comes next; a crisis says so in its words.
  f.posts[0].state = PostState::kMissed;
  f.restored = Restored::kCrisisNotOver;
  EXPECT_EQ(Check(f, "scheduled-posts").state, ItemState::kRed);
  const CheckItem watching = Check(f, "watching");
  EXPECT_EQ(watching.text.en, "Not yet: the crisis is not over. The heightened watching (2 h) starts once it is over.");
  EXPECT_EQ(watching.text.es,
            "Todavía no: la crisis no terminó. La vigilancia reforzada (2 h) empieza cuando termine.");
  // A messages problem now is red now.
  f.outbox_given_up = 3;
  EXPECT_EQ(Check(f, "outbox-drained").state, ItemState::kRed);
}

TEST(Restoration, MayCloseNeedsGreenOrAReasonedOverride) {
  RestorationFacts f = GoodFacts();
  f.outbox_given_up = 2;                         // red
  f.watch_until = f.now + hours(1);              // pending
  const auto items = CheckRestoration(f);
  CloseDecision d = MayClose(items, {});
  EXPECT_FALSE(d.may_close);
  EXPECT_EQ(d.blocking, (std::vector<std::string>{"outbox-drained", "watching"}));
  EXPECT_NE(d.text.en.find("Outbox drained, Heightened watching"), std::string::npos) << d.text.en;

  std::vector<Override> overrides = {{"outbox-drained", "Ana", "  ", f.now}};  // blank reason
  EXPECT_EQ(MayClose(items, overrides).blocking.size(), 2u);
  overrides[0].reason = "Los dos números ya no existen";
  d = MayClose(items, overrides);
  EXPECT_EQ(d.blocking, std::vector<std::string>{"watching"});
  overrides.push_back({"watching", "", "nobody signed it", f.now});  // nobody named
  EXPECT_FALSE(MayClose(items, overrides).may_close);
  overrides.back().by = "Leo";
  EXPECT_TRUE(MayClose(items, overrides).may_close);
  EXPECT_TRUE(MayClose({}, {}).may_close);
}

TEST(Restoration, ItemJsonShape) {
  const auto items = CheckRestoration(GoodFacts());
  const nlohmann::json j = CheckItemToJson(items[0]);
  EXPECT_EQ(j["item"], "scheduled-posts");
  EXPECT_EQ(j["state"], "green");
  EXPECT_EQ(j["text"]["es"], items[0].text.es);
  EXPECT_EQ(j["details"]["total"], 2);
  EXPECT_EQ(ItemStateFromName("pending"), ItemState::kPending);
  EXPECT_FALSE(ItemStateFromName("amber").has_value());
}

}  // namespace
}  // namespace faro::record
