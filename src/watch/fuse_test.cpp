#include "watch/fuse.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "watch/watch_test_util.hpp"

namespace faro::watch {
namespace {

using testing::Read;

struct V {
  std::string vantage;
  Health health;
  Cause cause = Cause::kDnsServfail;
};

struct Case {
  std::string name;
  std::vector<V> readings;
  Signals signals;
  Health health;
  Scope scope;
  bool covers_us;
  Cause cause;
};

Signals Feed(FeedLevel level) {
  Signals s;
  s.feed = level;
  return s;
}
Signals Surge() {
  Signals s;
  s.crowd_surge = true;
  s.crowd_reports = 40;
  s.crowd_baseline = 3;
  return s;
}
Signals Chatter() {
  Signals s;
  s.chatter_surge = true;
  s.chatter_mentions = 120;
  s.chatter_usual = 4;
  return s;
}
Signals Outbox() {
  Signals s;
  s.outbox_failing = true;
  s.outbox_sends = 8;
  s.outbox_faults = 6;
  return s;
}
Signals LinkDown(Signals s = {}) {
  s.home_link_down = true;
  return s;
}

constexpr Health kUp = Health::kUp, kDeg = Health::kDegraded, kPart = Health::kPartial, kDown = Health::kDown;
constexpr Cause kNone = Cause::kNone, kServfail = Cause::kDnsServfail, kApp = Cause::kApp;

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"all up", {{"here", kUp}, {"sp", kUp}}, {}, kUp, Scope::kNone, false, kNone},
      {"every vantage down", {{"here", kDown}, {"sp", kDown}}, {}, kDown, Scope::kGlobal, true, kServfail},
      {"home down, agent fine", {{"here", kDown}, {"sp", kUp}}, {}, kDown, Scope::kRegional, true, kServfail},
      {"agent down, home fine", {{"here", kUp}, {"sp", kDown}}, {}, kDown, Scope::kRegional, false, kServfail},
      {"only home, down", {{"here", kDown}}, {}, kDown, Scope::kUnconfirmed, true, kServfail},
      {"only home down, feed major", {{"here", kDown}}, Feed(FeedLevel::kMajor), kDown, Scope::kGlobal, true, kServfail},
      {"only home down, feed minor", {{"here", kDown}}, Feed(FeedLevel::kMinor), kDown, Scope::kUnconfirmed, true, kServfail},
      {"only home down, crowd surge", {{"here", kDown}}, Surge(), kDown, Scope::kGlobal, true, kServfail},
      {"only an agent, down", {{"sp", kDown}}, {}, kDown, Scope::kUnconfirmed, false, kServfail},
      {"home partial", {{"here", kPart}, {"sp", kUp}}, {}, kPart, Scope::kNone, true, kServfail},
      {"agent partial", {{"here", kUp}, {"sp", kPart}}, {}, kPart, Scope::kNone, false, kServfail},
      {"partial beats degraded", {{"here", kDeg}, {"sp", kPart}}, {}, kPart, Scope::kNone, false, kServfail},
      {"agent degraded", {{"here", kUp}, {"sp", kDeg, Cause::kSlow}}, {}, kDeg, Scope::kNone, false, Cause::kSlow},
      {"probes up, crowd surge", {{"here", kUp}}, Surge(), kPart, Scope::kNone, true, kApp},
      {"probes up, outage chatter", {{"here", kUp}}, Chatter(), kPart, Scope::kNone, true, kApp},
      {"only home down, outage chatter", {{"here", kDown}}, Chatter(), kDown, Scope::kGlobal, true, kServfail},
      {"probes up, outbox failing", {{"here", kUp}, {"sp", kUp}}, Outbox(), kPart, Scope::kNone, true, kApp},
      {"probes up, feed major", {{"here", kUp}}, Feed(FeedLevel::kMajor), kPart, Scope::kNone, true, kApp},
      {"probes up, feed minor", {{"here", kUp}}, Feed(FeedLevel::kMinor), kDeg, Scope::kNone, false, kApp},
      {"probes up, feed ok", {{"here", kUp}}, Feed(FeedLevel::kOk), kUp, Scope::kNone, false, kNone},
      {"nothing fresh", {}, {}, Health::kUnknown, Scope::kNone, false, kNone},
      {"nothing fresh, feed major", {}, Feed(FeedLevel::kMajor), Health::kUnknown, Scope::kNone, false, kNone},
      // Our link is down: the home reading is local.
      {"link down, only home", {{"here", kDown}}, LinkDown(), Health::kLocal, Scope::kNone, true, kServfail},
      {"link down, agent fine", {{"here", kDown}, {"sp", kUp}}, LinkDown(), Health::kLocal, Scope::kNone, true, kServfail},
      {"link down, agents see it down", {{"here", kDown}, {"sp", kDown}, {"ffm", kDown}}, LinkDown(), kDown, Scope::kGlobal, true, kServfail},
      {"link down, the one agent sees it down", {{"here", kDown}, {"sp", kDown}}, LinkDown(), kDown, Scope::kGlobal, true, kServfail},
      {"link down, agents disagree", {{"here", kDown}, {"sp", kDown}, {"ffm", kUp}}, LinkDown(), kDown, Scope::kRegional, false, kServfail},
      {"link down, home still answers", {{"here", kUp}}, LinkDown(), kUp, Scope::kNone, false, kNone},
      {"link down explains failed sends", {{"here", kDown}, {"sp", kUp}}, LinkDown(Outbox()), Health::kLocal, Scope::kNone, true, kServfail},
      {"link down, crowd still counts", {{"here", kDown}, {"sp", kUp}}, LinkDown(Surge()), kPart, Scope::kNone, true, kApp},
  };
  return cases;
}

