#pragma once
// faro.yaml `watch:`, `team:`, `alerts:` and `storage.retention`: what `faro serve` watches, who
// is told, and how long history is kept (docs/configuration.md, "watch").
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "contacts/contact.hpp"
#include "respond/respond.hpp"

namespace faro::setup {

using std::chrono::milliseconds;

struct VantageConfig {
  std::string name;
  std::string token;  // read from token_file; the agent presents it as a bearer token
};

struct MaintenanceConfig {
  std::string platform;  // "*" for every platform
  TimePoint start, end;
  std::string note;
};

struct WatchConfig {
  bool enabled = false;               // the file has a watch: section
  std::vector<std::string> targets;   // platform ids, URLs or @FILE, as faro check takes them
  std::map<std::string, milliseconds> intervals;  // per-target overrides
  milliseconds interval{30000};
  std::string catalog_file;           // "" → the shipped catalog
  std::string resolver;               // IP[:PORT]; "" → /etc/resolv.conf
  std::string ca_file;
  int attempts = 2;
  milliseconds timeout{10000};
  double slow_ms = 2000;
  // Resume each host's TLS session: honest because tls_full_every still verifies the
  // certificate in a full handshake (and after any failure); a third less CPU (bench/watch).
  bool tls_resume = true;
  int tls_full_every = 10;  // with tls_resume: a full handshake at least every N checks of a host
  double jitter = 0.1;
  milliseconds recheck{5000};  // a target that got worse is checked again this soon (0: off)
  milliseconds feed_every{60000};  // official status feeds read at most this often (0: never)
  int confirm_k = 2, confirm_n = 3, recover_after = 3;
  int flap_changes = 4;
  milliseconds flap_window{std::chrono::minutes(30)}, flap_calm{std::chrono::minutes(15)};
  milliseconds vantage_silent_after{90000};
  std::vector<VantageConfig> vantages;
  std::vector<MaintenanceConfig> maintenance;
  milliseconds crowd_dedup{std::chrono::minutes(30)}, crowd_window{std::chrono::minutes(15)};
  double crowd_factor = 3;
  int crowd_min_reports = 5;
  int crowd_per_minute = 5;  // reports accepted per client address per minute (429 above)
  int outbox_min_sends = 5;
  double outbox_fault_share = 0.5;
  milliseconds outbox_window{std::chrono::minutes(5)};
};

struct TeamMemberConfig {
  std::string name, role;
  Lang lang = Lang::kEs;
  contacts::Contact identities;       // phone, email, telegram ... from `reach`
  std::vector<std::string> channels;  // reach order
};

struct RetentionConfig {
  std::chrono::hours raw{48}, minute{24 * 30}, hour{24 * 365};
};

// Readers called by LoadFaroConfig; `channels` are the configured channel ids and types.
absl::Status ReadWatch(const YamlReader& r, const YAML::Node& node, WatchConfig& watch);
absl::Status ReadTeam(const YamlReader& r, const YAML::Node& node,
                      const std::map<std::string, channels::AddressKind>& channels, const std::string& region,
                      std::vector<TeamMemberConfig>& team);
absl::Status ReadAlerts(const YamlReader& r, const YAML::Node& node, respond::AlertRules& rules);
absl::Status ReadRetention(const YamlReader& r, const YAML::Node& node, RetentionConfig& retention);

}  // namespace faro::setup
