#pragma once
// One ad account on one ad platform (Meta Marketing, Google Ads, TikTok), as Faro sees it during
// an incident: list the campaigns, pause and resume them, read their figures, and create a paused,
// capped copy of a campaign that must stay on air. There is deliberately no call to archive or
// delete: those cannot be undone, and a contingency tool must leave every campaign as a person can
// put it back. Adapters refuse such values even when asked through their raw status calls.
//
// Every call returns a classified error on failure (see ErrorClass): transient, permanent,
// rate-limited with the wait the platform asked for, or auth. Messages name the platform, the
// account, the campaign and what the API said, and never hold a token.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ads/decimal.hpp"
#include "core/status.hpp"

namespace faro::ads {

// A campaign's status normalised across platforms. `kRemoved` covers Meta's ARCHIVED and
// DELETED, Google's REMOVED and TikTok's deleted campaigns; `kOther` is anything Faro does not
// change (Meta IN_PROCESS, Google UNKNOWN, ...).
enum class CampaignStatus { kActive, kPaused, kRemoved, kOther };
std::string_view StatusName(CampaignStatus status);  // "active" "paused" "removed" "other"
std::optional<CampaignStatus> ParseStatusName(std::string_view name);

struct Campaign {
  std::string id;        // the platform's id ("120000000000001", "456")
  std::string name;      // empty when the platform's answer did not include it
  std::string platform;  // "meta" "google" "tiktok" "dry-run"
  CampaignStatus status = CampaignStatus::kOther;
  std::string raw_status;  // the platform's own value: "PAUSED", "ENABLED", "DISABLE"
};

// Calendar days in the ad account's time zone, both included: "2026-01-01".."2026-01-07".
struct DateRange {
  std::string since, until;
};
// OK when both are YYYY-MM-DD dates and since <= until.
absl::Status ValidateDateRange(const DateRange& range);

struct Insights {
  Money spend;
  int64_t impressions = 0;
  int64_t clicks = 0;
  Money cpm;    // spend per thousand impressions
  Decimal ctr;  // percent: 2.5 means 2.5 % of impressions were clicked
  std::string date_start, date_stop;
};

// How a caller should treat a failure; the same classes as the outbox's (without consent,
// which does not exist for ads).
enum class ErrorClass {
  kTransient,    // try again later: network, 5xx, the platform's own outage codes
  kPermanent,    // this request cannot work: bad id, a status change the platform refuses
  kRateLimited,  // try again after RetryWait(status)
  kAuth,         // our credentials were refused: a person must fix the token or access
};
std::string_view ErrorClassName(ErrorClass kind);  // "transient" "permanent" "rate-limited" "auth"

// A failure carrying its class, the platform's own code ("17", "FIELD_MASK_MISSING", "40100")
// and, when rate-limited, the wait. Built on absl::Status codes: kUnavailable, kFailedPrecondition,
// kResourceExhausted, kUnauthenticated; the code and wait travel as payloads.
absl::Status AdError(ErrorClass kind, std::string message, std::string code = {},
                     std::chrono::milliseconds wait = std::chrono::milliseconds(0));
// The class of any status (also ones not made by AdError: transport errors are transient,
// invalid arguments permanent).
ErrorClass ClassOf(const absl::Status& status);
std::chrono::milliseconds RetryWait(const absl::Status& status);  // 0 unless rate-limited with a wait
std::string ErrorCode(const absl::Status& status);                 // "" when none

// The result of changing one campaign's status in a batch.
struct StatusChange {
  std::string id;
  absl::Status result;  // OK, or why this one was not changed
  Campaign campaign;    // when OK: the campaign with its new status (name may be empty)
};

class AdPlatform {
 public:
  virtual ~AdPlatform() = default;

  virtual std::string_view platform() const = 0;  // "meta" "google" "tiktok" "dry-run"
  virtual const std::string& account() const = 0;  // the account's id in faro.yaml `ads:`

  // Every campaign of the account, removed ones included (so a guard can tell that a person
  // removed one it paused).
  virtual absl::StatusOr<std::vector<Campaign>> ListCampaigns() = 0;

  // Pauses (kPaused) or resumes (kActive) one campaign; any other status is refused without a
  // request. The platform refuses changes to removed campaigns; that comes back as permanent.
  virtual absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) = 0;

  // The same for many campaigns, in as few requests as the platform allows (TikTok: 20 ids per
  // call). One result per id, in the order given. The default calls SetStatus for each.
  virtual std::vector<StatusChange> SetStatuses(const std::vector<std::string>& ids, CampaignStatus status);

  // Spend, impressions, clicks, CPM and CTR of one campaign over `range`, as exact decimals.
  virtual absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) = 0;

  // Creates a copy of `source` (usually from another platform) in this account: PAUSED, with a
  // lifetime spending cap of `budget_cap` (which must be in the account's currency when the
  // account's currency is known). Only the campaign is created — ads and creatives stay for a
  // person to add. The copy is never activated here; the guard does that when told to.
  virtual absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& budget_cap) = 0;
};

}  // namespace faro::ads
