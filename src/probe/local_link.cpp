#include "probe/local_link.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/strings.hpp"

namespace faro {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool HasDefaultRouteV4(std::string_view text) {
  // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; flags 0x1 = RTF_UP.
  bool header = true;
  for (std::string_view line : Split(text, "\n")) {
    if (header) { header = false; continue; }
    std::vector<std::string_view> f = Split(line, " \t", true);
    if (f.size() < 8) continue;
    const unsigned long flags = std::strtoul(std::string(f[3]).c_str(), nullptr, 16);
    if (f[1] == "00000000" && f[7] == "00000000" && (flags & 0x1)) return true;
  }
  return false;
}

bool HasDefaultRouteV6(std::string_view text) {
  // dest plen src splen nexthop metric refcnt use flags iface; the unreachable ::/0 route the
  // kernel keeps on "lo" does not count.
  for (std::string_view line : Split(text, "\n")) {
    std::vector<std::string_view> f = Split(line, " \t", true);
    if (f.size() < 10) continue;
    if (f[0] == "00000000000000000000000000000000" && f[1] == "00" && f[9] != "lo") {
      const unsigned long flags = std::strtoul(std::string(f[8]).c_str(), nullptr, 16);
      const bool up = flags & 0x1, reject = flags & 0x200;
      if (up && !reject) return true;
    }
  }
  return false;
}

bool InterfaceUsable(std::string_view flags, std::string_view operstate) {
  const unsigned long value = std::strtoul(std::string(Trim(flags)).c_str(), nullptr, 16);
  constexpr unsigned long kUp = 0x1, kLoopback = 0x8;
  // sysfs "flags" never carries IFF_RUNNING; the operational state says whether there is a
  // carrier ("unknown" is what drivers without carrier reporting, tun or dummy, say when up).
  const std::string_view state = Trim(operstate);
  return (value & kUp) && !(value & kLoopback) && (state == "up" || state == "unknown");
}

LinkState ReadLinkState() {
  LinkState state;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/sys/class/net", ec)) {
    if (InterfaceUsable(ReadFile((entry.path() / "flags").string()), ReadFile((entry.path() / "operstate").string()))) {
      state.link = true;
      break;
    }
  }
  state.default_route = HasDefaultRouteV4(ReadFile("/proc/net/route")) ||
                        HasDefaultRouteV6(ReadFile("/proc/net/ipv6_route"));
  return state;
}

}  // namespace faro
