#pragma once
// faro.yaml: one file for every capability, validated at start with file:line:column and the
// key in every error: business, storage, channels and failover, the outbox, the server, the watch
// and the team, listening, ad accounts and contingency plans.
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "channels/channel.hpp"
#include "config/yaml_reader.hpp"
#include "core/lang.hpp"
#include "outbox/broadcast.hpp"
#include "outbox/retry_policy.hpp"
#include "outbox/routing.hpp"
#include "setup/listen_sources_config.hpp"
#include "setup/pages_config.hpp"
#include "setup/plans_config.hpp"
#include "setup/watch_config.hpp"
#include "store/sqlite.hpp"

namespace faro::setup {

struct Business {
  std::string name = "Faro";
  Lang lang = Lang::kEs;
  std::string timezone = "UTC";
  std::string region = "US";  // default country for phone numbers written without +CC
};

struct ConfiguredChannel {
  outbox::ChannelInfo info;
  std::unique_ptr<channels::Channel> channel;
};

struct FailoverRule {
  std::string broadcast_template;  // told to the failed channel's contacts ("" → none)
  bool automatic = true;           // `faro serve` fails over by itself when the platform is down
  std::set<std::string> scopes = {"global", "regional", "unconfirmed"};  // outage scopes that act
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::string public_url;  // how providers reach us (Twilio signs this URL); default http://listen
  std::string api_tokens_file;
};

// listen: social listening inside `faro serve` (docs/configuration.md, "listen").
struct ListenConfig {
  bool enabled = false;    // the section is present
  std::string rules_file;  // brands, topics and outage chatter (docs/listening.md, "Rules")
  std::string meta_app_secret;    // signs Meta's comment and mention webhooks (X-Hub-Signature-256)
  std::string meta_verify_token;  // answers Meta's subscription handshake
  ListenSourcesConfig sources;     // what `faro serve` pulls itself: the X stream, feeds
};

struct WebhookSecrets {
  std::string whatsapp_app_secret;
  std::string whatsapp_verify_token;
  std::string telegram_secret_token;
  std::string twilio_auth_token;
  std::string unsubscribe_key;  // signs one-click unsubscribe links
};

struct FaroConfig {
  std::string file;
  Business business;
  std::string database = "faro.db";
  store::Durability durability = store::Durability::kPowerLoss;
  // crisis_log: the folder where `faro serve` keeps each closed incident and its reports
  // (docs/crisis-log.md). Default: "crisis-log" beside the database file.
  std::string crisis_log;
  std::vector<ConfiguredChannel> channels;  // in the business's order
  std::map<std::string, FailoverRule> failover;
  outbox::BackoffPolicy backoff;
  outbox::BreakerPolicy breaker;
  outbox::QuietHours quiet_hours;
  std::string templates_file;  // "" → the built-in templates
  ServerConfig server;
  WebhookSecrets secrets;
  WatchConfig watch;
  ListenConfig listen;
  std::vector<TeamMemberConfig> team;
  respond::AlertRules alerts;
  RetentionConfig retention;
  AdsConfig ads;      // ads: the accounts contingency plans may pause
  PlansConfig plans;  // plans: the contingency plans `faro serve` runs
  PagesConfig pages;  // pages: whose scheduled posts the restoration check verifies

  outbox::RoutingTable Routing() const;
  channels::Channel* Find(const std::string& id) const;
  const ConfiguredChannel* FindConfigured(const std::string& id) const;
  // The automatic failover rules, with each channel's platform.
  std::vector<respond::FailoverRule> FailoverRules() const;
};

// Reads and validates the file; creates every channel through the registry.
absl::StatusOr<FaroConfig> LoadFaroConfig(const std::string& path);
absl::StatusOr<FaroConfig> LoadFaroConfigFromString(const std::string& text, const std::string& name,
                                                    const std::string& base_dir);

}  // namespace faro::setup
