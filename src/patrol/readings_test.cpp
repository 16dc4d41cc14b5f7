// Evidence → reading, table by table; evidence → history rows; link rounds.
#include "patrol/readings.hpp"

#include <gtest/gtest.h>

#include "patrol/patrol.hpp"

namespace faro::patrol {
namespace {

using watch::Health;

EndpointEvidence E(const std::string& url, Outcome outcome, Cause cause = Cause::kNone, int attempts = 1,
                   const std::string& group = "") {
  EndpointEvidence e;
  e.url = url;
  e.group = group;
  e.result.outcome = outcome;
  e.result.cause = cause;
  e.result.attempts = attempts;
  return e;
}

struct Row {
  const char* name;
  std::vector<EndpointEvidence> evidence;
  Health health;
  Cause cause;
  int endpoints, failed;
  const char* detail;
};

TEST(ReadingFor, Table) {
  const Outcome ok = Outcome::kOk, slow = Outcome::kSlow, fail = Outcome::kFail;
  const std::vector<Row> rows = {
      {"all answer", {E("a", ok), E("b", ok), E("c", ok)}, Health::kUp, Cause::kNone, 3, 0, "3 of 3 checks answered"},
      {"all fail by SERVFAIL",
       {E("a", fail, Cause::kDnsServfail), E("b", fail, Cause::kDnsServfail), E("c", fail, Cause::kDnsServfail)},
       Health::kDown, Cause::kDnsServfail, 3, 3, "3 of 3 checks failed (dns-servfail)"},
      {"most common cause wins",
       {E("a", fail, Cause::kHttp5xx), E("b", fail, Cause::kHttp5xx), E("c", fail, Cause::kTcpRefused)},
       Health::kDown, Cause::kHttp5xx, 3, 3, "3 of 3 checks failed (http-5xx)"},
      {"some fail", {E("a", ok), E("b", fail, Cause::kHttp5xx), E("c", ok)}, Health::kPartial, Cause::kHttp5xx, 3, 1,
       "1 of 3 checks failed (http-5xx)"},
      {"slow", {E("a", ok), E("b", slow)}, Health::kDegraded, Cause::kSlow, 2, 0, "1 of 2 checks slow"},
      {"retried", {E("a", ok, Cause::kNone, 2), E("b", ok)}, Health::kDegraded, Cause::kNone, 2, 0,
       "1 of 2 checks answered only on retry"},
      {"a group is one unit, healthy if a member is",
       {E("a", fail, Cause::kTcpTimeout, 2, "edge"), E("b", ok, Cause::kNone, 1, "edge"), E("c", ok)}, Health::kUp,
       Cause::kNone, 2, 0, "2 of 2 checks answered"},
      {"a group fails only when every member fails",
       {E("a", fail, Cause::kTcpTimeout, 2, "edge"), E("b", fail, Cause::kTcpTimeout, 2, "edge"), E("c", ok)},
       Health::kPartial, Cause::kTcpTimeout, 2, 1, "1 of 2 checks failed (tcp-timeout)"},
      {"no endpoints", {}, Health::kUnknown, Cause::kNone, 0, 0, "no endpoints to check"},
  };
  const TimePoint at = FromUnixMillis(1633356000000);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const watch::Reading r = ReadingFor("whatsapp", "sao-paulo", at, row.evidence);
    EXPECT_EQ(r.platform, "whatsapp");
    EXPECT_EQ(r.vantage, "sao-paulo");
    EXPECT_EQ(r.at, at);
    EXPECT_EQ(watch::HealthName(r.health), watch::HealthName(row.health));
    EXPECT_EQ(CauseName(r.cause), CauseName(row.cause));
    EXPECT_EQ(r.endpoints, row.endpoints);
    EXPECT_EQ(r.failed, row.failed);
    EXPECT_EQ(r.detail, row.detail);
  }
}

TEST(ReadingFor, SlownessIsNotCountedWhenFaroItselfWasLate) {
  const TimePoint at = FromUnixMillis(1633356000000);
  const std::vector<EndpointEvidence> slow = {E("a", Outcome::kOk), E("b", Outcome::kSlow),
                                              E("c", Outcome::kOk, Cause::kNone, 2)};
  const watch::Reading busy = ReadingFor("whatsapp", "here", at, slow, 730);
  EXPECT_EQ(busy.health, Health::kUp);
  EXPECT_EQ(busy.detail, "3 of 3 checks answered; 1 slow and 1 retried not counted: Faro was busy (730 ms late)");
  EXPECT_EQ(ReadingFor("whatsapp", "here", at, slow).health, Health::kDegraded) << "not late: slowness counts";
  // Failures count whatever Faro's lateness.
  const watch::Reading failed = ReadingFor("whatsapp", "here", at, {E("a", Outcome::kSlow), E("b", Outcome::kFail, Cause::kTcpTimeout)}, 730);
  EXPECT_EQ(failed.health, Health::kPartial);
}

TEST(ResultsFor, OneRowPerEndpointWithPhases) {
  EndpointEvidence a = E("https://a.example/", Outcome::kOk);
  a.result.http_status = 200;
  a.result.phases = Phases{1.5, 2.5, 3.5, 4.5, 12.0};
  EndpointEvidence b = E("https://b.example/", Outcome::kFail, Cause::kDnsNxdomain);
  b.result.phases.dns = 0.7;
  b.result.phases.total = 0.7;
  const TimePoint at = FromUnixMillis(1633356000000);
  const auto rows = ResultsFor("instagram", "here", at, {a, b});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].platform, "instagram");
  EXPECT_EQ(rows[0].vantage, "here");
  EXPECT_EQ(rows[0].endpoint, "https://a.example/");
  EXPECT_EQ(rows[0].at, at);
  EXPECT_EQ(rows[0].outcome, Outcome::kOk);
  EXPECT_EQ(rows[0].http_status, 200);
  EXPECT_EQ(rows[0].dns_ms, 1.5);
  EXPECT_EQ(rows[0].connect_ms, 2.5);
  EXPECT_EQ(rows[0].tls_ms, 3.5);
  EXPECT_EQ(rows[0].first_byte_ms, 4.5);
  EXPECT_EQ(rows[0].total_ms, 12.0);
  EXPECT_EQ(rows[1].outcome, Outcome::kFail);
  EXPECT_EQ(rows[1].cause, Cause::kDnsNxdomain);
  EXPECT_EQ(rows[1].dns_ms, 0.7);
  EXPECT_FALSE(rows[1].connect_ms.has_value());
  EXPECT_FALSE(rows[1].tls_ms.has_value());
}

