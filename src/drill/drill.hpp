#pragma once
// A drill: a plan run against a scenario on a simulated clock, with dry-run adapters standing
// in for the outbox, the ad platforms and the team, so a team can rehearse until everyone knows
// their role. The engine is the one `faro serve` runs (src/plan); only the edges are simulated:
//
//   messages     counted, per customer and channel, never sent
//   failover     a channel marked down: its customers' messages go to their next working channel
//   ads          in-memory accounts (src/ads DryRunPlatform) behind the real guard
//   people       answer approvals as DrillOptions say, after a delay; they answer the
//                conversations assigned to them
//   restoration  the real restoration check (src/record) over the scenario's facts
//
// Deterministic: the same plan, scenario and options give the same incidents, byte for byte.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "drill/scenario.hpp"
#include "plan/plan.hpp"

namespace faro::drill {

enum class Answers { kApprove, kDeny, kNone };

struct DrillOptions {
  Answers answers = Answers::kApprove;
  std::chrono::milliseconds answer_after = std::chrono::minutes(4);
  // How many assigned conversations one person answers an hour.
  int replies_per_hour = 40;
};

struct DrillStats {
  int64_t inputs = 0;    // events, decisions, ticks and outcomes given to the engine
  int64_t actions = 0;   // actions the engine emitted
  int64_t messages = 0;  // messages that would have been sent (team and customers)
  std::map<std::string, int64_t> actions_by_kind;
  std::chrono::milliseconds simulated{0};  // from the scenario's start to the last input
};

struct DrillResult {
  std::vector<nlohmann::json> incidents;  // incident records (docs/schemas/incident.schema.json)
  DrillStats stats;
  std::map<std::string, std::string> campaigns_after;  // campaign id → status at the end
};

absl::StatusOr<DrillResult> RunDrill(std::shared_ptr<const plan::Plan> plan, const Scenario& scenario,
                                     const DrillOptions& options = {});

}  // namespace faro::drill
