// `faro serve`'s pulling sources, threads and all, against the local fakes: the X filtered
// stream (tests/fakes/x_stream_fake.py) and a feed server (tests/fakes/feed_server.py).
// Waiting for something to arrive is bounded by a generous timeout that only fails the test;
// no assertion depends on how long a sleep was.
#include "service/listen_sources.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

constexpr char kToken[] = "test-bearer-token";
constexpr seconds kPatience{20};  // only ever reached when the behaviour is wrong
constexpr seconds kPromptStop{3};  // Stop() promises about one second

json Post(const std::string& id, const std::string& text) {
  return {{"id", id},
          {"text", text},
          {"created_at", "2026-11-20T21:04:05.000Z"},
          {"author", {{"id", "u-" + id}, {"username", "cliente" + id}, {"followers", 10}}},
          {"rule_tag", "nutricion-ana"}};
}

// Collects what the sources hand on.
struct Collector {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::vector<json>> batches;
  std::vector<json> mentions;

  ListenSources::Deliver Deliver() {
    return [this](std::string_view lines) {
      std::vector<json> batch;
      for (std::string_view line : Split(lines, "\n", true)) batch.push_back(json::parse(line));
      std::lock_guard lock(mutex);
      mentions.insert(mentions.end(), batch.begin(), batch.end());
      batches.push_back(std::move(batch));
      arrived.notify_all();
    };
  }
  bool WaitForMentions(std::size_t n) {
    std::unique_lock lock(mutex);
    return arrived.wait_for(lock, kPatience, [&] { return mentions.size() >= n; });
  }
  std::size_t BatchCount() {
    std::lock_guard lock(mutex);
    return batches.size();
  }
};

