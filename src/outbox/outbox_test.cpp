#include "outbox/outbox.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "outbox/test_world.hpp"

namespace faro::outbox {
namespace {

using testing::BusinessChannels;
using testing::Person;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("faro_outbox_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    for (int id = 1; id <= 20; ++id) directory_.Put(Person(id, id % 2 == 1));
    Reopen();
  }
  void TearDown() override {
    outbox_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void Reopen() {
    outbox_.reset();
    auto opened = Outbox::Open(path_.string(), BusinessChannels(), &directory_, &clock_);
    ASSERT_TRUE(opened.ok()) << faro::Message(opened.status());
    outbox_ = std::move(*opened);
  }
  NewMessage To(int64_t contact, std::string key) {
    NewMessage m;
    m.idempotency_key = std::move(key);
    m.contact_id = contact;
    m.text = "Hola";
    return m;
  }

  std::filesystem::path path_;
  FakeClock clock_;
  MemoryDirectory directory_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, AcceptedMessagesAreOnDiskAndKeysAreIdempotent) {
  auto first = outbox_->Enqueue({To(1, "k1"), To(2, "k2")});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)[0].channel, "whatsapp");
  EXPECT_EQ((*first)[1].channel, "email") << "contact 2 never opted in to WhatsApp";
  Reopen();  // a new process sees them
  auto again = outbox_->Enqueue({To(1, "k1")});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].duplicate);
  EXPECT_EQ((*again)[0].id, (*first)[0].id);
  const auto counts = outbox_->CountsByChannel();
  EXPECT_EQ((*counts).at("whatsapp").queued, 1);
  EXPECT_EQ((*counts).at("email").queued, 1);
}

TEST_F(OutboxTest, RefusedMessagesSayWhyAndAreNotStored) {
  NewMessage unknown = To(999, "x1");
  NewMessage sms = To(2, "x2");
  sms.channel = "sms";  // contact 2 has no SMS opt-in
  NewMessage nokey = To(1, "");
  auto results = outbox_->Enqueue({unknown, sms, nokey, To(1, "ok")});
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].state, State::kSkipped);
  EXPECT_EQ((*results)[0].reason, "no contact with id 999");
  EXPECT_EQ((*results)[1].reason, "no-opt-in");
  EXPECT_EQ((*results)[2].reason, "no idempotency key");
  EXPECT_EQ((*results)[3].state, State::kQueued) << "one bad message does not refuse the others";
  contacts::Contact nobody = Person(30, false);
  nobody.email.clear();
  directory_.Put(nobody);
  auto refused = outbox_->Enqueue({To(30, "x3")});
  EXPECT_EQ((*refused)[0].reason,
            "no usable channel for contact 30 (whatsapp no-opt-in, telegram no-address, email no-address, sms no-opt-in)");
  EXPECT_EQ((*outbox_->CountsByChannel()).size(), 1u);
}

TEST_F(OutboxTest, ChannelDownMovesQueuedMessagesAndBackWithHops) {
  std::vector<NewMessage> batch;
  for (int id = 1; id <= 20; ++id) batch.push_back(To(id, "m" + std::to_string(id)));
  auto accepted = outbox_->Enqueue(batch);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ((*outbox_->CountsByChannel())["whatsapp"].queued, 10);

  auto moved = outbox_->MarkDown("whatsapp", "operator", "WhatsApp caído");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 10);
  auto counts = *outbox_->CountsByChannel();
  EXPECT_EQ(counts["whatsapp"].queued, 0);
  EXPECT_EQ(counts["email"].queued, 20);
  const auto hops = *outbox_->Hops((*accepted)[0].id);
  ASSERT_EQ(hops.size(), 1u);
  EXPECT_EQ(hops[0].from, "whatsapp");
  EXPECT_EQ(hops[0].to, "email");
  EXPECT_EQ(hops[0].reason, "whatsapp is down");

  // New messages avoid the channel while it is down.
  auto during = outbox_->Enqueue({To(3, "during")});
  EXPECT_EQ((*during)[0].channel, "email");

  // Another process sees the health change.
  Reopen();
  EXPECT_EQ(outbox_->DownSet(), std::set<std::string>{"whatsapp"});
  EXPECT_EQ(*outbox_->MarkUp("whatsapp", "check"), 0) << "the check never said down: still down";
  auto back = outbox_->MarkUp("whatsapp", "operator");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, 11);
  counts = *outbox_->CountsByChannel();
  EXPECT_EQ(counts["whatsapp"].queued, 11);
  EXPECT_EQ((*outbox_->Hops((*accepted)[0].id)).size(), 2u);
}

