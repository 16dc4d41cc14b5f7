#include "outbox/dispatcher.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <mutex>

#include "outbox/test_world.hpp"

namespace faro::outbox {
namespace {

using testing::BusinessChannels;
using testing::Person;
using std::chrono::milliseconds;

// An in-process provider whose answers the test scripts, so the dispatcher's policy can be
// checked exactly (the real adapters are tested against their fake servers elsewhere).
class ScriptedChannel final : public channels::Channel {
 public:
  explicit ScriptedChannel(channels::AddressKind kind) : kind_(kind) {}
  std::function<channels::SendResult(const channels::Delivery&)> answer = [](const channels::Delivery& d) {
    return channels::SendResult::Accepted("p-" + d.message_id);
  };
  channels::SendResult Send(const channels::Delivery& d) override {
    channels::SendResult r = answer(d);
    std::lock_guard lock(mutex_);
    seen_.push_back(d);
    return r;
  }
  channels::AddressKind address_kind() const override { return kind_; }
  channels::Limits limits() const override {
    channels::Limits l;
    l.overall = Rate{10000, milliseconds(1000)};
    l.burst = 1000;
    l.concurrency = 2;
    return l;
  }
  std::vector<channels::Delivery> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  channels::AddressKind kind_;
  std::mutex mutex_;
  std::vector<channels::Delivery> seen_;
};

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("faro_dispatcher_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    for (int id = 1; id <= 10; ++id) directory_.Put(Person(id));
    auto opened = Outbox::Open(path_.string(), BusinessChannels(), &directory_, &clock_);
    ASSERT_TRUE(opened.ok());
    outbox_ = std::move(*opened);
  }
  void TearDown() override {
    dispatcher_.reset();
    outbox_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void StartDispatcher(BreakerPolicy breaker = {}) {
    DispatcherOptions options;
    options.seed = 42;
    options.poll = milliseconds(2);
    options.backoff.base = milliseconds(10);
    options.backoff.max_attempts = 3;
    options.breaker = breaker;
    dispatcher_ = std::make_unique<Dispatcher>(
        *outbox_, std::map<std::string, channels::Channel*>{{"whatsapp", &whatsapp_}, {"email", &email_}},
        [](const Message& m, const contacts::Contact& c, const ChannelInfo& ch) -> absl::StatusOr<channels::Content> {
          channels::Content content;
          content.text = m.text + " " + c.name + " via " + ch.id;
          return content;
        },
        nullptr, options);
    dispatcher_->Start();
  }
  // Waits (real time, simulated clock advanced) until `done` holds.
  bool Until(const std::function<bool()>& done) {
    for (int i = 0; i < 2000; ++i) {
      if (done()) return true;
      clock_.Advance(milliseconds(50));
      std::this_thread::sleep_for(milliseconds(2));
    }
    return done();
  }
  int64_t Sent() {
    int64_t n = 0;
    const auto counts = *outbox_->CountsByChannel();
    for (const auto& [ch, c] : counts) n += c.sent;
    return n;
  }
  std::vector<Accepted> EnqueueAll(int n) {
    std::vector<NewMessage> batch;
    for (int id = 1; id <= n; ++id) {
      NewMessage m;
      m.idempotency_key = "d" + std::to_string(id);
      m.contact_id = id;
      m.text = "Hola";
      batch.push_back(m);
    }
    return *outbox_->Enqueue(batch);
  }

  std::filesystem::path path_;
  FakeClock clock_;
  MemoryDirectory directory_;
  std::unique_ptr<Outbox> outbox_;
  ScriptedChannel whatsapp_{channels::AddressKind::kPhone};
  ScriptedChannel email_{channels::AddressKind::kEmail};
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, SendsEveryMessageOnceWithItsKey) {
  const auto accepted = EnqueueAll(10);
  StartDispatcher();
  ASSERT_TRUE(Until([&] { return Sent() == 10; }));
  const auto seen = whatsapp_.seen();
  ASSERT_EQ(seen.size(), 10u);
  std::set<std::string> keys;
  for (const auto& d : seen) keys.insert(d.idempotency_key);
  EXPECT_EQ(keys.size(), 10u);
  EXPECT_TRUE(keys.contains("d1@whatsapp"));
  EXPECT_EQ(seen[0].content.text.rfind("Hola Cliente", 0), 0u);
  const auto m = *outbox_->Get(accepted[0].id);
  EXPECT_EQ(m->state, State::kSent);
  EXPECT_EQ(m->provider_id, "p-" + std::to_string(accepted[0].id));
}

TEST_F(DispatcherTest, TransientFailuresAreRetriedThenTheMessageMovesOn) {
  std::atomic<int> calls{0};
  whatsapp_.answer = [&](const channels::Delivery& d) {
    ++calls;
    channels::SendResult r;
    r.kind = channels::ResultKind::kTransient;
    r.code = "131057";
    if (d.address == Person(1).phone) return r;  // contact 1 always fails on WhatsApp
    return channels::SendResult::Accepted("ok");
  };
  const auto accepted = EnqueueAll(2);
  StartDispatcher();
  ASSERT_TRUE(Until([&] { return Sent() == 2; }));
  const auto m = *outbox_->Get(accepted[0].id);
  EXPECT_EQ(m->channel, "email");
  const auto hops = *outbox_->Hops(accepted[0].id);
  ASSERT_EQ(hops.size(), 1u);
  EXPECT_EQ(hops[0].reason, "whatsapp failed 3 times (131057)");
  EXPECT_EQ(calls.load(), 4);  // 3 for contact 1, 1 for contact 2
}

TEST_F(DispatcherTest, ConsentRefusalRecordsTheOptOutAndFallsBack) {
  whatsapp_.answer = [](const channels::Delivery&) {
    channels::SendResult r;
    r.kind = channels::ResultKind::kConsent;
    r.code = "21610";
    return r;
  };
  const auto accepted = EnqueueAll(1);
  StartDispatcher();
  ASSERT_TRUE(Until([&] { return Sent() == 1; }));
  EXPECT_EQ(directory_.Get(1)->ConsentFor("whatsapp"), contacts::ConsentState::kOptedOut);
  EXPECT_EQ((*outbox_->Get(accepted[0].id))->channel, "email");
}

TEST_F(DispatcherTest, RateLimitWaitsWithoutCountingAnAttempt) {
  std::atomic<int> calls{0};
  whatsapp_.answer = [&](const channels::Delivery&) {
    if (calls++ == 0) {
      channels::SendResult r;
      r.kind = channels::ResultKind::kRateLimited;
      r.wait = milliseconds(2000);
      r.code = "429";
      return r;
    }
    return channels::SendResult::Accepted("ok");
  };
  const auto accepted = EnqueueAll(1);
  StartDispatcher();
  ASSERT_TRUE(Until([&] { return Sent() == 1; }));
  const auto m = *outbox_->Get(accepted[0].id);
  EXPECT_EQ(m->channel, "whatsapp");
  EXPECT_EQ(m->attempts, 0);
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(DispatcherTest, FailingProviderOpensTheBreakerAndTheChannelFailsOver) {
  whatsapp_.answer = [](const channels::Delivery&) {
    channels::SendResult r;
    r.kind = channels::ResultKind::kTransient;
    r.provider_fault = true;
    r.code = "2";
    r.detail = "Service temporarily unavailable";
    return r;
  };
  EnqueueAll(10);
  StartDispatcher({3, std::chrono::minutes(10), std::chrono::minutes(10)});
  ASSERT_TRUE(Until([&] { return Sent() == 10; }));
  EXPECT_EQ(outbox_->DownSet(), std::set<std::string>{"whatsapp"});
  const auto down = outbox_->DownChannels();
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].source, "outbox");
  EXPECT_NE(down[0].reason.find("failed sends in a row"), std::string::npos);
  EXPECT_EQ(email_.seen().size(), 10u);
  EXPECT_LE(whatsapp_.seen().size(), 6u) << "the breaker stops hammering a failing provider";
}

TEST_F(DispatcherTest, RenderFailureMovesToTheNextChannel) {
  StartDispatcher();
  dispatcher_->Stop();
  dispatcher_ = std::make_unique<Dispatcher>(
      *outbox_, std::map<std::string, channels::Channel*>{{"whatsapp", &whatsapp_}, {"email", &email_}},
      [](const Message&, const contacts::Contact&, const ChannelInfo& ch) -> absl::StatusOr<channels::Content> {
        if (ch.id == "whatsapp") return absl::InvalidArgumentError("no approved WhatsApp template");
        channels::Content c;
        c.text = "hola";
        return c;
      },
      nullptr, DispatcherOptions{});
  const auto accepted = EnqueueAll(1);
  dispatcher_->Start();
  ASSERT_TRUE(Until([&] { return Sent() == 1; }));
  EXPECT_EQ((*outbox_->Get(accepted[0].id))->channel, "email");
  EXPECT_TRUE(whatsapp_.seen().empty());
}

}  // namespace
}  // namespace faro::outbox