// Polls the statistics until `done` holds; false after kPatience.
bool WaitUntil(const ListenSources& sources, const std::function<bool(const ListenSourcesStats&)>& done) {
  const auto deadline = SteadyClock::now() + kPatience;
  while (SteadyClock::now() < deadline) {
    if (done(sources.Stats())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// How long Stop() took.
SteadyClock::duration TimedStop(ListenSources& sources) {
  const auto start = SteadyClock::now();
  sources.Stop();
  return SteadyClock::now() - start;
}

class ListenSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / StrCat("faro_listen_sources_", ::getpid(), "_",
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.database = (dir_ / "faro.db").string();
    options_.durability = store::Durability::kProcessCrash;
    options_.log = &log_;
    options_.batch_wait = std::chrono::milliseconds(50);
    options_.x_stall_timeout = seconds(60);  // the fake's stalls are ended by Stop(), not by the client
  }
  void TearDown() override { fs::remove_all(dir_); }

  setup::ListenSourcesConfig XStream(const faro::testing::FakeServer& fake, const std::string& token) {
    setup::ListenSourcesConfig config;
    config.x_stream.enabled = true;
    config.x_stream.bearer_token = token;
    config.x_stream.base_url = fake.base_url();
    config.x_stream.url = fake.base_url() + setup::kXStreamPath;
    return config;
  }

  std::unique_ptr<ListenSources> Open(const setup::ListenSourcesConfig& config) {
    auto opened = ListenSources::Open(config, options_, collector_.Deliver());
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  fs::path dir_;
  ListenSourcesOptions options_;
  std::ostringstream log_;
  Collector collector_;
};

TEST_F(ListenSourcesTest, StreamMentionsArriveAndADroppedStreamReconnectsWithBackOff) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  const json script = json::array({
      {{"status", 200}, {"posts", {Post("1", "¿Se cayó el turnero?"), Post("2", "a mí tampoco me carga")}}},
      {{"status", 200}, {"posts", json::array()}},  // accepted, then closed without a line
      {{"status", 200}, {"posts", {Post("3", "ya anda")}}, {"then", "stall"}, {"stall_seconds", 30}},
  });
  fake.Post("/_fake/config", json({{"script", script}}).dump());
  auto sources = Open(XStream(fake, kToken));
  ASSERT_NE(sources, nullptr);
  sources->Start();

  ASSERT_TRUE(collector_.WaitForMentions(3)) << log_.str();
  EXPECT_EQ(collector_.mentions[0]["id"], "1");
  EXPECT_EQ(collector_.mentions[0]["source"], "x");
  EXPECT_EQ(collector_.mentions[0]["brand"], "nutricion-ana");
  EXPECT_EQ(collector_.mentions[0]["author"]["handle"], "cliente1");
  EXPECT_EQ(collector_.mentions[2]["id"], "3");
  // Fewer than batch_mentions: each batch was handed on after batch_wait, without Stop().
  EXPECT_GE(collector_.BatchCount(), 2u);

  ListenSourcesStats stats = sources->Stats();
  EXPECT_TRUE(stats.x_connected);
  EXPECT_EQ(stats.x_mentions, 3);
  EXPECT_EQ(stats.x_connections, 3);
  // Dropped after it was established: at once. Closed before any line: 250 ms (network).
  EXPECT_EQ(stats.x_waits_ms, (std::vector<int64_t>{0, 250}));
  EXPECT_EQ(stats.x_errors, 1);

  // The third connection stalls for 30 s; Stop() does not wait for it.
  EXPECT_LT(TimedStop(*sources), kPromptStop);
  EXPECT_FALSE(sources->Stats().x_connected);
  const json connections = json::parse(fake.Get("/_fake/connections"));
  ASSERT_EQ(connections.size(), 3u);
  for (const json& c : connections) {
    EXPECT_EQ(c["authorization"], std::string("Bearer ") + kToken);
    EXPECT_EQ(c["query"]["expansions"], "author_id");
  }
  EXPECT_NE(log_.str().find("X stream: closed before any line"), std::string::npos) << log_.str();
}

TEST_F(ListenSourcesTest, StopIsPromptDuringABackOffWait) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  auto sources = Open(XStream(fake, "a-revoked-token"));
  ASSERT_NE(sources, nullptr);
  sources->Start();
  // 401: X's back-off for HTTP errors starts at 5 s.
  ASSERT_TRUE(WaitUntil(*sources, [](const ListenSourcesStats& s) { return !s.x_waits_ms.empty(); })) << log_.str();
  EXPECT_LT(TimedStop(*sources), kPromptStop);
  const ListenSourcesStats stats = sources->Stats();
  EXPECT_EQ(stats.x_waits_ms, (std::vector<int64_t>{5000}));
  EXPECT_EQ(stats.x_errors, 1);
  EXPECT_EQ(stats.x_mentions, 0);
  EXPECT_NE(log_.str().find("X stream: HTTP 401"), std::string::npos) << log_.str();
  EXPECT_NE(log_.str().find("reconnecting in 5 s"), std::string::npos) << log_.str();
}

TEST_F(ListenSourcesTest, ANewBearerTokenReconnectsAtOnce) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", "the-new-token"});
  const json script = json::array({{{"status", 200}, {"posts", {Post("7", "hola")}}, {"then", "stall"}, {"stall_seconds", 30}}});
  fake.Post("/_fake/config", json({{"script", script}}).dump());
  auto sources = Open(XStream(fake, "the-old-token"));
  ASSERT_NE(sources, nullptr);
  sources->Start();
  ASSERT_TRUE(WaitUntil(*sources, [](const ListenSourcesStats& s) { return !s.x_waits_ms.empty(); })) << log_.str();
  sources->SetBearerToken("the-new-token");  // what SIGHUP does after reading the file again
  ASSERT_TRUE(collector_.WaitForMentions(1)) << log_.str();
  EXPECT_EQ(collector_.mentions[0]["id"], "7");
  // The 5 s wait after the 401 was cut short: no second back-off was decided.
  EXPECT_EQ(sources->Stats().x_waits_ms, (std::vector<int64_t>{5000}));
  sources->Stop();
  const json connections = json::parse(fake.Get("/_fake/connections"));
  ASSERT_EQ(connections.size(), 2u);
  EXPECT_EQ(connections[0]["authorization"], "Bearer the-old-token");
  EXPECT_EQ(connections[1]["authorization"], "Bearer the-new-token");
}

