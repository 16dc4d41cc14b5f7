#include "core/cause.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(Cause, NamesRoundTrip) {
  for (Cause c : {Cause::kDnsServfail, Cause::kDnsNxdomain, Cause::kDnsTimeout, Cause::kTcpRefused,
                  Cause::kTcpTimeout, Cause::kTls, Cause::kHttp5xx, Cause::kHttp429,
                  Cause::kHttp4xx, Cause::kSlow, Cause::kApp}) {
    auto back = CauseFromName(CauseName(c));
    ASSERT_TRUE(back.has_value()) << CauseName(c);
    EXPECT_EQ(*back, c);
  }
  EXPECT_EQ(CauseName(Cause::kNone), "");
  EXPECT_FALSE(CauseFromName("dns").has_value());
}

TEST(Cause, LayersAreOrderedFromTheNetworkUp) {
  EXPECT_LT(CauseLayerRank(Cause::kDnsTimeout), CauseLayerRank(Cause::kTcpRefused));
  EXPECT_LT(CauseLayerRank(Cause::kTcpRefused), CauseLayerRank(Cause::kTls));
  EXPECT_LT(CauseLayerRank(Cause::kTls), CauseLayerRank(Cause::kHttp5xx));
  EXPECT_TRUE(IsDnsCause(Cause::kDnsNxdomain));
  EXPECT_FALSE(IsDnsCause(Cause::kTls));
}

}  // namespace
}  // namespace faro
