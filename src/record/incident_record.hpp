#pragma once
// The incident record as the plan engine writes it (plan::IncidentToJson) and as reports, the
// crisis log and the manual read it. Reading is strict and says exactly what is wrong:
// "timeline[3].at: expected an RFC 3339 time such as \"2021-10-04T15:39:00.000Z\", got 12".
// Required: id, playbook, kind, title, state, opened_at, timeline. Everything else may be
// missing (an active incident has no closed_at, a drill may have no figures) but, when present,
// must have the right type.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "record/restoration.hpp"
#include "record/text.hpp"

namespace faro::record {

struct RoleHeld {
  std::string role;
  Text title;
  std::string person;
  TimePoint from;
  std::optional<TimePoint> until;  // nullopt: held until the end
};

struct TimelineEntry {
  int64_t seq = 0;
  TimePoint at;
  std::string kind;  // event opened state action outcome approval-asked approved denied escalated
                     // no-answer role note check override closed
  std::string who;
  Text text;
  nlohmann::json details = nlohmann::json::object();
};

struct Figures {
  int64_t contacts_told = 0;
  int64_t messages_rerouted = 0;
  int64_t campaigns_paused = 0;
  int64_t spend_protected_micros = 0;  // "412.50" in the JSON
  std::string currency;
  std::optional<int64_t> unanswered_left;  // null until a restoration check counted them
  int64_t approvals_asked = 0;
  int64_t approvals_granted = 0;
  std::optional<int64_t> first_message_after_s;
};

struct PlatformPoint {  // from `at`, `platform` was in `health` (until its next point)
  TimePoint at;
  std::string platform, health;
};

struct MentionMinute {
  TimePoint minute;
  int64_t mentions = 0, negative = 0, positive = 0, neutral = 0, unknown = 0;
};

struct IncidentRecord {
  int64_t id = 0;
  std::string plan, playbook, kind;  // kind: outage | crisis (or another word a plan uses)
  Text title;
  std::string business, subject;
  std::string state;  // active | stable | closed
  TimePoint opened_at;
  std::optional<TimePoint> stable_at, closed_at;
  bool drill = false;
  std::vector<RoleHeld> roles;
  std::vector<TimelineEntry> timeline;
  std::vector<CheckItem> checklist;
  std::vector<Override> overrides;
  Figures figures;
  std::vector<PlatformPoint> platform_series;
  std::vector<MentionMinute> mention_series;
  std::vector<Text> worked, change;  // lessons

  // The end of what the record covers: closed_at, else the last time anything in it mentions.
  TimePoint End() const;
  // How long the platform (or the crisis) was out: opened → stable, else opened → End().
  std::chrono::milliseconds OutageLength() const;
};

absl::StatusOr<IncidentRecord> ParseIncident(const nlohmann::json& json);
// The text of an INCIDENT.json file; a syntax error says the byte where it is.
absl::StatusOr<IncidentRecord> ParseIncidentText(std::string_view text);

}  // namespace faro::record