TEST_F(ListenSourcesTest, BatchesHoldAtMostBatchMentionsAndStopHandsOnTheRest) {
  faro::testing::FakeServer fake("x_stream_fake.py", {"--token", kToken});
  const json script = json::array({{{"status", 200},
                                    {"posts", {Post("1", "uno"), Post("2", "dos"), Post("3", "tres")}},
                                    {"then", "stall"},
                                    {"stall_seconds", 30}}});
  fake.Post("/_fake/config", json({{"script", script}}).dump());
  options_.batch_mentions = 2;
  options_.batch_wait = std::chrono::hours(1);  // only a full batch or Stop() hands mentions on
  auto sources = Open(XStream(fake, kToken));
  ASSERT_NE(sources, nullptr);
  sources->Start();
  ASSERT_TRUE(WaitUntil(*sources, [](const ListenSourcesStats& s) { return s.x_mentions == 3; })) << log_.str();
  ASSERT_TRUE(collector_.WaitForMentions(2));
  EXPECT_EQ(collector_.BatchCount(), 1u);
  EXPECT_EQ(collector_.batches[0].size(), 2u);
  sources->Stop();
  ASSERT_EQ(collector_.BatchCount(), 2u);
  ASSERT_EQ(collector_.batches[1].size(), 1u);
  EXPECT_EQ(collector_.batches[1][0]["id"], "3");
}

TEST_F(ListenSourcesTest, AFailingFeedIsLoggedAndCountedAndTheOthersGoOn) {
  faro::testing::FakeServer server("feed_server.py");
  const std::string atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Reseñas</title>
<entry><id>tag:resenas.example,2026:1</id><title>Muy mala atención hoy</title>
<updated>2026-11-20T21:10:00Z</updated><link href="https://resenas.example/1"/></entry>
<entry><id>tag:resenas.example,2026:2</id><title>Excelente la nutri</title>
<updated>2026-11-20T21:20:00Z</updated><link href="https://resenas.example/2"/></entry>
</feed>
)";
  json feeds = {{"/broken.xml", {{"body", "<rss><channel><item>"}}}, {"/resenas.atom", {{"body", atom}}}};
  server.Post("/_fake/config", json({{"feeds", feeds}}).dump());
  setup::ListenSourcesConfig config;
  config.feeds.push_back({server.base_url() + "/broken.xml", "", std::chrono::minutes(1)});
  config.feeds.push_back({server.base_url() + "/resenas.atom", "nutricion-ana", std::chrono::minutes(1)});
  auto sources = Open(config);
  ASSERT_NE(sources, nullptr);
  sources->Start();
  ASSERT_TRUE(collector_.WaitForMentions(2)) << log_.str();
  ASSERT_TRUE(WaitUntil(*sources, [](const ListenSourcesStats& s) { return s.feed_reads == 2; }));
  EXPECT_EQ(collector_.mentions[0]["text"], "Muy mala atención hoy");
  EXPECT_EQ(collector_.mentions[1]["brand"], "nutricion-ana");
  // Both feeds were read once; the next reads are a minute away, and Stop() does not wait.
  EXPECT_LT(TimedStop(*sources), kPromptStop);
  const ListenSourcesStats stats = sources->Stats();
  EXPECT_EQ(stats.feeds, 2);
  EXPECT_EQ(stats.feed_reads, 2);
  EXPECT_EQ(stats.feed_errors, 1);
  EXPECT_EQ(stats.feed_mentions, 2);
  EXPECT_NE(log_.str().find(StrCat("feed ", server.base_url(), "/broken.xml: malformed-xml")), std::string::npos)
      << log_.str();
}

TEST_F(ListenSourcesTest, OpenNeedsSomewhereToHandMentionsOn) {
  auto opened = ListenSources::Open(setup::ListenSourcesConfig{}, options_, nullptr);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace faro::service
