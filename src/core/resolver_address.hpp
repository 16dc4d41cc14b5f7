#pragma once
// A DNS server to ask: "1.1.1.1", "1.1.1.1:5353", "2606:4700::1111", "[::1]:53".
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro {

struct ResolverAddress {
  std::string ip;
  std::uint16_t port = 53;
  bool ipv6 = false;
  // "1.1.1.1:53" or "[::1]:53": the form c-ares and the JSON output use.
  std::string ToString() const;
};

absl::StatusOr<ResolverAddress> ParseResolverAddress(std::string_view text);

}  // namespace faro
