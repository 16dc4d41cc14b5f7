#include "verdict/evidence_json.hpp"

#include <cmath>

#include "core/strings.hpp"

namespace faro {
namespace {

nlohmann::json NullIfEmpty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

double Round(double ms) { return std::round(ms * 1000.0) / 1000.0; }

std::string_view AltDnsName(const EndpointEvidence& e) {
  switch (e.alt_dns) {
    case AltDns::kResolved: return "ok";
    case AltDns::kFailed: return e.alt_dns_cause == Cause::kNone ? "fail" : CauseName(e.alt_dns_cause);
    case AltDns::kNotAsked: return "";
  }
  return "";
}

}  // namespace

nlohmann::json PhasesToJson(const Phases& p) {
  nlohmann::json out = nlohmann::json::object();
  if (p.dns) out["dns"] = Round(*p.dns);
  if (p.connect) out["connect"] = Round(*p.connect);
  if (p.tls) out["tls"] = Round(*p.tls);
  if (p.first_byte) out["first_byte"] = Round(*p.first_byte);
  if (p.total) out["total"] = Round(*p.total);
  return out;
}

nlohmann::json EndpointToJson(const EndpointEvidence& e) {
  const ProbeResult& r = e.result;
  const std::string_view alt = AltDnsName(e);
  return {
      {"url", e.url},
      {"layer", LayerName(e.layer)},
      {"group", NullIfEmpty(e.group)},
      {"result", OutcomeName(r.outcome)},
      {"cause", r.cause == Cause::kNone ? nlohmann::json(nullptr) : nlohmann::json(CauseName(r.cause))},
      {"attempts", r.attempts},
      {"address", NullIfEmpty(r.address)},
      {"status", r.http_status > 0 ? nlohmann::json(r.http_status) : nlohmann::json(nullptr)},
      {"detail", NullIfEmpty(r.detail)},
      {"alt_dns", alt.empty() ? nlohmann::json(nullptr) : nlohmann::json(alt)},
      {"phases_ms", PhasesToJson(r.phases)},
  };
}

absl::StatusOr<EndpointEvidence> EndpointFromJson(const nlohmann::json& j) {
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(StrCat("endpoint result: ", what));
  };
  if (!j.is_object()) return bad("expected an object");
  EndpointEvidence e;
  if (!j.contains("url") || !j["url"].is_string()) return bad("\"url\" must be a string");
  e.url = j["url"].get<std::string>();
  if (!j.contains("result") || !j["result"].is_string()) return bad("\"result\" must be ok, slow or fail");
  auto outcome = OutcomeFromName(j["result"].get<std::string>());
  if (!outcome) return bad("\"result\" must be ok, slow or fail");
  e.result.outcome = *outcome;
  if (j.contains("cause") && !j["cause"].is_null()) {
    if (!j["cause"].is_string()) return bad("\"cause\" must be a string or null");
    auto cause = CauseFromName(j["cause"].get<std::string>());
    if (!cause) return bad(StrCat("unknown cause \"", j["cause"].get<std::string>(), "\""));
    e.result.cause = *cause;
  }
  if (j.contains("attempts")) {
    if (!j["attempts"].is_number_integer()) return bad("\"attempts\" must be an integer");
    e.result.attempts = j["attempts"].get<int>();
  }
  if (j.contains("status") && j["status"].is_number_integer()) e.result.http_status = j["status"].get<int>();
  if (j.contains("address") && j["address"].is_string()) e.result.address = j["address"].get<std::string>();
  if (j.contains("detail") && j["detail"].is_string()) e.result.detail = j["detail"].get<std::string>();
  if (j.contains("phases_ms") && j["phases_ms"].is_object()) {
    const auto& p = j["phases_ms"];
    auto read = [&](const char* key, std::optional<double>& out) {
      if (p.contains(key) && p[key].is_number()) out = p[key].get<double>();
    };
    read("dns", e.result.phases.dns);
    read("connect", e.result.phases.connect);
    read("tls", e.result.phases.tls);
    read("first_byte", e.result.phases.first_byte);
    read("total", e.result.phases.total);
  }
  return e;
}

}  // namespace faro
