#pragma once
// One thread, epoll and a timer queue: the loop the probe engine's sockets (curl's and
// c-ares') and timers (deadlines, retry spacing) run on. Not thread-safe: one loop per thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

namespace faro {

using SteadyTime = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

class EventLoop {
 public:
  using IoCallback = std::function<void(std::uint32_t epoll_events)>;
  using TimerId = std::uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts or changes watching `fd` for `events` (EPOLLIN | EPOLLOUT). Events already taken
  // from the kernel for an fd that was unwatched since (and perhaps reused by a new socket in
  // the same batch) are dropped, never handed to the new watcher.
  void Watch(int fd, std::uint32_t events, IoCallback callback);
  void Unwatch(int fd);

  TimerId AddTimer(SteadyTime when, std::function<void()> callback);
  void CancelTimer(TimerId id);  // a no-op for fired or unknown timers

  // Dispatches I/O and timers until `done()` returns true or `deadline` passes. Returns
  // false when it stopped because of the deadline.
  bool RunUntil(const std::function<bool()>& done, SteadyTime deadline);

  static SteadyTime Now() { return std::chrono::steady_clock::now(); }

 private:
  void FireDueTimers();

  struct Watcher {
    std::uint32_t generation;  // which watching of the fd this is
    IoCallback callback;
  };
  int epoll_fd_;
  std::unordered_map<int, Watcher> watched_;
  std::uint32_t next_generation_ = 1;
  std::multimap<SteadyTime, std::pair<TimerId, std::function<void()>>> timers_;
  std::unordered_map<TimerId, decltype(timers_)::iterator> timer_index_;
  TimerId next_timer_id_ = 1;
};

}  // namespace faro
