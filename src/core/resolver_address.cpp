#include "core/resolver_address.hpp"

#include <algorithm>
#include <charconv>

#include "core/strings.hpp"
#include "core/probe_url.hpp"

namespace faro {

std::string ResolverAddress::ToString() const {
  return ipv6 ? StrCat("[", ip, "]:", port) : StrCat(ip, ":", port);
}

absl::StatusOr<ResolverAddress> ParseResolverAddress(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        StrCat("expected a resolver address IP[:PORT] such as 1.1.1.1 or [::1]:53, got \"",
                     text, "\""));
  };
  ResolverAddress out;
  std::string_view ip = text, port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return bad();
    ip = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad();
      port = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    ip = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (!IsIpLiteral(ip)) return bad();
  out.ip = std::string(ip);
  out.ipv6 = out.ip.find(':') != std::string::npos;
  if (!port.empty() || (text.size() > ip.size() && text.back() == ':')) {
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p <= 0 || p > 65535) return bad();
    out.port = static_cast<std::uint16_t>(p);
  }
  return out;
}

}  // namespace faro
