#pragma once
// What a check points at: http(s) URLs, or tls://HOST:PORT and tcp://HOST:PORT for checks
// that stop after the TLS handshake or the TCP connect.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro {

enum class Scheme { kHttp, kHttps, kTls, kTcp };

struct ProbeUrl {
  Scheme scheme = Scheme::kHttps;
  std::string host;      // without brackets for IPv6 literals
  std::uint16_t port = 0;
  bool host_is_ip = false;
  std::string text;      // the URL as curl normalised it (tcp:// and tls:// kept as given)
  std::string target;    // what an HTTP request line asks for: path and query ("/" at least)

  bool UsesTls() const { return scheme == Scheme::kHttps || scheme == Scheme::kTls; }
  bool SpeaksHttp() const { return scheme == Scheme::kHttp || scheme == Scheme::kHttps; }
};

// Parses and validates a URL. Errors say what is wrong, e.g. "tcp:// needs a port".
absl::StatusOr<ProbeUrl> ParseProbeUrl(std::string_view text);

// True when `text` is an IPv4 or IPv6 address literal.
bool IsIpLiteral(std::string_view text);

}  // namespace faro
