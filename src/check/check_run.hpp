#pragma once
// One run of `faro check`: the decision ladder of outage.md §8 driven on one probe engine.
// Your side (link, route, reference hosts, your resolver against the alternatives), every
// target's endpoints from here, the same endpoints from each vantage agent, the official
// status feeds; each target's verdict is handed out as soon as its evidence is complete.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "check/targets.hpp"
#include "core/lang.hpp"
#include "core/resolver_address.hpp"
#include "probe/event_loop.hpp"
#include "probe/local_link.hpp"
#include "verdict/verdict.hpp"

namespace faro {

struct VantageSpec {
  std::string name;
  std::string url;  // base URL of a `faro agent`
};

struct CheckOptions {
  std::vector<EndpointSpec> references;
  std::vector<ResolverAddress> alt_resolvers;
  std::optional<ResolverAddress> resolver;
  std::vector<VantageSpec> vantages;
  std::string agent_token;
  std::string ca_file;
  int attempts = 2;
  Millis timeout{15000};
  double slow_ms = 2000;
  std::size_t concurrency = 2000;
  bool tls_resume = false;
  bool skip_local = false;
  Lang lang = Lang::kEn;
  // Reads the link state; replaceable so tests need not own the machine's interfaces.
  std::function<LinkState()> read_link = ReadLinkState;
};

struct TargetReport {
  TargetEvidence evidence;
  Verdict verdict;
};

struct CheckReport {
  std::chrono::system_clock::time_point started_at;
  double duration_ms = 0;
  LocalEvidence local;
  LocalAssessment assessment;
  std::vector<TargetReport> targets;  // in the order asked
  std::vector<std::string> errors;    // did not stop the run (an unreachable vantage, say)
  bool vantage_failed = false;        // a --vantage could not be asked, or refused us
};

struct CheckCallbacks {
  std::function<void(const LocalEvidence&, const LocalAssessment&)> on_local;
  std::function<void(const TargetReport&)> on_target;  // in completion order
};

// Runs the whole check within options.timeout. Errors are set-up failures only (no resolver
// configured, say); everything that fails out there is evidence.
absl::StatusOr<CheckReport> RunCheck(const CheckOptions& options, const std::vector<CheckTarget>& targets,
                                     const CheckCallbacks& callbacks);

}  // namespace faro
