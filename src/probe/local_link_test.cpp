#include "probe/local_link.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

constexpr char kRouteWithDefault[] =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
constexpr char kRouteWithout[] =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";

TEST(LocalLink, FindsTheIpv4DefaultRoute) {
  EXPECT_TRUE(HasDefaultRouteV4(kRouteWithDefault));
  EXPECT_FALSE(HasDefaultRouteV4(kRouteWithout));
  EXPECT_FALSE(HasDefaultRouteV4(""));
}

TEST(LocalLink, IgnoresTheKernelsUnreachableIpv6DefaultOnLo) {
  const char lo_only[] =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
  const char real[] =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n";
  EXPECT_FALSE(HasDefaultRouteV6(lo_only));
  EXPECT_TRUE(HasDefaultRouteV6(real));
}

TEST(LocalLink, InterfaceMustBeUpWithACarrierAndNotLoopback) {
  EXPECT_TRUE(InterfaceUsable("0x1003\n", "up\n"));        // eth0, UP BROADCAST MULTICAST, carrier
  EXPECT_TRUE(InterfaceUsable("0x1091\n", "unknown\n"));   // tun: no carrier reporting
  EXPECT_FALSE(InterfaceUsable("0x1003\n", "down\n"));     // cable out
  EXPECT_FALSE(InterfaceUsable("0x1002\n", "down\n"));     // administratively down
  EXPECT_FALSE(InterfaceUsable("0x1002\n", "unknown\n"));  // not UP, whatever the state
  EXPECT_FALSE(InterfaceUsable("0x9\n", "unknown\n"));     // loopback
  EXPECT_FALSE(InterfaceUsable("", ""));
}

}  // namespace
}  // namespace faro
