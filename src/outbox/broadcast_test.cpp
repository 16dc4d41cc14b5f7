#include "outbox/broadcast.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "absl/time/time.h"
#include "outbox/test_world.hpp"

namespace faro::outbox {
namespace {

using testing::BusinessChannels;
using testing::Person;

TimePoint At(const std::string& rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return absl::ToChronoTime(t);
}

TEST(QuietHours, ParseAndWaitInLocalTime) {
  EXPECT_FALSE(ParseQuietHours("21-08").ok());
  EXPECT_FALSE(ParseQuietHours("25:00-08:00").ok());
  const QuietHours quiet = *ParseQuietHours("21:00-08:00");
  // 23:30 in Buenos Aires (UTC-3) is 02:30 UTC: waits until 08:00 local = 11:00 UTC.
  EXPECT_EQ(OutsideQuietHours(quiet, "America/Argentina/Buenos_Aires", At("2026-11-23T02:30:00Z")),
            At("2026-11-23T11:00:00Z"));
  // 07:00 local (10:00 UTC) waits one hour.
  EXPECT_EQ(OutsideQuietHours(quiet, "America/Argentina/Buenos_Aires", At("2026-11-23T10:00:00Z")),
            At("2026-11-23T11:00:00Z"));
  // 12:00 local is fine.
  EXPECT_EQ(OutsideQuietHours(quiet, "America/Argentina/Buenos_Aires", At("2026-11-23T15:00:00Z")),
            At("2026-11-23T15:00:00Z"));
  // Madrid, 22:00 local in winter (UTC+1) → 08:00 next day local.
  EXPECT_EQ(OutsideQuietHours(quiet, "Europe/Madrid", At("2026-11-23T21:00:00Z")), At("2026-11-24T07:00:00Z"));
  // A daytime window (13:00-15:00, siesta) does not wrap.
  const QuietHours siesta = *ParseQuietHours("13:00-15:00");
  EXPECT_EQ(OutsideQuietHours(siesta, "UTC", At("2026-11-23T14:00:00Z")), At("2026-11-23T15:00:00Z"));
  EXPECT_EQ(OutsideQuietHours(siesta, "UTC", At("2026-11-23T16:00:00Z")), At("2026-11-23T16:00:00Z"));
}

class BroadcastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("faro_broadcast_test_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    clock_.Set(At("2026-11-23T15:00:00Z"));
  }
  void TearDown() override {
    outbox_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void Open() {
    auto opened = Outbox::Open(path_.string(), BusinessChannels(), &directory_, &clock_);
    ASSERT_TRUE(opened.ok());
    outbox_ = std::move(*opened);
  }
  std::filesystem::path path_;
  FakeClock clock_;
  MemoryDirectory directory_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(BroadcastTest, EveryWhatsAppContactIsToldThroughTheirBestAlternative) {
  // 1: WhatsApp + email.  2: WhatsApp + Telegram chat, prefers Telegram.  3: WhatsApp only.
  // 4: WhatsApp + email, unsubscribed from email, opted in to SMS.  5: no WhatsApp opt-in.
  contacts::Contact c1 = Person(1);
  contacts::Contact c2 = Person(2);
  c2.telegram = "777";
  c2.channel_order = {"telegram"};
  contacts::Contact c3 = Person(3);
  c3.email.clear();
  contacts::Contact c4 = Person(4);
  c4.consent["email"] = {contacts::ConsentState::kOptedOut, {}, "one-click unsubscribe"};
  c4.consent["sms"] = {contacts::ConsentState::kOptedIn, {}, "web-form"};
  c4.timezone = "Asia/Tokyo";  // 00:00 there: quiet hours
  contacts::Contact c5 = Person(5, false);
  for (const auto& c : {c1, c2, c3, c4, c5}) directory_.Put(c);
  Open();
  ASSERT_TRUE(outbox_->MarkDown("whatsapp", "operator", "caído").ok());

  BroadcastRequest request;
  request.key = "whatsapp-2026-11-23";
  request.failed_channel = "whatsapp";
  request.template_id = "reachable-elsewhere";
  request.quiet = *ParseQuietHours("21:00-08:00");
  request.business_timezone = "America/Argentina/Buenos_Aires";
  auto started = StartBroadcast(*outbox_, request);
  ASSERT_TRUE(started.ok()) << faro::Message(started.status());
  EXPECT_EQ(started->total, 4) << "contact 5 is not a WhatsApp contact";
  EXPECT_EQ(started->pending, 3);
  EXPECT_EQ(started->skipped_no_consent, 1) << "contact 3: phone only, and no SMS opt-in";
  EXPECT_EQ(started->skipped_no_address, 0);
  EXPECT_EQ(started->by_channel["email"], 1);
  EXPECT_EQ(started->by_channel["telegram"], 1);
  EXPECT_EQ(started->by_channel["sms"], 1);

  const auto due_now = *outbox_->Due("sms", clock_.Now(), 10);
  EXPECT_TRUE(due_now.empty()) << "Tokyo is asleep";
  const auto due_later = *outbox_->Due("sms", At("2026-11-23T23:00:00Z"), 10);
  EXPECT_EQ(due_later.size(), 1u);

  // Starting it again (a second operator, a retry) changes nothing.
  auto again = StartBroadcast(*outbox_, request);
  EXPECT_EQ(again->id, started->id);
  EXPECT_EQ(again->total, 4);

  // When WhatsApp comes back, the notices still avoid it.
  ASSERT_TRUE(outbox_->MarkUp("whatsapp", "operator").ok());
  EXPECT_EQ((*outbox_->CountsByChannel())["whatsapp"].queued, 0);
}

TEST_F(BroadcastTest, UnknownChannelIsRefused) {
  Open();
  BroadcastRequest request;
  request.key = "k";
  request.failed_channel = "fax";
  EXPECT_EQ(faro::Message(StartBroadcast(*outbox_, request).status()), "no customer channel \"fax\"");
}

// A plan's holding statement: texts written by people, each customer on the channel the caller
// chose for them, grouped as one broadcast about WhatsApp.
NewMessage Statement(int64_t contact, const std::string& channel, const std::string& text) {
  NewMessage m;
  m.idempotency_key = "plan-7-12-" + std::to_string(contact);
  m.contact_id = contact;
  m.channel = channel;
  m.subject = "Nutrición Ana: WhatsApp no funciona";
  m.text = text;
  return m;
}

TEST_F(BroadcastTest, ATextBroadcastGroupsTheMessagesItIsGiven) {
  contacts::Contact c1 = Person(1);
  contacts::Contact c2 = Person(2);
  c2.telegram = "777";
  for (const auto& c : {c1, c2}) directory_.Put(c);
  Open();
  TextBroadcastRequest request;
  request.key = "plan-7-12";
  request.channel = "whatsapp";
  request.messages = {Statement(1, "email", "WhatsApp no funciona: escribinos por correo."),
                      Statement(2, "telegram", "WhatsApp no funciona: escribinos por aquí.")};
  auto started = StartTextBroadcast(*outbox_, request);
  ASSERT_TRUE(started.ok()) << faro::Message(started.status());
  EXPECT_EQ(started->key, "plan-7-12");
  EXPECT_EQ(started->failed_channel, "whatsapp");
  EXPECT_EQ(started->template_id, "");
  EXPECT_EQ(started->total, 2);
  EXPECT_EQ(started->pending, 2);
  EXPECT_EQ(started->by_channel["email"], 1);
  EXPECT_EQ(started->by_channel["telegram"], 1);
  // Each message carries the broadcast and its own text, on the channel chosen for it.
  const auto due = *outbox_->Due("telegram", clock_.Now(), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].broadcast_id, started->id);
  EXPECT_EQ(due[0].contact_id, 2);
  EXPECT_EQ(due[0].text, "WhatsApp no funciona: escribinos por aquí.");
  EXPECT_TRUE(due[0].template_id.empty());
  // Listed with the other broadcasts.
  auto listed = ListBroadcasts(*outbox_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, started->id);

  // The same action carried out again (a restart): the same broadcast, nothing sent twice.
  auto again = StartTextBroadcast(*outbox_, request);
  ASSERT_TRUE(again.ok()) << faro::Message(again.status());
  EXPECT_EQ(again->id, started->id);
  EXPECT_EQ(again->total, 2);
  EXPECT_EQ((*outbox_->CountsByChannel())["telegram"].queued, 1);
}

TEST_F(BroadcastTest, ATextBroadcastWrittenBeforeACrashGetsItsMessagesWhenRepeated) {
  directory_.Put(Person(1));
  Open();
  // The row alone, as a crash between writing it and enqueueing would leave it.
  ASSERT_TRUE(outbox_
                  ->WithDb("test",
                           [](SQLite::Database& db) {
                             db.exec("INSERT INTO outbox_broadcast (key, channel, template, created_ms) "
                                     "VALUES ('plan-7-12', 'whatsapp', '', 0)");
                           })
                  .ok());
  TextBroadcastRequest request;
  request.key = "plan-7-12";
  request.channel = "whatsapp";
  request.messages = {Statement(1, "email", "WhatsApp no funciona.")};
  auto started = StartTextBroadcast(*outbox_, request);
  ASSERT_TRUE(started.ok()) << faro::Message(started.status());
  EXPECT_EQ(started->total, 1);
  EXPECT_EQ(started->by_channel["email"], 1);
}

TEST_F(BroadcastTest, ATextBroadcastSaysWhatIsWrongWithIt) {
  directory_.Put(Person(1));
  Open();
  TextBroadcastRequest request;
  request.key = "plan-7-12";
  request.channel = "fax";
  request.messages = {Statement(1, "email", "Hola")};
  EXPECT_EQ(faro::Message(StartTextBroadcast(*outbox_, request).status()),
            "broadcast \"plan-7-12\": no customer channel \"fax\"");
  request.channel = "whatsapp";
  request.key.clear();
  EXPECT_EQ(faro::Message(StartTextBroadcast(*outbox_, request).status()), "a broadcast needs a key");
  request.key = "plan-7-12";
  request.messages[0].text.clear();
  EXPECT_EQ(faro::Message(StartTextBroadcast(*outbox_, request).status()),
            "broadcast \"plan-7-12\", message 1 (contact 1): it has no text");
  request.messages[0].text = "Hola";
  request.messages[0].template_id = "reachable-elsewhere";
  EXPECT_EQ(faro::Message(StartTextBroadcast(*outbox_, request).status()),
            "broadcast \"plan-7-12\", message 1 (contact 1): it names the template \"reachable-elsewhere\"; a text "
            "broadcast carries written texts (StartBroadcast sends templates)");
  request.messages.clear();
  EXPECT_EQ(faro::Message(StartTextBroadcast(*outbox_, request).status()), "broadcast \"plan-7-12\" has no messages");
  // Nothing was written by the refused requests.
  EXPECT_TRUE(ListBroadcasts(*outbox_)->empty());
}

}  // namespace
}  // namespace faro::outbox
