#include "probe/event_loop.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <vector>

namespace faro {
namespace {

TEST(EventLoop, TimersFireInOrderAndCancelledOnesDoNot) {
  EventLoop loop;
  std::vector<int> fired;
  const auto now = EventLoop::Now();
  loop.AddTimer(now + Millis(20), [&] { fired.push_back(2); });
  loop.AddTimer(now + Millis(5), [&] { fired.push_back(1); });
  auto cancelled = loop.AddTimer(now + Millis(10), [&] { fired.push_back(99); });
  loop.CancelTimer(cancelled);
  EXPECT_TRUE(loop.RunUntil([&] { return fired.size() == 2; }, now + Millis(2000)));
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST(EventLoop, DeliversReadinessAndStopsAtTheDeadline) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  bool readable = false;
  loop.Watch(fds[0], EPOLLIN, [&](std::uint32_t ev) {
    readable = ev & EPOLLIN;
    loop.Unwatch(fds[0]);
  });
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  EXPECT_TRUE(loop.RunUntil([&] { return readable; }, EventLoop::Now() + Millis(2000)));
  EXPECT_FALSE(loop.RunUntil([] { return false; }, EventLoop::Now() + Millis(30)));
  close(fds[0]);
  close(fds[1]);
}

// Two fds ready in one batch; the first callback closes the other and a new socket (here a
// pipe) gets its number. The event already taken for the old fd must not reach the new watcher:
// a connecting check would take it for "connected".
TEST(EventLoop, AnEventForAClosedFdNeverReachesTheFdsNextWatcher) {
  EventLoop loop;
  int a[2], b[2];
  ASSERT_EQ(pipe(a), 0);
  ASSERT_EQ(pipe(b), 0);
  int fresh[2] = {-1, -1};
  int closed_read = -1;
  bool swapped = false, stale_delivered = false;
  auto swap_other = [&](int other_read) {
    if (swapped) return;
    swapped = true;
    closed_read = other_read;
    loop.Unwatch(other_read);
    close(other_read);
    ASSERT_EQ(pipe(fresh), 0);
    ASSERT_EQ(fresh[0], other_read) << "the kernel gives the lowest free number";
    loop.Watch(fresh[0], EPOLLIN, [&](std::uint32_t) { stale_delivered = true; });
  };
  loop.Watch(a[0], EPOLLIN, [&](std::uint32_t) { swap_other(b[0]); });
  loop.Watch(b[0], EPOLLIN, [&](std::uint32_t) { swap_other(a[0]); });
  ASSERT_EQ(write(a[1], "x", 1), 1);
  ASSERT_EQ(write(b[1], "x", 1), 1);
  loop.RunUntil([] { return false; }, EventLoop::Now() + Millis(50));
  EXPECT_TRUE(swapped);
  EXPECT_FALSE(stale_delivered);  // nothing was written to the new pipe
  for (int fd : {a[0], b[0]})
    if (fd != closed_read) close(fd);
  for (int fd : {a[1], b[1], fresh[0], fresh[1]})
    if (fd >= 0) close(fd);
}

}  // namespace
}  // namespace faro
