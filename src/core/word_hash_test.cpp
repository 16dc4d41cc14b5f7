#include "core/word_hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace faro {
namespace {

TEST(WordHash, IsTheSameOnEveryMachine) {
  // Pinned: tables keyed by it fill the same way on every build and processor (little-endian
  // reads whatever the byte order). A change of algorithm must change these on purpose.
  EXPECT_EQ(WordHash("caido"), 0xc3224beaaade23cfULL);                // 4 to 7 bytes
  EXPECT_EQ(WordHash("#whatsappdown"), 0x0d1ef59f8c9aa362ULL);        // 8 to 16
  EXPECT_EQ(WordHash("extraordinariamente"), 0x064e74370f71fa41ULL);  // longer
}

TEST(WordHash, EveryByteCounts) {
  // For every length up to 40 (both short paths and the long one), changing any one byte, or
  // the length, changes the hash.
  std::set<std::uint64_t> seen;
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string s(n, 'a');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::uint64_t base = WordHash(s);
    EXPECT_TRUE(seen.insert(base).second) << "length " << n;
    for (std::size_t i = 0; i < n; ++i) {
      std::string t = s;
      t[i] = static_cast<char>(t[i] ^ 0x01);
      EXPECT_NE(WordHash(t), base) << "length " << n << ", byte " << i;
    }
  }
}

TEST(WordHash, ReadsOnlyTheString) {
  // The same bytes give the same hash wherever they lie and whatever follows them.
  const std::string a = "xxpanaderia solyy";
  const std::string b = "panaderia sol";
  EXPECT_EQ(WordHash(std::string_view(a).substr(2, 13)), WordHash(b));
  EXPECT_EQ(WordHash(std::string_view(a).substr(2, 3)), WordHash("pan"));
}

}  // namespace
}  // namespace faro
