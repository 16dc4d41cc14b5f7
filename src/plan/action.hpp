#pragma once
// What the engine asks the world to do, and what the world answers. The engine only emits
// actions; an executor elsewhere performs them (messaging, ad platforms, the dashboard) and
// reports each one's outcome back, which the timeline and the figures record.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "plan/plan.hpp"
#include "plan/text.hpp"

namespace faro::plan {

struct Recipient {
  std::string person, role;
  Lang lang = Lang::kEs;
  std::vector<Reach> reach;
};

struct Action {
  int64_t id = 0;  // increasing, unique within the engine
  int64_t incident = 0;
  std::string playbook;
  int step = -1;  // step index; -1 for engine-made (escalations, cadence)
  // "notify" "ask-approval" "escalate" "failover" "undo-failover" "broadcast" "pause-ads"
  // "resume-ads" "move-campaign" "holding-statement" "assign-replies" "status-update" "remind"
  // "restoration-check"
  std::string kind;
  TimePoint at;
  std::vector<Recipient> to;  // people of the team; customer-facing actions name channels in params
  Text text;
  nlohmann::json params = nlohmann::json::object();
};

// Outcome details the figures add up (all optional, each a count unless said):
// contacts_told, messages_rerouted, campaigns_paused, spend_protected (decimal text such as
// "412.50") with currency, unanswered_left (the latest value wins).
struct Outcome {
  int64_t action = 0;
  TimePoint at;
  bool ok = true;
  Text detail;
  nlohmann::json details = nlohmann::json::object();
};

// A person's answer to an approval request: `action` is the ask-approval action or one of
// its escalations.
struct Decision {
  int64_t action = 0;
  std::string person;
  bool approve = false;
  TimePoint at;
  std::string reason;  // optional
};

nlohmann::json ReachToJson(const Reach& reach);  // {"channel": "telegram", "chat_id": "123"}
nlohmann::json ActionToJson(const Action& action);

}  // namespace faro::plan
