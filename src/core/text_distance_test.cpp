#include "core/text_distance.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(EditDistance, CountsEditsIgnoringAsciiCase) {
  EXPECT_EQ(EditDistance("whatsapp", "whatsapp"), 0u);
  EXPECT_EQ(EditDistance("whatsap", "whatsapp"), 1u);
  EXPECT_EQ(EditDistance("WhatsApp", "whatsapp"), 0u);
  EXPECT_EQ(EditDistance("instagarm", "instagram"), 2u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

}  // namespace
}  // namespace faro
