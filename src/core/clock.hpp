#pragma once
// Time comes from an injected clock, so routing, retries and detectors replay at simulated speed.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace faro {

using TimePoint = std::chrono::system_clock::time_point;
using std::chrono::milliseconds;

inline int64_t ToUnixMillis(TimePoint t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint FromUnixMillis(int64_t ms) { return TimePoint(milliseconds(ms)); }

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = FromUnixMillis(1633356000000)) : now_ms_(ToUnixMillis(start)) {}
  TimePoint Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Advance(milliseconds by) { now_ms_ += by.count(); }
  void Set(TimePoint t) { now_ms_ = ToUnixMillis(t); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace faro
