#pragma once
// What a healthy answer looks like for one endpoint: accepted HTTP statuses and, optionally,
// a piece of text the body must contain.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace faro {

struct Expectation {
  bool any_status = false;                     // OONI style: any HTTP answer is healthy
  std::vector<std::pair<int, int>> statuses;   // inclusive ranges; empty means 200-399
  std::string body_contains;

  bool StatusOk(int status) const;
};

// Parses "200-399,999", "204" or "any".
absl::StatusOr<Expectation> ParseExpectedStatus(std::string_view text);

// The inverse of ParseExpectedStatus, for the agent protocol and for messages.
std::string FormatExpectedStatus(const Expectation& expectation);

}  // namespace faro
