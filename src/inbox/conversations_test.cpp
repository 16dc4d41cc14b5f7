#include "inbox/conversations.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "store/sqlite.hpp"

namespace faro::inbox {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kT0 = FromUnixMillis(1749416383000);

InboundEvent Text(std::string id, TimePoint at, std::string text = "hola") {
  InboundEvent e;
  e.kind = InboundEvent::Kind::kMessage;
  e.channel_type = std::string(kWhatsAppCloud);
  e.event_id = std::move(id);
  e.from = "+34600000001";
  e.text = std::move(text);
  e.message_type = "text";
  e.time = at;
  return e;
}

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto inbox = Inbox::Open(*db_);
    ASSERT_TRUE(inbox.ok()) << inbox.status();
    inbox_ = std::move(*inbox);
  }

  void In(int64_t contact, std::string channel, std::string id, TimePoint at) {
    auto r = inbox_->RecordInbound(contact, channel, Text(std::move(id), at));
    ASSERT_TRUE(r.ok()) << r.status();
  }
  void Out(int64_t contact, std::string channel, std::string id, TimePoint at, bool is_reply) {
    auto r = inbox_->RecordOutbound(contact, channel, id, "respuesta", at, is_reply);
    ASSERT_TRUE(r.ok()) << r.status();
  }
  Conversation Get(int64_t contact) {
    auto c = inbox_->Get(contact);
    EXPECT_TRUE(c.ok() && c->has_value());
    return c.ok() && c->has_value() ? **c : Conversation{};
  }
  std::vector<int64_t> Ids(ConversationFilter filter) {
    auto list = inbox_->List(filter);
    EXPECT_TRUE(list.ok());
    std::vector<int64_t> ids;
    if (list.ok())
      for (const Conversation& c : *list) ids.push_back(c.contact_id);
    return ids;
  }

  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Inbox> inbox_;
};

TEST_F(InboxTest, DuplicateInboundIsRecordedOnce) {
  auto first = inbox_->RecordInbound(1, "wa", Text("wamid.A", kT0));
  auto again = inbox_->RecordInbound(1, "wa", Text("wamid.A", kT0 + minutes(5), "changed"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->message_id, first->message_id);
  auto messages = inbox_->Messages(1);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].text, "hola");
  EXPECT_EQ(Get(1).last_inbound_at, kT0) << "a duplicate changes nothing";
}

TEST_F(InboxTest, SameEventIdOnAnotherChannelIsNotADuplicate) {
  In(1, "tg-a", "1001", kT0);
  auto other = inbox_->RecordInbound(1, "tg-b", Text("1001", kT0));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->duplicate);
}

TEST_F(InboxTest, InboundNeedsAnEventIdAndAMessage) {
  EXPECT_FALSE(inbox_->RecordInbound(1, "wa", Text("", kT0)).ok());
  InboundEvent status = Text("wamid.S", kT0);
  status.kind = InboundEvent::Kind::kStatus;
  EXPECT_FALSE(inbox_->RecordInbound(1, "wa", status).ok());
}

TEST_F(InboxTest, WaitingUntilAReplyAndFirstResponseTime) {
  In(1, "wa", "wamid.A", kT0);
  In(1, "wa", "wamid.B", kT0 + minutes(2));
  Conversation c = Get(1);
  EXPECT_EQ(c.first_inbound_at, kT0);
  EXPECT_EQ(c.waiting_since, kT0) << "the first unanswered message sets it";
  EXPECT_TRUE(c.Unanswered());
  EXPECT_FALSE(c.FirstResponseTime().has_value());

  Out(1, "wa", "wamid.R1", kT0 + minutes(30), /*is_reply=*/true);
  c = Get(1);
  EXPECT_FALSE(c.waiting_since.has_value());
  EXPECT_EQ(c.first_reply_at, kT0 + minutes(30));
  EXPECT_EQ(c.FirstResponseTime(), std::chrono::milliseconds(minutes(30)));
  EXPECT_FALSE(c.Unanswered());

  // The person writes again: waiting again, but the first response time stays.
  In(1, "sms", "SM1", kT0 + hours(2));
  c = Get(1);
  EXPECT_EQ(c.waiting_since, kT0 + hours(2));
  EXPECT_EQ(c.last_inbound_channel, "sms");
  EXPECT_TRUE(c.Unanswered());
  Out(1, "sms", "SM-R2", kT0 + hours(3), true);
  EXPECT_EQ(Get(1).FirstResponseTime(), std::chrono::milliseconds(minutes(30)));
  EXPECT_FALSE(Get(1).Unanswered());
}

