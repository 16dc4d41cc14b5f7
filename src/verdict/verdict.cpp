#include "verdict/verdict.hpp"

#include <algorithm>
#include <map>

#include "verdict/words.hpp"

namespace faro {
namespace {

bool Fails(const EndpointEvidence& e) { return e.result.outcome == Outcome::kFail; }

// The cause most failures share; ties go to the layer nearest the network.
Cause DominantCause(const std::map<Cause, int>& counts) {
  Cause best = Cause::kNone;
  int best_count = 0;
  for (const auto& [cause, count] : counts) {
    if (count > best_count || (count == best_count && CauseLayerRank(cause) < CauseLayerRank(best))) {
      best = cause;
      best_count = count;
    }
  }
  return best;
}

bool FeedConfirmsOutage(const TargetEvidence& t) {
  if (!t.feed || !t.feed->reachable) return false;
  const FeedIndicator i = t.feed->reading.indicator;
  return i == FeedIndicator::kMajor || i == FeedIndicator::kCritical;
}

}  // namespace

std::string_view VerdictName(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kUp: return "up";
    case VerdictKind::kDegraded: return "degraded";
    case VerdictKind::kPartial: return "partial";
    case VerdictKind::kDown: return "down";
    case VerdictKind::kLocalNetwork: return "local-network";
    case VerdictKind::kLocalDns: return "local-dns";
    case VerdictKind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kGlobal: return "global";
    case Scope::kRegional: return "regional";
    case Scope::kUnconfirmed: return "unconfirmed";
    case Scope::kNone: return "";
  }
  return "";
}

std::string_view NetworkStateName(NetworkState s) {
  switch (s) {
    case NetworkState::kOk: return "ok";
    case NetworkState::kDown: return "down";
    case NetworkState::kPartial: return "partial";
    case NetworkState::kSkipped: return "skipped";
  }
  return "skipped";
}

std::string_view DnsStateName(DnsState s) {
  switch (s) {
    case DnsState::kOk: return "ok";
    case DnsState::kFailing: return "failing";
    case DnsState::kAllFailing: return "all-failing";
    case DnsState::kSkipped: return "skipped";
  }
  return "skipped";
}

LocalAssessment AssessLocal(const LocalEvidence& local) {
  LocalAssessment out;
  if (local.skipped) return out;

  const bool any_alt_ok = std::any_of(local.alternatives.begin(), local.alternatives.end(),
                                      [](const ResolverEvidence& r) { return r.ok; });
  if (local.system) {
    out.dns = local.system->ok ? DnsState::kOk : any_alt_ok ? DnsState::kFailing : DnsState::kAllFailing;
  }

  if (local.link == false || local.default_route == false) {
    out.network = NetworkState::kDown;
    out.network_cause = Cause::kTcpTimeout;
    out.network_detail = local.link == false ? "no network link" : "no default route";
    return out;
  }
  int ok = 0, net_failed = 0;
  std::map<Cause, int> causes;
  for (const EndpointEvidence& ref : local.references) {
    if (!Fails(ref)) {
      ++ok;
      continue;
    }
    ++causes[ref.result.cause];
    if (!IsDnsCause(ref.result.cause)) ++net_failed;
  }
  const int n = static_cast<int>(local.references.size());
  if (n == 0 || ok == n) {
    out.network = NetworkState::kOk;
  } else if (net_failed == 0 && (any_alt_ok || ok > 0)) {
    // Only names failed, and some resolver still answers: the connection works, DNS does not.
    out.network = NetworkState::kOk;
  } else if (ok == 0) {
    out.network = NetworkState::kDown;
    out.network_cause = DominantCause(causes);
    out.network_detail = "every reference host fails";
  } else {
    out.network = NetworkState::kPartial;
    out.network_cause = DominantCause(causes);
    out.network_detail = "some reference hosts fail";
  }
  return out;
}

UnitSummary SummariseEndpoints(const std::vector<EndpointEvidence>& endpoints) {
  // A unit is an endpoint, or a group of them (healthy if any member is).
  struct Unit {
    bool ok = false, slow = false, retried = false;
    std::map<Cause, int> causes;
  };
  std::map<std::string, Unit> units;
  for (const EndpointEvidence& e : endpoints) {
    Unit& u = units[e.group.empty() ? "url:" + e.url : "group:" + e.group];
    if (Fails(e)) {
      ++u.causes[e.result.cause];
    } else if (!u.ok || u.slow) {  // prefer a fast healthy member to describe the group
      u.slow = e.result.outcome == Outcome::kSlow;
      u.retried = e.result.attempts > 1;
      u.ok = true;
    }
  }
  UnitSummary out;
  std::map<Cause, int> failed_causes;
  for (const auto& [key, u] : units) {
    ++out.units;
    if (u.ok) {
      out.slow += u.slow;
      out.retried += u.retried;
    } else {
      ++out.failed;
      ++failed_causes[DominantCause(u.causes)];
    }
  }
  out.cause = DominantCause(failed_causes);
  return out;
}