TEST(LinkReadingFor, Table) {
  const TimePoint at = FromUnixMillis(1633356000000);
  const LinkState up{true, true};
  const auto refs_ok = std::vector<EndpointEvidence>{E("r1", Outcome::kOk), E("r2", Outcome::kOk)};
  const auto refs_down = std::vector<EndpointEvidence>{E("r1", Outcome::kFail, Cause::kTcpTimeout),
                                                       E("r2", Outcome::kFail, Cause::kTcpTimeout)};
  const auto refs_half = std::vector<EndpointEvidence>{E("r1", Outcome::kOk), E("r2", Outcome::kFail, Cause::kTcpRefused)};

  auto r = LinkReadingFor(at, up, refs_ok);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.at, at);
  EXPECT_EQ(r.detail, "2 of 2 reference hosts answered");

  r = LinkReadingFor(at, up, refs_down);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "every reference host fails (2 of 2, tcp-timeout)");

  r = LinkReadingFor(at, up, refs_half);
  EXPECT_TRUE(r.ok) << "one reference answering means the link works";
  EXPECT_EQ(r.detail, "1 of 2 reference hosts fail (tcp-refused)");

  r = LinkReadingFor(at, LinkState{false, false}, refs_ok);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "no network link");

  r = LinkReadingFor(at, LinkState{true, false}, refs_ok);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "no default route");
}

TEST(IsReportableHealth, OnlyTheLadder) {
  EXPECT_TRUE(IsReportableHealth(Health::kUp));
  EXPECT_TRUE(IsReportableHealth(Health::kDegraded));
  EXPECT_TRUE(IsReportableHealth(Health::kPartial));
  EXPECT_TRUE(IsReportableHealth(Health::kDown));
  EXPECT_FALSE(IsReportableHealth(Health::kLocal));
  EXPECT_FALSE(IsReportableHealth(Health::kUnknown));
}

}  // namespace
}  // namespace faro::patrol
