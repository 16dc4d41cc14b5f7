#include "text/stop_words.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(StopWords, EveryListedFunctionWordAndNothingElse) {
  // The first, the last and the longest of the list, and words next to them in order.
  EXPECT_TRUE(IsStopWord("a"));
  EXPECT_TRUE(IsStopWord("we"));
  EXPECT_TRUE(IsStopWord("que"));
  EXPECT_TRUE(IsStopWord("like"));
  EXPECT_TRUE(IsStopWord("tambien"));
  EXPECT_TRUE(IsStopWord("because"));
  EXPECT_TRUE(IsStopWord("don't"));
  EXPECT_TRUE(IsStopWord("no"));
  EXPECT_FALSE(IsStopWord("quea"));
  EXPECT_FALSE(IsStopWord("becausee"));
  EXPECT_FALSE(IsStopWord("estafa"));
  EXPECT_FALSE(IsStopWord("ig"));  // Instagram, not a function word
  EXPECT_FALSE(IsStopWord("wee"));
  EXPECT_FALSE(IsStopWord("alfajores"));  // longer than any in the list
  EXPECT_FALSE(IsStopWord(""));
}

}  // namespace
}  // namespace faro
