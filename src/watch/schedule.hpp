#pragma once
// When to probe what: checks spread over the interval so that 10,000 of them do not all start
// in the same second (no thundering herd). Pure: time comes in as arguments.
//
// Each key has a phase, a stable hash of the key modulo its interval, so its checks come at
// phase, phase + interval, phase + 2 × interval, ... counted from the Unix epoch (the same phases
// after a restart). Each round is moved by a jitter within ±jitter_fraction × interval,
// deterministic from (seed, key, round), so two nodes with different seeds do not probe a
// platform in lockstep while a replay with the same seed is identical.
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"

namespace faro::watch {

// FNV-1a, 64 bits: stable across runs, builds and machines (std::hash is not).
uint64_t StableHash(std::string_view text, uint64_t seed = 0);

class Schedule {
 public:
  // jitter_fraction is brought into [0, 0.45] so rounds of one key stay in order; an interval
  // below 1 ms counts as 1 ms.
  explicit Schedule(std::chrono::milliseconds interval, double jitter_fraction = 0.1, uint64_t seed = 1);

  // The keys to check from now on, all at the default interval. Keys kept keep their next time;
  // new keys get their first round at or after `now`; keys not listed are dropped.
  void Set(const std::vector<std::string>& keys, TimePoint now);
  // The same with an interval per key (the config allows one per platform). A kept key whose
  // interval changed is placed anew. (Not an overload of Set: a braced list of two names would
  // be ambiguous.)
  void SetWithIntervals(const std::vector<std::pair<std::string, std::chrono::milliseconds>>& keys, TimePoint now);

  // Keys whose time came (due ≤ now), earliest first; each moves to its next round after now
  // (rounds missed while the caller was away are skipped, not replayed).
  std::vector<std::string> Due(TimePoint now);
  // The earliest next time; TimePoint::max() when there are no keys.
  TimePoint NextDue() const;

  size_t size() const { return keys_.size(); }
  // The phase of a key within its interval, and its next due time (for tests and the dashboard).
  std::chrono::milliseconds Phase(const std::string& key) const;
  TimePoint NextDue(const std::string& key) const;

 private:
  struct Entry {
    std::chrono::milliseconds interval;
    int64_t phase_ms;
    int64_t round;    // index of the next round: due = round × interval + phase + jitter(round)
    int64_t due_ms;
  };
  int64_t DueOf(const std::string& key, const Entry& e, int64_t round) const;
  // The first round of `e` due at or after now_ms.
  int64_t FirstRoundFrom(const std::string& key, const Entry& e, int64_t now_ms) const;
  void Place(const std::string& key, Entry& e, int64_t now_ms);

  std::chrono::milliseconds interval_;
  double jitter_;
  uint64_t seed_;
  std::map<std::string, Entry> keys_;
  std::set<std::pair<int64_t, std::string>> queue_;  // (due_ms, key)
};

}  // namespace faro::watch
