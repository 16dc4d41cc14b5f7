#include "core/query_params.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(QueryParams, ReadsWholeNumbersWithinTheirRange) {
  const QueryParams q = {{"limit", "20"}, {"offset", ""}, {"before", "-1"}, {"max", "1000"}};
  EXPECT_EQ(*QueryInt(q, "limit", 50, 1, 1000), 20);
  EXPECT_EQ(*QueryInt(q, "offset", 7, 0, 10), 7) << "empty: the fallback";
  EXPECT_EQ(*QueryInt(q, "absent", 7, 0, 10), 7);
  EXPECT_EQ(*QueryInt(q, "max", 1, 1, 1000), 1000);
  EXPECT_EQ(Message(QueryInt(q, "before", 0, 0, 10).status()), "before: expected a whole number from 0 to 10, got \"-1\"");
}

TEST(QueryParams, RefusesWhatIsNotAWholeNumber) {
  for (const char* bad : {"ten", "1.5", "1e3", " 1", "1 ", "+1", "99999999999999999999"}) {
    const QueryParams q = {{"limit", bad}};
    const auto limit = QueryInt(q, "limit", 50, 1, 1000);
    ASSERT_FALSE(limit.ok()) << bad;
    EXPECT_EQ(limit.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(Message(limit.status()).find("limit: expected a whole number from 1 to 1000"), std::string::npos);
  }
  EXPECT_EQ(QueryText({{"q", "caído"}}, "q"), "caído");
  EXPECT_EQ(QueryText({}, "q"), "");
}

}  // namespace
}  // namespace faro
