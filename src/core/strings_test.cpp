#include "core/strings.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(Strings, StrCatFormatsNumbersAndViews) {
  std::string_view view = "wa";
  EXPECT_EQ(StrCat(view, ":", 443, " ", 1.5), "wa:443 1.5");
  std::string s = "x";
  StrAppend(s, '=', 7);
  EXPECT_EQ(s, "x=7");
}

TEST(Strings, SplitJoinTrimCase) {
  EXPECT_EQ(Split("a,,b", ","), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(Split("a  b\tc", " \t", true), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(Trim("  x y \n"), "x y");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(ToLower("WhatsApp"), "whatsapp");
  EXPECT_TRUE(ContainsIgnoreCase("Gmail outage", "gmail"));
  EXPECT_FALSE(Contains("abc", "d"));
}

}  // namespace
}  // namespace faro
