#include "core/resolver_address.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(ResolverAddress, AcceptsIpv4AndIpv6WithOrWithoutPort) {
  auto a = ParseResolverAddress("1.1.1.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "1.1.1.1:53");
  auto b = ParseResolverAddress("192.0.2.2:5353");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 5353);
  auto c = ParseResolverAddress("2606:4700::1111");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->ipv6);
  EXPECT_EQ(c->ToString(), "[2606:4700::1111]:53");
  auto d = ParseResolverAddress("[::1]:5300");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ip, "::1");
  EXPECT_EQ(d->port, 5300);
}

TEST(ResolverAddress, RejectsNamesAndBadPorts) {
  for (const char* bad : {"", "dns.google", "1.1.1.1:", "1.1.1.1:0", "1.1.1.1:70000", "[::1",
                          "[::1]x", "1.2.3"}) {
    EXPECT_FALSE(ParseResolverAddress(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace faro