TEST_F(OutboxTest, HeldWhenNoUsableChannelIsUpReleasedOnRecovery) {
  MemoryDirectory only_whatsapp;
  contacts::Contact c = Person(1);
  c.email.clear();
  directory_.Put(c);
  auto accepted = outbox_->Enqueue({To(1, "h1")});
  ASSERT_EQ((*accepted)[0].channel, "whatsapp");
  ASSERT_TRUE(outbox_->MarkDown("whatsapp", "check", "down global").ok());
  EXPECT_EQ((*outbox_->Get((*accepted)[0].id))->state, State::kHeld);
  auto later = outbox_->Enqueue({To(1, "h2")});
  EXPECT_EQ((*later)[0].state, State::kHeld);
  EXPECT_EQ(*outbox_->MarkUp("whatsapp", "check"), 2);
  EXPECT_EQ((*outbox_->Get((*accepted)[0].id))->state, State::kQueued);
  EXPECT_EQ((*outbox_->Get((*later)[0].id))->channel, "whatsapp");
}

TEST_F(OutboxTest, ConcurrentCallersAreCommittedTogether) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = outbox_->Enqueue({To(1 + (i % 20), "t" + std::to_string(t) + "-" + std::to_string(i))});
        if (r.ok() && (*r)[0].id > 0 && !(*r)[0].duplicate) ++ok;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 400);
  int64_t total = 0;
  const auto counts = *outbox_->CountsByChannel();
  for (const auto& [channel, c] : counts) total += c.queued;
  EXPECT_EQ(total, 400);
}

TEST_F(OutboxTest, CountsSinceSayWhatBecameOfTheMessagesOfAPeriod) {
  clock_.Set(FromUnixMillis(1'000'000));
  auto before = outbox_->Enqueue({To(1, "before-1"), To(2, "before-2")});
  ASSERT_TRUE(before.ok());
  const TimePoint opened = FromUnixMillis(2'000'000);
  clock_.Set(opened);
  auto during = outbox_->Enqueue({To(3, "during-1"), To(4, "during-2"), To(5, "during-3")});
  ASSERT_TRUE(during.ok());
  // One of the period's messages is given up on, one is sent; one from before fails too.
  Outbox::Update failed{.id = (*during)[0].id, .state = State::kFailed, .channel = "whatsapp", .sent_on = "whatsapp"};
  Outbox::Update sent{.id = (*during)[1].id, .state = State::kSent, .channel = "email", .sent_on = "email"};
  Outbox::Update old{.id = (*before)[0].id, .state = State::kFailed, .channel = "whatsapp", .sent_on = "whatsapp"};
  ASSERT_TRUE(outbox_->Apply({failed, sent, old}).ok());
  auto since = outbox_->CountsSince(opened);
  ASSERT_TRUE(since.ok()) << faro::Message(since.status());
  EXPECT_EQ(since->failed, 1) << "the failure from before the period is not counted";
  EXPECT_EQ(since->sent, 1);
  EXPECT_EQ(since->queued, 1);
  auto all = outbox_->CountsSince(FromUnixMillis(0));
  EXPECT_EQ(all->failed, 2);
  EXPECT_EQ(all->pending(), 2);
  EXPECT_EQ(outbox_->CountsSince(opened + std::chrono::seconds(1))->failed, 0);
}

TEST_F(OutboxTest, UnknownChannelIsAnError) {
  const auto r = outbox_->MarkDown("fax", "operator", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(faro::Message(r.status()), "no customer channel \"fax\"");
}

}  // namespace
}  // namespace faro::outbox
