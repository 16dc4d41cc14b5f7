#pragma once
// The vantage protocol, both ends: what `faro check --vantage` asks a `faro agent` to probe,
// and what the agent answers (docs/cli.md, "faro agent").
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/status.hpp"
#include "verdict/evidence.hpp"

namespace faro {

inline constexpr std::size_t kMaxEndpointsPerBatch = 10000;

struct ProbeBatch {
  std::vector<EndpointSpec> endpoints;
  int attempts = 2;
  int timeout_ms = 12000;
  double slow_ms = 2000;
};

nlohmann::json ProbeBatchToJson(const ProbeBatch& batch);
// Validates everything; the error says which field of which endpoint is wrong.
absl::StatusOr<ProbeBatch> ProbeBatchFromJson(const nlohmann::json& json);

struct ProbeAnswer {
  std::string vantage;
  std::vector<EndpointEvidence> endpoints;  // in the batch's order
};

nlohmann::json ProbeAnswerToJson(const ProbeAnswer& answer);
absl::StatusOr<ProbeAnswer> ProbeAnswerFromJson(const nlohmann::json& json, std::size_t expected_endpoints);

}  // namespace faro
