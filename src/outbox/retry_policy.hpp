#pragma once
// Retries with exponential backoff and full jitter, and a circuit breaker per provider.
// Pure: time and randomness are passed in, so tests replay them exactly.
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "core/clock.hpp"

namespace faro::outbox {

struct BackoffPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds cap{std::chrono::minutes(10)};
  int max_attempts = 8;  // per channel; then the message moves to the next channel of its route
};

// "Full jitter": a uniform wait in [base/2, min(cap, base * 2^(attempt-1))] for attempt >= 1,
// so a crowd of failed messages does not come back at the same instant.
std::chrono::milliseconds Backoff(const BackoffPolicy& policy, int attempt, std::mt19937_64& random);

struct BreakerPolicy {
  int failures_to_open = 5;                        // consecutive provider faults
  std::chrono::milliseconds open_for{30000};       // first cool-down
  std::chrono::milliseconds max_open_for{300000};  // cool-downs double up to this
};

// Closed: sends flow. Open: the provider is failing, nothing is sent until the cool-down
// ends. Half-open: one trial send; success closes, failure opens again for longer.
class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };
  explicit CircuitBreaker(BreakerPolicy policy = {}) : policy_(policy), open_for_(policy.open_for) {}

  // May a send start now? In half-open, only one trial at a time.
  bool Allow(TimePoint now);
  // Record the outcome of a send that Allow() let through. Returns true when the state changed.
  bool OnSuccess(TimePoint now);
  bool OnFailure(TimePoint now);  // a provider fault (not a per-recipient failure)
  // Opens the breaker now (a new process finds the channel marked down by an earlier one).
  void Trip(TimePoint now);

  State state() const { return state_; }
  TimePoint reopen_at() const { return reopen_at_; }
  int consecutive_failures() const { return failures_; }

 private:
  BreakerPolicy policy_;
  State state_ = State::kClosed;
  int failures_ = 0;
  bool trial_in_flight_ = false;
  std::chrono::milliseconds open_for_;
  TimePoint reopen_at_{};
};

std::string_view BreakerStateName(CircuitBreaker::State state);

}  // namespace faro::outbox
