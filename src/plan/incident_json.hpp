#pragma once
// The incident record as JSON: what reports, the crisis log and the dashboard read
// (docs/plans.md, "The incident record"; docs/schemas/incident.schema.json). Times are RFC 3339
// UTC with milliseconds; money is decimal text. `run` holds where the engine is in the
// playbook, so a restart or a drill resumes; other readers ignore it.
#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "plan/incident.hpp"

namespace faro::plan {

nlohmann::json IncidentToJson(const Incident& incident);
// Reads what IncidentToJson wrote; an error names the member that is wrong
// ("timeline[3].at: …").
absl::StatusOr<Incident> IncidentFromJson(const nlohmann::json& json);

}  // namespace faro::plan
