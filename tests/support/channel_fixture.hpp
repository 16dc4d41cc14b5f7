#pragma once
// Set-up the channel adapter tests share: a configuration folder holding secret files, a channel
// created from YAML text as the configuration loader creates it, a delivery to send, and the
// check that a repeated idempotency key reaches the person once.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "channels/channel.hpp"
#include "channels/registry.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "fake_server.hpp"

namespace faro::testing {

// A new temporary folder standing for the configuration's folder (secret files are read relative
// to it), named "<prefix>-XXXXXX". It and everything in it are removed with the object.
class ConfigFolder {
 public:
  explicit ConfigFolder(const std::string& prefix,
                        const std::vector<std::pair<std::string, std::string>>& files = {});
  ~ConfigFolder();
  ConfigFolder(const ConfigFolder&) = delete;
  ConfigFolder& operator=(const ConfigFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to the file `name` in the folder, replacing what was there.
  void Write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// Creates a channel with `create` from one channel's YAML mapping, as the configuration loader
// does for the first channel: the file is "faro.yaml", the path "channels[0]", and secret files
// are read from `folder`. The mapping must have `id` and `type`.
absl::StatusOr<std::unique_ptr<channels::Channel>> ChannelFromYaml(const YAML::Node& node,
                                                                   const std::filesystem::path& folder,
                                                                   const channels::Factory& create);
// The same from YAML text that is one channel's mapping ("id: sms\ntype: twilio_sms\n…").
absl::StatusOr<std::unique_ptr<channels::Channel>> ChannelFromYaml(const std::string& yaml,
                                                                   const std::filesystem::path& folder,
                                                                   const channels::Factory& create);

// The channel `ChannelFromYaml` created; when it failed, a test failure showing why, and null.
std::unique_ptr<channels::Channel> ExpectCreated(absl::StatusOr<std::unique_ptr<channels::Channel>> channel);

// A delivery of `text` to `address`; the fields a test needs besides these it sets itself.
channels::Delivery MakeDelivery(std::string message_id, std::string address, std::string text,
                                std::string idempotency_key = {}, TimePoint now = std::chrono::system_clock::now());

// Sends `delivery` twice through `channel`, as the outbox does after losing an answer: both sends
// must be accepted with the same provider id, and `fake` must have delivered one message and
// counted one duplicate (its /_fake/sent and /_fake/stats).
void ExpectRepeatedKeyDeliveredOnce(channels::Channel& channel, const channels::Delivery& delivery,
                                    const FakeServer& fake);

}  // namespace faro::testing
