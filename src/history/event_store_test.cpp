#include "history/event_store.hpp"

#include <gtest/gtest.h>

#include "history/test_db.hpp"

namespace faro::history {
namespace {

using std::chrono::minutes;

const TimePoint kT0 = FromUnixMillis(1633359600000);  // 2021-10-04 15:00 UTC

Event MakeEvent(std::string kind, std::string subject, TimePoint at) {
  Event e;
  e.kind = std::move(kind);
  e.subject = std::move(subject);
  e.at = at;
  return e;
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto events = EventStore::Open(db_.db());
    ASSERT_TRUE(events.ok()) << events.status();
    events_ = std::move(*events);
  }

  std::vector<Event> ListOf(const EventQuery& query) {
    auto list = events_->List(query);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : std::vector<Event>{};
  }

  TestDatabase db_{"faro_event_store_test"};
  std::unique_ptr<EventStore> events_;
};

TEST_F(EventStoreTest, EveryFieldAndTheEvidenceRoundTrip) {
  Event down = MakeEvent("platform-down", "whatsapp", kT0 + milliseconds(250));
  down.state = "down";
  down.previous = "up";
  down.scope = "global";
  down.cause = "dns-servfail";
  down.covers_us = true;
  down.suppressed_by = "maintenance";
  down.evidence = {{"vantages", {{{"name", "local"}, {"verdict", "down"}}, {{"name", "sao-paulo"}, {"verdict", "down"}}}},
                   {"failed_checks", 6},
                   {"note", "¿Caído para todos?"}};
  auto id = events_->Append(down);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_GT(*id, 0);
  EXPECT_EQ(down.id, *id);

  auto back = events_->Get(*id);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  const Event& e = **back;
  EXPECT_EQ(e.id, *id);
  EXPECT_EQ(e.at, down.at);
  EXPECT_EQ(e.kind, "platform-down");
  EXPECT_EQ(e.subject, "whatsapp");
  EXPECT_EQ(e.state, "down");
  EXPECT_EQ(e.previous, "up");
  EXPECT_EQ(e.scope, "global");
  EXPECT_EQ(e.cause, "dns-servfail");
  EXPECT_TRUE(e.covers_us);
  EXPECT_EQ(e.suppressed_by, "maintenance");
  EXPECT_EQ(e.evidence, down.evidence);

  auto missing = events_->Get(*id + 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(EventStoreTest, IdsIncreaseInAppendOrderAndListIsNewestFirst) {
  std::vector<Event> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(MakeEvent("platform-degraded", "instagram", kT0 + minutes(i)));
  ASSERT_TRUE(events_->AppendAll(batch).ok());
  for (size_t i = 1; i < batch.size(); ++i) EXPECT_GT(batch[i].id, batch[i - 1].id);
  Event single = MakeEvent("link-down", "link", kT0 + minutes(10));
  ASSERT_TRUE(events_->Append(single).ok());
  EXPECT_GT(single.id, batch.back().id);

  const auto all = ListOf({});
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].id, single.id);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i].id, all[i - 1].id);
}

TEST_F(EventStoreTest, LastIdSeesAppendsFromEveryConnection) {
  auto none = events_->LastId();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  Event mine = MakeEvent("platform-down", "whatsapp", kT0);
  ASSERT_TRUE(events_->Append(mine).ok());
  EXPECT_EQ(*events_->LastId(), mine.id);
  // The listening service appends through its own connection to the same file.
  auto other_db = store::Open(db_.path().string(), store::Durability::kProcessCrash);
  ASSERT_TRUE(other_db.ok()) << other_db.status();
  auto other = EventStore::Open(**other_db);
  ASSERT_TRUE(other.ok()) << other.status();
  Event theirs = MakeEvent("crisis-suspected", "nutricion-ana", kT0 + minutes(1));
  ASSERT_TRUE((*other)->Append(theirs).ok());
  EXPECT_GT(theirs.id, mine.id);
  EXPECT_EQ(*events_->LastId(), theirs.id);
}

