#include "core/event.hpp"

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro {

nlohmann::json EventToJson(const Event& e) {
  nlohmann::json j = {{"id", e.id},         {"at", Rfc3339(e.at)},   {"kind", e.kind},
                      {"subject", e.subject}, {"state", e.state},     {"previous", e.previous},
                      {"scope", e.scope},   {"cause", e.cause},      {"covers_us", e.covers_us},
                      {"suppressed_by", e.suppressed_by}, {"evidence", e.evidence}};
  return j;
}

absl::StatusOr<Event> EventFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("an event must be a JSON object");
  Event e;
  auto text = [&](const char* key, std::string& out, bool required) -> absl::Status {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return absl::InvalidArgumentError(StrCat("event: \"", key, "\" is missing"));
      return absl::OkStatus();
    }
    if (!it->is_string()) return absl::InvalidArgumentError(StrCat("event: \"", key, "\" must be a string"));
    out = it->get<std::string>();
    return absl::OkStatus();
  };
  std::string at;
  FARO_RETURN_IF_ERROR(text("at", at, true));
  FARO_ASSIGN_OR_RETURN(e.at, ParseRfc3339(at));
  FARO_RETURN_IF_ERROR(text("kind", e.kind, true));
  FARO_RETURN_IF_ERROR(text("subject", e.subject, true));
  FARO_RETURN_IF_ERROR(text("state", e.state, false));
  FARO_RETURN_IF_ERROR(text("previous", e.previous, false));
  FARO_RETURN_IF_ERROR(text("scope", e.scope, false));
  FARO_RETURN_IF_ERROR(text("cause", e.cause, false));
  FARO_RETURN_IF_ERROR(text("suppressed_by", e.suppressed_by, false));
  if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return absl::InvalidArgumentError("event: \"id\" must be an integer");
    e.id = it->get<int64_t>();
  }
  if (auto it = j.find("covers_us"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return absl::InvalidArgumentError("event: \"covers_us\" must be true or false");
    e.covers_us = it->get<bool>();
  }
  if (auto it = j.find("evidence"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return absl::InvalidArgumentError("event: \"evidence\" must be an object");
    e.evidence = *it;
  }
  return e;
}

}  // namespace faro
