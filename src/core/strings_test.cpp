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
  EXPECT_TRUE(EqualsIgnoreCase("PanaderiaSol", "panaderiasol"));
  EXPECT_FALSE(EqualsIgnoreCase("sol", "sol_"));
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));  // 'Z' + 1 is not a letter
  EXPECT_FALSE(EqualsIgnoreCase("Ñ", "ñ"));  // ASCII only
}

TEST(Strings, EscapeHtmlAndXml) {
  EXPECT_EQ(EscapeHtml("<b>Tom & \"Ana's\"</b>"), "&lt;b&gt;Tom &amp; &quot;Ana&#39;s&quot;&lt;/b&gt;");
  EXPECT_EQ(EscapeHtml("tab\tbell\a"), "tab\tbell\a");  // HTML keeps what it is given
  EXPECT_EQ(EscapeXml("<Say>Ana's & \"Tom\"</Say>"), "&lt;Say&gt;Ana&apos;s &amp; &quot;Tom&quot;&lt;/Say&gt;");
  EXPECT_EQ(EscapeXml("a\tb\nc\rd\ae\x01" "f"), "a\tb\nc\rd e f");  // XML 1.0 forbids the others
  EXPECT_EQ(EscapeXml("ñ 😀"), "ñ 😀");
}

}  // namespace
}  // namespace faro
