#include "watch/crowd.hpp"

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"

namespace faro::watch {

int SlotOfWeek(TimePoint at) {
  constexpr int64_t kMinute = 60'000, kDay = 24 * 60 * kMinute;
  const int64_t ms = ToUnixMillis(at);
  int64_t day = ms / kDay, in_day = ms % kDay;
  if (in_day < 0) {
    in_day += kDay;
    --day;
  }
  // 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0.
  const int64_t weekday = ((day + 3) % 7 + 7) % 7;
  return static_cast<int>(weekday * 96 + in_day / (15 * kMinute));
}

absl::Status CheckCrowdBaseline(const std::vector<double>& per_slot) {
  if (per_slot.size() != kSlotsPerWeek)
    return absl::InvalidArgumentError(StrCat("crowd baseline: expected ", kSlotsPerWeek,
                                             " values (one per 15 minutes of the week), got ", per_slot.size()));
  for (size_t i = 0; i < per_slot.size(); ++i)
    if (!std::isfinite(per_slot[i]) || per_slot[i] < 0)
      return absl::InvalidArgumentError(StrCat("crowd baseline: slot ", i, " must be a non-negative number"));
  return absl::OkStatus();
}

bool CrowdCounter::Accept(const std::string& reporter, TimePoint at) {
  Forget(at);
  auto it = last_by_reporter_.find(reporter);
  if (it != last_by_reporter_.end() && at >= it->second && at - it->second < policy_.dedup) return false;
  if (it != last_by_reporter_.end() && at < it->second) return false;  // older than one we already hold
  last_by_reporter_[reporter] = at;
  accepted_.push_back({at, reporter});
  return true;
}

void CrowdCounter::Forget(TimePoint now) {
  const TimePoint horizon = now - std::max(policy_.dedup, policy_.window);
  while (!accepted_.empty() && accepted_.front().at <= horizon) {
    auto it = last_by_reporter_.find(accepted_.front().reporter);
    if (it != last_by_reporter_.end() && it->second == accepted_.front().at) last_by_reporter_.erase(it);
    accepted_.pop_front();
  }
}

int CrowdCounter::Count(TimePoint now) const {
  const TimePoint from = now - policy_.window;
  int count = 0;
  for (const Accepted& a : accepted_)
    if (a.at > from && a.at <= now) ++count;
  return count;
}

double CrowdCounter::Baseline(TimePoint now) const {
  if (baseline_.empty()) return 0;
  return baseline_[SlotOfWeek(now)];
}

bool CrowdCounter::Surge(TimePoint now) const {
  const double needed = std::max<double>(policy_.min_reports, policy_.factor * Baseline(now));
  return Count(now) >= needed;
}

void CrowdCounter::SetBaseline(std::vector<double> per_slot) {
  if (CheckCrowdBaseline(per_slot).ok())
    baseline_ = std::move(per_slot);
  else
    baseline_.clear();
}

void OutboxTracker::Add(TimePoint at, bool provider_fault) {
  sends_.emplace_back(at, provider_fault);
  // Arrival order is nearly time order; keep it sorted so Forget can trim from the front.
  for (auto it = sends_.end() - 1; it != sends_.begin() && (it - 1)->first > it->first; --it) std::iter_swap(it, it - 1);
  Forget(sends_.back().first);
}

void OutboxTracker::Forget(TimePoint now) {
  while (!sends_.empty() && sends_.front().first <= now - policy_.window) sends_.pop_front();
}

int OutboxTracker::Sends(TimePoint now) const {
  int n = 0;
  for (const auto& [at, fault] : sends_)
    if (at > now - policy_.window && at <= now) ++n;
  return n;
}

int OutboxTracker::Faults(TimePoint now) const {
  int n = 0;
  for (const auto& [at, fault] : sends_)
    if (fault && at > now - policy_.window && at <= now) ++n;
  return n;
}

bool OutboxTracker::Failing(TimePoint now) const {
  const int sends = Sends(now);
  return sends >= policy_.min_sends && sends > 0 && Faults(now) >= policy_.fault_share * sends;
}

}  // namespace faro::watch
