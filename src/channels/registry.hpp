#pragma once
// The explicit list of channel types. Adding a provider touches its folder and one line of
// registry.cpp — no static-initialiser magic.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels {

using Factory = std::function<absl::StatusOr<std::unique_ptr<Channel>>(const ChannelConfig&)>;

struct ChannelType {
  std::string_view type;  // the `type:` in the configuration
  std::string_view summary;
  Factory create;
};

const std::vector<ChannelType>& ChannelTypes();

// Creates the channel named by config.type, or says which types exist.
absl::StatusOr<std::unique_ptr<Channel>> CreateChannel(const ChannelConfig& config);

}  // namespace faro::channels
