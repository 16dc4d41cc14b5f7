#pragma once
// The evidence one check leaves: outcome, cause and the time of each phase.
#include <optional>
#include <string>

#include "core/cause.hpp"

namespace faro {

// Milliseconds per phase, not cumulative; unset when the phase did not happen.
struct Phases {
  std::optional<double> dns, connect, tls, first_byte, total;
};

struct ProbeResult {
  Outcome outcome = Outcome::kFail;
  Cause cause = Cause::kNone;
  int attempts = 0;
  std::string address;   // IP connected to (or that DNS gave)
  int http_status = 0;   // 0: no HTTP answer
  std::string detail;
  Phases phases;         // of the last attempt
  std::string body;      // up to the request's body_limit bytes
};

}  // namespace faro
