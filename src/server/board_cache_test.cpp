#include "server/board_cache.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

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

// Inflates one gzip member, as a client would; "" when it is not valid gzip.
std::string Gunzip(const std::string& packed) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "";
  std::string out(packed.size() * 50 + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

TEST(BoardCache, LargePagesAlsoComeGzippedUnderTheirOwnTag) {
  BoardCache cache(milliseconds(1000));
  nlohmann::json platforms = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) platforms.push_back({{"id", "p" + std::to_string(i)}, {"health", "up"}});
  auto render = [&] { return ApiReply{200, {{"generated_at", "t"}, {"platforms", platforms}}}; };
  const auto page = cache.Get("", Steady{}, render);
  ASSERT_NE(page.gzip, nullptr);
  EXPECT_EQ(Gunzip(*page.gzip), *page.body);
  EXPECT_LT(page.gzip->size(), page.body->size() / 4);
  EXPECT_EQ(page.gzip_etag, page.etag.substr(0, page.etag.size() - 1) + "-gzip\"");

  auto small = [] { return ApiReply{200, {{"total", 1}}}; };
  const auto tiny = cache.Get("small", Steady{}, small);
  EXPECT_EQ(tiny.gzip, nullptr);  // below kGzipFrom: sent as it is
  EXPECT_TRUE(tiny.gzip_etag.empty());
}

TEST(BoardCache, GzipOfEmptyAndBinaryTextRoundTrips) {
  EXPECT_EQ(Gunzip(Gzip("")), "");
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes.push_back(static_cast<char>(i * 7919 % 256));
  EXPECT_EQ(Gunzip(Gzip(bytes)), bytes);
}

TEST(AcceptsGzip, ReadsTheHeaderAsRfc9110Says) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip(" deflate ,gzip "));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.001"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
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

TEST(BoardCache, WhileARenderingRunsAKeptPageIsServedAtOnce) {
  BoardCache cache(milliseconds(1000));
  std::atomic<int> renders{0};
  std::atomic<bool> release{false};
  auto render = [&] {
    const int n = ++renders;
    if (n == 2) {  // the second rendering is slow: it holds until the test lets it go
      while (!release) std::this_thread::sleep_for(milliseconds(1));
    }
    return ApiReply{200, {{"total", n}}};
  };
  const Steady t0{};
  EXPECT_EQ(*cache.Get("", t0, render).body, R"({"total":1})");
  // The page is stale at t0 + 2 s: one client starts the slow rendering...
  std::thread slow([&] { cache.Get("", t0 + milliseconds(2000), render); });
  while (renders < 2) std::this_thread::sleep_for(milliseconds(1));
  // ...and another, meanwhile, gets the page kept, without waiting.
  const auto meanwhile = cache.Get("", t0 + milliseconds(2001), render);
  EXPECT_EQ(*meanwhile.body, R"({"total":1})");
  EXPECT_EQ(renders.load(), 2);
  // A query never rendered has nothing to show: it waits for its own rendering.
  std::atomic<bool> other_done{false};
  std::thread other([&] {
    cache.Get("health=down&", t0 + milliseconds(2001), render);
    other_done = true;
  });
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(other_done.load());
  release = true;
  slow.join();
  other.join();
  EXPECT_TRUE(other_done.load());
  EXPECT_EQ(*cache.Get("", t0 + milliseconds(2002), render).body, R"({"total":2})");
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
