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

}  // namespace
}  // namespace faro
