#include "verdict/verdict.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"

namespace faro {
namespace {

EndpointEvidence Ep(const std::string& url, Outcome outcome, Cause cause = Cause::kNone, std::string group = "",
                    int attempts = 1) {
  EndpointEvidence e;
  e.url = url;
  e.layer = Layer::kWeb;
  e.group = std::move(group);
  e.result.outcome = outcome;
  e.result.cause = cause;
  e.result.attempts = outcome == Outcome::kFail ? 2 : attempts;
  return e;
}
EndpointEvidence Ok(const std::string& url) { return Ep(url, Outcome::kOk); }
EndpointEvidence Bad(const std::string& url, Cause cause) { return Ep(url, Outcome::kFail, cause); }

std::vector<EndpointEvidence> AllFail(Cause cause) {
  return {Bad("https://web.whatsapp.com/", cause), Bad("https://v.whatsapp.net/", cause),
          Bad("tcp://e1.whatsapp.net:5222", cause)};
}
std::vector<EndpointEvidence> AllOk() {
  return {Ok("https://web.whatsapp.com/"), Ok("https://v.whatsapp.net/"), Ok("tcp://e1.whatsapp.net:5222")};
}

VantageEvidence Vantage(std::string name, std::vector<EndpointEvidence> endpoints, bool reachable = true) {
  VantageEvidence v;
  v.name = std::move(name);
  v.url = "http://198.51.100.9:8700";
  v.reachable = reachable;
  v.endpoints = std::move(endpoints);
  return v;
}

TargetEvidence Target(std::vector<EndpointEvidence> here, std::vector<VantageEvidence> vantages = {}) {
  TargetEvidence t;
  t.target = "whatsapp";
  t.name = "WhatsApp";
  t.kind = TargetKind::kPlatform;
  t.endpoints = std::move(here);
  t.vantages = std::move(vantages);
  return t;
}

LocalAssessment LocalOk() { return {NetworkState::kOk, DnsState::kOk}; }

struct Row {
  const char* name;
  LocalAssessment local;
  TargetEvidence target;
  VerdictKind kind;
  Scope scope;
  Cause cause;
};

TEST(Verdict, TableOfEveryVerdict) {
  TargetEvidence public_dns_agrees = Target(AllFail(Cause::kDnsServfail));
  for (auto& e : public_dns_agrees.endpoints) e.alt_dns = AltDns::kFailed;
  TargetEvidence public_dns_resolves = Target(AllFail(Cause::kDnsServfail));
  public_dns_resolves.endpoints[0].alt_dns = AltDns::kResolved;
  TargetEvidence feed_says_major = Target(AllFail(Cause::kHttp5xx));
  feed_says_major.feed = FeedEvidence{"https://status.test/", true, {FeedIndicator::kMajor, "Major outage"}};
  TargetEvidence feed_says_fine = Target(AllFail(Cause::kHttp5xx));
  feed_says_fine.feed = FeedEvidence{"https://status.test/", true, {FeedIndicator::kNone, "All Systems Operational"}};
  std::vector<EndpointEvidence> web_ok_chat_refused = {
      Ok("https://web.whatsapp.com/"), Bad("tcp://e1.whatsapp.net:5222", Cause::kTcpRefused),
      Bad("tcp://e2.whatsapp.net:5222", Cause::kTcpRefused)};
  for (auto& e : web_ok_chat_refused)
    if (e.url.starts_with("tcp")) e.group = "chat";
  std::vector<EndpointEvidence> slow = AllOk();
  slow[1].result.outcome = Outcome::kSlow;
  slow[1].result.cause = Cause::kSlow;
  std::vector<EndpointEvidence> retried = AllOk();
  retried[0].result.attempts = 2;
  std::vector<EndpointEvidence> one_edge_of_many = {
      Ok("https://web.whatsapp.com/"), Bad("tcp://e1.whatsapp.net:443", Cause::kTcpTimeout),
      Ok("tcp://e2.whatsapp.net:443")};
  one_edge_of_many[1].group = one_edge_of_many[2].group = "edge";

  const Row rows[] = {
      {"all fine", LocalOk(), Target(AllOk()), VerdictKind::kUp, Scope::kNone, Cause::kNone},
      {"one group member is enough", LocalOk(), Target(one_edge_of_many), VerdictKind::kUp, Scope::kNone, Cause::kNone},
      {"fine here and there", LocalOk(), Target(AllOk(), {Vantage("sp", AllOk())}), VerdictKind::kUp, Scope::kNone, Cause::kNone},
      {"slow", LocalOk(), Target(slow), VerdictKind::kDegraded, Scope::kNone, Cause::kSlow},
      {"only after a retry", LocalOk(), Target(retried), VerdictKind::kDegraded, Scope::kNone, Cause::kNone},
      {"4 Oct 2021 with a vantage", LocalOk(), Target(AllFail(Cause::kDnsServfail), {Vantage("sp", AllFail(Cause::kDnsServfail))}),
       VerdictKind::kDown, Scope::kGlobal, Cause::kDnsServfail},
      {"4 Oct 2021, public resolvers agree", LocalOk(), public_dns_agrees, VerdictKind::kDown, Scope::kGlobal, Cause::kDnsServfail},
      {"official feed confirms", LocalOk(), feed_says_major, VerdictKind::kDown, Scope::kGlobal, Cause::kHttp5xx},
      {"feed saying fine does not overrule probes", LocalOk(), feed_says_fine, VerdictKind::kDown, Scope::kUnconfirmed, Cause::kHttp5xx},
      {"fails here, works there", LocalOk(), Target(AllFail(Cause::kTcpTimeout), {Vantage("sp", AllOk())}),
       VerdictKind::kDown, Scope::kRegional, Cause::kTcpTimeout},
      {"works here, fails there", LocalOk(), Target(AllOk(), {Vantage("sp", AllFail(Cause::kTcpTimeout))}),
       VerdictKind::kDown, Scope::kRegional, Cause::kTcpTimeout},
      {"vantages disagree", LocalOk(), Target(AllFail(Cause::kHttp5xx), {Vantage("sp", AllFail(Cause::kHttp5xx)), Vantage("mx", AllOk())}),
       VerdictKind::kDown, Scope::kRegional, Cause::kHttp5xx},
      {"unreachable vantage confirms nothing", LocalOk(), Target(AllFail(Cause::kTls), {Vantage("sp", {}, false)}),
       VerdictKind::kDown, Scope::kUnconfirmed, Cause::kTls},
      {"messaging fails, web works (WhatsApp 2022)", LocalOk(), Target(web_ok_chat_refused, {Vantage("sp", web_ok_chat_refused)}),
       VerdictKind::kPartial, Scope::kGlobal, Cause::kTcpRefused},
      {"partial, unconfirmed", LocalOk(), Target(web_ok_chat_refused), VerdictKind::kPartial, Scope::kUnconfirmed, Cause::kTcpRefused},
      {"link down", {NetworkState::kDown, DnsState::kAllFailing, Cause::kTcpTimeout, "no network link"},
       Target(AllFail(Cause::kDnsTimeout)), VerdictKind::kLocalNetwork, Scope::kNone, Cause::kTcpTimeout},
      {"your resolver is dead", {NetworkState::kOk, DnsState::kFailing}, Target(AllFail(Cause::kDnsTimeout)),
       VerdictKind::kLocalDns, Scope::kNone, Cause::kDnsTimeout},
      {"only this name fails on your resolver", LocalOk(), public_dns_resolves, VerdictKind::kLocalDns, Scope::kNone, Cause::kDnsServfail},
      {"flaky connection", {NetworkState::kPartial, DnsState::kOk, Cause::kTcpTimeout, "some reference hosts fail"},
       Target(AllFail(Cause::kTcpTimeout)), VerdictKind::kUnknown, Scope::kNone, Cause::kTcpTimeout},
      {"no evidence at all", LocalOk(), Target({}), VerdictKind::kUnknown, Scope::kNone, Cause::kNone},
      {"local checks skipped", LocalAssessment{}, Target(AllFail(Cause::kHttp5xx)), VerdictKind::kDown, Scope::kUnconfirmed, Cause::kHttp5xx},
  };
  for (const Row& row : rows) {
    for (Lang lang : {Lang::kEn, Lang::kEs}) {
      const Verdict v = Decide(row.local, row.target, lang);
      EXPECT_EQ(VerdictName(v.kind), VerdictName(row.kind)) << row.name;
      EXPECT_EQ(ScopeName(v.scope), ScopeName(row.scope)) << row.name;
      EXPECT_EQ(CauseName(v.cause), CauseName(row.cause)) << row.name;
      EXPECT_GE(v.confidence, 0.0) << row.name;
      EXPECT_LE(v.confidence, 1.0) << row.name;
      EXPECT_FALSE(v.summary.empty()) << row.name;
      if (row.kind != VerdictKind::kUp) {
        EXPECT_FALSE(v.advice.empty()) << row.name;
      }
    }
  }
}

TEST(Verdict, EveryCauseSurvivesIntoTheVerdict) {
  for (Cause cause : {Cause::kDnsServfail, Cause::kDnsNxdomain, Cause::kDnsTimeout, Cause::kTcpRefused,
                      Cause::kTcpTimeout, Cause::kTls, Cause::kHttp5xx, Cause::kHttp429, Cause::kHttp4xx,
                      Cause::kSlow, Cause::kApp}) {
    const Verdict v = Decide(LocalOk(), Target(AllFail(cause), {Vantage("sp", AllFail(cause))}), Lang::kEn);
    EXPECT_EQ(v.kind, VerdictKind::kDown) << CauseName(cause);
    EXPECT_EQ(v.scope, Scope::kGlobal) << CauseName(cause);
    EXPECT_EQ(v.cause, cause) << CauseName(cause);
  }
}

TEST(Verdict, MostCommonCauseWinsAndTiesGoToTheNetworkLayer) {
  std::vector<EndpointEvidence> mixed = {Bad("https://a/", Cause::kHttp5xx), Bad("https://b/", Cause::kHttp5xx),
                                         Bad("https://c/", Cause::kTls)};
  EXPECT_EQ(SummariseEndpoints(mixed).cause, Cause::kHttp5xx);
  std::vector<EndpointEvidence> tie = {Bad("https://a/", Cause::kHttp5xx), Bad("https://b/", Cause::kTcpRefused)};
  EXPECT_EQ(SummariseEndpoints(tie).cause, Cause::kTcpRefused);
}

TEST(Verdict, MoreAgreeingVantagesMeanMoreConfidence) {
  const Verdict one = Decide(LocalOk(), Target(AllFail(Cause::kHttp5xx), {Vantage("sp", AllFail(Cause::kHttp5xx))}), Lang::kEn);
  const Verdict two = Decide(LocalOk(), Target(AllFail(Cause::kHttp5xx), {Vantage("sp", AllFail(Cause::kHttp5xx)),
                                                                          Vantage("mx", AllFail(Cause::kHttp5xx))}), Lang::kEn);
  const Verdict none = Decide(LocalOk(), Target(AllFail(Cause::kHttp5xx)), Lang::kEn);
  EXPECT_GT(two.confidence, one.confidence);
  EXPECT_GT(one.confidence, none.confidence);
}

TEST(Verdict, AdviceSpeaksThePlaybooksInBothLanguages) {
  const TargetEvidence t = Target(AllFail(Cause::kDnsServfail), {Vantage("sao-paulo", AllFail(Cause::kDnsServfail))});
  const Verdict en = Decide(LocalOk(), t, Lang::kEn);
  ASSERT_GE(en.advice.size(), 2u);
  EXPECT_TRUE(Contains(en.advice[0], "contingency plan")) << en.advice[0];
  EXPECT_TRUE(Contains(en.advice[0], "Telegram")) << en.advice[0];
  EXPECT_TRUE(Contains(en.advice[1], "Pause ads on WhatsApp")) << en.advice[1];
  EXPECT_TRUE(Contains(en.summary, "sao-paulo")) << en.summary;
  const Verdict es = Decide(LocalOk(), t, Lang::kEs);
  EXPECT_TRUE(Contains(es.advice[0], "plan de contingencia")) << es.advice[0];
  EXPECT_TRUE(Contains(es.advice[1], "Pausa los anuncios en WhatsApp")) << es.advice[1];
  const Verdict dns = Decide({NetworkState::kOk, DnsState::kFailing}, Target(AllFail(Cause::kDnsTimeout)), Lang::kEs);
  EXPECT_TRUE(Contains(dns.advice[0], "cambia el DNS")) << dns.advice[0];
  EXPECT_EQ(VerdictWords(VerdictKind::kDown, Scope::kGlobal, Lang::kEs), "caído para todos");
  EXPECT_EQ(VerdictWords(VerdictKind::kLocalDns, Scope::kNone, Lang::kEn), "it's your DNS");
}

// --- your side ---

EndpointEvidence Ref(Outcome o, Cause c = Cause::kNone) {
  EndpointEvidence e = Ep("http://ref/", o, c);
  e.layer = Layer::kReference;
  return e;
}

TEST(AssessLocal, LinkOrRouteMissingMeansNetworkDown) {
  LocalEvidence l;
  l.link = false;
  l.default_route = true;
  l.references = {Ref(Outcome::kOk)};
  EXPECT_EQ(AssessLocal(l).network, NetworkState::kDown);
  l.link = true;
  l.default_route = false;
  EXPECT_EQ(AssessLocal(l).network, NetworkState::kDown);
  EXPECT_EQ(AssessLocal(l).network_detail, "no default route");
}

TEST(AssessLocal, ReferencesDecideTheNetwork) {
  LocalEvidence l;
  l.link = l.default_route = true;
  l.references = {Ref(Outcome::kOk), Ref(Outcome::kOk), Ref(Outcome::kOk)};
  EXPECT_EQ(AssessLocal(l).network, NetworkState::kOk);
  l.references = {Ref(Outcome::kFail, Cause::kTcpTimeout), Ref(Outcome::kFail, Cause::kTcpTimeout),
                  Ref(Outcome::kFail, Cause::kApp)};
  EXPECT_EQ(AssessLocal(l).network, NetworkState::kDown);
  EXPECT_EQ(AssessLocal(l).network_cause, Cause::kTcpTimeout);
  l.references = {Ref(Outcome::kOk), Ref(Outcome::kFail, Cause::kTcpTimeout), Ref(Outcome::kOk)};
  EXPECT_EQ(AssessLocal(l).network, NetworkState::kPartial);
}

TEST(AssessLocal, ReferencesFailingOnlyByNameWhileAlternativesAnswerIsYourDns) {
  LocalEvidence l;
  l.link = l.default_route = true;
  l.references = {Ref(Outcome::kFail, Cause::kDnsTimeout), Ref(Outcome::kFail, Cause::kDnsTimeout)};
  l.system = ResolverEvidence{"192.0.2.1:53", "ref", false, Cause::kDnsTimeout};
  l.alternatives = {ResolverEvidence{"192.0.2.2:53", "ref", true}, ResolverEvidence{"192.0.2.3:53", "ref", false, Cause::kDnsTimeout}};
  const LocalAssessment a = AssessLocal(l);
  EXPECT_EQ(a.network, NetworkState::kOk);
  EXPECT_EQ(a.dns, DnsState::kFailing);
  l.alternatives[0].ok = false;
  const LocalAssessment b = AssessLocal(l);
  EXPECT_EQ(b.network, NetworkState::kDown);
  EXPECT_EQ(b.dns, DnsState::kAllFailing);
}

TEST(AssessLocal, SkippedStaysSkipped) {
  LocalEvidence l;
  l.skipped = true;
  const LocalAssessment a = AssessLocal(l);
  EXPECT_EQ(a.network, NetworkState::kSkipped);
  EXPECT_EQ(a.dns, DnsState::kSkipped);
}

}  // namespace
}  // namespace faro
