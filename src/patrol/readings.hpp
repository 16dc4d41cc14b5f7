#pragma once
// Evidence of one patrol round turned into what the watch reads and what history stores. Pure
// functions (no I/O, no clock), table-tested in readings_test.cpp.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "history/history.hpp"
#include "verdict/evidence.hpp"
#include "watch/health.hpp"
#include "watch/inputs.hpp"

namespace faro::patrol {

// One target's evidence from one vantage → its reading. Endpoints are folded into units as the
// verdict does (SummariseEndpoints: a group counts once, healthy if any member is), and
// `endpoints`/`failed` count those units:
//   no unit at all       → unknown ("no endpoints to check")
//   every unit failed    → down, cause = the most common cause ("6 of 6 checks failed (dns-servfail)")
//   some units failed    → partial, same cause ("2 of 6 checks failed (http-5xx)")
//   slow or retried      → degraded, cause slow when any unit was slow ("1 of 6 checks slow")
//   otherwise            → up ("6 of 6 checks answered")
// `busy_lag_ms` > 0 says Faro itself was late by that much while the round ran (its loop was
// starved of CPU): answers then look slower than they were, so slowness and retries say nothing
// about the platform and the reading is up, its detail saying why. Failures still count.
watch::Reading ReadingFor(const std::string& platform, const std::string& vantage, TimePoint at,
                          const std::vector<EndpointEvidence>& evidence, double busy_lag_ms = 0);

// One history row per endpoint checked, all stamped `at` (when the round sent its checks).
std::vector<history::Result> ResultsFor(const std::string& platform, const std::string& vantage, TimePoint at,
                                        const std::vector<EndpointEvidence>& evidence);

// Health names the push protocol accepts from a vantage (a vantage never reports "local").
bool IsReportableHealth(watch::Health health);

}  // namespace faro::patrol
