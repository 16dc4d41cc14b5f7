#pragma once
// The shared vocabulary of why a check failed (DESIGN.md, "Verdicts"). Used by the probe
// engine, the verdict function, the JSON schema and, later, plans.
#include <optional>
#include <string_view>

namespace faro {

enum class Cause {
  kNone,
  kDnsServfail,
  kDnsNxdomain,
  kDnsTimeout,
  kTcpRefused,
  kTcpTimeout,
  kTls,
  kHttp5xx,
  kHttp429,
  kHttp4xx,
  kSlow,
  kApp,
};

// "dns-servfail", ...; kNone has no name and yields "".
std::string_view CauseName(Cause cause);
std::optional<Cause> CauseFromName(std::string_view name);

// Order of the layers a request crosses: DNS before TCP before TLS before HTTP. Used to break
// ties: the failure nearest the network explains the others.
int CauseLayerRank(Cause cause);

bool IsDnsCause(Cause cause);

}  // namespace faro

namespace faro {

// How one check (or one unit of endpoints) went.
enum class Outcome { kOk, kSlow, kFail };
std::string_view OutcomeName(Outcome outcome);  // "ok", "slow", "fail"
std::optional<Outcome> OutcomeFromName(std::string_view name);

}  // namespace faro
