// A real patrol against a loopback HTTP server (cpp-httplib): real sockets and real time, so
// intervals are short and no assertion depends on a tight timing.
#include "patrol/patrol.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace faro::patrol {
namespace {

using namespace std::chrono_literals;

class PatrolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("fine", "text/plain"); });
    web_.Get("/generate_204", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    web_.Get("/status.json", [this](const httplib::Request&, httplib::Response& res) {
      ++feed_reads_;
      res.set_content(R"({"status": {"indicator": "major", "description": "Major outage"}})", "application/json");
    });
    web_.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (broken_) res.status = 503;
      else res.set_content("fine", "text/plain");
    });
    // Answers only when the test lets it (or at teardown); counts how many wait at once.
    web_.Get("/hang", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(hang_mu_);
      ++hanging_;
      max_hanging_ = std::max(max_hanging_, hanging_);
      hang_cv_.notify_all();
      hang_cv_.wait_for(lock, 3s, [this] { return release_; });
      --hanging_;
      res.set_content("late", "text/plain");
    });
    port_ = web_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { web_.listen_after_bind(); });
    while (!web_.is_running()) std::this_thread::yield();
  }
  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(hang_mu_);
      release_ = true;
    }
    hang_cv_.notify_all();
    web_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  EndpointSpec Spec(const std::string& url) {
    EndpointSpec s;
    s.url = *ParseProbeUrl(url);
    return s;
  }
  PatrolTarget Target(const std::string& name, const std::string& url, std::chrono::milliseconds interval = 200ms) {
    return PatrolTarget{name, {Spec(url)}, interval};
  }
  PatrolOptions Options(std::vector<PatrolTarget> targets) {
    PatrolOptions o;
    o.targets = std::move(targets);
    o.attempts = 1;
    o.timeout = 2000ms;
    o.engine.resolver = ResolverAddress{"127.0.0.1", 9};  // no name is resolved in these tests
    return o;
  }

  // The sink: rounds kept with their arrival time; waiters wake on each.
  Sink Collect() {
    Sink sink;
    sink.on_round = [this](Round r) {
      std::lock_guard<std::mutex> lock(mu_);
      arrivals_[r.reading.platform].push_back(std::chrono::steady_clock::now());
      rounds_.push_back(std::move(r));
      cv_.notify_all();
    };
    sink.on_link = [this](LinkRound r) {
      std::lock_guard<std::mutex> lock(mu_);
      links_.push_back(std::move(r));
      cv_.notify_all();
    };
    return sink;
  }
  // Waits (up to 4 s) until `done` holds over the rounds collected so far.
  bool WaitFor(const std::function<bool()>& done) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, 4s, done);
  }
  // For what no callback announces (stats): checks `done` every 10 ms, for up to 4 s.
  bool Eventually(const std::function<bool()>& done) {
    std::unique_lock<std::mutex> lock(poll_mu_);
    const auto until = std::chrono::steady_clock::now() + 4s;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= until) return false;
      poll_cv_.wait_for(lock, 10ms);
    }
    return true;
  }
  std::size_t CountOf(const std::string& platform) {  // call with mu_ held
    return arrivals_[platform].size();
  }
  std::vector<Round> RoundsOf(const std::string& platform) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Round> out;
    for (const Round& r : rounds_)
      if (r.reading.platform == platform) out.push_back(r);
    return out;
  }

  httplib::Server web_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> broken_{false};
  std::atomic<int> feed_reads_{0};
  std::mutex hang_mu_;
  std::condition_variable hang_cv_;
  int hanging_ = 0, max_hanging_ = 0;
  bool release_ = false;

  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Round> rounds_;
  std::vector<LinkRound> links_;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> arrivals_;
};

