#pragma once
// Crowd reports ("I have a problem with WhatsApp") counted the way Downdetector does: one report
// per reporter per platform in a de-duplication window, counted over a recent window, compared
// with the usual count for the same 15-minute slot of the week. Pure: time comes in as arguments.
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::watch {

// 7 days × 96 quarter hours.
inline constexpr int kSlotsPerWeek = 672;

// The 15-minute slot of the week of `at`, in UTC, Monday 00:00 = slot 0. Baselines handed to
// SetBaseline must be built with the same function.
int SlotOfWeek(TimePoint at);

// OK when `per_slot` has kSlotsPerWeek finite, non-negative values; otherwise says what is wrong.
absl::Status CheckCrowdBaseline(const std::vector<double>& per_slot);

struct CrowdPolicy {
  std::chrono::milliseconds dedup{std::chrono::minutes(30)};
  std::chrono::milliseconds window{std::chrono::minutes(15)};
  double factor = 3.0;
  int min_reports = 5;
};

class CrowdCounter {
 public:
  using Policy = CrowdPolicy;
  explicit CrowdCounter(Policy policy = {}) : policy_(policy) {}
  void SetPolicy(Policy policy) { policy_ = policy; }

  // False for a repeat from the same reporter within the de-duplication window (it is not
  // counted). Reports older than both windows are forgotten, so memory holds at most the
  // reports of the last max(dedup, window).
  bool Accept(const std::string& reporter, TimePoint at);
  // Reports accepted in (now - window, now].
  int Count(TimePoint now) const;
  // The usual count for now's slot of the week; 0 without a baseline.
  double Baseline(TimePoint now) const;
  // count ≥ max(min_reports, factor × baseline).
  bool Surge(TimePoint now) const;
  // A vector that fails CheckCrowdBaseline clears the baseline (the minimum count alone decides).
  void SetBaseline(std::vector<double> per_slot);
  bool has_baseline() const { return !baseline_.empty(); }
  size_t remembered() const { return accepted_.size(); }

 private:
  void Forget(TimePoint now);

  Policy policy_;
  struct Accepted {
    TimePoint at;
    std::string reporter;
  };
  std::deque<Accepted> accepted_;                          // in arrival order
  std::unordered_map<std::string, TimePoint> last_by_reporter_;  // latest accepted report
  std::vector<double> baseline_;
};

struct OutboxPolicy {
  int min_sends = 5;
  double fault_share = 0.5;
  std::chrono::milliseconds window{std::chrono::minutes(5)};
};

// The outcome of our own sends through one platform's providers, over a sliding window.
class OutboxTracker {
 public:
  using Policy = OutboxPolicy;
  explicit OutboxTracker(Policy policy = {}) : policy_(policy) {}
  void SetPolicy(Policy policy) { policy_ = policy; }
  void Add(TimePoint at, bool provider_fault);
  // Sends and provider faults in (now - window, now].
  int Sends(TimePoint now) const;
  int Faults(TimePoint now) const;
  // sends ≥ min_sends and faults / sends ≥ fault_share.
  bool Failing(TimePoint now) const;
  // Forgets sends that left the window (call as time passes; Add does it too).
  void Forget(TimePoint now);

 private:
  Policy policy_;
  std::deque<std::pair<TimePoint, bool>> sends_;  // in arrival order
};

}  // namespace faro::watch
