#pragma once
// The agent's side of the push protocol's two HTTP calls (docs/cli.md, "faro agent --server"):
// blocking libcurl calls, one at a time, from the agent's own thread. The token travels only in
// the Authorization header; no message built here ever contains it.
#include <atomic>
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "patrol/push_json.hpp"

namespace faro::patrol {

struct PushServer {
  std::string url;      // base URL, "https://faro.example.com" (a trailing "/" is fine)
  std::string token;    // the vantage's bearer token
  std::string ca_file;  // extra trust anchors for the server's certificate; "" = the system's
  std::chrono::milliseconds timeout{15000};
  // When set and true, a call in progress gives up at once (Cancelled): stopping never waits
  // for a slow server.
  const std::atomic<bool>* cancel = nullptr;
};

// How each answer maps to a status, so callers can decide without reading HTTP codes:
//   transport failure, 5xx, 429  → Unavailable (retry later, with backoff)
//   401, 403                     → Unauthenticated (re-read the token; fetch the assignment again)
//   409                          → FailedPrecondition (the assignment changed: fetch it again)
//   other 4xx, unreadable answer → InvalidArgument (the request or answer is wrong; retrying it as is will not help)
//   cancelled through `cancel`   → Cancelled
absl::StatusOr<Assignment> FetchAssignment(const PushServer& server);
absl::StatusOr<ReadingsAnswer> PostReadings(const PushServer& server, const nlohmann::json& body);

}  // namespace faro::patrol
