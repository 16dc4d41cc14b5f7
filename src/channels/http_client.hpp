#pragma once
// The blocking HTTP client the HTTP-based adapters share (libcurl easy, one keep-alive
// connection cache per worker thread). A transport failure (DNS, connect, TLS, timeout) is an
// error Status; any HTTP answer, 4xx and 5xx included, is a response for the adapter to judge.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string basic_user;  // HTTP Basic when not empty
  std::string basic_password;
  std::chrono::milliseconds timeout{15000};
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string Header(std::string_view name) const;            // "" when absent
};

absl::StatusOr<HttpResponse> PerformHttp(const HttpRequest& request);

// "a=1&b=x%20y" from pairs, percent-encoding each key and value.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// Adds "Idempotency-Key: <key>" unless the key is empty; control characters are dropped so the
// header stays one line whatever the caller put in the key.
void AddIdempotencyKey(HttpRequest& request, std::string_view key);

// Results other than an acceptance. `code` is the provider's ("131047", "429") or Faro's own
// ("bad-address", "too-long"); `detail` says what happened, for people, and never holds a secret.
SendResult NotSent(ResultKind kind, std::string code, std::string detail);
// kRateLimited, asking the outbox to wait `wait`.
SendResult RateLimited(std::string code, std::string detail, std::chrono::milliseconds wait);
// kTransient and the provider's fault: it counts towards the provider's circuit breaker.
SendResult ProviderFault(std::string code, std::string detail);

// A transport failure as a SendResult: transient, and the provider's fault.
SendResult TransportFailure(const absl::Status& status);

// Seconds from a Retry-After header ("120"); dates are not used by these providers.
std::chrono::milliseconds RetryAfter(const HttpResponse& response, std::chrono::milliseconds fallback);

}  // namespace faro::channels