TEST(Fuse, Table) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    std::vector<Reading> fresh;
    for (const V& v : c.readings) fresh.push_back(Read("whatsapp", v.vantage, 10, v.health, v.cause));
    const Fused f = Fuse(fresh, "here", c.signals, "WhatsApp");
    EXPECT_EQ(HealthName(f.health), HealthName(c.health));
    EXPECT_EQ(ScopeName(f.scope), ScopeName(c.scope));
    EXPECT_EQ(f.covers_us, c.covers_us);
    EXPECT_EQ(CauseName(f.cause), CauseName(c.cause));
    EXPECT_FALSE(f.summary_en.empty());
    EXPECT_FALSE(f.summary_es.empty());
    EXPECT_NE(f.summary_en, f.summary_es);
    ASSERT_TRUE(f.Evidence().contains("vantages"));
    EXPECT_EQ(f.Evidence()["vantages"].size(), c.readings.size());
    ASSERT_TRUE(f.Evidence().contains("signals"));
    EXPECT_EQ(f.Evidence()["signals"]["home_link_down"], c.signals.home_link_down);
  }
}

TEST(Fuse, CauseIsTheMostCommonAmongDeciders) {
  std::vector<Reading> fresh = {Read("x", "here", 1, Health::kDown, Cause::kTcpTimeout),
                                Read("x", "a", 1, Health::kDown, Cause::kHttp5xx),
                                Read("x", "b", 1, Health::kDown, Cause::kHttp5xx),
                                Read("x", "c", 1, Health::kUp)};
  EXPECT_EQ(Fuse(fresh, "here", {}).cause, Cause::kHttp5xx);
  // A tie goes to the layer nearest the network.
  fresh.pop_back();
  fresh.pop_back();
  EXPECT_EQ(Fuse(fresh, "here", {}).cause, Cause::kTcpTimeout);
}

TEST(Fuse, EvidenceListsEachVantageAndTheSignals) {
  Signals s = Surge();
  s.feed = FeedLevel::kMajor;
  const Fused f = Fuse({Read("whatsapp", "here", 5, Health::kDown, Cause::kDnsServfail), Read("whatsapp", "sao-paulo", 7, Health::kUp)},
                       "here", LinkDown(s), "WhatsApp");
  const nlohmann::json evidence = f.Evidence();
  const auto& v = evidence["vantages"];
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0]["vantage"], "here");
  EXPECT_EQ(v[0]["health"], "down");
  EXPECT_EQ(v[0]["cause"], "dns-servfail");
  EXPECT_EQ(v[0]["failed"], 6);
  EXPECT_EQ(v[0]["endpoints"], 6);
  EXPECT_EQ(v[0]["at"], "2021-10-04T14:00:05.000Z");
  EXPECT_EQ(v[0]["detail"], "6 of 6 checks failed");
  EXPECT_EQ(v[0]["counted"], false);  // our link was down
  EXPECT_EQ(v[1]["counted"], true);
  EXPECT_EQ(f.Evidence()["signals"]["feed"], "major");
  EXPECT_EQ(f.Evidence()["signals"]["crowd_reports"], 40);
  EXPECT_EQ(f.Evidence()["home"], "here");
}

TEST(Fuse, SummariesNameWhereAndWhy) {
  const Fused regional = Fuse({Read("whatsapp", "here", 1, Health::kDown, Cause::kDnsServfail),
                               Read("whatsapp", "sao-paulo", 1, Health::kUp)},
                              "here", {}, "WhatsApp");
  EXPECT_EQ(regional.summary_en, "WhatsApp is down from here (DNS answers SERVFAIL) but answers from sao-paulo.");
  EXPECT_EQ(regional.summary_es,
            "WhatsApp está caído desde aquí (el DNS responde SERVFAIL), pero responde desde sao-paulo.");
  const Fused crowd = Fuse({Read("whatsapp", "here", 1, Health::kUp)}, "here", Surge(), "WhatsApp");
  EXPECT_TRUE(Contains(crowd.summary_en, "customers report trouble the probes do not see")) << crowd.summary_en;
  EXPECT_TRUE(Contains(crowd.summary_en, "40 customer reports (usually 3)")) << crowd.summary_en;
  EXPECT_TRUE(Contains(crowd.summary_es, "40 avisos de clientes")) << crowd.summary_es;
  const Fused local = Fuse({Read("whatsapp", "here", 1, Health::kDown)}, "here", LinkDown(), "WhatsApp");
  EXPECT_TRUE(Contains(local.summary_es, "Nuestra conexión no funciona")) << local.summary_es;
}

TEST(Fuse, SameLookComparesWhatIsAnnounced) {
  Fused a, b;
  a.health = b.health = Health::kDown;
  a.scope = b.scope = Scope::kGlobal;
  a.cause = Cause::kTls;
  a.summary_en = "different words";
  EXPECT_TRUE(SameLook(a, b));
  b.scope = Scope::kRegional;
  EXPECT_FALSE(SameLook(a, b));
  b.scope = Scope::kGlobal;
  b.covers_us = !a.covers_us;
  EXPECT_FALSE(SameLook(a, b));
}

}  // namespace
}  // namespace faro::watch
