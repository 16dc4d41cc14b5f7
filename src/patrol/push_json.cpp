#include "patrol/push_json.hpp"

#include <cmath>
#include <set>

#include "agent/protocol.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::patrol {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDetailBytes = 1000;

json OptionalMs(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json CauseJson(Cause c) { return c == Cause::kNone ? json(nullptr) : json(std::string(CauseName(c))); }

absl::Status Bad(const std::string& where, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(where, ": ", what));
}

absl::StatusOr<std::string> RequiredString(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || !obj[key].is_string() || obj[key].get_ref<const std::string&>().empty())
    return Bad(StrCat(where, ".", key), "expected a non-empty string");
  return obj[key].get<std::string>();
}

absl::StatusOr<TimePoint> RequiredTime(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || !obj[key].is_string()) return Bad(StrCat(where, ".", key), "expected an RFC 3339 time");
  auto t = ParseRfc3339(obj[key].get<std::string>());
  if (!t.ok()) return Bad(StrCat(where, ".", key), StrCat("expected an RFC 3339 time: ", Message(t.status())));
  return *t;
}

// Absent: `fallback`. Present: an integer from lo to hi.
absl::StatusOr<long long> Integer(const json& obj, const char* key, long long lo, long long hi, long long fallback,
                                  const std::string& where, bool required = false) {
  const std::string field = where.empty() ? StrCat("\"", key, "\"") : StrCat(where, ".", key);
  if (!obj.contains(key)) {
    if (required) return Bad(field, StrCat("expected an integer from ", lo, " to ", hi));
    return fallback;
  }
  const json& v = obj[key];
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    return Bad(field, StrCat("expected an integer from ", lo, " to ", hi));
  return v.get<long long>();
}

absl::StatusOr<Cause> OptionalCause(const json& obj, const std::string& where) {
  if (!obj.contains("cause") || obj["cause"].is_null()) return Cause::kNone;
  if (!obj["cause"].is_string()) return Bad(StrCat(where, ".cause"), "expected a cause name or null");
  const std::string name = obj["cause"].get<std::string>();
  if (name.empty()) return Cause::kNone;
  auto c = CauseFromName(name);
  if (!c) return Bad(StrCat(where, ".cause"), StrCat("\"", name, "\" is not a cause (dns-servfail, tcp-refused, http-5xx, ...)"));
  return *c;
}

