// Suppression on simulated time: flapping, maintenance windows, and our own link as the parent
// of every platform.
#include <gtest/gtest.h>

#include "watch/watch.hpp"
#include "watch/watch_test_util.hpp"

namespace faro::watch {
namespace {

using testing::Append;
using testing::At;
using testing::Lines;
using testing::OnePlatform;
using testing::Read;
using V = std::vector<std::string>;

Health H(char c) { return c == 'd' ? Health::kDown : c == 'p' ? Health::kPartial : Health::kUp; }

// One home reading per 30-second round from round `first`, with a Tick just before each.
std::vector<Event> Rounds(Watch& w, const std::string& pattern, int first, const std::string& platform = "whatsapp") {
  std::vector<Event> all;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const double t = (first + static_cast<double>(i)) * 30;
    Append(all, w.Tick(At(t - 1)));
    Append(all, w.OnReading(Read(platform, "here", t, H(pattern[i]), Cause::kDnsServfail)));
  }
  return all;
}

int Unsuppressed(const std::vector<Event>& events, std::string_view prefix) {
  int n = 0;
  for (const Event& e : events) n += !e.suppressed() && e.kind.rfind(prefix, 0) == 0;
  return n;
}

TEST(Flapping, AlternatingStatesGiveOneAlertThenFlappingThenCalm) {
  WatchSetup setup = OnePlatform();
  setup.policy.flap_changes = 2;
  Watch w(setup, At(0));
  // down, up, down, up, down: confirmed changes every few rounds.
  auto events = Rounds(w, "udduuuudduuuudd", 0);
  EXPECT_EQ(Lines(events), (V{"platform-down whatsapp down/unconfirmed", "flapping whatsapp",
                              "platform-restored whatsapp up [flapping]",
                              "platform-down whatsapp down/unconfirmed [flapping]",
                              "platform-restored whatsapp up [flapping]",
                              "platform-down whatsapp down/unconfirmed [flapping]"}));
  EXPECT_EQ(Unsuppressed(events, "platform-"), 1);
  EXPECT_TRUE(w.Platform("whatsapp").flapping);
  EXPECT_EQ(events[1].evidence["changes"].size(), 2u);
  // Calm: still down, no change for 15 minutes → flapping over; the state is the one announced,
  // so nothing more is said.
  events = Rounds(w, std::string(31, 'd'), 15);
  ASSERT_EQ(Lines(events), V{"flapping-over whatsapp"});
  EXPECT_EQ(events[0].at, At(45 * 30 - 1)) << "the first tick 15 minutes after the last change (at 420 s)";
  EXPECT_FALSE(w.Platform("whatsapp").flapping);
}

TEST(Flapping, OverAnnouncesTheCurrentStateWhenItDiffers) {
  WatchSetup setup = OnePlatform();
  setup.policy.flap_changes = 2;
  Watch w(setup, At(0));
  auto events = Rounds(w, "udduuu", 0);
  ASSERT_EQ(Lines(events), (V{"platform-down whatsapp down/unconfirmed", "flapping whatsapp",
                              "platform-restored whatsapp up [flapping]"}));
  events = Rounds(w, std::string(31, 'u'), 6);
  ASSERT_EQ(Lines(events), (V{"flapping-over whatsapp", "platform-restored whatsapp up"}));
  EXPECT_EQ(events[1].previous, "down") << "previous is the state last announced";
  EXPECT_EQ(events[1].evidence["after"], "flapping");
  EXPECT_EQ(Unsuppressed(Rounds(w, "dd", 40), "platform-"), 1) << "alerts again after the calm";
}

TEST(Flapping, DefaultPolicyLetsThreeChangesThrough) {
  Watch w(OnePlatform(), At(0));
  const auto events = Rounds(w, "udduuudduuu", 0);
  EXPECT_EQ(Lines(events), (V{"platform-down whatsapp down/unconfirmed", "platform-restored whatsapp up",
                              "platform-down whatsapp down/unconfirmed", "flapping whatsapp",
                              "platform-restored whatsapp up [flapping]"}));
}

TEST(Flapping, AChangeAcrossABlindSpellCountsAsAChange) {
  // Up, then nothing fresh for a while (unknown), then down, up and down again: three changes
  // of the platform's state, though the first was seen only after the blind spell. A slow round
  // must not let a flapping platform page twice.
  WatchSetup setup = OnePlatform();
  setup.policy.flap_changes = 3;
  Watch w(setup, At(0));
  auto events = Rounds(w, "uuu", 0);
  Append(events, w.Tick(At(60 + 75)));
  Append(events, Rounds(w, "dduuuudd", 6));
  EXPECT_EQ(Lines(events), (V{"platform-unknown whatsapp unknown [stale]", "platform-down whatsapp down/unconfirmed",
                              "platform-restored whatsapp up", "flapping whatsapp",
                              "platform-down whatsapp down/unconfirmed [flapping]"}));
  EXPECT_EQ(Unsuppressed(events, "platform-down"), 1);
  // A blind spell between two looks of the same state is no change.
  Watch calm(setup, At(0));
  events = Rounds(calm, "uuu", 0);
  Append(events, calm.Tick(At(60 + 75)));
  Append(events, Rounds(calm, "uuuudd", 6));
  EXPECT_EQ(Lines(events), (V{"platform-unknown whatsapp unknown [stale]", "platform-restored whatsapp up [stale]",
                              "platform-down whatsapp down/unconfirmed"}));
  EXPECT_FALSE(calm.Platform("whatsapp").flapping);
}

TEST(Flapping, ChangesSpreadBeyondTheWindowAreNotFlapping) {
  WatchSetup setup = OnePlatform();
  setup.policy.flap_changes = 2;
  setup.policy.flap_window = std::chrono::seconds(60);
  Watch w(setup, At(0));
  const auto events = Rounds(w, "udduuu", 0);
  EXPECT_EQ(Lines(events), (V{"platform-down whatsapp down/unconfirmed", "platform-restored whatsapp up"}));
}

WatchSetup WithMaintenance(double from_s, double to_s, std::string platform = "whatsapp") {
  WatchSetup setup = OnePlatform();
  setup.platforms.push_back("telegram");
  setup.maintenance.push_back({std::move(platform), At(from_s), At(to_s), "Meta's announced DNS work"});
  return setup;
}

TEST(Maintenance, TransitionsAreRecordedNotAnnouncedAndTheEndAnnounces) {
  Watch w(WithMaintenance(100, 400), At(0));
  auto events = Rounds(w, "uuuuddddddddd", 0);  // maintenance from 100 s: the tick at 119 s
  ASSERT_EQ(Lines(events), (V{"maintenance-start whatsapp", "platform-down whatsapp down/unconfirmed [maintenance]"}));
  EXPECT_EQ(events[0].at, At(119));
  EXPECT_EQ(events[0].evidence["note"], "Meta's announced DNS work");
  EXPECT_TRUE(w.Platform("whatsapp").in_maintenance);
  EXPECT_FALSE(w.Platform("telegram").in_maintenance) << "the window names one platform";
  events = Rounds(w, "dd", 13);  // the tick at 419 s ends it
  ASSERT_EQ(Lines(events), (V{"maintenance-end whatsapp", "platform-down whatsapp down/unconfirmed"}));
  EXPECT_FALSE(events[1].suppressed());
  EXPECT_EQ(events[1].previous, "up");
  EXPECT_EQ(events[1].evidence["after"], "maintenance");
  EXPECT_EQ(Lines(Rounds(w, "uuu", 15)), V{"platform-restored whatsapp up"}) << "announced normally afterwards";
}

TEST(Maintenance, BackToTheAnnouncedStateBeforeTheEndSaysNothing) {
  Watch w(WithMaintenance(100, 400, "*"), At(0));
  auto events = Rounds(w, "uuuudduuuuuuuuu", 0);  // the tick at 419 s ends the window
  EXPECT_EQ(Lines(events), (V{"maintenance-start whatsapp", "maintenance-start telegram",
                              "platform-down whatsapp down/unconfirmed [maintenance]",
                              "platform-restored whatsapp up [maintenance]", "maintenance-end whatsapp",
                              "maintenance-end telegram"}));
}

TEST(Maintenance, AReadingInsideTheWindowStartsItWithoutATick) {
  Watch w(WithMaintenance(100, 400), At(0));
  w.OnReading(Read("whatsapp", "here", 0, Health::kUp));
  const auto events = w.OnReading(Read("whatsapp", "here", 120, Health::kDown));
  EXPECT_EQ(Lines(events), V{"maintenance-start whatsapp"});
  EXPECT_EQ(events[0].at, At(120));
}

// Our link and three platforms, home only; each round either feeds the link first or last.
struct LinkRound {
  bool link_ok;
  std::string platforms;  // one letter per platform: whatsapp, instagram, telegram
};

std::vector<Event> Play(Watch& w, const std::vector<LinkRound>& rounds, bool link_first, int first = 0) {
  const std::vector<std::string> ids = {"whatsapp", "instagram", "telegram"};
  std::vector<Event> all;
  for (size_t r = 0; r < rounds.size(); ++r) {
    const double t = (first + static_cast<double>(r)) * 30;
    const LinkReading link{At(t), rounds[r].link_ok, rounds[r].link_ok ? "" : "reference hosts time out"};
    if (link_first) Append(all, w.OnLink(link));
    for (size_t i = 0; i < ids.size(); ++i)
      Append(all, w.OnReading(Read(ids[i], "here", t + 1 + static_cast<double>(i), H(rounds[r].platforms[i]), Cause::kTcpTimeout)));
    if (!link_first) Append(all, w.OnLink({At(t + 5), rounds[r].link_ok, ""}));
  }
  return all;
}

WatchSetup ThreePlatforms(std::vector<std::string> agents = {}) {
  WatchSetup setup;
  setup.platforms = {"whatsapp", "instagram", "telegram"};
  setup.vantages = std::move(agents);
  return setup;
}

TEST(ParentChild, OurLinkDownIsOneEventNotAStorm) {
  for (bool link_first : {true, false}) {
    SCOPED_TRACE(link_first ? "link read first in each round" : "link read last in each round");
    Watch w(ThreePlatforms(), At(0));
    const std::vector<LinkRound> outage = {{true, "uuu"}, {false, "ddd"}, {false, "ddd"}, {false, "ddd"}, {false, "ddd"}};
    auto events = Play(w, outage, link_first);
    EXPECT_EQ(Lines(events), (V{"link-down link down", "platform-local whatsapp local [link-down]",
                                "platform-local instagram local [link-down]", "platform-local telegram local [link-down]"}));
    EXPECT_EQ(Unsuppressed(events, "platform-"), 0);
    EXPECT_EQ(w.Link().health, Health::kDown);
    EXPECT_EQ(w.Platform("instagram").health, Health::kLocal);
    EXPECT_EQ(w.Platform("instagram").summary_es, "Nuestra conexión no funciona: desde aquí no se puede saber nada de instagram.");
    // The link comes back: platforms are judged again with no platform-restored alerts.
    events = Play(w, {{true, "uuu"}, {true, "uuu"}, {true, "uuu"}, {true, "uuu"}}, link_first, 5);
    EXPECT_EQ(Unsuppressed(events, "platform-"), 0) << Lines(events).size();
    int restored = 0, link_restored = 0;
    for (const Event& e : events) {
      restored += e.kind == "platform-restored" && e.suppressed_by == "link-down";
      link_restored += e.kind == "link-restored";
    }
    EXPECT_EQ(restored, 3) << "recorded, not announced";
    EXPECT_EQ(link_restored, 1);
    EXPECT_EQ(w.Platform("telegram").health, Health::kUp);
    EXPECT_EQ(w.Link().health, Health::kUp);
  }
}

TEST(ParentChild, ARealOutageAnnouncedBeforeIsRestoredAloud) {
  Watch w(ThreePlatforms(), At(0));
  auto events = Play(w, {{true, "uuu"}, {true, "duu"}, {true, "duu"}, {false, "ddd"}, {false, "ddd"}}, true);
  EXPECT_EQ(Lines(events), (V{"platform-down whatsapp down/unconfirmed", "link-down link down",
                              "platform-local whatsapp local [link-down]", "platform-local instagram local [link-down]",
                              "platform-local telegram local [link-down]"}));
  // Back online, WhatsApp has recovered meanwhile: people were told it was down, so they hear it is back.
  events = Play(w, {{true, "uuu"}, {true, "uuu"}, {true, "uuu"}, {true, "uuu"}}, true, 5);
  int aloud = 0;
  for (const Event& e : events)
    if (!e.suppressed() && e.kind == "platform-restored") {
      ++aloud;
      EXPECT_EQ(e.subject, "whatsapp");
    }
  EXPECT_EQ(aloud, 1);
}

TEST(ParentChild, AgentsStillSeeingItDownIsARealOutage) {
  Watch w(ThreePlatforms({"sao-paulo", "frankfurt"}), At(0));
  std::vector<Event> all;
  auto round = [&](double t, bool link_ok, Health here, Health agents) {
    Append(all, w.OnLink({At(t), link_ok, ""}));
    Append(all, w.OnReading(Read("whatsapp", "here", t + 1, here)));
    Append(all, w.OnReading(Read("whatsapp", "sao-paulo", t + 2, agents)));
    Append(all, w.OnReading(Read("whatsapp", "frankfurt", t + 3, agents)));
  };
  round(0, true, Health::kUp, Health::kUp);
  round(30, false, Health::kDown, Health::kDown);
  round(60, false, Health::kDown, Health::kDown);
  round(90, false, Health::kDown, Health::kDown);
  EXPECT_EQ(Lines(all), (V{"link-down link down", "platform-down whatsapp down/global"}));
  const Event& down = all[1];
  EXPECT_FALSE(down.suppressed());
  EXPECT_TRUE(down.covers_us);
  EXPECT_EQ(down.evidence["vantages"][0]["counted"], false) << "our own reading is set aside";
  EXPECT_NE(down.evidence["summary"]["en"].get<std::string>().find("our own connection is down too"), std::string::npos);
}

TEST(ParentChild, OnlyHomeFailingWithAgentsFineIsLocal) {
  Watch w(ThreePlatforms({"sao-paulo"}), At(0));
  std::vector<Event> all;
  for (int r = 0; r < 4; ++r) {
    const double t = r * 30;
    Append(all, w.OnLink({At(t), r == 0, ""}));
    Append(all, w.OnReading(Read("whatsapp", "here", t + 1, r == 0 ? Health::kUp : Health::kDown)));
    Append(all, w.OnReading(Read("whatsapp", "sao-paulo", t + 2, Health::kUp)));
  }
  EXPECT_EQ(Lines(all), (V{"link-down link down", "platform-local whatsapp local [link-down]"}));
  EXPECT_NE(w.Platform("whatsapp").summary_en.find("it works from sao-paulo"), std::string::npos)
      << w.Platform("whatsapp").summary_en;
}

}  // namespace
}  // namespace faro::watch
