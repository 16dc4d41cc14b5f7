#include "catalog/expectation.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(Expectation, DefaultAcceptsSuccessAndRedirects) {
  Expectation e;
  EXPECT_TRUE(e.StatusOk(200));
  EXPECT_TRUE(e.StatusOk(302));
  EXPECT_FALSE(e.StatusOk(404));
  EXPECT_FALSE(e.StatusOk(503));
}

TEST(Expectation, ParsesListsRangesAndAny) {
  auto e = ParseExpectedStatus("200-299, 999");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->StatusOk(204));
  EXPECT_TRUE(e->StatusOk(999));
  EXPECT_FALSE(e->StatusOk(301));
  EXPECT_EQ(FormatExpectedStatus(*e), "200-299,999");
  auto any = ParseExpectedStatus("any");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->StatusOk(503));
  EXPECT_EQ(FormatExpectedStatus(*any), "any");
}

TEST(Expectation, RejectsNonsense) {
  for (const char* bad : {"", "2xx", "300-200", "abc", "200-", "99", "1000"})
    EXPECT_FALSE(ParseExpectedStatus(bad).ok()) << bad;
}

}  // namespace
}  // namespace faro