TEST_F(EventStoreTest, PagingWithBeforeId) {
  std::vector<Event> batch;
  for (int i = 0; i < 7; ++i) batch.push_back(MakeEvent("message-failed", "whatsapp", kT0 + minutes(i)));
  ASSERT_TRUE(events_->AppendAll(batch).ok());
  std::vector<int64_t> seen;
  int64_t before = 0;
  for (;;) {
    const auto page = ListOf({.before_id = before, .limit = 3});
    if (page.empty()) break;
    EXPECT_LE(page.size(), 3u);
    for (const auto& e : page) seen.push_back(e.id);
    before = page.back().id;
  }
  ASSERT_EQ(seen.size(), 7u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], batch[6 - i].id);
}

TEST_F(EventStoreTest, FiltersCombine) {
  std::vector<Event> batch = {MakeEvent("platform-down", "whatsapp", kT0),
                              MakeEvent("platform-restored", "whatsapp", kT0 + minutes(30)),
                              MakeEvent("platform-down", "instagram", kT0 + minutes(40)),
                              MakeEvent("crisis-suspected", "brand", kT0 + minutes(50)),
                              // '_' and '%' are not wildcards in a kind prefix.
                              MakeEvent("platformXdown", "whatsapp", kT0 + minutes(55))};
  ASSERT_TRUE(events_->AppendAll(batch).ok());
  EXPECT_EQ(ListOf({.kind_prefix = "platform-"}).size(), 3u);
  EXPECT_EQ(ListOf({.kind_prefix = "platform_"}).size(), 0u);
  EXPECT_EQ(ListOf({.subject = "whatsapp"}).size(), 3u);
  const auto whatsapp_platform = ListOf({.kind_prefix = "platform-", .subject = "whatsapp"});
  ASSERT_EQ(whatsapp_platform.size(), 2u);
  EXPECT_EQ(whatsapp_platform[0].kind, "platform-restored");
  const auto since = ListOf({.since = kT0 + minutes(40)});
  ASSERT_EQ(since.size(), 3u);
  EXPECT_EQ(since.back().kind, "platform-down");
  EXPECT_EQ(since.back().subject, "instagram");
  EXPECT_EQ(ListOf({.kind_prefix = "platform-", .since = kT0 + minutes(1)}).size(), 2u);
}

TEST_F(EventStoreTest, BadEventsAreRefusedAndABadBatchWritesNothing) {
  Event no_kind = MakeEvent("", "whatsapp", kT0);
  EXPECT_EQ(events_->Append(no_kind).status().code(), absl::StatusCode::kInvalidArgument);
  Event bad_evidence = MakeEvent("platform-down", "whatsapp", kT0);
  bad_evidence.evidence = nlohmann::json::array({1, 2});
  EXPECT_EQ(events_->Append(bad_evidence).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<Event> batch = {MakeEvent("platform-down", "whatsapp", kT0), MakeEvent("platform-down", "", kT0)};
  const auto status = events_->AppendAll(batch);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(status).find("subject"), std::string::npos) << status;
  EXPECT_TRUE(ListOf({}).empty());
  EXPECT_EQ(events_->List({.limit = 0}).status().code(), absl::StatusCode::kInvalidArgument);

  // Invalid UTF-8 from the outside world does not lose the event.
  Event odd = MakeEvent("mention-spike", "brand", kT0);
  odd.evidence = {{"text", std::string("caf\xC3", 4)}};
  ASSERT_TRUE(events_->Append(odd).ok());
  auto back = events_->Get(odd.id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_TRUE((**back).evidence["text"].is_string());
}

TEST_F(EventStoreTest, EventsSurviveReopeningTheDatabase) {
  Event e = MakeEvent("platform-down", "telegram", kT0);
  ASSERT_TRUE(events_->Append(e).ok());
  events_.reset();
  auto again = store::Open(db_.path().string());
  ASSERT_TRUE(again.ok());
  auto reopened = EventStore::Open(**again);
  ASSERT_TRUE(reopened.ok());
  auto back = (*reopened)->Get(e.id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((**back).subject, "telegram");
  Event next = MakeEvent("platform-restored", "telegram", kT0 + minutes(5));
  ASSERT_TRUE((*reopened)->Append(next).ok());
  EXPECT_GT(next.id, e.id);
}

}  // namespace
}  // namespace faro::history
