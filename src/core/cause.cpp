#include "core/cause.hpp"

#include <array>
#include <utility>

namespace faro {
namespace {
constexpr std::array<std::pair<Cause, std::string_view>, 11> kNames{{
    {Cause::kDnsServfail, "dns-servfail"},
    {Cause::kDnsNxdomain, "dns-nxdomain"},
    {Cause::kDnsTimeout, "dns-timeout"},
    {Cause::kTcpRefused, "tcp-refused"},
    {Cause::kTcpTimeout, "tcp-timeout"},
    {Cause::kTls, "tls"},
    {Cause::kHttp5xx, "http-5xx"},
    {Cause::kHttp429, "http-429"},
    {Cause::kHttp4xx, "http-4xx"},
    {Cause::kSlow, "slow"},
    {Cause::kApp, "app"},
}};
}  // namespace

std::string_view CauseName(Cause cause) {
  for (const auto& [c, name] : kNames)
    if (c == cause) return name;
  return "";
}

std::optional<Cause> CauseFromName(std::string_view name) {
  for (const auto& [c, n] : kNames)
    if (n == name) return c;
  return std::nullopt;
}

int CauseLayerRank(Cause cause) {
  switch (cause) {
    case Cause::kDnsServfail:
    case Cause::kDnsNxdomain:
    case Cause::kDnsTimeout: return 0;
    case Cause::kTcpRefused:
    case Cause::kTcpTimeout: return 1;
    case Cause::kTls: return 2;
    case Cause::kHttp5xx:
    case Cause::kHttp429:
    case Cause::kHttp4xx:
    case Cause::kApp: return 3;
    case Cause::kSlow: return 4;
    case Cause::kNone: return 5;
  }
  return 5;
}

bool IsDnsCause(Cause cause) { return CauseLayerRank(cause) == 0; }

}  // namespace faro

namespace faro {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return "ok";
    case Outcome::kSlow: return "slow";
    case Outcome::kFail: return "fail";
  }
  return "fail";
}

std::optional<Outcome> OutcomeFromName(std::string_view name) {
  if (name == "ok") return Outcome::kOk;
  if (name == "slow") return Outcome::kSlow;
  if (name == "fail") return Outcome::kFail;
  return std::nullopt;
}

}  // namespace faro
