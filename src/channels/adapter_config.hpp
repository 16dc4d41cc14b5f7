#pragma once
// Configuration keys the HTTP adapters read the same way: rate, an optional per-recipient rate,
// burst, concurrency and timeout (into Limits), and base_url. Each adapter keeps its own keys,
// defaults and validation of everything else in its folder.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels {

// An adapter's defaults and bounds for the shared keys; an adapter names only what differs.
struct CommonDefaults {
  Rate rate{30, std::chrono::milliseconds(1000)};           // `rate`: 30/s
  std::string_view per_recipient_key;                        // "per_chat_rate", "pair_rate"; empty: none
  Rate per_recipient{1, std::chrono::milliseconds(1000)};  // 1/s
  int burst = 1;
  int concurrency = 4;
  int max_concurrency = 1000;
  std::chrono::milliseconds timeout{15000};
  std::optional<std::chrono::minutes> max_timeout;  // none: any timeout above zero
};

struct CommonSettings {
  Limits limits;  // max_text is the adapter's to set; per_recipient only with per_recipient_key
  std::chrono::milliseconds timeout{15000};
};

// Reads rate, the per-recipient rate (when the adapter has one), burst (1 to 10000),
// concurrency (1 to max_concurrency) and timeout (above zero, at most max_timeout), in that order,
// so the first wrong key is the one reported.
absl::StatusOr<CommonSettings> ReadCommonSettings(const ChannelConfig& config, const CommonDefaults& defaults);

// The optional `base_url` (an http:// or https:// address; `fallback` when missing) without its
// trailing slashes.
absl::StatusOr<std::string> ReadBaseUrl(const ChannelConfig& config, std::string_view fallback);

// "http://x" or "https://x": a scheme the HTTP client speaks and something after it.
bool IsHttpUrl(std::string_view text);

}  // namespace faro::channels
