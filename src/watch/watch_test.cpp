// The watch on simulated time: confirmation, recovery, vantages, signals, staleness, Reconfigure.
// Suppression (flapping, maintenance, our own link) is in watch_suppression_test.cpp.
#include "watch/watch.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "watch/watch_test_util.hpp"

namespace faro::watch {
namespace {

using testing::Append;
using testing::At;
using testing::Lines;
using testing::OnePlatform;
using testing::Read;
using V = std::vector<std::string>;

constexpr Health kUp = Health::kUp, kDown = Health::kDown;

// Feeds one home reading per 30-second round (from round `first`) and returns all events.
std::vector<Event> HomeRounds(Watch& w, const std::string& pattern, int first = 0, const std::string& platform = "whatsapp") {
  std::vector<Event> all;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const Health h = pattern[i] == 'd' ? kDown : pattern[i] == 'p' ? Health::kPartial : kUp;
    Append(all, w.OnReading(Read(platform, "here", (first + static_cast<int>(i)) * 30.0, h, Cause::kDnsServfail)));
  }
  return all;
}

TEST(Watch, StartsUnknownAndLearnsUpSilently) {
  Watch w(OnePlatform(), At(0));
  EXPECT_EQ(w.Platform("whatsapp").health, Health::kUnknown);
  EXPECT_TRUE(HomeRounds(w, "u").empty());
  const PlatformView v = w.Platform("whatsapp");
  EXPECT_EQ(v.health, kUp);
  EXPECT_EQ(v.since, At(0));
  EXPECT_EQ(v.readings.size(), 1u);
}

TEST(Watch, OneBadRoundDoesNothingTwoOfThreeIsDown) {
  Watch w(OnePlatform(), At(0));
  EXPECT_TRUE(HomeRounds(w, "uduu").empty());
  EXPECT_EQ(w.Platform("whatsapp").health, kUp);
  const auto events = HomeRounds(w, "dud", 4);
  ASSERT_EQ(Lines(events), V{"platform-down whatsapp down/unconfirmed"});
  const Event& e = events[0];
  EXPECT_EQ(e.at, At(6 * 30));
  EXPECT_EQ(e.previous, "up");
  EXPECT_EQ(e.cause, "dns-servfail");
  EXPECT_TRUE(e.covers_us);
  EXPECT_FALSE(e.suppressed());
  EXPECT_EQ(e.evidence["vantages"][0]["vantage"], "here");
  EXPECT_TRUE(e.evidence["summary"]["es"].get<std::string>().find("WhatsApp") == std::string::npos)
      << "no display name configured: the id is used";
  EXPECT_EQ(w.Platform("whatsapp").since, At(6 * 30));
}

TEST(Watch, RecoveryNeedsThreeConsecutiveUps) {
  Watch w(OnePlatform(), At(0));
  ASSERT_EQ(Lines(HomeRounds(w, "udd")), V{"platform-down whatsapp down/unconfirmed"});
  EXPECT_TRUE(HomeRounds(w, "uudud", 3).empty()) << "a single up in between does not restore";
  EXPECT_EQ(w.Platform("whatsapp").health, kDown);
  const auto events = HomeRounds(w, "uuu", 8);
  ASSERT_EQ(Lines(events), V{"platform-restored whatsapp up"});
  EXPECT_EQ(events[0].previous, "down");
  EXPECT_EQ(events[0].at, At(10 * 30));
}

TEST(Watch, VantageDisagreement) {
  struct Row {
    Health here, agent;
    std::string line;
    bool covers_us;
  };
  const Row rows[] = {
      {kDown, kUp, "platform-down whatsapp down/regional", true},
      {kUp, kDown, "platform-down whatsapp down/regional", false},
      {kDown, kDown, "platform-down whatsapp down/global", true},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.line + (r.covers_us ? " covering us" : " not covering us"));
    Watch w(OnePlatform({"sao-paulo"}), At(0));
    std::vector<Event> all;
    for (int round = 0; round < 3; ++round) {
      const bool bad = round > 0;
      Append(all, w.OnReading(Read("whatsapp", "here", round * 30, bad ? r.here : kUp, Cause::kTcpTimeout)));
      Append(all, w.OnReading(Read("whatsapp", "sao-paulo", round * 30 + 5, bad ? r.agent : kUp, Cause::kTcpTimeout)));
    }
    ASSERT_EQ(Lines(all), V{r.line});
    EXPECT_EQ(all[0].covers_us, r.covers_us);
    EXPECT_EQ(all[0].at, At(65)) << "confirmed when the second bad round is complete";
    EXPECT_EQ(all[0].evidence["vantages"].size(), 2u);
  }
}

