#include "patrol/readings.hpp"

#include "core/strings.hpp"
#include "verdict/verdict.hpp"

namespace faro::patrol {

watch::Reading ReadingFor(const std::string& platform, const std::string& vantage, TimePoint at,
                          const std::vector<EndpointEvidence>& evidence, double busy_lag_ms) {
  watch::Reading r;
  r.platform = platform;
  r.vantage = vantage;
  r.at = at;
  const UnitSummary s = SummariseEndpoints(evidence);
  r.endpoints = s.units;
  r.failed = s.failed;
  const std::string of = StrCat(s.failed, " of ", s.units, " checks");
  if (s.units == 0) {
    r.health = watch::Health::kUnknown;
    r.detail = "no endpoints to check";
  } else if (s.AnyFailed()) {
    r.health = s.AllFailed() ? watch::Health::kDown : watch::Health::kPartial;
    r.cause = s.cause;
    r.detail = StrCat(of, " failed");
    if (s.cause != Cause::kNone) StrAppend(r.detail, " (", CauseName(s.cause), ")");
  } else if ((s.slow > 0 || s.retried > 0) && busy_lag_ms > 0) {
    r.health = watch::Health::kUp;
    r.detail = StrCat(s.units, " of ", s.units, " checks answered; ", s.slow, " slow and ", s.retried,
                      " retried not counted: Faro was busy (", static_cast<long>(busy_lag_ms), " ms late)");
  } else if (s.slow > 0 || s.retried > 0) {
    r.health = watch::Health::kDegraded;
    r.cause = s.slow > 0 ? Cause::kSlow : Cause::kNone;
    std::vector<std::string> parts;
    if (s.slow > 0) parts.push_back(StrCat(s.slow, " of ", s.units, " checks slow"));
    if (s.retried > 0) parts.push_back(StrCat(s.retried, " of ", s.units, " checks answered only on retry"));
    r.detail = Join(parts, "; ");
  } else {
    r.health = watch::Health::kUp;
    r.detail = StrCat(s.units, " of ", s.units, " checks answered");
  }
  return r;
}

std::vector<history::Result> ResultsFor(const std::string& platform, const std::string& vantage, TimePoint at,
                                        const std::vector<EndpointEvidence>& evidence) {
  std::vector<history::Result> out;
  out.reserve(evidence.size());
  for (const EndpointEvidence& e : evidence) {
    history::Result r;
    r.at = at;
    r.platform = platform;
    r.endpoint = e.url;
    r.vantage = vantage;
    r.outcome = e.result.outcome;
    r.cause = e.result.cause;
    r.http_status = e.result.http_status;
    r.dns_ms = e.result.phases.dns;
    r.connect_ms = e.result.phases.connect;
    r.tls_ms = e.result.phases.tls;
    r.first_byte_ms = e.result.phases.first_byte;
    r.total_ms = e.result.phases.total;
    out.push_back(std::move(r));
  }
  return out;
}

bool IsReportableHealth(watch::Health health) {
  return health == watch::Health::kUp || health == watch::Health::kDegraded || health == watch::Health::kPartial ||
         health == watch::Health::kDown;
}

}  // namespace faro::patrol
