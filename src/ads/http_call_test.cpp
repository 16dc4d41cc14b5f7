#include "ads/http_call.hpp"

#include <gtest/gtest.h>

namespace faro::ads {
namespace {

channels::HttpRequest Request(std::string method, std::string url, std::string body = {}) {
  channels::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  return r;
}

TEST(HttpCallTest, LetsPausesAndResumesThrough) {
  EXPECT_TRUE(CheckReversible(Request("POST", "http://x/v25.0/1", "status=PAUSED")).ok());
  EXPECT_TRUE(CheckReversible(Request("POST", "http://x/v25.0/1", "status=ACTIVE&name=Archived%20deals")).ok());
  EXPECT_TRUE(CheckReversible(Request("POST", "http://x/m",
                                      R"({"operations":[{"update":{"status":"PAUSED"},"updateMask":"status"}]})"))
                  .ok());
  // Words in names and queries are not statuses.
  EXPECT_TRUE(CheckReversible(Request("POST", "http://x/s", R"({"query":"SELECT campaign.status WHERE campaign.status != 'REMOVED'"})")).ok());
  EXPECT_TRUE(CheckReversible(Request("POST", "http://x/c", "name=DELETED")).ok());
  EXPECT_TRUE(CheckReversible(Request("GET", "http://x/v25.0/act_1/campaigns?fields=id,status")).ok());
}

TEST(HttpCallTest, RefusesEveryWayToArchiveOrDelete) {
  const std::vector<channels::HttpRequest> refused = {
      Request("DELETE", "http://x/v25.0/1"),
      Request("delete", "http://x/v25.0/1"),
      Request("POST", "http://x/v25.0/1", "status=ARCHIVED"),
      Request("POST", "http://x/v25.0/1", "name=x&status=deleted"),
      Request("POST", "http://x/v25.0/1?status=DELETED"),
      Request("POST", "http://x/v25.0/1", "configured_status=%41RCHIVED"),  // percent-encoded
      Request("POST", "http://x/m", R"({"operations":[{"update":{"status":"REMOVED"},"updateMask":"status"}]})"),
      Request("POST", "http://x/m", R"({"operations":[{"remove":"customers/1/campaigns/2"}]})"),
      Request("POST", "http://x/u", R"({"campaign_ids":["1"],"operation_status":"DELETE"})"),
      Request("POST", "http://x/u", R"({"campaign_ids":["1"],"operation_status":" delete "})"),
  };
  for (const channels::HttpRequest& r : refused) {
    const absl::Status s = CheckReversible(r);
    EXPECT_FALSE(s.ok()) << r.method << " " << r.url << " " << r.body;
    EXPECT_EQ(ClassOf(s), ErrorClass::kPermanent);
    EXPECT_EQ(ErrorCode(s), "irreversible");
  }
}

TEST(HttpCallTest, ErrorsCarryClassCodeAndWait) {
  const absl::Status limited = AdError(ErrorClass::kRateLimited, "slow down", "17", std::chrono::minutes(19));
  EXPECT_EQ(ClassOf(limited), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryWait(limited), std::chrono::minutes(19));
  EXPECT_EQ(ErrorCode(limited), "17");
  EXPECT_EQ(ClassOf(AdError(ErrorClass::kAuth, "token")), ErrorClass::kAuth);
  EXPECT_EQ(ClassOf(AdError(ErrorClass::kTransient, "5xx")), ErrorClass::kTransient);
  EXPECT_EQ(ClassOf(AdError(ErrorClass::kPermanent, "bad")), ErrorClass::kPermanent);
  EXPECT_EQ(ClassOf(absl::UnavailableError("x")), ErrorClass::kTransient);
  EXPECT_EQ(ClassOf(absl::InvalidArgumentError("x")), ErrorClass::kPermanent);
  EXPECT_EQ(RetryWait(absl::UnavailableError("x")).count(), 0);
  EXPECT_EQ(WaitText(std::chrono::minutes(19)), "19 min");
  EXPECT_EQ(WaitText(std::chrono::seconds(30)), "30 s");
  EXPECT_EQ(WaitText(std::chrono::minutes(65)), "1 h 5 min");
}

TEST(HttpCallTest, DateRangesAreCheckedDates) {
  EXPECT_TRUE(ValidateDateRange({"2026-01-01", "2026-01-07"}).ok());
  EXPECT_TRUE(ValidateDateRange({"2024-02-29", "2024-02-29"}).ok());
  EXPECT_FALSE(ValidateDateRange({"2026-02-29", "2026-03-01"}).ok());
  EXPECT_FALSE(ValidateDateRange({"2026-01-07", "2026-01-01"}).ok());
  EXPECT_FALSE(ValidateDateRange({"2026-1-1", "2026-01-02"}).ok());
  EXPECT_FALSE(ValidateDateRange({"2026-01-01", "yesterday"}).ok());
}

}  // namespace
}  // namespace faro::ads