TEST(Watch, OneBadRoundSeenFromEveryVantageIsStillOneEvaluation) {
  Watch w(OnePlatform({"sao-paulo", "frankfurt"}), At(0));
  std::vector<Event> all;
  const char* rounds = "udu uu";
  for (int round = 0; rounds[round]; ++round) {
    if (rounds[round] == ' ') continue;
    const Health h = rounds[round] == 'd' ? kDown : kUp;
    Append(all, w.OnReading(Read("whatsapp", "here", round * 30, h)));
    Append(all, w.OnReading(Read("whatsapp", "sao-paulo", round * 30 + 4, h)));
    Append(all, w.OnReading(Read("whatsapp", "frankfurt", round * 30 + 8, h)));
  }
  EXPECT_TRUE(all.empty()) << Lines(all).front();
  EXPECT_EQ(w.Platform("whatsapp").health, kUp);
}

TEST(Watch, UnconfirmedIsUpgradedByTheFeed) {
  WatchSetup setup = OnePlatform();
  setup.names["whatsapp"] = "WhatsApp";
  Watch w(setup, At(0));
  ASSERT_EQ(Lines(HomeRounds(w, "udd")), V{"platform-down whatsapp down/unconfirmed"});
  EXPECT_TRUE(w.OnFeed("whatsapp", At(70), FeedLevel::kMajor).empty()) << "one evaluation does not change the scope";
  EXPECT_TRUE(w.OnFeed("whatsapp", At(71), FeedLevel::kMajor).empty()) << "an unchanged feed is no evaluation";
  const auto events = HomeRounds(w, "d", 3);
  ASSERT_EQ(Lines(events), V{"platform-down whatsapp down/global"});
  EXPECT_EQ(events[0].previous, "down");
  EXPECT_EQ(events[0].evidence["signals"]["feed"], "major");
  EXPECT_NE(events[0].evidence["summary"]["en"].get<std::string>().find("official status page"), std::string::npos);
  EXPECT_NE(events[0].evidence["summary"]["es"].get<std::string>().find("WhatsApp está caído para todos"), std::string::npos);
}

TEST(Watch, UnconfirmedIsUpgradedByTheCrowd) {
  Watch w(OnePlatform(), At(0));
  ASSERT_EQ(Lines(HomeRounds(w, "udd")), V{"platform-down whatsapp down/unconfirmed"});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(w.AcceptCrowdReport({"whatsapp", StrCat("customer-", i), At(61 + i)}));
  EXPECT_FALSE(w.AcceptCrowdReport({"whatsapp", "customer-0", At(66)})) << "duplicate";
  EXPECT_FALSE(w.AcceptCrowdReport({"telegram", "customer-9", At(66)})) << "not watched";
  EXPECT_TRUE(w.Tick(At(67)).empty()) << "the surge is one evaluation";
  EXPECT_TRUE(w.Platform("whatsapp").signals.crowd_surge);
  EXPECT_EQ(w.Platform("whatsapp").signals.crowd_reports, 5);
  ASSERT_EQ(Lines(HomeRounds(w, "d", 3)), V{"platform-down whatsapp down/global"});
}

TEST(Watch, CrowdSurgeWhileProbesAreUpIsPartialApp) {
  Watch w(OnePlatform(), At(0));
  HomeRounds(w, "uu");
  for (int i = 0; i < 6; ++i) w.AcceptCrowdReport({"whatsapp", StrCat("c", i), At(40 + i)});
  EXPECT_TRUE(w.Tick(At(50)).empty());
  const auto events = HomeRounds(w, "u", 2);
  ASSERT_EQ(Lines(events), V{"platform-partial whatsapp partial"});
  EXPECT_EQ(events[0].cause, "app");
  EXPECT_TRUE(events[0].covers_us);
  EXPECT_EQ(events[0].evidence["signals"]["crowd_reports"], 6);
  // The reports age out of the 15-minute window (at 945 s): the surge ends, and three good
  // evaluations restore.
  std::vector<Event> later;
  for (int round = 3; round <= 34; ++round) {
    Append(later, w.Tick(At(round * 30 - 1)));
    Append(later, w.OnReading(Read("whatsapp", "here", round * 30, kUp)));
  }
  ASSERT_EQ(Lines(later), V{"platform-restored whatsapp up"});
  EXPECT_EQ(later[0].at, At(990)) << "the tick at 959 s, then the rounds at 960 s and 990 s";
}

