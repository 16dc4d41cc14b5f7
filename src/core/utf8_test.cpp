#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace faro {
namespace {

TEST(Utf8, ValidityFollowsTheStandard) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Panadería Sol 😀"));
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is a character
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));              // Latin-1, not UTF-8
  EXPECT_FALSE(IsValidUtf8("\x80"));                 // a stray continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));             // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));         // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));     // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));             // cut short
}

TEST(Utf8, NextCodePointDecodesAndReplacesInvalidBytes) {
  const std::string text = "a\xC3\xB1\xF0\x9F\x98\x80\xFFz";  // a ñ 😀 <invalid> z
  std::vector<char32_t> seen;
  for (std::size_t pos = 0; pos < text.size();) seen.push_back(NextCodePoint(text, pos));
  EXPECT_EQ(seen, (std::vector<char32_t>{U'a', U'ñ', U'😀', U'\uFFFD', U'z'}));
}

TEST(Utf8, CountsCharactersAndClipsOnABoundary) {
  EXPECT_EQ(CountCodePoints("ñandú 😀"), 7u);
  EXPECT_EQ(ClipUtf8("hola", 4), "hola");
  EXPECT_EQ(ClipUtf8("hola", 3), "hol…");
  EXPECT_EQ(ClipUtf8("añb", 2), "a…");  // "ñ" is two bytes: not split
  EXPECT_EQ(ClipUtf8("ñ", 0), "…");
}

}  // namespace
}  // namespace faro