absl::StatusOr<std::optional<double>> OptionalMs(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return std::optional<double>();
  const json& v = obj[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
    return Bad(StrCat(where, ".", key), "expected a number of milliseconds (0 or more) or null");
  return std::optional<double>(v.get<double>());
}

absl::StatusOr<history::Result> ResultFromJson(const json& item, const std::string& where) {
  if (!item.is_object()) return Bad(where, "expected an object");
  history::Result r;
  FARO_ASSIGN_OR_RETURN(r.endpoint, RequiredString(item, "endpoint", where));
  FARO_ASSIGN_OR_RETURN(r.at, RequiredTime(item, "at", where));
  if (!item.contains("outcome") || !item["outcome"].is_string()) return Bad(StrCat(where, ".outcome"), "expected ok, slow or fail");
  auto outcome = OutcomeFromName(item["outcome"].get<std::string>());
  if (!outcome) return Bad(StrCat(where, ".outcome"), "expected ok, slow or fail");
  r.outcome = *outcome;
  FARO_ASSIGN_OR_RETURN(r.cause, OptionalCause(item, where));
  FARO_ASSIGN_OR_RETURN(long long status, Integer(item, "http_status", 0, 999, 0, where));
  r.http_status = static_cast<int>(status);
  FARO_ASSIGN_OR_RETURN(r.dns_ms, OptionalMs(item, "dns_ms", where));
  FARO_ASSIGN_OR_RETURN(r.connect_ms, OptionalMs(item, "connect_ms", where));
  FARO_ASSIGN_OR_RETURN(r.tls_ms, OptionalMs(item, "tls_ms", where));
  FARO_ASSIGN_OR_RETURN(r.first_byte_ms, OptionalMs(item, "first_byte_ms", where));
  FARO_ASSIGN_OR_RETURN(r.total_ms, OptionalMs(item, "total_ms", where));
  return r;
}

absl::StatusOr<Round> RoundFromJson(const json& item, const std::string& where, const std::string& vantage) {
  if (!item.is_object()) return Bad(where, "expected an object");
  Round round;
  watch::Reading& r = round.reading;
  r.vantage = vantage;
  FARO_ASSIGN_OR_RETURN(r.platform, RequiredString(item, "platform", where));
  FARO_ASSIGN_OR_RETURN(r.at, RequiredTime(item, "at", where));
  const std::string health_error = "expected up, degraded, partial or down";
  if (!item.contains("health") || !item["health"].is_string()) return Bad(StrCat(where, ".health"), health_error);
  auto health = watch::HealthFromName(item["health"].get<std::string>());
  if (!health || !IsReportableHealth(*health)) return Bad(StrCat(where, ".health"), health_error);
  r.health = *health;
  FARO_ASSIGN_OR_RETURN(r.cause, OptionalCause(item, where));
  FARO_ASSIGN_OR_RETURN(long long endpoints, Integer(item, "endpoints", 0, 1000000, 0, where, true));
  FARO_ASSIGN_OR_RETURN(long long failed, Integer(item, "failed", 0, 1000000, 0, where, true));
  if (failed > endpoints) return Bad(StrCat(where, ".failed"), StrCat("is ", failed, ", more than the ", endpoints, " endpoints"));
  r.endpoints = static_cast<int>(endpoints);
  r.failed = static_cast<int>(failed);
  if (item.contains("detail") && !item["detail"].is_null()) {
    if (!item["detail"].is_string()) return Bad(StrCat(where, ".detail"), "expected a string");
    r.detail = item["detail"].get<std::string>();
    if (r.detail.size() > kMaxDetailBytes) return Bad(StrCat(where, ".detail"), StrCat("longer than ", kMaxDetailBytes, " bytes"));
  }
  if (item.contains("results")) {
    const json& results = item["results"];
    if (!results.is_array()) return Bad(StrCat(where, ".results"), "expected an array");
    if (results.size() > kMaxResultsPerReading)
      return Bad(StrCat(where, ".results"), StrCat("at most ", kMaxResultsPerReading, " per reading"));
    round.results.reserve(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      FARO_ASSIGN_OR_RETURN(history::Result res, ResultFromJson(results[i], StrCat(where, ".results[", i, "]")));
      res.platform = r.platform;
      res.vantage = vantage;
      round.results.push_back(std::move(res));
    }
  }
  return round;
}

absl::StatusOr<PatrolTarget> TargetFromJson(const json& item, const std::string& where) {
  if (!item.is_object()) return Bad(where, "expected an object");
  PatrolTarget t;
  FARO_ASSIGN_OR_RETURN(t.platform, RequiredString(item, "platform", where));
  FARO_ASSIGN_OR_RETURN(long long interval, Integer(item, "interval_ms", 100, 86400000, 30000, where));
  t.interval = std::chrono::milliseconds(interval);
  if (!item.contains("endpoints") || !item["endpoints"].is_array() || item["endpoints"].empty())
    return Bad(StrCat(where, ".endpoints"), "expected a non-empty array");
  const json& endpoints = item["endpoints"];
  if (endpoints.size() > kMaxEndpointsPerBatch)
    return Bad(StrCat(where, ".endpoints"), StrCat("at most ", kMaxEndpointsPerBatch, " per target"));
  // The pull protocol's reader checks url, expect_status and expect_body.
  auto batch = ProbeBatchFromJson(json{{"endpoints", endpoints}});
  if (!batch.ok()) return absl::InvalidArgumentError(StrCat(where, ".", Message(batch.status())));
  t.endpoints = std::move(batch->endpoints);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (!endpoints[i].contains("group")) continue;
    if (!endpoints[i]["group"].is_string())
      return Bad(StrCat(where, ".endpoints[", i, "].group"), "expected a string");
    t.endpoints[i].group = endpoints[i]["group"].get<std::string>();
  }
  return t;
}

}  // namespace

json AssignmentToJson(const Assignment& a) {
  json targets = json::array();
  for (const PatrolTarget& t : a.targets) {
    ProbeBatch batch;
    batch.endpoints = t.endpoints;
    json endpoints = std::move(ProbeBatchToJson(batch)["endpoints"]);
    for (std::size_t i = 0; i < t.endpoints.size(); ++i)
      if (!t.endpoints[i].group.empty()) endpoints[i]["group"] = t.endpoints[i].group;
    targets.push_back({{"platform", t.platform}, {"interval_ms", t.interval.count()}, {"endpoints", std::move(endpoints)}});
  }
  return {{"vantage", a.vantage},
          {"attempts", a.attempts},
          {"timeout_ms", a.timeout.count()},
          {"slow_ms", a.slow_ms},
          {"targets", std::move(targets)}};
}

