#include "channels/registry.hpp"

#include "core/strings.hpp"
// One include and one line per channel type.
// (adapters add themselves here)

namespace faro::channels {

const std::vector<ChannelType>& ChannelTypes() {
  static const std::vector<ChannelType> types = {
      // {"smtp", "email over SMTP (STARTTLS, AUTH)", smtp::Create},
  };
  return types;
}

absl::StatusOr<std::unique_ptr<Channel>> CreateChannel(const ChannelConfig& config) {
  std::vector<std::string> names;
  for (const ChannelType& type : ChannelTypes()) {
    if (type.type == config.type) return type.create(config);
    names.emplace_back(type.type);
  }
  return config.reader->Error((*config.node)["type"], StrCat(config.path, ".type"),
                              StrCat("unknown channel type \"", config.type, "\"; expected one of: ", Join(names, ", ")));
}

}  // namespace faro::channels
