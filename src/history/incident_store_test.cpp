#include "history/incident_store.hpp"

#include <gtest/gtest.h>

#include "history/test_db.hpp"

namespace faro::history {
namespace {

const TimePoint kT0 = FromUnixMillis(1633359600000);  // 2021-10-04 15:00 UTC

StoredIncident Incident(int64_t id, const std::string& state, const std::string& kind, int64_t max_action) {
  StoredIncident s;
  s.id = id;
  s.plan = "small-business";
  s.playbook = kind == "outage" ? "messaging-outage" : "reputation";
  s.kind = kind;
  s.state = state;
  s.subject = kind == "outage" ? "whatsapp" : "brand:ana";
  s.opened_at = kT0 + std::chrono::minutes(id);
  s.updated_at = s.opened_at + std::chrono::minutes(5);
  s.max_action = max_action;
  s.json = "{\"id\": " + std::to_string(id) + ", \"state\": \"" + state + "\"}";
  return s;
}

class IncidentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto store = IncidentStore::Open(db_.db());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  TestDatabase db_{"incident_store"};
  std::unique_ptr<IncidentStore> store_;
};

TEST_F(IncidentStoreTest, SaveReplacesTheRecordAndListsNewestFirstWithFilters) {
  ASSERT_TRUE(store_->Save({Incident(1, "closed", "outage", 9), Incident(2, "active", "crisis", 14),
                            Incident(3, "active", "outage", 12)})
                  .ok());
  StoredIncident changed = Incident(3, "stable", "outage", 20);
  changed.json = R"({"id": 3, "state": "stable", "timeline": []})";
  ASSERT_TRUE(store_->Save({changed}).ok());

  auto all = store_->List({});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, 3);
  EXPECT_EQ((*all)[0].state, "stable");
  EXPECT_EQ((*all)[0].json, changed.json);
  EXPECT_EQ((*all)[0].max_action, 20);
  EXPECT_EQ((*all)[0].opened_at, changed.opened_at);

  auto outages = store_->List({.state = "", .kind = "outage"});
  ASSERT_TRUE(outages.ok());
  ASSERT_EQ(outages->size(), 2u);
  EXPECT_EQ((*outages)[1].id, 1);
  EXPECT_EQ(*store_->Count({.state = "closed"}), 1);

  auto page = store_->List({.state = "", .kind = "", .limit = 1, .offset = 1});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, 2);

  auto open = store_->Unclosed();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, 2) << "oldest first";

  auto max = store_->Max();
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->incident, 3);
  EXPECT_EQ(max->action, 20);
  auto by_state = store_->CountByState();
  ASSERT_TRUE(by_state.ok());
  EXPECT_EQ((*by_state)["active"], 1);
  EXPECT_EQ((*by_state)["stable"], 1);
  EXPECT_EQ((*by_state)["closed"], 1);
  EXPECT_FALSE((*store_->Get(4)).has_value());
  EXPECT_EQ((*store_->Get(2))->subject, "brand:ana");
}

TEST_F(IncidentStoreTest, BadInputIsRefusedAndNothingOfTheBatchIsWritten) {
  const absl::Status bad = store_->Save({Incident(1, "active", "outage", 1), Incident(2, "open", "outage", 2)});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("\"open\""), std::string::npos) << bad;
  EXPECT_EQ(*store_->Count({}), 0);
  EXPECT_FALSE(store_->List({.state = "sideways"}).ok());
  EXPECT_FALSE(store_->List({.state = "", .kind = "", .limit = 0}).ok());
  EXPECT_FALSE(store_->List({.state = "", .kind = "", .limit = 10, .offset = -1}).ok());
  StoredIncident empty = Incident(5, "active", "outage", 1);
  empty.json.clear();
  EXPECT_FALSE(store_->Save({empty}).ok());
}

TEST_F(IncidentStoreTest, SurvivesReopeningTheDatabase) {
  ASSERT_TRUE(store_->Save({Incident(7, "active", "outage", 33)}).ok());
  store_.reset();
  auto again = store::Open(db_.path().string(), store::Durability::kProcessCrash);
  ASSERT_TRUE(again.ok());
  auto reopened = IncidentStore::Open(**again);
  ASSERT_TRUE(reopened.ok());
  auto got = (*reopened)->Get(7);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->max_action, 33);
  EXPECT_EQ((*got)->json, Incident(7, "active", "outage", 33).json);
}

}  // namespace
}  // namespace faro::history
