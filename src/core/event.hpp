#pragma once
// An event: something that happened, typed and timestamped, persisted in order (DESIGN.md,
// "How data flows"). Detectors emit them; alerts, failover, plans and the record react to them.
// Kinds and their evidence are listed in docs/events.md.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro {

struct Event {
  int64_t id = 0;          // assigned when the event is stored; increases with every event
  TimePoint at;            // when it happened (the detector's clock)
  std::string kind;        // "platform-down", "platform-restored", "link-down", ...
  std::string subject;     // what it is about: a platform id, "link", "vantage:NAME"
  std::string state;       // the state entered ("down"); "" for kinds without states
  std::string previous;    // the state left ("up")
  std::string scope;       // "global", "regional", "unconfirmed" or ""
  std::string cause;       // a cause name ("dns-servfail") or ""
  bool covers_us = false;  // the failure is seen from this node (a regional outage here)
  // Recorded but not acted on: "maintenance", "flapping", "link-down" (the parent failed),
  // "stale" (no fresh reading, or back to what people were already told), or "".
  std::string suppressed_by;
  nlohmann::json evidence = nlohmann::json::object();  // kind-specific, see docs/events.md

  bool suppressed() const { return !suppressed_by.empty(); }
};

nlohmann::json EventToJson(const Event& event);  // at as RFC 3339 UTC with milliseconds
absl::StatusOr<Event> EventFromJson(const nlohmann::json& json);

}  // namespace faro
