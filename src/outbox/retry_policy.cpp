#include "outbox/retry_policy.hpp"

#include <algorithm>

namespace faro::outbox {

std::chrono::milliseconds Backoff(const BackoffPolicy& policy, int attempt, std::mt19937_64& random) {
  const int64_t base = policy.base.count();
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t ceiling = std::min<int64_t>(policy.cap.count(), base << std::min(shift, 20));
  const int64_t floor = std::min(base / 2, ceiling);
  std::uniform_int_distribution<int64_t> pick(floor, std::max(floor, ceiling));
  return std::chrono::milliseconds(pick(random));
}

bool CircuitBreaker::Allow(TimePoint now) {
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now < reopen_at_) return false;
      state_ = State::kHalfOpen;
      trial_in_flight_ = true;
      return true;
    case State::kHalfOpen:
      if (trial_in_flight_) return false;
      trial_in_flight_ = true;
      return true;
  }
  return false;
}

bool CircuitBreaker::OnSuccess(TimePoint) {
  failures_ = 0;
  trial_in_flight_ = false;
  if (state_ == State::kClosed) return false;
  state_ = State::kClosed;
  open_for_ = policy_.open_for;
  return true;
}

bool CircuitBreaker::OnFailure(TimePoint now) {
  ++failures_;
  trial_in_flight_ = false;
  if (state_ == State::kHalfOpen) {
    open_for_ = std::min(policy_.max_open_for, open_for_ * 2);
    state_ = State::kOpen;
    reopen_at_ = now + open_for_;
    return true;
  }
  if (state_ == State::kClosed && failures_ >= policy_.failures_to_open) {
    state_ = State::kOpen;
    reopen_at_ = now + open_for_;
    return true;
  }
  return false;
}

void CircuitBreaker::Trip(TimePoint now) {
  state_ = State::kOpen;
  trial_in_flight_ = false;
  reopen_at_ = now + open_for_;
}

std::string_view BreakerStateName(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed: return "closed";
    case CircuitBreaker::State::kOpen: return "open";
    case CircuitBreaker::State::kHalfOpen: return "half-open";
  }
  return "closed";
}

}  // namespace faro::outbox