TEST(Watch, CrowdBaselineRaisesTheBar) {
  Watch w(OnePlatform(), At(0));
  std::vector<double> baseline(kSlotsPerWeek, 0);
  baseline[SlotOfWeek(At(0))] = 4;  // usually 4 reports per 15 minutes at this time
  w.SetCrowdBaseline("whatsapp", baseline);
  HomeRounds(w, "u");
  for (int i = 0; i < 11; ++i) w.AcceptCrowdReport({"whatsapp", StrCat("c", i), At(10 + i)});
  w.Tick(At(25));
  EXPECT_TRUE(HomeRounds(w, "uu", 1).empty()) << "11 < 3 × 4";
  EXPECT_EQ(w.Platform("whatsapp").signals.crowd_baseline, 4);
  w.AcceptCrowdReport({"whatsapp", "c11", At(70)});
  w.Tick(At(75));
  EXPECT_EQ(Lines(HomeRounds(w, "u", 3)), V{"platform-partial whatsapp partial"});
}

TEST(Watch, FailingSendsAreASignal) {
  Watch w(OnePlatform(), At(0));
  HomeRounds(w, "u");
  std::vector<Event> all;
  for (int i = 0; i < 4; ++i) Append(all, w.OnSendOutcome({"whatsapp", At(5 + i), true}));
  EXPECT_FALSE(w.Platform("whatsapp").signals.outbox_failing) << "below the minimum of 5 sends";
  Append(all, w.OnSendOutcome({"whatsapp", At(9), false}));
  EXPECT_TRUE(w.Platform("whatsapp").signals.outbox_failing);
  EXPECT_TRUE(all.empty()) << "one evaluation";
  const auto events = HomeRounds(w, "u", 1);
  ASSERT_EQ(Lines(events), V{"platform-partial whatsapp partial"});
  EXPECT_EQ(events[0].evidence["signals"]["outbox_faults"], 4);
  EXPECT_TRUE(w.OnSendOutcome({"telegram", At(40), true}).empty()) << "not watched";
}

std::vector<Event> AboutVantages(std::vector<Event> events) {
  std::erase_if(events, [](const Event& e) { return e.subject.rfind("vantage:", 0) != 0; });
  return events;
}

TEST(Watch, VantageSilentAndBack) {
  Watch w(OnePlatform({"sao-paulo"}), At(0));
  EXPECT_TRUE(w.Tick(At(89)).empty());
  auto events = w.Tick(At(90));
  ASSERT_EQ(Lines(events), V{"vantage-silent vantage:sao-paulo silent"}) << "counted from start";
  EXPECT_TRUE(events[0].evidence["last_seen"].is_null());
  EXPECT_TRUE(w.Tick(At(200)).empty()) << "once";
  EXPECT_TRUE(w.Vantages()[0].silent);
  events = w.OnReading(Read("whatsapp", "sao-paulo", 210, kUp));
  ASSERT_EQ(Lines(events), V{"vantage-back vantage:sao-paulo reporting"});
  EXPECT_EQ(w.Vantages()[0].last_seen, At(210));
  EXPECT_FALSE(w.Vantages()[0].silent);
  EXPECT_TRUE(AboutVantages(w.Tick(At(299))).empty());
  EXPECT_EQ(Lines(AboutVantages(w.Tick(At(300)))), V{"vantage-silent vantage:sao-paulo silent"});
}

