#pragma once
// The restoration check: once a platform is back (or a crisis is over), is everything as it
// should be? Pure: the facts come in (gathered by whoever runs the check), a checklist comes
// out. No I/O, no clock: `facts.now` is the time of the check.
//
// Items, always all six and in this order (docs/crisis-log.md explains each to users):
//   scheduled-posts    posts scheduled in the outage window: published or rescheduled is fine,
//                      a missed post is red and named; a post whose fate is unknown is pending
//   outbox-drained     nothing left in the outbox: given-up messages are red, messages still
//                      waiting to be sent are pending
//   unanswered         nobody left without an answer (Chatwoot's rule: no first reply, or the
//                      customer spoke last): waiting longer than `reply_grace` is red, less is
//                      pending
//   campaigns-resumed  each campaign Faro paused is running again; a campaign that was already
//                      paused before the incident is expected to stay paused (the item says so)
//   ad-figures         spend, impressions, clicks, CPM and CTR now against the pre-incident
//                      baseline, within a tolerance, per hour (see AdComparison)
//   watching           pending until the heightened-watching window ends, then green
//
// A check run before restoration (someone presses "check now" while the platform is still
// down or the crisis goes on, `facts.restored` says so) never reads green where only the time
// after restoration can tell: scheduled-posts (unless one is already missed: red),
// campaigns-resumed, ad-figures and watching are pending and say "not yet". outbox-drained and
// unanswered describe the present and are judged as always.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "record/text.hpp"

namespace faro::record {

enum class ItemState { kGreen, kRed, kPending };
std::string_view ItemStateName(ItemState state);  // "green" "red" "pending"
std::optional<ItemState> ItemStateFromName(std::string_view name);

// One line of the checklist, as the incident record keeps it.
struct CheckItem {
  std::string item;  // "scheduled-posts", ...
  ItemState state = ItemState::kPending;
  Text text;  // one or two sentences with the figures
  nlohmann::json details = nlohmann::json::object();
};
nlohmann::json CheckItemToJson(const CheckItem& item);  // {"item","state","text":{es,en},"details"}

// A person closing over a red or pending item, with a reason (the timeline keeps it).
struct Override {
  std::string item, by, reason;
  TimePoint at;
};

enum class PostState { kPublished, kRescheduled, kMissed, kUnknown };

struct ScheduledPost {
  std::string id, title, channel;
  TimePoint due;
  PostState state = PostState::kUnknown;
};

// A conversation whose customer waits for an answer: no first reply yet, or the customer wrote
// last. `waiting_since` is the customer's oldest unanswered message.
struct WaitingConversation {
  std::string id, contact, channel;
  TimePoint waiting_since;
};

// A campaign the ad guard touched in this incident, with the status it recorded before
// pausing (a campaign found already paused is recorded too, and left alone).
struct CampaignFact {
  std::string account, id, name;
  std::string status_before;              // "active" | "paused" | "removed" | "other"
  std::optional<std::string> status_now;  // the same words; nullopt when it could not be read
  std::string raw_status_now;             // the platform's own word, shown for "other"
};

// Ad figures over one reading window. Money and ratios are millionths (never double):
// spend and CPM in micros of the currency, CTR in millionths of a percent (1.5 % = 1500000).
struct AdFigures {
  int64_t window_ms = 0;  // how long the figures cover
  int64_t spend_micros = 0;
  int64_t impressions = 0;
  int64_t clicks = 0;
  int64_t cpm_micros = 0;
  int64_t ctr_micros = 0;
};

// One campaign (or a whole account, `campaign` empty) now against its pre-incident baseline.
// Spend, impressions and clicks are totals over their windows, so they are compared per hour
// (a 2-hour reading after restoration against a 24-hour baseline compares fairly); CPM and CTR
// are already ratios and are compared as they are. A metric is within tolerance when
// |now − baseline| ≤ tolerance × baseline (exactly at the tolerance is within). A metric whose
// baseline is 0 has nothing to compare with and is listed, not judged.
struct AdComparison {
  std::string account, campaign, name, currency;
  AdFigures baseline;
  std::optional<AdFigures> now;  // nullopt: not read yet
};

// Whether the check runs after restoration, and if not, what is still missing.
enum class Restored { kYes, kPlatformNotBack, kCrisisNotOver };

struct RestorationFacts {
  TimePoint now;  // when the check runs
  Restored restored = Restored::kYes;
  std::vector<ScheduledPost> posts;  // the posts scheduled in the outage window
  int64_t outbox_pending = 0;        // messages still waiting to be sent
  int64_t outbox_given_up = 0;       // messages of this incident Faro gave up on
  std::vector<WaitingConversation> waiting;
  std::vector<CampaignFact> campaigns;
  std::vector<AdComparison> ads;
  TimePoint watch_until;  // end of the heightened watching (restored at + watch_for)
  std::chrono::milliseconds watch_for{0};  // its length, named while not restored yet
};

// "Todavía no: la plataforma no volvió." / "Not yet: the platform is not back." (empty for kYes).
Text NotRestoredText(Restored restored);

struct RestorationOptions {
  // The plan's `ad_tolerance`, in hundredths of a percent: 25 % = 2500.
  int64_t ad_tolerance_bp = 2500;
  // Figures read over a shorter window since resuming are too few to judge: pending.
  std::chrono::milliseconds min_ad_window = std::chrono::hours(1);
  // A customer who wrote less than this ago is not "left unanswered" yet: pending.
  std::chrono::milliseconds reply_grace = std::chrono::minutes(15);
};

// The six items, in the order above.
std::vector<CheckItem> CheckRestoration(const RestorationFacts& facts, const RestorationOptions& options = {});

// Whether an incident may close: every item green, or every red or pending item overridden by
// a named person with a non-blank reason. `blocking` lists the items that stop it, in
// checklist order. An empty checklist (a playbook without a restoration check) may close.
struct CloseDecision {
  bool may_close = false;
  std::vector<std::string> blocking;
  Text text;  // "Cannot close yet: …" / "Ready to close." for the people in the incident room
};
CloseDecision MayClose(const std::vector<CheckItem>& checklist, const std::vector<Override>& overrides);

}  // namespace faro::record
