#include "ads/ad_platform.hpp"

#include <charconv>

#include "absl/strings/cord.h"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

constexpr char kCodePayload[] = "type.faro/ads.code";
constexpr char kWaitPayload[] = "type.faro/ads.wait_ms";

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

std::string_view StatusName(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::kActive: return "active";
    case CampaignStatus::kPaused: return "paused";
    case CampaignStatus::kRemoved: return "removed";
    case CampaignStatus::kOther: return "other";
  }
  return "other";
}

std::optional<CampaignStatus> ParseStatusName(std::string_view name) {
  for (CampaignStatus s : {CampaignStatus::kActive, CampaignStatus::kPaused, CampaignStatus::kRemoved,
                           CampaignStatus::kOther})
    if (StatusName(s) == name) return s;
  return std::nullopt;
}

absl::Status ValidateDateRange(const DateRange& range) {
  if (!IsDate(range.since))
    return absl::InvalidArgumentError(StrCat("since: \"", range.since, "\" is not a date (YYYY-MM-DD)"));
  if (!IsDate(range.until))
    return absl::InvalidArgumentError(StrCat("until: \"", range.until, "\" is not a date (YYYY-MM-DD)"));
  if (range.since > range.until)
    return absl::InvalidArgumentError(StrCat("the date range ", range.since, "..", range.until, " ends before it starts"));
  return absl::OkStatus();
}

std::string_view ErrorClassName(ErrorClass kind) {
  switch (kind) {
    case ErrorClass::kTransient: return "transient";
    case ErrorClass::kPermanent: return "permanent";
    case ErrorClass::kRateLimited: return "rate-limited";
    case ErrorClass::kAuth: return "auth";
  }
  return "transient";
}

absl::Status AdError(ErrorClass kind, std::string message, std::string code, std::chrono::milliseconds wait) {
  absl::StatusCode status_code = absl::StatusCode::kUnavailable;
  switch (kind) {
    case ErrorClass::kTransient: status_code = absl::StatusCode::kUnavailable; break;
    case ErrorClass::kPermanent: status_code = absl::StatusCode::kFailedPrecondition; break;
    case ErrorClass::kRateLimited: status_code = absl::StatusCode::kResourceExhausted; break;
    case ErrorClass::kAuth: status_code = absl::StatusCode::kUnauthenticated; break;
  }
  absl::Status status(status_code, message);
  if (!code.empty()) status.SetPayload(kCodePayload, absl::Cord(code));
  if (wait.count() > 0) status.SetPayload(kWaitPayload, absl::Cord(std::to_string(wait.count())));
  return status;
}

ErrorClass ClassOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted: return ErrorClass::kRateLimited;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied: return ErrorClass::kAuth;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown: return ErrorClass::kTransient;
    default: return ErrorClass::kPermanent;
  }
}

std::chrono::milliseconds RetryWait(const absl::Status& status) {
  const auto payload = status.GetPayload(kWaitPayload);
  if (!payload) return std::chrono::milliseconds(0);
  const std::string text(*payload);
  int64_t ms = 0;
  std::from_chars(text.data(), text.data() + text.size(), ms);
  return std::chrono::milliseconds(ms);
}

std::string ErrorCode(const absl::Status& status) {
  const auto payload = status.GetPayload(kCodePayload);
  return payload ? std::string(*payload) : std::string();
}

std::vector<StatusChange> AdPlatform::SetStatuses(const std::vector<std::string>& ids, CampaignStatus status) {
  std::vector<StatusChange> out;
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    absl::StatusOr<Campaign> changed = SetStatus(id, status);
    StatusChange change{id, changed.status(), {}};
    if (changed.ok()) change.campaign = *std::move(changed);
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace faro::ads