TEST_F(InboxTest, BroadcastsDoNotAnswerAnyone) {
  In(1, "wa", "wamid.A", kT0);
  Out(1, "wa", "wamid.HOLD", kT0 + minutes(10), /*is_reply=*/false);
  Conversation c = Get(1);
  EXPECT_EQ(c.waiting_since, kT0);
  EXPECT_FALSE(c.first_reply_at.has_value());
  EXPECT_EQ(c.last_outbound_at, kT0 + minutes(10));
  EXPECT_TRUE(c.Unanswered());

  // Someone who only received the broadcast has nothing to be answered.
  Out(2, "wa", "wamid.HOLD2", kT0 + minutes(10), false);
  EXPECT_FALSE(Get(2).Unanswered());
  EXPECT_EQ(Ids(ConversationFilter::kUnanswered), std::vector<int64_t>{1});
}

TEST_F(InboxTest, AReplyAnswersOnlyWhatWasWrittenBeforeIt) {
  In(1, "wa", "wamid.A", kT0);
  In(1, "wa", "wamid.C", kT0 + minutes(20));
  // The reply was sent at +10 but recorded after the message of +20 arrived.
  Out(1, "wa", "wamid.R", kT0 + minutes(10), true);
  Conversation c = Get(1);
  EXPECT_EQ(c.waiting_since, kT0 + minutes(20));
  EXPECT_EQ(c.first_reply_at, kT0 + minutes(10));
  EXPECT_TRUE(c.Unanswered());
}

TEST_F(InboxTest, ALateDeliveredOlderMessageStillWaits) {
  In(1, "wa", "wamid.A", kT0);
  Out(1, "wa", "wamid.R", kT0 + minutes(10), true);
  // Meta retried a message written at +5; nobody has seen it yet.
  In(1, "wa", "wamid.B", kT0 + minutes(5));
  Conversation c = Get(1);
  EXPECT_EQ(c.waiting_since, kT0 + minutes(5));
  EXPECT_EQ(c.last_inbound_at, kT0 + minutes(5));
  EXPECT_TRUE(c.Unanswered());
}

TEST_F(InboxTest, ListsWaitingAndUnansweredOldestFirst) {
  In(1, "wa", "a1", kT0 + minutes(30));
  In(2, "wa", "b1", kT0);
  In(3, "sms", "c1", kT0 + minutes(10));
  Out(3, "sms", "c-r", kT0 + minutes(11), true);
  In(4, "tg", "d1", kT0 + minutes(5));
  EXPECT_EQ(Ids(ConversationFilter::kWaiting), (std::vector<int64_t>{2, 4, 1}));
  EXPECT_EQ(Ids(ConversationFilter::kUnanswered), (std::vector<int64_t>{2, 4, 1}));
  EXPECT_EQ(Ids(ConversationFilter::kAll).size(), 4u);

  ASSERT_TRUE(inbox_->Resolve(4, kT0 + minutes(40)).ok());
  EXPECT_EQ(Ids(ConversationFilter::kUnanswered), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Get(4).status, ConversationStatus::kResolved);
  // Writing again reopens it.
  In(4, "tg", "d2", kT0 + minutes(50));
  EXPECT_EQ(Get(4).status, ConversationStatus::kOpen);
  EXPECT_EQ(Ids(ConversationFilter::kUnanswered), (std::vector<int64_t>{2, 1, 4}));
  EXPECT_EQ(inbox_->Resolve(99, kT0).code(), absl::StatusCode::kNotFound);
}