Verdict Decide(const LocalAssessment& local, const TargetEvidence& target, Lang lang) {
  Verdict v;
  SummaryFacts facts;
  facts.name = target.name;
  facts.kind = target.kind;
  facts.here = SummariseEndpoints(target.endpoints);
  facts.local_detail = local.network_detail;
  const UnitSummary& here = facts.here;

  std::vector<std::pair<const VantageEvidence*, UnitSummary>> there;
  for (const VantageEvidence& vantage : target.vantages) {
    if (!vantage.reachable) continue;
    UnitSummary s = SummariseEndpoints(vantage.endpoints);
    if (s.units == 0) continue;
    (s.AnyFailed() ? facts.agreeing_vantages : facts.working_vantages).push_back(vantage.name);
    there.emplace_back(&vantage, s);
  }
  facts.feed_confirms = FeedConfirmsOutage(target);

  auto finish = [&]() {
    v.confidence = std::clamp(v.confidence, 0.0, 1.0);
    v.summary = Summarise(v, facts, lang);
    v.advice = Advise(v, facts, lang);
    return v;
  };

  if (here.units == 0) {
    v.kind = VerdictKind::kUnknown;
    v.confidence = 0;
    return finish();
  }

  if (!here.AnyFailed()) {
    if (!facts.agreeing_vantages.empty()) {
      // Works here, fails elsewhere: customers there may not reach the platform.
      const UnitSummary& s =
          std::find_if(there.begin(), there.end(), [](const auto& p) { return p.second.AnyFailed(); })->second;
      v.kind = s.AllFailed() ? VerdictKind::kDown : VerdictKind::kPartial;
      v.scope = Scope::kRegional;
      v.cause = s.cause;
      v.confidence = 0.6;
      return finish();
    }
    const bool degraded = here.slow > 0 || here.retried > 0;
    v.kind = degraded ? VerdictKind::kDegraded : VerdictKind::kUp;
    v.cause = here.slow > 0 ? Cause::kSlow : Cause::kNone;
    v.confidence = there.empty() ? 0.9 : 0.95;
    return finish();
  }

  if (local.network == NetworkState::kDown) {
    v.kind = VerdictKind::kLocalNetwork;
    v.cause = local.network_cause;
    v.confidence = 0.9;
    return finish();
  }
  if (IsDnsCause(here.cause)) {
    const bool alternatives_resolve =
        std::any_of(target.endpoints.begin(), target.endpoints.end(),
                    [](const EndpointEvidence& e) { return Fails(e) && e.alt_dns == AltDns::kResolved; });
    if (local.dns == DnsState::kFailing || alternatives_resolve) {
      v.kind = VerdictKind::kLocalDns;
      v.cause = here.cause;
      v.confidence = local.dns == DnsState::kFailing && alternatives_resolve ? 0.95 : 0.85;
      return finish();
    }
  }

  v.kind = here.AllFailed() ? VerdictKind::kDown : VerdictKind::kPartial;
  v.cause = here.cause;
  if (!there.empty()) {
    const std::size_t failing = facts.agreeing_vantages.size();
    if (failing == there.size()) {
      v.scope = Scope::kGlobal;
      v.confidence = std::min(0.95, 0.8 + 0.05 * static_cast<double>(failing));
    } else {
      v.scope = Scope::kRegional;
      v.confidence = 0.75;
    }
    if (facts.feed_confirms) v.confidence += 0.05;
    return finish();
  }
  if (local.network == NetworkState::kPartial) {
    // Some of your reference hosts fail too: it could be you, it could be them.
    v.kind = VerdictKind::kUnknown;
    v.scope = Scope::kNone;
    v.confidence = 0.3;
    return finish();
  }
  const bool dns_asked_elsewhere =
      IsDnsCause(here.cause) &&
      std::any_of(target.endpoints.begin(), target.endpoints.end(),
                  [](const EndpointEvidence& e) { return Fails(e) && e.alt_dns == AltDns::kFailed; });
  facts.public_dns_agrees = dns_asked_elsewhere;
  if (dns_asked_elsewhere || facts.feed_confirms) {
    v.scope = Scope::kGlobal;
    v.confidence = dns_asked_elsewhere && facts.feed_confirms ? 0.9 : dns_asked_elsewhere ? 0.8 : 0.75;
    return finish();
  }
  v.scope = Scope::kUnconfirmed;
  v.confidence = 0.5;
  return finish();
}

}  // namespace faro
