#include "ads/dry_run.hpp"

#include "ads/copy_name.hpp"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

std::string RawOf(CampaignStatus s) {
  switch (s) {
    case CampaignStatus::kActive: return "ACTIVE";
    case CampaignStatus::kPaused: return "PAUSED";
    case CampaignStatus::kRemoved: return "REMOVED";
    case CampaignStatus::kOther: return "OTHER";
  }
  return "OTHER";
}

}  // namespace

DryRunPlatform::DryRunPlatform(std::string account, std::string platform, std::string currency)
    : account_(std::move(account)), platform_(std::move(platform)), currency_(std::move(currency)) {}

void DryRunPlatform::AddCampaign(const std::string& id, const std::string& name, CampaignStatus status) {
  std::lock_guard lock(mu_);
  if (Campaign* c = Find(id)) {
    c->name = name;
    c->status = status;
    c->raw_status = RawOf(status);
    return;
  }
  campaigns_.push_back(Campaign{id, name, platform_, status, RawOf(status)});
}

void DryRunPlatform::SetDay(const std::string& id, const std::string& date, const Money& spend, int64_t impressions,
                            int64_t clicks) {
  std::lock_guard lock(mu_);
  days_[id][date] = Day{spend, impressions, clicks};
}

void DryRunPlatform::PersonSets(const std::string& id, CampaignStatus status) {
  std::lock_guard lock(mu_);
  if (Campaign* c = Find(id)) {
    c->status = status;
    c->raw_status = RawOf(status);
  }
}

void DryRunPlatform::FailNext(absl::Status status) {
  std::lock_guard lock(mu_);
  failures_.push_back(std::move(status));
}

std::vector<DryRunPlatform::Call> DryRunPlatform::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::vector<Campaign> DryRunPlatform::campaigns() const {
  std::lock_guard lock(mu_);
  return campaigns_;
}

Campaign* DryRunPlatform::Find(const std::string& id) {
  for (Campaign& c : campaigns_)
    if (c.id == id) return &c;
  return nullptr;
}

absl::Status DryRunPlatform::TakeFailure(const std::string& what, const std::string& id, const std::string& detail) {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status failure = failures_.front();
  failures_.erase(failures_.begin());
  calls_.push_back(Call{what, id, detail, false});
  return failure;
}

absl::StatusOr<std::vector<Campaign>> DryRunPlatform::ListCampaigns() {
  std::lock_guard lock(mu_);
  FARO_RETURN_IF_ERROR(TakeFailure("list", "", ""));
  calls_.push_back(Call{"list", "", StrCat(campaigns_.size(), " campaigns"), true});
  return campaigns_;
}

absl::StatusOr<Campaign> DryRunPlatform::SetStatus(const std::string& id, CampaignStatus status) {
  std::lock_guard lock(mu_);
  const std::string detail(StatusName(status));
  const auto refuse = [&](std::string why, std::string code) {
    calls_.push_back(Call{"set-status", id, detail, false});
    return AdError(ErrorClass::kPermanent, StrCat("dry run account ", account_, ", campaign ", id, ": ", why), code);
  };
  if (status != CampaignStatus::kActive && status != CampaignStatus::kPaused)
    return refuse(StrCat("Faro only pauses and resumes campaigns; \"", detail, "\" is refused"), "irreversible");
  FARO_RETURN_IF_ERROR(TakeFailure("set-status", id, detail));
  Campaign* c = Find(id);
  if (c == nullptr) return refuse("no such campaign", "not-found");
  if (c->status == CampaignStatus::kRemoved) return refuse("a removed campaign cannot change", "removed");
  c->status = status;
  c->raw_status = RawOf(status);
  calls_.push_back(Call{"set-status", id, detail, true});
  return *c;
}

absl::StatusOr<Insights> DryRunPlatform::ReadInsights(const std::string& id, const DateRange& range) {
  std::lock_guard lock(mu_);
  const std::string detail = StrCat(range.since, "..", range.until);
  if (absl::Status valid = ValidateDateRange(range); !valid.ok()) {
    calls_.push_back(Call{"insights", id, detail, false});
    return AdError(ErrorClass::kPermanent, StrCat("dry run account ", account_, ", campaign ", id, ": ", Message(valid)),
                   "bad-range");
  }
  FARO_RETURN_IF_ERROR(TakeFailure("insights", id, detail));
  if (Find(id) == nullptr) {
    calls_.push_back(Call{"insights", id, detail, false});
    return AdError(ErrorClass::kPermanent, StrCat("dry run account ", account_, ", campaign ", id, ": no such campaign"),
                   "not-found");
  }
  Insights out;
  out.spend.currency = currency_;
  out.date_start = range.since;
  out.date_stop = range.until;
  if (const auto it = days_.find(id); it != days_.end())
    for (auto day = it->second.lower_bound(range.since); day != it->second.end() && day->first <= range.until; ++day) {
      out.spend.micros += day->second.spend.micros;
      out.impressions += day->second.impressions;
      out.clicks += day->second.clicks;
    }
  out.cpm = CostPerMille(out.spend, out.impressions);
  out.ctr = CtrPercent(out.clicks, out.impressions);
  calls_.push_back(Call{"insights", id, detail, true});
  return out;
}

absl::StatusOr<Campaign> DryRunPlatform::Duplicate(const Campaign& source, const Money& budget_cap) {
  std::lock_guard lock(mu_);
  const std::string detail = StrCat("copy of ", source.platform, " ", source.id, ", cap ", FormatMoney(budget_cap));
  FARO_RETURN_IF_ERROR(TakeFailure("duplicate", source.id, detail));
  if (budget_cap.micros <= 0 || (!currency_.empty() && budget_cap.currency != currency_)) {
    calls_.push_back(Call{"duplicate", source.id, detail, false});
    return AdError(ErrorClass::kPermanent,
                   StrCat("dry run account ", account_, ": the budget cap ", FormatMoney(budget_cap),
                          " must be above zero and in ", currency_),
                   "bad-cap");
  }
  Campaign copy{StrCat("dry-", account_, "-", next_copy_++), CopyName(source), platform_, CampaignStatus::kPaused,
                RawOf(CampaignStatus::kPaused)};
  campaigns_.push_back(copy);
  calls_.push_back(Call{"duplicate", copy.id, detail, true});
  return copy;
}

}  // namespace faro::ads
