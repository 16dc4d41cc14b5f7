#pragma once
// For tests: incident records made from the 4 October 2021 fixture, moved in time and changed
// to play other cases (another platform, a reputation crisis, a drill).
#include <nlohmann/json.hpp>

#include <string>

#include "core/time_text.hpp"
#include "listen/golden_test_util.hpp"

namespace faro::record::testing {

inline nlohmann::json FixtureJson() {
  return nlohmann::json::parse(
      faro::testing::ReadFileOrEmpty(faro::testing::SourcePath("src/record/testdata/incident-fb-2021.json")));
}

// Every RFC 3339 time in `j` moved by `hours`.
inline void ShiftTimes(nlohmann::json& j, int64_t hours) {
  if (j.is_object() || j.is_array()) {
    for (auto& child : j) ShiftTimes(child, hours);
  } else if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s.size() >= 20 && s[4] == '-' && s[10] == 'T') {
      auto t = ParseRfc3339(s);
      if (t.ok()) j = Rfc3339(*t + std::chrono::hours(hours));
    }
  }
}

struct CaseSpec {
  int64_t id;
  int64_t shift_hours;  // from 2021-10-04
  std::string kind = "outage", playbook = "messaging-outage", subject = "whatsapp";
  bool drill = false;
  std::string title_es = "WhatsApp no funciona", title_en = "WhatsApp is down";
  // Lessons replace the fixture's when not empty.
  std::vector<std::string> worked, change;
  int64_t stable_after_min = -1;  // keep the fixture's when < 0
};

inline nlohmann::json MakeCase(const CaseSpec& c) {
  nlohmann::json j = FixtureJson();
  ShiftTimes(j, c.shift_hours);
  j["id"] = c.id;
  j["kind"] = c.kind;
  j["playbook"] = c.playbook;
  j["subject"] = c.subject;
  j["drill"] = c.drill;
  j["title"] = {{"es", c.title_es}, {"en", c.title_en}};
  if (c.stable_after_min >= 0) {
    const TimePoint opened = *ParseRfc3339(j["opened_at"].get<std::string>());
    j["stable_at"] = Rfc3339(opened + std::chrono::minutes(c.stable_after_min));
  }
  if (!c.worked.empty() || !c.change.empty()) {
    j["lessons"] = {{"worked", nlohmann::json::array()}, {"change", nlohmann::json::array()}};
    for (const auto& w : c.worked) j["lessons"]["worked"].push_back({{"es", w}, {"en", w}});
    for (const auto& w : c.change) j["lessons"]["change"].push_back({{"es", w}, {"en", w}});
  }
  return j;
}

}  // namespace faro::record::testing
