#pragma once
// Your side's first rung: is any interface up, and is there a default route? Read from the
// kernel's text files; the parsers are pure so they can be tested on captured text.
#include <string>
#include <string_view>

namespace faro {

struct LinkState {
  bool link = false;           // an interface other than loopback is up, with a carrier
  bool default_route = false;  // IPv4 or IPv6
};

// /proc/net/route and /proc/net/ipv6_route contents.
bool HasDefaultRouteV4(std::string_view proc_net_route);
bool HasDefaultRouteV6(std::string_view proc_net_ipv6_route);
// `flags` and `operstate`: the text of /sys/class/net/IF/flags (hex) and .../operstate.
bool InterfaceUsable(std::string_view flags, std::string_view operstate);

// Reads the running system (/proc, /sys).
LinkState ReadLinkState();

}  // namespace faro
