#pragma once
// Helpers shared by the watch tests: simulated time and compact readings.
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/strings.hpp"
#include "watch/watch.hpp"

namespace faro::watch::testing {

// Monday 4 October 2021, 14:00 UTC: simulated time starts here.
inline constexpr int64_t kStartMs = 1633356000000;
inline TimePoint At(double seconds) { return FromUnixMillis(kStartMs + static_cast<int64_t>(seconds * 1000)); }

inline Reading Read(const std::string& platform, const std::string& vantage, double seconds, Health health,
                    Cause cause = Cause::kNone) {
  Reading r;
  r.platform = platform;
  r.vantage = vantage;
  r.at = At(seconds);
  r.health = health;
  r.cause = health == Health::kUp ? Cause::kNone : cause;
  r.endpoints = 6;
  r.failed = health == Health::kDown ? 6 : health == Health::kPartial ? 2 : 0;
  r.detail = StrCat(r.failed, " of 6 checks failed");
  return r;
}

// "kind state [suppressed_by]" per event, for readable expectations.
inline std::vector<std::string> Lines(const std::vector<Event>& events) {
  std::vector<std::string> lines;
  for (const Event& e : events) {
    std::string line = StrCat(e.kind, " ", e.subject);
    if (!e.state.empty()) StrAppend(line, " ", e.state);
    if (!e.scope.empty()) StrAppend(line, "/", e.scope);
    if (e.suppressed()) StrAppend(line, " [", e.suppressed_by, "]");
    lines.push_back(line);
  }
  return lines;
}

inline void Append(std::vector<Event>& all, std::vector<Event> more) {
  for (Event& e : more) all.push_back(std::move(e));
}

inline WatchSetup OnePlatform(std::vector<std::string> agents = {}) {
  WatchSetup s;
  s.platforms = {"whatsapp"};
  s.vantages = std::move(agents);
  return s;
}

}  // namespace faro::watch::testing