TEST_F(InboxTest, StatusesOnlyMoveUp) {
  Out(1, "wa", "wamid.X", kT0, false);
  auto read = inbox_->RecordStatus("wa", "wamid.X", DeliveryStatus::kRead, "", kT0 + minutes(2));
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->changed);
  EXPECT_TRUE(read->known_message);
  // Delivered and sent arrive after read: too late to matter.
  auto delivered = inbox_->RecordStatus("wa", "wamid.X", DeliveryStatus::kDelivered, "", kT0 + minutes(1));
  auto sent = inbox_->RecordStatus("wa", "wamid.X", DeliveryStatus::kSent, "", kT0);
  ASSERT_TRUE(delivered.ok() && sent.ok());
  EXPECT_FALSE(delivered->changed);
  EXPECT_FALSE(sent->changed);
  EXPECT_EQ(sent->current, DeliveryStatus::kRead);
  // The same status twice is a repeat.
  auto again = inbox_->RecordStatus("wa", "wamid.X", DeliveryStatus::kRead, "", kT0 + minutes(2));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  auto messages = inbox_->Messages(1);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].status, DeliveryStatus::kRead);
}

TEST_F(InboxTest, FailedBeatsSentButDeliveredBeatsFailed) {
  Out(1, "wa", "wamid.F", kT0, false);
  ASSERT_TRUE(inbox_->RecordStatus("wa", "wamid.F", DeliveryStatus::kSent, "", kT0).ok());
  auto failed = inbox_->RecordStatus("wa", "wamid.F", DeliveryStatus::kFailed, "131047", kT0 + minutes(1));
  ASSERT_TRUE(failed.ok());
  EXPECT_TRUE(failed->changed);
  EXPECT_EQ(failed->error_code, "131047");
  // A late "sent" does not revive a failed message.
  auto late_sent = inbox_->RecordStatus("wa", "wamid.F", DeliveryStatus::kSent, "", kT0);
  ASSERT_TRUE(late_sent.ok());
  EXPECT_FALSE(late_sent->changed);
  EXPECT_EQ(late_sent->current, DeliveryStatus::kFailed);
  // Another of the person's devices got it.
  auto delivered = inbox_->RecordStatus("wa", "wamid.F", DeliveryStatus::kDelivered, "", kT0 + minutes(2));
  ASSERT_TRUE(delivered.ok());
  EXPECT_TRUE(delivered->changed);
  EXPECT_EQ(delivered->current, DeliveryStatus::kDelivered);
  auto failed_again = inbox_->RecordStatus("wa", "wamid.F", DeliveryStatus::kFailed, "131026", kT0 + minutes(3));
  ASSERT_TRUE(failed_again.ok());
  EXPECT_FALSE(failed_again->changed);
  EXPECT_EQ(failed_again->current, DeliveryStatus::kDelivered);
}

TEST_F(InboxTest, AStatusBeforeTheSendIsRecordedIsKept) {
  auto early = inbox_->RecordStatus("sms", "SM1", DeliveryStatus::kSent, "", kT0);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->changed);
  EXPECT_FALSE(early->known_message);
  Out(1, "sms", "SM1", kT0, false);
  auto messages = inbox_->Messages(1);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].status, DeliveryStatus::kSent);
  EXPECT_FALSE(inbox_->RecordStatus("sms", "", DeliveryStatus::kSent, "", kT0).ok());
}

