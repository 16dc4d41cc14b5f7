#include "history/alert_store.hpp"

#include <gtest/gtest.h>

#include "history/test_db.hpp"

namespace faro::history {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kT0 = FromUnixMillis(1633359600000);  // 2021-10-04 15:00 UTC

class AlertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto alerts = AlertStore::Open(db_.db());
    ASSERT_TRUE(alerts.ok()) << alerts.status();
    alerts_ = std::move(*alerts);
  }

  int64_t NewAlert(const std::string& subject, TimePoint at, int64_t event_id = 1) {
    Alert a;
    a.event_id = event_id;
    a.subject = subject;
    a.kind = "platform-down";
    a.created_at = at;
    auto id = alerts_->Create(a);
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(a.state, "open");
    return id.ok() ? *id : 0;
  }

  Alert GetAlert(int64_t id) {
    auto a = alerts_->Get(id);
    EXPECT_TRUE(a.ok() && a->has_value());
    return a.ok() && a->has_value() ? **a : Alert{};
  }

  TestDatabase db_{"faro_alert_store_test"};
  std::unique_ptr<AlertStore> alerts_;
};

TEST_F(AlertStoreTest, CreateAndReadBack) {
  const int64_t id = NewAlert("whatsapp", kT0, 42);
  const Alert a = GetAlert(id);
  EXPECT_EQ(a.id, id);
  EXPECT_EQ(a.event_id, 42);
  EXPECT_EQ(a.subject, "whatsapp");
  EXPECT_EQ(a.kind, "platform-down");
  EXPECT_EQ(a.state, "open");
  EXPECT_EQ(a.level, 0);
  EXPECT_EQ(a.created_at, kT0);
  EXPECT_FALSE(a.acknowledged_at || a.resolved_at || a.escalated_at);
  EXPECT_TRUE(a.notified.is_array() && a.notified.empty());
  auto missing = alerts_->Get(id + 1);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(AlertStoreTest, NotifiedEntriesAccumulateInOrder) {
  const int64_t id = NewAlert("whatsapp", kT0);
  const nlohmann::json ana = {{"person", "Ana"}, {"role", "owner"}, {"channel", "telegram"},
                              {"message_id", "tg-1"}, {"level", 0}, {"at", "2021-10-04T15:00:05.000Z"}};
  const nlohmann::json leo = {{"person", "Leo"}, {"role", "community-manager"}, {"channel", "email"},
                              {"message_id", "<m2@faro>"}, {"level", 1}, {"at", "2021-10-04T15:10:00.000Z"}};
  ASSERT_TRUE(alerts_->AddNotified(id, ana).ok());
  ASSERT_TRUE(alerts_->AddNotified(id, leo).ok());
  const Alert a = GetAlert(id);
  ASSERT_EQ(a.notified.size(), 2u);
  EXPECT_EQ(a.notified[0], ana);
  EXPECT_EQ(a.notified[1], leo);
  EXPECT_EQ(alerts_->AddNotified(id + 7, ana).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(alerts_->AddNotified(id, "Ana").code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AlertStoreTest, EscalationRecordsLevelAndTimeUntilResolved) {
  const int64_t id = NewAlert("whatsapp", kT0);
  ASSERT_TRUE(alerts_->SetLevel(id, 1, kT0 + minutes(10)).ok());
  Alert a = GetAlert(id);
  EXPECT_EQ(a.level, 1);
  EXPECT_EQ(a.escalated_at, kT0 + minutes(10));
  ASSERT_TRUE(alerts_->Resolve(id, kT0 + minutes(15)).ok());
  const auto status = alerts_->SetLevel(id, 2, kT0 + minutes(20));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(Message(status).find("resolved"), std::string::npos) << status;
  EXPECT_EQ(GetAlert(id).level, 1);
  EXPECT_EQ(alerts_->SetLevel(id + 9, 1, kT0).code(), absl::StatusCode::kNotFound);
}

TEST_F(AlertStoreTest, AcknowledgedOnceAndTheSecondLearnsWhoDid) {
  const int64_t id = NewAlert("instagram", kT0);
  ASSERT_TRUE(alerts_->Acknowledge(id, "Ana", kT0 + minutes(3)).ok());
  Alert a = GetAlert(id);
  EXPECT_EQ(a.state, "acknowledged");
  EXPECT_EQ(a.acknowledged_by, "Ana");
  EXPECT_EQ(a.acknowledged_at, kT0 + minutes(3));

  const auto second = alerts_->Acknowledge(id, "reply:telegram", kT0 + minutes(4));
  EXPECT_EQ(second.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(Message(second).find("already acknowledged by Ana"), std::string::npos) << second;
  EXPECT_NE(Message(second).find("2021-10-04T15:03:00.000Z"), std::string::npos) << second;
  a = GetAlert(id);
  EXPECT_EQ(a.acknowledged_by, "Ana");  // unchanged

  EXPECT_EQ(alerts_->Acknowledge(id + 5, "Ana", kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(alerts_->Acknowledge(id, "", kT0).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AlertStoreTest, ResolveAndOpenFor) {
  const int64_t first = NewAlert("whatsapp", kT0);
  NewAlert("instagram", kT0 + minutes(1));
  auto open = alerts_->OpenFor("whatsapp");
  ASSERT_TRUE(open.ok());
  ASSERT_TRUE(open->has_value());
  EXPECT_EQ((*open)->id, first);

  // Acknowledged is still unresolved.
  ASSERT_TRUE(alerts_->Acknowledge(first, "Leo", kT0 + minutes(2)).ok());
  open = alerts_->OpenFor("whatsapp");
  ASSERT_TRUE(open.ok() && open->has_value());
  EXPECT_EQ((*open)->state, "acknowledged");

  ASSERT_TRUE(alerts_->Resolve(first, kT0 + minutes(30)).ok());
  ASSERT_TRUE(alerts_->Resolve(first, kT0 + minutes(45)).ok());  // again: the first time stays
  const Alert a = GetAlert(first);
  EXPECT_EQ(a.state, "resolved");
  EXPECT_EQ(a.resolved_at, kT0 + minutes(30));
  EXPECT_EQ(a.acknowledged_by, "Leo");
  open = alerts_->OpenFor("whatsapp");
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(open->has_value());
  EXPECT_EQ(alerts_->Resolve(first + 10, kT0).code(), absl::StatusCode::kNotFound);

  // A new outage opens a new alert, which is the open one now.
  const int64_t second = NewAlert("whatsapp", kT0 + hours(2));
  open = alerts_->OpenFor("whatsapp");
  ASSERT_TRUE(open.ok() && open->has_value());
  EXPECT_EQ((*open)->id, second);

  // A resolved alert nobody acknowledged can still be acknowledged; it stays resolved.
  ASSERT_TRUE(alerts_->Resolve(second, kT0 + hours(3)).ok());
  ASSERT_TRUE(alerts_->Acknowledge(second, "Ana", kT0 + hours(4)).ok());
  EXPECT_EQ(GetAlert(second).state, "resolved");
}

TEST_F(AlertStoreTest, ListFiltersByStateNewestFirst) {
  const int64_t a = NewAlert("whatsapp", kT0);
  const int64_t b = NewAlert("instagram", kT0 + minutes(1));
  const int64_t c = NewAlert("telegram", kT0 + minutes(2));
  ASSERT_TRUE(alerts_->Acknowledge(b, "Ana", kT0 + minutes(3)).ok());
  ASSERT_TRUE(alerts_->Resolve(c, kT0 + minutes(4)).ok());

  auto all = alerts_->List("", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, c);
  EXPECT_EQ((*all)[2].id, a);
  auto opened = alerts_->List("open", 10);
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened->size(), 1u);
  EXPECT_EQ((*opened)[0].id, a);
  EXPECT_EQ(alerts_->List("acknowledged", 10)->size(), 1u);
  EXPECT_EQ(alerts_->List("resolved", 10)->size(), 1u);
  EXPECT_EQ(alerts_->List("", 2)->size(), 2u);
  EXPECT_EQ(alerts_->List("closed", 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(alerts_->List("", 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AlertStoreTest, BadAlertsAreRefused) {
  Alert no_subject;
  no_subject.kind = "platform-down";
  EXPECT_EQ(alerts_->Create(no_subject).status().code(), absl::StatusCode::kInvalidArgument);
  Alert bad_state;
  bad_state.subject = "whatsapp";
  bad_state.kind = "platform-down";
  bad_state.state = "snoozed";
  EXPECT_EQ(alerts_->Create(bad_state).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(alerts_->List("", 10)->size(), 0u);
}

}  // namespace
}  // namespace faro::history
