#pragma once
// A contingency plan (docs/plans.md): who does what when a platform fails or a crisis starts.
// Data, not code: the loader (plan_file.hpp) reads it from YAML and checks every reference; the
// engine (engine.hpp) runs it. Shares are kept in basis points (1/100 of a percent) so sums
// are exact: "20%" is 2000, 0.125 is 1250.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/lang.hpp"
#include "plan/text.hpp"

namespace faro::plan {

using std::chrono::milliseconds;

inline constexpr int kWholeShare = 10000;  // 100 % in basis points

// How to reach a person on one of faro.yaml's channels: `kind` is the address key as in
// faro.yaml `team:` (chat_id, phone, address, id, handle).
struct Reach {
  std::string channel, kind, value;
  friend bool operator==(const Reach&, const Reach&) = default;
};

struct Person {
  std::string name;
  Lang lang = Lang::kEs;
  std::vector<Reach> reach;  // in order of preference
};

struct Role {
  std::string id;
  Text title;
  std::vector<Person> people;  // in order of who is asked first
};

// Where customers talk to the business and their share of its conversations.
struct CustomerChannel {
  std::string id, platform;
  int share = 0;  // basis points
};

struct AdAccount {
  std::string id, type;                // type: meta_marketing, google_ads, tiktok_ads
  std::vector<std::string> platforms;  // where its ads run
};

struct Brand {
  std::string id;
  Text name;
};

enum class TriggerKind { kPlatformDown, kPlatformPartial, kCrisisSuspected };

struct Trigger {
  TriggerKind on = TriggerKind::kPlatformDown;
  // Platform triggers.
  std::vector<std::string> platforms;
  std::vector<std::string> scope;  // of a down event; default global, regional
  int min_share = 0;               // basis points of customer traffic on the platform
  // Crisis triggers.
  double min_per_minute = 0;
  int min_negative_share = 0;  // basis points
  std::vector<std::string> brands, topics;  // empty: any
  std::string run;  // playbook id
  int line = 0;     // 1-based, for messages
};

enum class StepKind {
  kNotify,
  kApprove,
  kFailover,
  kUndoFailover,
  kBroadcast,
  kPauseAds,
  kResumeAds,
  kMoveCampaign,
  kHoldingStatement,
  kAssignReplies,
  kStatusUpdates,
  kRemind,
  kWait,
  kRestorationCheck,
};

struct Escalation {
  milliseconds after{0};
  std::vector<std::string> to;  // role ids
};

// Who approves, by when, and whom to tell while nobody answers.
struct Approval {
  std::string role;
  milliseconds within{0};
  std::vector<Escalation> escalate;
};

// A step's condition (`when:`), checked when the playbook reaches the step against the latest
// event that triggered or joined the incident. Every list given must contain the event's value.
struct Condition {
  std::vector<std::string> scope, platforms, crisis;  // crisis: volume-spike, negative-wave, both
  double min_per_minute = 0;
  int min_negative_share = 0;
  int min_share = 0;
  bool empty() const {
    return scope.empty() && platforms.empty() && crisis.empty() && min_per_minute == 0 &&
           min_negative_share == 0 && min_share == 0;
  }
};

struct Step {
  StepKind kind = StepKind::kNotify;
  std::string id;  // optional, [a-z0-9-]+
  Condition when;
  int line = 0;

  Text text;                        // notify, broadcast, holding_statement, remind, status_updates, assign_replies
  std::vector<std::string> roles;   // notify, remind, status_updates (`to`)
  // approve: `approval.role` asks, `ask` is the question.
  Text ask;
  Approval approval;
  bool stop_if_no_answer = true;    // approve: if_no_answer stop | continue
  std::optional<Approval> step_approval;  // `approval:` of any other step (move_campaign always)
  std::string channel;                    // failover, undo_failover
  std::vector<std::string> channels;      // broadcast, holding_statement
  std::string account;                    // pause_ads, resume_ads, move_campaign
  std::vector<std::string> platforms;     // pause_ads, resume_ads (empty: all of the account's)
  std::string campaign, to_account;       // move_campaign
  std::string cap_amount, cap_currency;   // move_campaign budget_cap: "150.00", "USD"
  std::string role;                       // assign_replies
  std::string from;                       // assign_replies: customer channel id
  milliseconds first_within{0}, every{0}; // status_updates, remind
  std::string wait_event;                 // wait: platform-restored | crisis-over
  milliseconds wait_for{0};               // wait: a duration
  milliseconds watch_for{0};              // restoration_check
  int ad_tolerance = 0;                   // restoration_check, basis points
};

enum class PlaybookKind { kOutage, kCrisis };

struct Playbook {
  std::string id;
  Text title;
  PlaybookKind kind = PlaybookKind::kOutage;
  std::vector<Step> steps;
};

struct Plan {
  std::string id;
  Text name;
  std::string business;
  Lang lang = Lang::kEs;
  std::vector<Role> roles;
  std::vector<Brand> brands;
  std::vector<CustomerChannel> customer_channels;
  std::vector<AdAccount> ad_accounts;
  std::vector<Trigger> triggers;
  std::vector<Playbook> playbooks;
  std::string file;  // where it was read from, for messages

  const Role* FindRole(const std::string& id) const;
  const Playbook* FindPlaybook(const std::string& id) const;
  const AdAccount* FindAccount(const std::string& id) const;
  const CustomerChannel* FindChannel(const std::string& id) const;
  const Brand* FindBrand(const std::string& id) const;
  // The person of that name in any role (first found), or nullptr.
  const Person* FindPerson(const std::string& name) const;
  // Basis points of customer traffic on channels whose platform is `platform`.
  int ShareOn(const std::string& platform) const;
};

std::string_view StepKindName(StepKind kind);      // as in YAML: "move_campaign"
std::string_view ActionKindName(StepKind kind);    // as in actions: "move-campaign"
std::string_view TriggerKindName(TriggerKind kind);  // "platform-down"
std::string_view PlaybookKindName(PlaybookKind kind);  // "outage"
// Background steps keep firing until the incident closes.
bool IsBackground(StepKind kind);

}  // namespace faro::plan
