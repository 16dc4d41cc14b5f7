#include "channel_fixture.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "config/yaml_reader.hpp"

namespace faro::testing {

ConfigFolder::ConfigFolder(const std::string& prefix, const std::vector<std::pair<std::string, std::string>>& files) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder " + pattern);
  path_ = pattern;
  for (const auto& [name, text] : files) Write(name, text);
}

ConfigFolder::~ConfigFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void ConfigFolder::Write(const std::string& name, const std::string& text) const {
  std::ofstream(path_ / name) << text;
}

absl::StatusOr<std::unique_ptr<channels::Channel>> ChannelFromYaml(const YAML::Node& node,
                                                                   const std::filesystem::path& folder,
                                                                   const channels::Factory& create) {
  const YamlReader reader("faro.yaml", folder);
  channels::ChannelConfig config;
  config.id = node["id"].as<std::string>();
  config.type = node["type"].as<std::string>();
  config.node = &node;
  config.path = "channels[0]";
  config.reader = &reader;
  return create(config);
}

absl::StatusOr<std::unique_ptr<channels::Channel>> ChannelFromYaml(const std::string& yaml,
                                                                   const std::filesystem::path& folder,
                                                                   const channels::Factory& create) {
  const YAML::Node node = YAML::Load(yaml);
  return ChannelFromYaml(node, folder, create);
}

std::unique_ptr<channels::Channel> ExpectCreated(absl::StatusOr<std::unique_ptr<channels::Channel>> channel) {
  EXPECT_TRUE(channel.ok()) << channel.status();
  return channel.ok() ? std::move(*channel) : nullptr;
}

channels::Delivery MakeDelivery(std::string message_id, std::string address, std::string text,
                                std::string idempotency_key, TimePoint now) {
  channels::Delivery d;
  d.message_id = std::move(message_id);
  d.idempotency_key = std::move(idempotency_key);
  d.address = std::move(address);
  d.content.text = std::move(text);
  d.now = now;
  return d;
}

void ExpectRepeatedKeyDeliveredOnce(channels::Channel& channel, const channels::Delivery& delivery,
                                    const FakeServer& fake) {
  const channels::SendResult first = channel.Send(delivery);
  const channels::SendResult again = channel.Send(delivery);
  ASSERT_EQ(first.kind, channels::ResultKind::kAccepted) << first.detail;
  ASSERT_EQ(again.kind, channels::ResultKind::kAccepted) << again.detail;
  EXPECT_EQ(again.provider_id, first.provider_id);
  EXPECT_EQ(nlohmann::json::parse(fake.Get("/_fake/sent")).size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(fake.Get("/_fake/stats"))["duplicates"], 1);
}

}  // namespace faro::testing
