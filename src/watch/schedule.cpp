#include "watch/schedule.hpp"

#include <algorithm>
#include <cmath>

namespace faro::watch {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// splitmix64: spreads consecutive inputs over the whole 64-bit range.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t StableHash(std::string_view text, uint64_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL ^ Mix(seed);
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Mix(h);
}

Schedule::Schedule(std::chrono::milliseconds interval, double jitter_fraction, uint64_t seed)
    : interval_(std::max(interval, std::chrono::milliseconds(1))),
      jitter_(std::isfinite(jitter_fraction) ? std::clamp(jitter_fraction, 0.0, 0.45) : 0.0),
      seed_(seed) {}

int64_t Schedule::DueOf(const std::string& key, const Entry& e, int64_t round) const {
  const int64_t interval = e.interval.count();
  const int64_t bound = static_cast<int64_t>(jitter_ * static_cast<double>(interval));
  int64_t jitter = 0;
  if (bound > 0) {
    const uint64_t r = Mix(StableHash(key, seed_) ^ Mix(static_cast<uint64_t>(round)));
    jitter = static_cast<int64_t>(r % static_cast<uint64_t>(2 * bound + 1)) - bound;
  }
  return round * interval + e.phase_ms + jitter;
}

int64_t Schedule::FirstRoundFrom(const std::string& key, const Entry& e, int64_t now_ms) const {
  // Start one round early: that round's jitter may still put it at or after now.
  int64_t round = FloorDiv(now_ms - e.phase_ms, e.interval.count()) - 1;
  while (DueOf(key, e, round) < now_ms) ++round;
  return round;
}

void Schedule::Place(const std::string& key, Entry& e, int64_t now_ms) {
  e.phase_ms = static_cast<int64_t>(StableHash(key) % static_cast<uint64_t>(e.interval.count()));
  e.round = FirstRoundFrom(key, e, now_ms);
  e.due_ms = DueOf(key, e, e.round);
  queue_.emplace(e.due_ms, key);
}

void Schedule::Set(const std::vector<std::string>& keys, TimePoint now) {
  std::vector<std::pair<std::string, std::chrono::milliseconds>> with;
  with.reserve(keys.size());
  for (const std::string& k : keys) with.emplace_back(k, interval_);
  SetWithIntervals(with, now);
}

void Schedule::SetWithIntervals(const std::vector<std::pair<std::string, std::chrono::milliseconds>>& keys,
                                TimePoint now) {
  const int64_t now_ms = ToUnixMillis(now);
  std::map<std::string, Entry> next;
  for (const auto& [key, wanted] : keys) {
    const auto interval = std::max(wanted, std::chrono::milliseconds(1));
    if (next.count(key)) continue;  // listed twice: the first wins
    auto old = keys_.find(key);
    if (old != keys_.end() && old->second.interval == interval) {
      next.emplace(key, old->second);
      continue;
    }
    if (old != keys_.end()) queue_.erase({old->second.due_ms, key});
    Entry e{interval, 0, 0, 0};
    Place(key, e, now_ms);
    next.emplace(key, e);
  }
  for (const auto& [key, e] : keys_)
    if (!next.count(key)) queue_.erase({e.due_ms, key});
  keys_ = std::move(next);
}

std::vector<std::string> Schedule::Due(TimePoint now) {
  const int64_t now_ms = ToUnixMillis(now);
  std::vector<std::string> due;
  while (!queue_.empty() && queue_.begin()->first <= now_ms) {
    auto [when, key] = *queue_.begin();
    queue_.erase(queue_.begin());
    Entry& e = keys_.at(key);
    due.push_back(key);
    ++e.round;
    if (DueOf(key, e, e.round) <= now_ms) e.round = FirstRoundFrom(key, e, now_ms + 1);
    e.due_ms = DueOf(key, e, e.round);
    queue_.emplace(e.due_ms, key);
  }
  return due;
}

TimePoint Schedule::NextDue() const {
  if (queue_.empty()) return TimePoint::max();
  return FromUnixMillis(queue_.begin()->first);
}

std::chrono::milliseconds Schedule::Phase(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(it->second.phase_ms);
}

TimePoint Schedule::NextDue(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? TimePoint::max() : FromUnixMillis(it->second.due_ms);
}

}  // namespace faro::watch
