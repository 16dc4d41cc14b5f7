// The X stream client against the local fake filtered stream (tests/fakes/x_stream_fake.py):
// keep-alives, an operational disconnect, HTTP errors, a 429 with x-rate-limit-reset, a stall,
// and the back-off between connections on a simulated clock.
#include "sources/x_stream.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fake_server.hpp"

namespace faro::sources {
namespace {

using nlohmann::json;

constexpr char kToken[] = "test-bearer-token";
const TimePoint kStart = FromUnixMillis(1795209000000);

json Post(const std::string& id, const std::string& text, const std::string& user, int followers) {
  return {{"id", id},
          {"text", text},
          {"created_at", "2026-11-20T21:04:05.000Z"},
          {"author", {{"id", "u-" + user}, {"username", user}, {"followers", followers}}},
          {"metrics", {{"retweet_count", 2}, {"like_count", 5}}},
          {"rule_tag", "donfaro"}};
}

// A client whose waits advance a FakeClock instead of sleeping, and are recorded.
struct Harness {
  FakeClock clock{kStart};
  std::vector<milliseconds> slept;
  XStreamClient Client(const std::string& base_url, int max_connections, const std::string& token = kToken) {
    XStreamOptions options;
    options.base_url = base_url;
    options.bearer_token = token;
    options.stall_timeout = std::chrono::seconds(1);
    options.max_connections = max_connections;
    return XStreamClient(options, clock, [this](milliseconds d) {
      slept.push_back(d);
      clock.Advance(d);
    });
  }
};

TEST(XStreamClient, FollowsTheStreamThroughDisconnectsErrorsRateLimitsAndStalls) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  const int64_t reset_at = ToUnixMillis(kStart) / 1000 + 200;
  const json script = json::array({
      {{"status", 200},
       {"posts", {Post("1", "¿Don Faro caído? no carga la app", "ana_nutri", 12840), Post("2", "a mí tampoco", "beto", 15)}},
       {"raw_lines", {"{\"data\":{\"id\":\"3\""}},
       {"then", "operational_disconnect"}},
      {{"status", 503}},
      {{"status", 503}},
      {{"status", 429}, {"reset_at", reset_at}},
      {{"status", 200}, {"posts", {Post("4", "sigue caído", "caro", 300)}}, {"then", "stall"}, {"stall_seconds", 2}},
      {{"status", 200}, {"posts", {Post("5", "volvió 🙌", "ana_nutri", 12840), Post("6", "not read", "x", 1)}}},
  });
  fake.Post("/_fake/config", json({{"script", script}}).dump());

  Harness h;
  XStreamClient client = h.Client(fake.base_url(), 10);
  std::vector<MentionRecord> mentions;
  std::vector<ItemRejection> rejections;
  const absl::Status status = client.Run([&](const XStreamMessage& m) {
    for (const auto& r : m.result.rejections) rejections.push_back(r);
    for (const auto& x : m.result.mentions) mentions.push_back(x);
    return !(mentions.size() == 4);  // stop after the fourth mention
  });
  ASSERT_TRUE(status.ok()) << status;
  const XStreamReport& report = client.report();

  ASSERT_EQ(mentions.size(), 4u);
  EXPECT_EQ(mentions[0].id, "1");
  EXPECT_EQ(mentions[0].author_handle, "ana_nutri");  // the expansion was asked for
  EXPECT_EQ(mentions[0].followers, 12840);
  EXPECT_EQ(mentions[0].shares, 2);
  EXPECT_EQ(mentions[0].brand, "donfaro");
  EXPECT_EQ(mentions[2].id, "4");
  EXPECT_EQ(mentions[3].id, "5");
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].reason, "malformed-json");

  // Back-off: at once after the disconnect, 5 s and 10 s after the 503s, until the reset
  // (200 s from the start, 15 s of which had passed) after the 429, at once after the stall.
  const std::vector<milliseconds> expected = {milliseconds(0), milliseconds(5000), milliseconds(10000),
                                              milliseconds(185000), milliseconds(0)};
  EXPECT_EQ(report.waits, expected);
  EXPECT_EQ(h.slept, (std::vector<milliseconds>{milliseconds(5000), milliseconds(10000), milliseconds(185000)}));
  EXPECT_EQ(report.connections, 6);
  EXPECT_EQ(report.accepted, 3);
  EXPECT_EQ(report.keep_alives, 4);  // after each of the 3 lines of the first connection, after post 4
  const std::vector<std::string>& events = report.events;
  EXPECT_NE(std::find(events.begin(), events.end(), "operational disconnect"), events.end());
  EXPECT_EQ(std::count(events.begin(), events.end(), "HTTP 503"), 2);
  EXPECT_EQ(std::count(events.begin(), events.end(), "HTTP 429"), 1);

  const json connections = json::parse(fake.Get("/_fake/connections"));
  ASSERT_EQ(connections.size(), 6u);
  for (const json& c : connections) {
    EXPECT_EQ(c["authorization"], std::string("Bearer ") + kToken);
    EXPECT_EQ(c["query"]["expansions"], "author_id");
    EXPECT_EQ(c["query"]["user.fields"], "public_metrics,username");
    EXPECT_EQ(c["query"]["tweet.fields"], "created_at,author_id,public_metrics,conversation_id,referenced_tweets,lang");
  }
}

TEST(XStreamClient, AWrongTokenBacksOffExponentially) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  Harness h;
  XStreamClient client = h.Client(fake.base_url(), 3, "wrong-token");
  ASSERT_TRUE(client.Run([](const XStreamMessage&) { return true; }).ok());
  EXPECT_EQ(client.report().waits, (std::vector<milliseconds>{milliseconds(5000), milliseconds(10000)}));
  EXPECT_EQ(client.report().events, (std::vector<std::string>{"HTTP 401", "HTTP 401", "HTTP 401"}));
}

TEST(XStreamClient, ABadRequestStopsTheRun) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  fake.Post("/_fake/config", json({{"script", json::array({{{"status", 400}}})}}).dump());
  Harness h;
  XStreamClient client = h.Client(fake.base_url(), 5);
  const absl::Status status = client.Run([](const XStreamMessage&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client.report().connections, 1);
}

TEST(XStreamClient, NetworkErrorsBackOffLinearly) {
  // A loopback port nobody listens on: bound, then closed.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  Harness h;
  XStreamClient client = h.Client("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), 4);
  ASSERT_TRUE(client.Run([](const XStreamMessage&) { return true; }).ok());
  EXPECT_EQ(client.report().waits, (std::vector<milliseconds>{milliseconds(250), milliseconds(500), milliseconds(750)}));
  EXPECT_EQ(client.report().accepted, 0);
}

TEST(XStreamClient, RefusesToRunWithoutAToken) {
  Harness h;
  XStreamClient client = h.Client("http://127.0.0.1:9", 1, "");
  EXPECT_EQ(client.Run([](const XStreamMessage&) { return true; }).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace faro::sources
