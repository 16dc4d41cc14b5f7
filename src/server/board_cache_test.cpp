#include "server/board_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace faro::server {
namespace {

using std::chrono::milliseconds;
using Steady = BoardCache::Steady;

TEST(BoardCache, RendersOncePerSecondPerQuery) {
  BoardCache cache(milliseconds(1000));
  int renders = 0;
  auto render = [&] {
    ++renders;
    return ApiReply{200, {{"generated_at", "t" + std::to_string(renders)}, {"total", 3}}};
  };
  const Steady t0{};
  const auto a = cache.Get("limit=50&", t0, render);
  const auto b = cache.Get("limit=50&", t0 + milliseconds(999), render);
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(a.body, b.body);  // the same text, not a copy
  cache.Get("health=down&", t0 + milliseconds(10), render);
  EXPECT_EQ(renders, 2);  // another query is another page
  const auto c = cache.Get("limit=50&", t0 + milliseconds(1000), render);
  EXPECT_EQ(renders, 3);
  EXPECT_EQ(*c.body, R"({"generated_at":"t3","total":3})");
}

TEST(BoardCache, TheTagIgnoresTheTimeOfRenderingAndFollowsTheContent) {
  BoardCache cache(milliseconds(0));  // always render
  int total = 1, n = 0;
  auto render = [&] { return ApiReply{200, {{"generated_at", std::to_string(++n)}, {"total", total}}}; };
  const auto a = cache.Get("", Steady{}, render);
  const auto b = cache.Get("", Steady{}, render);
  EXPECT_NE(*a.body, *b.body);
  EXPECT_EQ(a.etag, b.etag);
  total = 2;
  EXPECT_NE(cache.Get("", Steady{}, render).etag, a.etag);
  EXPECT_EQ(a.etag.front(), '"');
  EXPECT_EQ(a.etag.back(), '"');
}

TEST(BoardCache, ErrorsAreNeverKept) {
  BoardCache cache(milliseconds(1000));
  int renders = 0;
  auto render = [&] {
    ++renders;
    return ApiReply{400, {{"error", "limit: expected a whole number from 1 to 10000"}}};
  };
  const auto a = cache.Get("limit=0&", Steady{}, render);
  cache.Get("limit=0&", Steady{}, render);
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(a.status, 400);
  EXPECT_TRUE(a.etag.empty());
  EXPECT_NE(a.body->find("limit"), std::string::npos);
}

TEST(BoardCache, ClientsAskingTogetherShareOneRendering) {
  BoardCache cache(milliseconds(60000));
  std::atomic<int> renders{0};
  auto render = [&] {
    ++renders;
    std::this_thread::sleep_for(milliseconds(50));
    return ApiReply{200, {{"total", 1}}};
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) clients.emplace_back([&] { cache.Get("", Steady{}, render); });
  for (auto& t : clients) t.join();
  EXPECT_EQ(renders.load(), 1);
}

TEST(BoardCache, OldestQueriesMakeRoomPastTheLimit) {
  BoardCache cache(milliseconds(60000), 2);
  int renders = 0;
  auto render = [&] {
    ++renders;
    return ApiReply{200, {{"total", 1}}};
  };
  cache.Get("a", Steady{}, render);
  cache.Get("b", Steady{}, render);
  cache.Get("c", Steady{}, render);  // "a" is dropped
  cache.Get("c", Steady{}, render);
  EXPECT_EQ(renders, 3);
  cache.Get("a", Steady{}, render);
  EXPECT_EQ(renders, 4);
}

}  // namespace
}  // namespace faro::server
