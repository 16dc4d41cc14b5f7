#pragma once
// Turns what one attempt saw into an outcome and a cause. Pure: the probe engine gathers the
// facts, this decides, and the table test (classify_test.cpp) pins every branch.
#include <string>

#include "core/cause.hpp"
#include "probe/dns_resolver.hpp"

namespace faro {

struct AttemptFacts {
  bool dns_asked = false;
  DnsStatus dns = DnsStatus::kOk;
  std::string dns_detail;
  // From curl (only when DNS succeeded or was not needed):
  int curl_code = 0;          // CURLcode
  int os_errno = 0;           // CURLINFO_OS_ERRNO
  bool connected = false;     // TCP connect finished
  bool tls_done = false;      // TLS handshake finished (https, tls://)
  bool uses_tls = false;
  bool speaks_http = false;
  int http_status = 0;
  bool status_expected = true;
  bool body_expected = true;
  double total_ms = 0;
  double slow_ms = 2000;
  std::string curl_error;     // curl's error buffer
};

struct Classification {
  Outcome outcome = Outcome::kOk;
  Cause cause = Cause::kNone;
  std::string detail;
};

Classification Classify(const AttemptFacts& facts);

}  // namespace faro

namespace faro {
// The cause a failed lookup stands for (DnsStatus::kOk gives Cause::kNone).
Cause DnsCause(DnsStatus status);
}  // namespace faro