TEST_F(PatrolTest, EveryTargetGetsRoundsSpreadOverTheInterval) {
  FakeClock clock;
  std::vector<PatrolTarget> targets;
  for (const char* name : {"whatsapp", "instagram", "facebook", "telegram", "x", "tiktok"})
    targets.push_back(Target(name, Url("/ok"), 400ms));
  auto patrol = Patrol::Start(Options(targets), Collect(), &clock);
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] {
    for (const PatrolTarget& t : targets)
      if (CountOf(t.platform) < 2) return false;
    return true;
  }));
  (*patrol)->Stop();
  std::vector<std::chrono::steady_clock::time_point> first;
  for (const PatrolTarget& t : targets) {
    const auto rounds = RoundsOf(t.platform);
    ASSERT_GE(rounds.size(), 2u) << t.platform;
    const watch::Reading& r = rounds[0].reading;
    EXPECT_EQ(r.health, watch::Health::kUp) << r.detail;
    EXPECT_EQ(r.vantage, "here");
    EXPECT_EQ(r.at, clock.Now()) << "readings are stamped by the injected clock";
    EXPECT_EQ(r.endpoints, 1);
    ASSERT_EQ(rounds[0].results.size(), 1u);
    EXPECT_EQ(rounds[0].results[0].endpoint, Url("/ok"));
    EXPECT_EQ(rounds[0].results[0].outcome, Outcome::kOk);
    EXPECT_TRUE(rounds[0].results[0].total_ms.has_value());
    std::lock_guard<std::mutex> lock(mu_);
    first.push_back(arrivals_[t.platform][0]);
  }
  // Not all at once: the first rounds are spread over the interval.
  const auto [lo, hi] = std::minmax_element(first.begin(), first.end());
  EXPECT_GT(*hi - *lo, 40ms);
  const PatrolStats stats = (*patrol)->Stats();
  EXPECT_GE(stats.rounds, 12u);
  EXPECT_EQ(stats.checks, stats.rounds);
  EXPECT_EQ(stats.in_flight, 0u);
}

TEST_F(PatrolTest, AFailingTargetReadsDownWithItsCause) {
  auto patrol = Patrol::Start(Options({Target("refused", "tcp://127.0.0.1:9"), Target("flaky", Url("/flaky"))}), Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] { return CountOf("refused") >= 1 && CountOf("flaky") >= 1; }));
  broken_ = true;
  std::size_t seen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen = CountOf("flaky");
  }
  // Two rounds later the flaky one has surely been asked while broken.
  ASSERT_TRUE(WaitFor([&] { return CountOf("flaky") >= seen + 2; }));
  (*patrol)->Stop();
  const watch::Reading refused = RoundsOf("refused").front().reading;
  EXPECT_EQ(refused.health, watch::Health::kDown);
  EXPECT_EQ(refused.cause, Cause::kTcpRefused);
  EXPECT_EQ(refused.detail, "1 of 1 checks failed (tcp-refused)");
  const Round flaky = RoundsOf("flaky").back();
  EXPECT_EQ(RoundsOf("flaky").front().reading.health, watch::Health::kUp);
  EXPECT_EQ(flaky.reading.health, watch::Health::kDown);
  EXPECT_EQ(flaky.reading.cause, Cause::kHttp5xx);
  EXPECT_EQ(flaky.results.at(0).http_status, 503);
}

TEST_F(PatrolTest, ATargetThatGetsWorseIsCheckedAgainSoonNotAfterAWholeInterval) {
  broken_ = true;
  PatrolOptions o = Options({Target("flaky", Url("/flaky"), 2000ms), Target("fine", Url("/ok"), 2000ms)});
  o.recheck = 100ms;
  auto patrol = Patrol::Start(o, Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] { return CountOf("flaky") >= 2 && CountOf("fine") >= 1; }));
  (*patrol)->Stop();
  std::lock_guard<std::mutex> lock(mu_);
  const auto& flaky = arrivals_["flaky"];
  // The confirmation round came ~100 ms after the first, not 2 s; the healthy one got none.
  EXPECT_LT(flaky[1] - flaky[0], 1500ms);
  const auto& fine = arrivals_["fine"];
  for (std::size_t i = 1; i < fine.size(); ++i) EXPECT_GT(fine[i] - fine[i - 1], 1500ms);
}

TEST_F(PatrolTest, TheOfficialFeedIsReadWithARoundAtMostOncePerFeedEvery) {
  PatrolTarget x = Target("x", Url("/ok"));
  x.feed = StatusFeedSpec{FeedFormat::kStatuspage, Url("/status.json"), ""};
  PatrolOptions o = Options({x});
  o.feed_every = 60s;
  auto patrol = Patrol::Start(o, Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] { return CountOf("x") >= 3; }));
  (*patrol)->Stop();
  const std::vector<Round> rounds = RoundsOf("x");
  ASSERT_TRUE(rounds[0].feed.has_value());
  EXPECT_EQ(*rounds[0].feed, watch::FeedLevel::kMajor);
  EXPECT_FALSE(rounds[1].feed.has_value()) << "read again before feed_every passed";
  EXPECT_EQ(feed_reads_.load(), 1);
}