TEST_F(InboxTest, StatusEventsAreAcceptedDirectly) {
  InboundEvent e;
  e.kind = InboundEvent::Kind::kStatus;
  e.provider_message_id = "SM7";
  e.status = DeliveryStatus::kFailed;
  e.error_code = "30003";
  e.time = kT0;
  auto r = inbox_->RecordStatus("sms", e);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->current, DeliveryStatus::kFailed);
  EXPECT_EQ(r->error_code, "30003");
  EXPECT_FALSE(inbox_->RecordStatus("sms", Text("x", kT0)).ok());
}

TEST_F(InboxTest, OutboundIdsAreDeduplicatedPerContact) {
  auto a = inbox_->RecordOutbound(1, "tg", "17", "hola", kT0, false);
  auto repeat = inbox_->RecordOutbound(1, "tg", "17", "hola", kT0, false);
  // Telegram message ids count per chat: another person's 17 is another message.
  auto other = inbox_->RecordOutbound(2, "tg", "17", "hola", kT0, false);
  // Without a provider id nothing can be deduplicated.
  auto no_id1 = inbox_->RecordOutbound(1, "mail", "", "x", kT0, false);
  auto no_id2 = inbox_->RecordOutbound(1, "mail", "", "x", kT0, false);
  ASSERT_TRUE(a.ok() && repeat.ok() && other.ok() && no_id1.ok() && no_id2.ok());
  EXPECT_TRUE(repeat->duplicate);
  EXPECT_EQ(repeat->message_id, a->message_id);
  EXPECT_FALSE(other->duplicate);
  EXPECT_FALSE(no_id2->duplicate);
}

TEST_F(InboxTest, WhatsAppReplyWindowIs24HoursFromTheLastInbound) {
  auto none = inbox_->ReplyWindowOpen(1, "wa", kT0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  In(1, "wa", "wamid.A", kT0);
  In(1, "wa", "wamid.B", kT0 + hours(1));
  In(1, "sms", "SM1", kT0 + hours(20));  // another channel does not extend WhatsApp's window
  Out(1, "wa", "wamid.R", kT0 + hours(23), true);  // nor does our own message
  auto last = inbox_->LastInbound(1, "wa");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, kT0 + hours(1));
  EXPECT_TRUE(*inbox_->ReplyWindowOpen(1, "wa", kT0 + hours(24) + minutes(59)));
  EXPECT_FALSE(*inbox_->ReplyWindowOpen(1, "wa", kT0 + hours(25)));
  EXPECT_TRUE(*inbox_->ReplyWindowOpen(1, "sms", kT0 + hours(25)));
}

TEST_F(InboxTest, MessagesComeOldestFirstWithTheirDirection) {
  In(1, "wa", "wamid.A", kT0);
  Out(1, "wa", "wamid.R", kT0 + minutes(1), true);
  In(1, "wa", "wamid.B", kT0 + minutes(2));
  auto messages = inbox_->Messages(1, 2);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].provider_id, "wamid.R");
  EXPECT_EQ((*messages)[0].direction, Direction::kOut);
  EXPECT_TRUE((*messages)[0].is_reply);
  EXPECT_EQ((*messages)[1].provider_id, "wamid.B");
  EXPECT_EQ((*messages)[1].direction, Direction::kIn);
}

TEST(InboxFile, SurvivesReopeningAndKeepsDeduplicating) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("faro-inbox-test-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto db = store::Open(path.string());
    ASSERT_TRUE(db.ok()) << db.status();
    auto inbox = Inbox::Open(**db);
    ASSERT_TRUE(inbox.ok());
    ASSERT_TRUE((*inbox)->RecordInbound(1, "wa", Text("wamid.A", kT0)).ok());
  }
  {
    auto db = store::Open(path.string());
    ASSERT_TRUE(db.ok());
    auto inbox = Inbox::Open(**db);
    ASSERT_TRUE(inbox.ok()) << inbox.status();
    auto again = (*inbox)->RecordInbound(1, "wa", Text("wamid.A", kT0));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate) << "a webhook redelivered after a restart is still a duplicate";
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace faro::inbox
