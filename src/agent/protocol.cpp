#include "agent/protocol.hpp"

#include "core/strings.hpp"
#include "verdict/evidence_json.hpp"

namespace faro {

nlohmann::json ProbeBatchToJson(const ProbeBatch& batch) {
  nlohmann::json endpoints = nlohmann::json::array();
  for (const EndpointSpec& e : batch.endpoints) {
    nlohmann::json item = {{"url", e.url.text}};
    if (e.url.SpeaksHttp()) item["expect_status"] = FormatExpectedStatus(e.expect);
    if (!e.expect.body_contains.empty()) item["expect_body"] = e.expect.body_contains;
    endpoints.push_back(std::move(item));
  }
  return {{"endpoints", std::move(endpoints)},
          {"attempts", batch.attempts},
          {"timeout_ms", batch.timeout_ms},
          {"slow_ms", batch.slow_ms}};
}

absl::StatusOr<ProbeBatch> ProbeBatchFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("request body: expected a JSON object");
  ProbeBatch out;
  if (!j.contains("endpoints") || !j["endpoints"].is_array())
    return absl::InvalidArgumentError("\"endpoints\": expected an array");
  const auto& endpoints = j["endpoints"];
  if (endpoints.size() > kMaxEndpointsPerBatch)
    return absl::InvalidArgumentError(StrCat("\"endpoints\": at most ", kMaxEndpointsPerBatch, " per request"));
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const auto& item = endpoints[i];
    const std::string where = StrCat("endpoints[", i, "]");
    if (!item.is_object() || !item.contains("url") || !item["url"].is_string())
      return absl::InvalidArgumentError(StrCat(where, ".url: expected a string"));
    auto url = ParseProbeUrl(item["url"].get<std::string>());
    if (!url.ok()) return absl::InvalidArgumentError(StrCat(where, ".url: ", Message(url.status())));
    EndpointSpec spec;
    spec.url = std::move(*url);
    if (item.contains("expect_status")) {
      if (!item["expect_status"].is_string())
        return absl::InvalidArgumentError(StrCat(where, ".expect_status: expected a string"));
      auto expect = ParseExpectedStatus(item["expect_status"].get<std::string>());
      if (!expect.ok()) return absl::InvalidArgumentError(StrCat(where, ".expect_status: ", Message(expect.status())));
      spec.expect = std::move(*expect);
    }
    if (item.contains("expect_body")) {
      if (!item["expect_body"].is_string())
        return absl::InvalidArgumentError(StrCat(where, ".expect_body: expected a string"));
      spec.expect.body_contains = item["expect_body"].get<std::string>();
    }
    out.endpoints.push_back(std::move(spec));
  }
  auto read_int = [&](const char* key, int lo, int hi, int& field) -> absl::Status {
    if (!j.contains(key)) return absl::OkStatus();
    if (!j[key].is_number_integer() || j[key].get<long long>() < lo || j[key].get<long long>() > hi)
      return absl::InvalidArgumentError(StrCat("\"", key, "\": expected an integer from ", lo, " to ", hi));
    field = j[key].get<int>();
    return absl::OkStatus();
  };
  FARO_RETURN_IF_ERROR(read_int("attempts", 1, 5, out.attempts));
  FARO_RETURN_IF_ERROR(read_int("timeout_ms", 100, 60000, out.timeout_ms));
  if (j.contains("slow_ms")) {
    if (!j["slow_ms"].is_number() || j["slow_ms"].get<double>() <= 0)
      return absl::InvalidArgumentError("\"slow_ms\": expected a positive number");
    out.slow_ms = j["slow_ms"].get<double>();
  }
  return out;
}

nlohmann::json ProbeAnswerToJson(const ProbeAnswer& answer) {
  nlohmann::json endpoints = nlohmann::json::array();
  for (const EndpointEvidence& e : answer.endpoints) endpoints.push_back(EndpointToJson(e));
  return {{"vantage", answer.vantage}, {"endpoints", std::move(endpoints)}};
}

absl::StatusOr<ProbeAnswer> ProbeAnswerFromJson(const nlohmann::json& j, std::size_t expected) {
  if (!j.is_object() || !j.contains("endpoints") || !j["endpoints"].is_array())
    return absl::InvalidArgumentError("the agent's answer has no \"endpoints\" array");
  ProbeAnswer out;
  if (j.contains("vantage") && j["vantage"].is_string()) out.vantage = j["vantage"].get<std::string>();
  if (j["endpoints"].size() != expected)
    return absl::InvalidArgumentError(
        StrCat("the agent answered ", j["endpoints"].size(), " endpoints, ", expected, " were asked"));
  for (const auto& item : j["endpoints"]) {
    FARO_ASSIGN_OR_RETURN(EndpointEvidence e, EndpointFromJson(item));
    out.endpoints.push_back(std::move(e));
  }
  return out;
}

}  // namespace faro