TEST(Watch, OutageChatterMakesAnAnsweringPlatformPartialUntilItCalms) {
  Watch w(OnePlatform({}), At(0));
  std::vector<Event> all;
  for (int t = 0; t <= 60; t += 30) Append(all, w.OnReading(Read("whatsapp", "here", t, kUp)));
  ASSERT_TRUE(all.empty());
  auto chatter = [](int t, bool surge) {
    return ChatterReading{"whatsapp", At(t), surge ? 150 : 3, 4, surge};
  };
  Append(all, w.OnChatter(chatter(70, true)));
  for (int t = 90; t <= 150; t += 30) Append(all, w.OnReading(Read("whatsapp", "here", t, kUp)));
  ASSERT_EQ(Lines(all), V{"platform-partial whatsapp partial"});
  EXPECT_NE(w.Platform("whatsapp").summary_en.find("150 public mentions of trouble in a minute (usually 4)"), std::string::npos)
      << w.Platform("whatsapp").summary_en;
  EXPECT_TRUE(w.OnChatter(chatter(20, false)).empty()) << "older than the one held: ignored";
  EXPECT_TRUE(w.OnChatter(ChatterReading{"tiktok", At(160), 500, 1, true}).empty()) << "not watched";
  // The surge holds 5 minutes after its minute; then the probes alone decide again.
  all.clear();
  for (int t = 180; t <= 480; t += 30) {
    Append(all, w.Tick(At(t)));
    Append(all, w.OnReading(Read("whatsapp", "here", t, kUp)));
  }
  EXPECT_EQ(Lines(all), V{"platform-restored whatsapp up"});
}

TEST(Watch, AnAgentHeardWithoutReadingsIsAliveToo) {
  Watch w(OnePlatform({"sao-paulo"}), At(0));
  EXPECT_TRUE(w.OnVantageHeard("sao-paulo", At(60)).empty()) << "never silent: no news";
  EXPECT_TRUE(AboutVantages(w.Tick(At(149))).empty()) << "silence counts from the last contact";
  EXPECT_EQ(Lines(AboutVantages(w.Tick(At(150)))), V{"vantage-silent vantage:sao-paulo silent"});
  EXPECT_EQ(Lines(w.OnVantageHeard("sao-paulo", At(160))), V{"vantage-back vantage:sao-paulo reporting"});
  EXPECT_EQ(w.Vantages()[0].last_seen, At(160));
  EXPECT_TRUE(w.OnVantageHeard("lima", At(161)).empty()) << "not a configured vantage";
  EXPECT_TRUE(w.Platform("whatsapp").readings.empty()) << "being heard is not a reading";
}

TEST(Watch, StaleReadingsStopCounting) {
  Watch w(OnePlatform({"sao-paulo"}), At(0));
  std::vector<Event> all;
  for (int round = 0; round < 3; ++round) {
    Append(all, w.OnReading(Read("whatsapp", "here", round * 30, kUp)));
    Append(all, w.OnReading(Read("whatsapp", "sao-paulo", round * 30 + 5, round ? kDown : kUp)));
  }
  ASSERT_EQ(Lines(all), V{"platform-down whatsapp down/regional"});
  EXPECT_FALSE(all[0].covers_us);
  // The agent falls silent: its down reading goes stale after 75 s, the home rounds say up.
  all.clear();
  for (int t = 90; t <= 240; t += 30) {
    Append(all, w.Tick(At(t - 1)));
    Append(all, w.OnReading(Read("whatsapp", "here", t, kUp)));
  }
  EXPECT_EQ(Lines(all), (V{"vantage-silent vantage:sao-paulo silent", "platform-restored whatsapp up"}));
  const auto readings = w.Platform("whatsapp").readings;
  ASSERT_EQ(readings.size(), 2u) << "stale readings are still shown";
  EXPECT_EQ(readings[0].vantage, "here");
  EXPECT_EQ(readings[1].vantage, "sao-paulo");
}

TEST(Watch, NothingFreshIsUnknownAndComingBackIsNoNews) {
  Watch w(OnePlatform(), At(0));
  HomeRounds(w, "udd");
  EXPECT_TRUE(w.Tick(At(60 + 74)).empty());
  const auto lost = w.Tick(At(60 + 75));
  ASSERT_EQ(Lines(lost), V{"platform-unknown whatsapp unknown [stale]"});
  EXPECT_EQ(w.Platform("whatsapp").health, Health::kUnknown);
  EXPECT_EQ(w.Platform("whatsapp").announced, kDown);
  EXPECT_EQ(Lines(HomeRounds(w, "d", 10)), V{"platform-down whatsapp down/unconfirmed [stale]"});
}

