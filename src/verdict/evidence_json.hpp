#pragma once
// Evidence as JSON: the `endpoints[]` items of `faro check --json` (docs/check.schema.json)
// and of the agent protocol. Reading is strict: a vantage's answer that does not fit the
// schema is an error value, never a crash.
#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "verdict/evidence.hpp"

namespace faro {

nlohmann::json PhasesToJson(const Phases& phases);
nlohmann::json EndpointToJson(const EndpointEvidence& endpoint);
absl::StatusOr<EndpointEvidence> EndpointFromJson(const nlohmann::json& json);

}  // namespace faro
