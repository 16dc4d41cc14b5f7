#pragma once
// The ad guard: during an incident it pauses the campaigns that would spend money on a failing
// platform, remembers for each what its status was and that Faro paused it, and afterwards
// resumes only those. A campaign that was already paused stays paused; one a person changed in
// the meantime (resumed it, removed it) is reported and left as the person put it. Nothing is
// ever archived or deleted.
//
// The guard's memory is a GuardRecord: a plain value that goes on the incident's timeline as
// JSON and is read back after a restart, so Faro never forgets what it paused. Every function
// takes the record, the platforms and the time, and changes only the record and the campaigns:
// no clock, no storage, no retry loop (a rate-limited call is recorded with the wait the platform
// asked for; calling again later carries on where it stopped).
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ads/ad_platform.hpp"
#include "core/clock.hpp"
#include "core/lang.hpp"

namespace faro::ads {

// What happened to one campaign the guard looked at.
enum class GuardState {
  kPausedByFaro,     // was active; Faro paused it and will resume it
  kAlreadyPaused,    // was paused before: Faro never resumes it
  kLeftAlone,        // removed or in a status Faro does not change
  kPauseFailed,      // was active; pausing failed (see note); a later PauseAll tries again
  kResumed,          // Faro resumed it
  kResumeFailed,     // resuming failed (see note); a later ResumeWhatWePaused tries again
  kChangedByPerson,  // a person changed it after Faro paused it (note says how): not touched
};
std::string_view GuardStateName(GuardState state);  // "paused-by-faro", "already-paused", ...

struct GuardEntry {
  std::string account;  // the faro.yaml `ads:` id
  std::string platform;
  std::string campaign_id, campaign_name;
  CampaignStatus prior = CampaignStatus::kOther;  // its status when the guard first saw it
  std::string prior_raw;
  GuardState state = GuardState::kLeftAlone;
  std::string note;         // the last error, or what a person changed ("now active")
  std::string error_class;  // of the last error: "rate-limited", "auth", ... ("" when none)
  std::optional<TimePoint> paused_at, resumed_at;
  // Who still wants it paused ("incident:7"), when several incidents share one record: two
  // outages pausing the same Instagram campaigns. It is resumed when the last one lets go.
  std::vector<std::string> held_by;
};

// A campaign copied to another platform to stay on air while its own platform is down.
enum class MoveState {
  kCopyFailed,        // the copy could not be created (see note)
  kCopied,            // the copy exists, paused; activation not done yet or failed (see note)
  kActive,            // the copy is running
  kStopped,           // Faro paused the copy again when the incident ended
  kChangedByPerson,   // a person changed the copy; Faro leaves it alone
};
std::string_view MoveStateName(MoveState state);

struct MovedCampaign {
  std::string from_account, from_platform, from_campaign_id, from_campaign_name;
  std::string to_account, to_platform, copy_id, copy_name;
  Money budget_cap;
  MoveState state = MoveState::kCopyFailed;
  std::string note, error_class;
  std::optional<TimePoint> copied_at, activated_at, stopped_at;
};

struct GuardRecord {
  std::vector<GuardEntry> campaigns;
  std::vector<MovedCampaign> moves;
  friend bool operator==(const GuardRecord&, const GuardRecord&);
};

// {"version": 1, "campaigns": [{"account", "platform", "id", "name", "prior_status",
//  "prior_raw_status", "state", "note", "error_class", "paused_at", "resumed_at"}],
//  "moves": [{"from": {"account", "platform", "id", "name"}, "to": {"account", "platform", "id",
//  "name"}, "budget_cap": "150.00 USD", "state", "note", "error_class", "copied_at",
//  "activated_at", "stopped_at"}]}; times RFC 3339 UTC or null.
nlohmann::json GuardRecordToJson(const GuardRecord& record);
// Reads that back; errors name the field ("campaigns[2].state: \"x\" is not a guard state").
absl::StatusOr<GuardRecord> GuardRecordFromJson(const nlohmann::json& json);

// Which campaigns of one account to pause: ids or exact names; empty means all of them.
struct GuardTarget {
  AdPlatform* platform = nullptr;
  std::vector<std::string> campaigns;
};

// What one call did, for the timeline and the person watching.
struct GuardOutcome {
  int paused = 0, already_paused = 0, left_alone = 0, resumed = 0, changed_by_person = 0, failed = 0;
  int held = 0;  // paused by Faro for someone else too: joined (pause) or kept paused for them (resume)
  int copied = 0, activated = 0, stopped = 0;
  std::vector<std::string> not_found;  // selected ids or names that match no campaign
  std::vector<absl::Status> errors;    // listing failures and each campaign's failure
  std::chrono::milliseconds retry_after{0};  // the longest wait a rate-limited platform asked for
  bool complete() const { return errors.empty() && not_found.empty(); }
};
// One line for people: "3 campañas pausadas, 1 ya estaba pausada; 1 error" / "3 campaigns paused, …".
std::string Summary(const GuardOutcome& outcome, Lang lang);

// Pauses every ACTIVE campaign selected in each target, recording its prior status. Campaigns
// already in the record are not recorded again: one Faro paused stays Faro's, one that was
// already paused stays "already paused" even though it is now paused either way. Entries whose
// pause failed, were left alone or were resumed are looked at again.
//
// `holder` (optional, e.g. "incident:7") is recorded on each campaign Faro pauses, and added to
// those Faro had already paused for another holder (counted as `held`), so that one record can
// serve every incident of an account.
GuardOutcome PauseAll(GuardRecord& record, const std::vector<GuardTarget>& targets, TimePoint now,
                      const std::string& holder = "");

// Resumes the campaigns Faro paused (state kPausedByFaro or kResumeFailed) that are still
// paused. Reads each account's campaigns first: one a person resumed, removed or otherwise
// changed, or that is gone, becomes kChangedByPerson with a note and is not touched. Campaigns
// that were already paused are never resumed. `platforms` are matched to entries by account().
//
// With a `holder`, it first lets go of that holder's campaigns (of these platforms' accounts
// only) and resumes those nobody else holds; one still held for another incident stays paused
// (counted as `held`). Without one, every campaign Faro paused is resumed.
GuardOutcome ResumeWhatWePaused(GuardRecord& record, const std::vector<AdPlatform*>& platforms, TimePoint now,
                                const std::string& holder = "");

// Copies campaign `campaign` (id or exact name) of `from` onto `to`, paused and capped at
// `budget_cap`, then activates the copy. Callers ask a person's approval first: this call is the
// approved action. Calling it again for the same campaign and account does not copy twice; it
// retries what is left (activation).
GuardOutcome MoveCampaign(GuardRecord& record, AdPlatform& from, const std::string& campaign, AdPlatform& to,
                          const Money& budget_cap, TimePoint now);

// When the incident ends: pauses the copies MoveCampaign activated that are still active (a copy
// a person paused or removed is left alone). Never deletes them.
GuardOutcome StopMovedCopies(GuardRecord& record, const std::vector<AdPlatform*>& platforms, TimePoint now);

}  // namespace faro::ads