absl::StatusOr<Assignment> AssignmentFromJson(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("assignment: expected a JSON object");
  Assignment a;
  if (j.contains("vantage")) {
    if (!j["vantage"].is_string()) return Bad("\"vantage\"", "expected a string");
    a.vantage = j["vantage"].get<std::string>();
  }
  FARO_ASSIGN_OR_RETURN(long long attempts, Integer(j, "attempts", 1, 5, 2, ""));
  FARO_ASSIGN_OR_RETURN(long long timeout, Integer(j, "timeout_ms", 100, 60000, 10000, ""));
  a.attempts = static_cast<int>(attempts);
  a.timeout = std::chrono::milliseconds(timeout);
  if (j.contains("slow_ms")) {
    if (!j["slow_ms"].is_number() || !(j["slow_ms"].get<double>() > 0)) return Bad("\"slow_ms\"", "expected a positive number");
    a.slow_ms = j["slow_ms"].get<double>();
  }
  if (!j.contains("targets") || !j["targets"].is_array()) return Bad("\"targets\"", "expected an array");
  const json& targets = j["targets"];
  if (targets.size() > kMaxTargetsPerAssignment)
    return Bad("\"targets\"", StrCat("at most ", kMaxTargetsPerAssignment, " targets"));
  std::set<std::string> seen;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string where = StrCat("targets[", i, "]");
    FARO_ASSIGN_OR_RETURN(PatrolTarget t, TargetFromJson(targets[i], where));
    if (!seen.insert(t.platform).second) return Bad(StrCat(where, ".platform"), StrCat("\"", t.platform, "\" is listed twice"));
    a.targets.push_back(std::move(t));
  }
  return a;
}

json ReadingsToJson(const std::string& vantage, const std::vector<Round>& rounds) {
  json readings = json::array();
  for (const Round& round : rounds) {
    const watch::Reading& r = round.reading;
    json results = json::array();
    for (const history::Result& res : round.results) {
      results.push_back({{"endpoint", res.endpoint},
                         {"at", Rfc3339(res.at)},
                         {"outcome", std::string(OutcomeName(res.outcome))},
                         {"cause", CauseJson(res.cause)},
                         {"http_status", res.http_status},
                         {"dns_ms", OptionalMs(res.dns_ms)},
                         {"connect_ms", OptionalMs(res.connect_ms)},
                         {"tls_ms", OptionalMs(res.tls_ms)},
                         {"first_byte_ms", OptionalMs(res.first_byte_ms)},
                         {"total_ms", OptionalMs(res.total_ms)}});
    }
    readings.push_back({{"platform", r.platform},
                        {"at", Rfc3339(r.at)},
                        {"health", std::string(watch::HealthName(r.health))},
                        {"cause", CauseJson(r.cause)},
                        {"endpoints", r.endpoints},
                        {"failed", r.failed},
                        {"detail", r.detail},
                        {"results", std::move(results)}});
  }
  return {{"vantage", vantage}, {"readings", std::move(readings)}};
}

absl::StatusOr<ReadingsBatch> ReadingsFromJson(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("readings: expected a JSON object");
  ReadingsBatch out;
  if (!j.contains("vantage") || !j["vantage"].is_string() || j["vantage"].get_ref<const std::string&>().empty())
    return Bad("\"vantage\"", "expected a non-empty string");
  out.vantage = j["vantage"].get<std::string>();
  if (!j.contains("readings") || !j["readings"].is_array()) return Bad("\"readings\"", "expected an array");
  const json& readings = j["readings"];
  if (readings.size() > kMaxReadingsPerPost)
    return Bad("\"readings\"", StrCat("at most ", kMaxReadingsPerPost, " per request; post the rest in another batch"));
  for (std::size_t i = 0; i < readings.size(); ++i) {
    auto round = RoundFromJson(readings[i], StrCat("readings[", i, "]"), out.vantage);
    if (!round.ok()) {
      out.rejected.push_back(Rejection{i, Message(round.status())});
      continue;
    }
    out.accepted.push_back(std::move(*round));
    out.indexes.push_back(i);
  }
  return out;
}

json ReadingsAnswerToJson(const ReadingsAnswer& answer) {
  json rejected = json::array();
  for (const Rejection& r : answer.rejected) rejected.push_back({{"index", r.index}, {"error", r.error}});
  return {{"accepted", answer.accepted}, {"rejected", std::move(rejected)}};
}

absl::StatusOr<ReadingsAnswer> ReadingsAnswerFromJson(const json& j) {
  if (!j.is_object() || !j.contains("accepted") || !j["accepted"].is_number_unsigned())
    return Bad("\"accepted\"", "expected a count");
  ReadingsAnswer out;
  out.accepted = j["accepted"].get<std::size_t>();
  if (j.contains("rejected")) {
    if (!j["rejected"].is_array()) return Bad("\"rejected\"", "expected an array");
    for (std::size_t i = 0; i < j["rejected"].size(); ++i) {
      const json& item = j["rejected"][i];
      if (!item.is_object() || !item.contains("index") || !item["index"].is_number_unsigned() ||
          !item.contains("error") || !item["error"].is_string())
        return Bad(StrCat("rejected[", i, "]"), "expected {\"index\": N, \"error\": TEXT}");
      out.rejected.push_back(Rejection{item["index"].get<std::size_t>(), item["error"].get<std::string>()});
    }
  }
  return out;
}

}  // namespace faro::patrol