TEST(Watch, ReconfigureKeepsTheStateOfPlatformsStillWatched) {
  WatchSetup setup = OnePlatform({"sao-paulo"});
  setup.platforms.push_back("instagram");
  Watch w(setup, At(0));
  // The agent reads Instagram only, so WhatsApp's rounds do not wait for it.
  w.OnReading(Read("instagram", "sao-paulo", 0, kUp));
  ASSERT_EQ(Lines(HomeRounds(w, "udd")), V{"platform-down whatsapp down/unconfirmed"});
  HomeRounds(w, "u", 0, "instagram");
  WatchSetup next = OnePlatform();
  next.platforms.push_back("telegram");
  next.policy.recover_after = 2;
  w.Reconfigure(next);
  ASSERT_EQ(w.Platforms().size(), 2u);
  EXPECT_EQ(w.Platforms()[0].platform, "whatsapp");
  EXPECT_EQ(w.Platform("whatsapp").health, kDown);
  EXPECT_EQ(w.Platform("whatsapp").since, At(60));
  EXPECT_EQ(w.Platform("telegram").health, Health::kUnknown);
  EXPECT_EQ(w.Platform("instagram").health, Health::kUnknown) << "no longer watched";
  EXPECT_TRUE(w.Vantages().empty());
  EXPECT_TRUE(w.OnReading(Read("whatsapp", "sao-paulo", 95, kUp)).empty()) << "agent no longer configured";
  EXPECT_EQ(Lines(HomeRounds(w, "uu", 3)), V{"platform-restored whatsapp up"}) << "the new recover_after applies";
}

TEST(Watch, BadInputIsIgnoredNotFatal) {
  Watch w(OnePlatform(), At(0));
  EXPECT_TRUE(w.OnReading(Read("myspace", "here", 1, kDown)).empty());
  EXPECT_TRUE(w.OnReading(Read("whatsapp", "stranger", 1, kDown)).empty());
  Reading odd = Read("whatsapp", "here", 1, kUp);
  odd.health = Health::kLocal;
  EXPECT_TRUE(w.OnReading(odd).empty());
  EXPECT_TRUE(w.OnFeed("myspace", At(1), FeedLevel::kMajor).empty());
  EXPECT_FALSE(w.AcceptCrowdReport({"whatsapp", "", At(1)}));
  w.SetCrowdBaseline("whatsapp", {1, 2, 3});
  w.SetCrowdBaseline("myspace", std::vector<double>(kSlotsPerWeek, 1));
  EXPECT_EQ(w.Platform("myspace").health, Health::kUnknown);
  HomeRounds(w, "u", 2);
  EXPECT_TRUE(w.OnReading(Read("whatsapp", "here", 30, kDown)).empty()) << "older than the reading held";
  EXPECT_EQ(w.Platform("whatsapp").readings[0].at, At(60));
  // A nonsense setup is brought into range.
  WatchSetup bad = OnePlatform({"here", "sp", "sp", ""});
  bad.policy.confirm_k = 9;
  bad.policy.interval = std::chrono::milliseconds(-5);
  EXPECT_FALSE(ValidateSetup(bad).ok());
  Watch odd_watch(bad, At(0));
  EXPECT_EQ(odd_watch.Vantages().size(), 1u);
  EXPECT_EQ(odd_watch.setup().policy.confirm_k, 3);
}

TEST(WatchSetup, ValidationNamesTheKey) {
  EXPECT_TRUE(ValidateSetup(OnePlatform({"sao-paulo"})).ok());
  struct Row {
    std::function<void(WatchSetup&)> change;
    std::string expected;
  };
  const Row rows[] = {
      {[](WatchSetup& s) { s.policy.confirm_k = 4; }, "watch.confirm_k: must be between 1 and confirm_n (3), got 4"},
      {[](WatchSetup& s) { s.policy.interval = std::chrono::milliseconds(0); }, "watch.interval: must be a positive duration"},
      {[](WatchSetup& s) { s.policy.outbox_fault_share = 1.5; }, "watch.outbox_fault_share"},
      {[](WatchSetup& s) { s.platforms.push_back("whatsapp"); }, "\"whatsapp\" is listed twice"},
      {[](WatchSetup& s) { s.vantages.push_back("here"); }, "this node's own name"},
      {[](WatchSetup& s) { s.maintenance.push_back({"", At(10), At(5), ""}); }, "watch.maintenance[0]: ends"},
  };
  for (const Row& r : rows) {
    WatchSetup s = OnePlatform();
    r.change(s);
    const absl::Status st = ValidateSetup(s);
    EXPECT_NE(Message(st).find(r.expected), std::string::npos) << Message(st);
  }
}

}  // namespace
}  // namespace faro::watch
