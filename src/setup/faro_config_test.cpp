#include "setup/faro_config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace faro::setup {
namespace {

class FaroConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("faro_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "tg.token") << "123:abc\n";
    std::ofstream(dir_ / "smtp.pass") << "pw\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  absl::StatusOr<FaroConfig> Load(const std::string& text) {
    return LoadFaroConfigFromString(text, "faro.yaml", dir_.string());
  }
  std::filesystem::path dir_;
};

TEST_F(FaroConfigTest, EmptyFileGivesWorkingDefaults) {
  auto c = Load("");
  ASSERT_TRUE(c.ok()) << Message(c.status());
  EXPECT_TRUE(c->channels.empty());
  EXPECT_EQ(c->business.lang, Lang::kEs);
  EXPECT_EQ(c->database, (dir_ / "faro.db").string());
  EXPECT_EQ(c->server.public_url, "http://127.0.0.1:8080");
}

TEST_F(FaroConfigTest, ChannelsAreCreatedInOrderWithRoutingKeys) {
  auto c = Load(R"(
business: { name: "Nutrición Ana", lang: es, timezone: America/Argentina/Buenos_Aires, region: AR }
channels:
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, public_address: t.me/ana }
  - { id: email, type: smtp, host: 127.0.0.1, port: 2525, starttls: none, from: "Ana <hola@example.com>" }
failover:
  telegram: { broadcast: reachable-elsewhere }
outbox: { retry: { base: 1s, attempts: 4 }, breaker: { failures: 3, open_for: 10s }, quiet_hours: "21:00-08:00" }
)");
  ASSERT_TRUE(c.ok()) << Message(c.status());
  ASSERT_EQ(c->channels.size(), 2u);
  EXPECT_EQ(c->channels[0].info.public_address, "t.me/ana");
  EXPECT_EQ(c->channels[0].info.address_kind, channels::AddressKind::kTelegram);
  EXPECT_EQ(c->channels[1].info.consent, outbox::ConsentRule::kNotOptedOut);
  EXPECT_EQ(c->backoff.max_attempts, 4);
  EXPECT_EQ(c->breaker.failures_to_open, 3);
  EXPECT_EQ(c->quiet_hours.start_minute, 21 * 60);
  EXPECT_EQ(c->failover["telegram"].broadcast_template, "reachable-elsewhere");
  EXPECT_NE(c->Find("email"), nullptr);
}

TEST_F(FaroConfigTest, ErrorsSayFileLineAndKey) {
  struct Case {
    std::string yaml, message;
  } cases[] = {
      {"colour: blue\n", "faro.yaml:1:1: faro.yaml.colour: unknown key"},
      {"business: { lang: fr }\n", "faro.yaml:1:19: business.lang: expected es or en, got \"fr\""},
      {"business: { timezone: Mars/Olympus }\n", "business.timezone: unknown time zone \"Mars/Olympus\""},
      {"channels:\n  - { id: x, type: fax }\n", "faro.yaml:2:20: channels[0].type: unknown channel type \"fax\""},
      {"channels:\n  - { id: t, type: telegram_bot, token_file: tg.token }\n  - { id: t, type: telegram_bot, token_file: tg.token }\n",
       "faro.yaml:3:11: channels[1].id: \"t\" names two channels"},
      {"channels:\n  - { id: t, type: telegram_bot, token_file: tg.token, consent: maybe }\n",
       "channels[0].consent: expected opt-in or not-opted-out"},
      {"failover:\n  whatsapp: { broadcast: x }\n", "faro.yaml:2:3: failover.whatsapp: no channel with this id"},
      {"outbox: { quiet_hours: late }\n", "outbox.quiet_hours: expected quiet hours as HH:MM-HH:MM"},
      {"storage: { durability: sometimes }\n", "storage.durability: expected power-loss or process-crash"},
      {"channels: [ {id: t, type: telegram_bot, token_file: nope} ]\n", "cannot read the secret file"},
      {"business: [\n", "faro.yaml:2:1"},
  };
  for (const Case& c : cases) {
    auto loaded = Load(c.yaml);
    ASSERT_FALSE(loaded.ok()) << c.yaml;
    EXPECT_NE(Message(loaded.status()).find(c.message), std::string::npos)
        << "got: " << Message(loaded.status()) << "\nwanted: " << c.message;
  }
}

TEST_F(FaroConfigTest, AdapterErrorsKeepPositionsAfterRoutingKeysAreRemoved) {
  auto c = Load("channels:\n  - id: t\n    type: telegram_bot\n    public_address: t.me/a\n    token_file: tg.token\n    colour: blue\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(Message(c.status()).find("faro.yaml:6:5: channels[0].colour: unknown key"), std::string::npos)
      << Message(c.status());
}

}  // namespace
}  // namespace faro::setup

namespace faro::setup {
namespace {

// examples/faro.yaml is documentation: it must stay a valid configuration.
TEST(ExampleConfig, LoadsWithItsSecretFiles) {
  const auto dir = std::filesystem::temp_directory_path() / ("faro_example_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "secrets");
  for (const char* name : {"wa.token", "tg.token", "smtp.pass", "twilio.token", "wa.secret", "wa.verify",
                           "tg.secret", "unsubscribe.key", "api.tokens"})
    std::ofstream(dir / "secrets" / name) << "s3cret_value\n";
  std::ofstream(dir / "secrets" / "slack.url") << "https://hooks.slack.com/services/T000/B000/XXXX\n";
  std::filesystem::copy_file(std::string(FARO_SOURCE_DIR) + "/examples/faro.yaml", dir / "faro.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  auto config = LoadFaroConfig((dir / "faro.yaml").string());
  ASSERT_TRUE(config.ok()) << Message(config.status());
  EXPECT_EQ(config->channels.size(), 5u);
  EXPECT_EQ(config->Routing().channels().size(), 4u) << "the team chat is not a customer channel";
  EXPECT_EQ(config->failover["whatsapp"].broadcast_template, "reachable-elsewhere");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faro::setup
