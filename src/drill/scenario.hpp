#pragma once
// Drill scenarios: what happens (events, in order, on their own clock) and the business it
// happens to (customers, conversations, campaigns, scheduled posts, mentions), built from a
// seed so that every run of a drill is the same. A drill replays the events into a plan on a
// simulated clock with dry-run adapters (drill.hpp); nothing here does I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/event.hpp"
#include "core/lang.hpp"
#include "core/status.hpp"

namespace faro::drill {

struct Words {
  std::string es, en;
};

// A customer: the channels they agreed to be written on, in their order of preference.
struct Customer {
  int64_t id = 0;
  Lang lang = Lang::kEs;
  std::vector<std::string> channels;  // platform ids: whatsapp, telegram, email, sms, instagram
};

// A conversation open when the scenario starts or opened during it.
struct Conversation {
  int64_t customer = 0;
  std::string channel;     // the platform the customer wrote on
  TimePoint last_inbound;  // their last message
  bool answered = false;   // a reply came after it
};

// An ad campaign on one account. Money in micros of the currency (no floating point).
struct Campaign {
  std::string account;   // the plan's ad account id (meta, google, tiktok)
  std::string platform;  // where it shows: instagram, facebook, google, tiktok, x
  std::string id, name;
  bool active = true;    // false: paused before the scenario begins (must stay paused)
  int64_t spend_per_hour_micros = 0;
  int64_t impressions_per_hour = 0;
  int64_t clicks_per_hour = 0;
};

struct ScheduledPost {
  std::string platform, id, title;
  TimePoint at;
};

// Mentions in one minute, by sentiment (what listening would have counted).
struct MentionMinute {
  TimePoint minute;
  int64_t negative = 0, neutral = 0, positive = 0, unknown = 0;
  int64_t total() const { return negative + neutral + positive + unknown; }
};

// A platform's health from a time on (up, partial, down), for the report's status chart.
struct HealthChange {
  TimePoint at;
  std::string platform, health;
};

struct Scenario {
  std::string name;  // fb-2021, whatsapp-2022, reputation-spike, or the file's name
  Words title, summary;
  TimePoint start, end;  // the window replayed (end: when watching after recovery is over)
  std::vector<Event> events;  // in time order, ids 1, 2, …
  std::vector<HealthChange> health;
  std::vector<Customer> customers;
  std::vector<Conversation> conversations;
  std::vector<Campaign> campaigns;
  std::vector<ScheduledPost> posts;
  std::vector<MentionMinute> mentions;
};

struct ScenarioSize {
  int customers = 10000;
  int campaigns = 50;
  uint64_t seed = 20211004;
};

// A recorded scenario: the events of a real incident as `faro serve` stored them, either
// JSON Lines (one event per line, as in the event log) or the answer of GET /api/v1/events
// (`{"events": [...]}`, newest first or not: they are put in time order). The business around
// them is made up as for the built-in ones. Errors name the line (or the array index) and
// what was wrong with it; a log with no event is an error too.
absl::StatusOr<Scenario> RecordedScenario(std::string_view text, const std::string& name,
                                          const ScenarioSize& size = {});

// The built-in scenarios by name; an error lists the names.
absl::StatusOr<Scenario> BuiltinScenario(const std::string& name, const ScenarioSize& size = {});
std::vector<std::string> BuiltinScenarioNames();

}  // namespace faro::drill
