#pragma once
// The verdict: a pure function of the evidence (no I/O, no clock), table-tested in
// verdict_test.cpp. Vocabulary and meaning: DESIGN.md "Verdicts", docs/cli.md.
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"
#include "verdict/evidence.hpp"

namespace faro {

enum class VerdictKind { kUp, kDegraded, kPartial, kDown, kLocalNetwork, kLocalDns, kUnknown };
enum class Scope { kNone, kGlobal, kRegional, kUnconfirmed };

std::string_view VerdictName(VerdictKind kind);  // "up", "local-dns", ...
std::string_view ScopeName(Scope scope);          // "" for kNone
// What a person reads: "caído para todos", "it's your DNS".
std::string_view VerdictWords(VerdictKind kind, Scope scope, Lang lang);

// Your side, judged once per run.
enum class NetworkState { kOk, kDown, kPartial, kSkipped };
enum class DnsState { kOk, kFailing, kAllFailing, kSkipped };
struct LocalAssessment {
  NetworkState network = NetworkState::kSkipped;
  DnsState dns = DnsState::kSkipped;
  Cause network_cause = Cause::kNone;
  std::string network_detail;
};
LocalAssessment AssessLocal(const LocalEvidence& local);
std::string_view NetworkStateName(NetworkState state);
std::string_view DnsStateName(DnsState state);

// One target's endpoints folded into units (a group counts once, healthy if any member is).
struct UnitSummary {
  int units = 0;
  int failed = 0;
  int slow = 0;
  int retried = 0;     // healthy units that needed more than one attempt
  Cause cause = Cause::kNone;  // the most common cause among failed units
  bool AllFailed() const { return units > 0 && failed == units; }
  bool AnyFailed() const { return failed > 0; }
};
UnitSummary SummariseEndpoints(const std::vector<EndpointEvidence>& endpoints);

struct Verdict {
  VerdictKind kind = VerdictKind::kUnknown;
  Scope scope = Scope::kNone;
  Cause cause = Cause::kNone;
  double confidence = 0;
  std::string summary;              // one sentence, in the run's language
  std::vector<std::string> advice;  // what to do now, in the playbooks' words
};

Verdict Decide(const LocalAssessment& local, const TargetEvidence& target, Lang lang);

}  // namespace faro
