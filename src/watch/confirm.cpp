#include "watch/confirm.hpp"

#include <algorithm>
#include <functional>
#include <vector>

namespace faro::watch {

HealthMachine::HealthMachine(Policy policy) { SetPolicy(policy); }

void HealthMachine::SetPolicy(Policy policy) {
  policy.n = std::max(policy.n, 1);
  policy.k = std::clamp(policy.k, 1, policy.n);
  policy.recover_after = std::max(policy.recover_after, 1);
  policy_ = policy;
  const size_t keep = std::max(policy_.n, policy_.recover_after);
  while (recent_.size() > keep) recent_.pop_front();
}

const Fused* HealthMachine::Latest(int severity, size_t count) const {
  size_t seen = 0;
  for (auto it = recent_.rbegin(); it != recent_.rend() && seen < count; ++it, ++seen)
    if (Severity(it->health) == severity) return &*it;
  return nullptr;
}

void HealthMachine::Enter(const Fused& next) {
  state_ = next;
  if (Severity(next.health) >= 0) {
    ladder_ = next.health;
    ever_known_ = true;
  }
}

std::optional<Fused> HealthMachine::Push(Fused e, bool local_allowed) {
  recent_.push_back(std::move(e));
  while (recent_.size() > static_cast<size_t>(std::max(policy_.n, policy_.recover_after))) recent_.pop_front();
  const Fused& latest = recent_.back();
  const Fused before = state_;
  const bool on_ladder = Severity(state_.health) >= 0;

  if (latest.health == Health::kLocal || latest.health == Health::kUnknown) {
    if (state_.health == latest.health) {
      state_ = latest;  // same off-ladder state: fresher details
      return std::nullopt;
    }
    if (latest.health == Health::kUnknown || local_allowed) {
      Enter(latest);
      return before;
    }
    return std::nullopt;  // local while the parent is not confirmed down: held
  }

  const int current = Severity(ladder_);
  // Worse: the k-th worst severity among the last n evaluations on the ladder.
  const size_t n = std::min<size_t>(policy_.n, recent_.size());
  std::vector<int> window;
  for (size_t i = recent_.size() - n; i < recent_.size(); ++i)
    if (Severity(recent_[i].health) >= 0) window.push_back(Severity(recent_[i].health));
  if (window.size() >= static_cast<size_t>(policy_.k)) {
    std::sort(window.begin(), window.end(), std::greater<int>());
    const int confirmed = window[policy_.k - 1];
    if (confirmed > current) {
      Enter(*Latest(confirmed, n));
      return before;
    }
  }
  // Better: the last recover_after evaluations, all on the ladder and all better than now.
  if (recent_.size() >= static_cast<size_t>(policy_.recover_after)) {
    int worst = -1;
    bool all_better = true;
    for (size_t i = recent_.size() - policy_.recover_after; i < recent_.size(); ++i) {
      const int s = Severity(recent_[i].health);
      if (s < 0 || s >= current) all_better = false;
      worst = std::max(worst, s);
    }
    if (all_better) {
      Enter(*Latest(worst, policy_.recover_after));
      return before;
    }
  }
  const int level = Severity(latest.health);
  if (!on_ladder) {
    if (level == current) {  // back in sight, as it was
      Enter(latest);
      return before;
    }
    return std::nullopt;
  }
  if (level != current) return std::nullopt;
  if (SameLook(latest, state_)) {
    state_ = latest;
    return std::nullopt;
  }
  const auto agreeing = std::count_if(recent_.end() - n, recent_.end(), [&](const Fused& f) { return SameLook(f, latest); });
  if (agreeing >= policy_.k) {
    Enter(latest);
    return before;
  }
  return std::nullopt;
}

}  // namespace faro::watch
