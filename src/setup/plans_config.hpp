#pragma once
// faro.yaml `ads:` and `plans:` (docs/configuration.md, "ads" and "plans"): the ad accounts a
// contingency plan may pause, and the plans `faro serve` runs. Each plan file is read and
// checked whole by src/plan's loader, then against this configuration: the channels its
// people are reached on, the channels its steps fail over, and its ad accounts must all exist
// here. (A broadcast may also name a customer channel Faro does not write on, such as Instagram
// direct messages: that part is for people, and the step's outcome says so.)
#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ads/ad_platform.hpp"
#include "ads/ads_config.hpp"
#include "channels/channel.hpp"
#include "config/yaml_reader.hpp"
#include "plan/plan.hpp"

namespace faro::setup {

struct AdsConfig {
  std::vector<ads::AdAccountInfo> accounts;               // in the file's order
  std::vector<std::unique_ptr<ads::AdPlatform>> platforms;  // one adapter per account, same order
  const ads::AdAccountInfo* Find(const std::string& id) const;
};

struct PlansConfig {
  std::vector<std::string> files;                         // as resolved (relative to faro.yaml's folder)
  std::vector<std::shared_ptr<const plan::Plan>> plans;  // loaded and checked, same order
};

// What the plans are checked against.
struct PlanContext {
  std::map<std::string, channels::AddressKind> channels;  // faro.yaml channel id → address kind
  const AdsConfig* ads = nullptr;
  std::string region;  // for phone numbers in people's reach
};

absl::Status ReadAds(const YamlReader& r, const YAML::Node& list, AdsConfig& ads);

// `list` is faro.yaml's `plans:` (a list of paths); `base_dir` resolves relative ones. Every
// error of a plan file is reported (one per line), under the faro.yaml position of its entry.
absl::Status ReadPlans(const YamlReader& r, const YAML::Node& list, const std::string& base_dir,
                       const PlanContext& context, PlansConfig& plans);

// Every way `plan` does not fit the configuration, each "FILE[:LINE]: key.path: what".
std::vector<std::string> CheckPlanAgainst(const plan::Plan& plan, const PlanContext& context);

}  // namespace faro::setup