TEST_F(PatrolTest, ReconfigureAddsAndRemovesTargets) {
  auto patrol = Patrol::Start(Options({Target("a", Url("/ok"))}), Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] { return CountOf("a") >= 1; }));
  ASSERT_TRUE((*patrol)->Reconfigure(Options({Target("b", Url("/ok"))})).ok());
  ASSERT_TRUE(WaitFor([&] { return CountOf("b") >= 1; }));
  std::size_t a_then;
  {
    std::lock_guard<std::mutex> lock(mu_);
    a_then = CountOf("a");
  }
  ASSERT_TRUE(WaitFor([&] { return CountOf("b") >= 3; }));
  {
    std::lock_guard<std::mutex> lock(mu_);
    EXPECT_EQ(CountOf("a"), a_then) << "a removed target gets no more rounds";
  }
  // Bad options are refused and the patrol goes on as it was.
  const absl::Status bad = (*patrol)->Reconfigure(Options({PatrolTarget{"c", {}, 200ms}}));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("patrol target \"c\": no endpoints"), absl::string_view::npos) << bad;
  std::size_t b_then;
  {
    std::lock_guard<std::mutex> lock(mu_);
    b_then = CountOf("b");
  }
  EXPECT_TRUE(WaitFor([&] { return CountOf("b") >= b_then + 1; }));
}

TEST_F(PatrolTest, ARoundStillRunningMakesTheNextOneLateNotDoubled) {
  auto patrol = Patrol::Start(Options({Target("slow", Url("/hang"), 100ms)}), Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  // Hold the answer for several intervals, then let it go.
  {
    std::unique_lock<std::mutex> lock(hang_mu_);
    ASSERT_TRUE(hang_cv_.wait_for(lock, 2s, [&] { return hanging_ == 1; }));
  }
  // Several intervals pass with the check open: each due round is skipped and counted.
  EXPECT_TRUE(Eventually([&] { return (*patrol)->Stats().late_rounds >= 2; }));
  EXPECT_EQ((*patrol)->Stats().in_flight, 1u);
  {
    std::lock_guard<std::mutex> lock(hang_mu_);
    release_ = true;
  }
  hang_cv_.notify_all();
  ASSERT_TRUE(WaitFor([&] { return CountOf("slow") >= 2; }));
  (*patrol)->Stop();
  std::lock_guard<std::mutex> lock(hang_mu_);
  EXPECT_EQ(max_hanging_, 1) << "two rounds of one target never run at once";
}

TEST_F(PatrolTest, StopAbandonsChecksInFlightQuickly) {
  auto patrol = Patrol::Start(Options({Target("slow", Url("/hang"))}), Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  {
    std::unique_lock<std::mutex> lock(hang_mu_);
    ASSERT_TRUE(hang_cv_.wait_for(lock, 2s, [&] { return hanging_ == 1; }));
  }
  const auto before = std::chrono::steady_clock::now();
  (*patrol)->Stop();
  (*patrol)->Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1500ms) << "Stop does not wait for the check";
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_TRUE(rounds_.empty()) << "an abandoned round never reaches the sink";
}

TEST_F(PatrolTest, LinkRoundsCheckTheReferenceHosts) {
  PatrolOptions o = Options({});
  o.references = {Spec(Url("/generate_204"))};
  o.references[0].expect = *ParseExpectedStatus("204");
  o.link_interval = 200ms;
  o.read_link = [] { return LinkState{true, true}; };
  auto patrol = Patrol::Start(o, Collect());
  ASSERT_TRUE(patrol.ok()) << patrol.status();
  ASSERT_TRUE(WaitFor([&] { return links_.size() >= 1; }));
  (*patrol)->Stop();
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_TRUE(links_[0].reading.ok) << links_[0].reading.detail;
  EXPECT_EQ(links_[0].reading.detail, "1 of 1 reference hosts answered");
  ASSERT_EQ(links_[0].results.size(), 1u);
  EXPECT_EQ(links_[0].results[0].platform, kLinkSeries);
  EXPECT_EQ(links_[0].results[0].http_status, 204);
}

TEST(PatrolOptionsCheck, ErrorsNameTheTarget) {
  PatrolOptions o;
  EndpointSpec spec;
  spec.url = *ParseProbeUrl("https://a.example/");
  o.targets = {PatrolTarget{"a", {spec}, 1000ms}, PatrolTarget{"a", {spec}, 1000ms}};
  auto started = Patrol::Start(o, {});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(), "patrol target \"a\": listed twice");
  o.targets = {PatrolTarget{"a", {spec}, 0ms}};
  EXPECT_EQ(ValidatePatrolOptions(o).message(), "patrol target \"a\": interval must be positive");
  o.targets = {PatrolTarget{"", {spec}, 1000ms}};
  EXPECT_EQ(ValidatePatrolOptions(o).message(), "patrol targets[0]: the platform (or URL) is empty");
  o.targets = {};
  o.attempts = 0;
  EXPECT_EQ(ValidatePatrolOptions(o).message(), "patrol attempts: expected 1 to 5, got 0");
}

}  // namespace
}  // namespace faro::patrol
