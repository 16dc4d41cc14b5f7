#pragma once
// What the watch watches and how strictly: platforms, vantages, thresholds, maintenance.
// All durations are plain std::chrono values; the config layer parses "30s" etc. into them.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::watch {

struct WatchPolicy {
  std::chrono::milliseconds interval{30000};      // probe interval; a vantage reading is fresh for 2.5 × interval
  int confirm_k = 2, confirm_n = 3;                // a worse state is entered when k of the last n fused evaluations say so
  int recover_after = 3;                           // consecutive better evaluations before leaving a bad state
  int flap_changes = 4;                            // this many state changes within flap_window → flapping
  std::chrono::milliseconds flap_window{std::chrono::minutes(30)};
  std::chrono::milliseconds flap_calm{std::chrono::minutes(15)};   // no change for this long → flapping over
  std::chrono::milliseconds vantage_silent_after{std::chrono::seconds(90)};  // an agent with no reading for this long is "silent"
  // crowd reports
  std::chrono::milliseconds crowd_dedup{std::chrono::minutes(30)};  // one report per reporter per platform per window
  std::chrono::milliseconds crowd_window{std::chrono::minutes(15)}; // counted window
  double crowd_factor = 3.0;
  int crowd_min_reports = 5;  // surge: count ≥ max(min, factor × baseline for this time of week)
  // outbox
  int outbox_min_sends = 5;
  double outbox_fault_share = 0.5;
  std::chrono::milliseconds outbox_window{std::chrono::minutes(5)};

  // How long a vantage's reading counts in fusion.
  std::chrono::milliseconds Freshness() const { return interval * 5 / 2; }
};

// A planned window: transitions inside it are recorded but not announced.
struct MaintenanceWindow {
  std::string platform;  // "" or "*" = all platforms
  TimePoint start, end;  // [start, end)
  std::string note;
  bool Covers(const std::string& platform_id, TimePoint at) const {
    return (platform.empty() || platform == "*" || platform == platform_id) && start <= at && at < end;
  }
};

struct WatchSetup {
  std::vector<std::string> platforms;   // platform ids watched
  std::string home = "here";            // this node's vantage name
  std::vector<std::string> vantages;    // configured agents (expected to report)
  WatchPolicy policy;
  std::vector<MaintenanceWindow> maintenance;
  // Names for people ("whatsapp" → "WhatsApp"), used in summaries; the id when missing.
  std::map<std::string, std::string> names;
};

// Checks the setup a config file produced: positive durations, 1 ≤ k ≤ n, shares in (0, 1],
// windows that end after they start, no duplicate platforms or vantages, the home vantage not
// listed as an agent. The message names the offending key ("watch.confirm_k: ...").
absl::Status ValidateSetup(const WatchSetup& setup);

// The setup with every out-of-range value brought into range (the Watch uses this, so a setup
// that skipped validation still cannot make it misbehave).
WatchSetup Sanitized(WatchSetup setup);

}  // namespace faro::watch
