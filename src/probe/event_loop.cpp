#include "probe/event_loop.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <vector>

namespace faro {

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) { assert(epoll_fd_ >= 0); }

EventLoop::~EventLoop() { close(epoll_fd_); }

namespace {
// An event carries the fd and the generation of its watching.
std::uint64_t Tag(int fd, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | static_cast<std::uint32_t>(fd);
}
}  // namespace

void EventLoop::Watch(int fd, std::uint32_t events, IoCallback callback) {
  auto [it, fresh] = watched_.try_emplace(fd);
  if (fresh) it->second.generation = next_generation_++;
  it->second.callback = std::move(callback);
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = Tag(fd, it->second.generation);
  if (epoll_ctl(epoll_fd_, fresh ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) != 0 && errno == EEXIST)
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::Unwatch(int fd) {
  if (watched_.erase(fd) != 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::TimerId EventLoop::AddTimer(SteadyTime when, std::function<void()> callback) {
  const TimerId id = next_timer_id_++;
  auto it = timers_.emplace(when, std::make_pair(id, std::move(callback)));
  timer_index_.emplace(id, it);
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  auto found = timer_index_.find(id);
  if (found == timer_index_.end()) return;
  timers_.erase(found->second);
  timer_index_.erase(found);
}

void EventLoop::FireDueTimers() {
  const SteadyTime now = Now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto node = timers_.extract(timers_.begin());
    timer_index_.erase(node.mapped().first);
    node.mapped().second();
  }
}

bool EventLoop::RunUntil(const std::function<bool()>& done, SteadyTime deadline) {
  std::vector<epoll_event> events(1024);
  FireDueTimers();
  while (!done()) {
    const SteadyTime now = Now();
    if (now >= deadline) return false;
    SteadyTime wake = deadline;
    if (!timers_.empty() && timers_.begin()->first < wake) wake = timers_.begin()->first;
    const auto wait = std::chrono::duration_cast<Millis>(wake - now).count();
    // Round up so a timer due in 0.4 ms does not spin.
    const int timeout = wake <= now ? 0 : static_cast<int>(wait) + 1;
    const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
    for (int i = 0; i < n; ++i) {
      const int fd = static_cast<int>(events[i].data.u64 & 0xffffffffu);
      auto it = watched_.find(fd);
      // Unwatched by an earlier callback in this batch, and maybe watched anew since.
      if (it == watched_.end() || Tag(fd, it->second.generation) != events[i].data.u64) continue;
      IoCallback callback = it->second.callback;  // the callback may unwatch its own fd
      callback(events[i].events);
    }
    FireDueTimers();
  }
  return true;
}

}  // namespace faro
