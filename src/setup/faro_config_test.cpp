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
  EXPECT_EQ(c->crisis_log, (dir_ / "crisis-log").string()) << "beside the database";
  // The watch resumes TLS sessions, with a full handshake (certificate verified) every 10th check.
  EXPECT_TRUE(c->watch.tls_resume);
  EXPECT_EQ(c->watch.tls_full_every, 10);
}

TEST_F(FaroConfigTest, TheCrisisLogFolderFollowsTheDatabaseOrIsGiven) {
  auto beside = Load("storage: { sqlite: data/faro.db }\n");
  ASSERT_TRUE(beside.ok()) << Message(beside.status());
  EXPECT_EQ(beside->crisis_log, (dir_ / "data" / "crisis-log").string());
  auto given = Load("crisis_log: registro\n");
  ASSERT_TRUE(given.ok()) << Message(given.status());
  EXPECT_EQ(given->crisis_log, (dir_ / "registro").string());
  auto absolute = Load("crisis_log: /srv/faro/registro\n");
  ASSERT_TRUE(absolute.ok()) << Message(absolute.status());
  EXPECT_EQ(absolute->crisis_log, "/srv/faro/registro");
  for (const char* bad : {"crisis_log: \"\"\n", "crisis_log: [a, b]\n"}) {
    auto refused = Load(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(Message(refused.status()).find("faro.yaml:1:"), std::string::npos) << Message(refused.status());
    EXPECT_NE(Message(refused.status()).find("crisis_log"), std::string::npos) << Message(refused.status());
  }
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

TEST_F(FaroConfigTest, WatchTeamAlertsAndRetentionAreRead) {
  std::ofstream(dir_ / "sp.token") << "0123456789abcdef0123\n";
  auto c = Load(R"(
business: { region: AR }
storage: { retention: { raw: 24h, minute: 7d } }
channels:
  - { id: whatsapp, type: telegram_bot, platform: whatsapp, token_file: tg.token }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token }
  - { id: email, type: smtp, host: 127.0.0.1, port: 2525, starttls: none, from: "a@example.com" }
failover:
  whatsapp: { broadcast: reachable-elsewhere, on: [global, regional] }
watch:
  platforms: [whatsapp, { id: instagram, interval: 60s }, "https://shop.example.com/"]
  interval: 20s
  confirm: 3/5
  recover_after: 4
  flapping: { changes: 5, window: 20m, calm: 10m }
  vantages: [{ name: sao-paulo, token_file: sp.token }]
  maintenance: [{ platform: instagram, start: "2026-11-23T02:00:00Z", end: "2026-11-23T03:00:00-03:00", note: "Meta" }]
  crowd: { factor: 4, min_reports: 3 }
  tls_resume: false
team:
  - { name: Ana, role: owner, lang: es, reach: [{ channel: telegram, chat_id: "123" }, { channel: email, address: ana@example.com }] }
  - { name: Leo, role: community-manager, lang: en, reach: [{ channel: email, address: leo@example.com }] }
alerts:
  notify: [community-manager]
  escalate: [{ after: 10m, to: [owner] }]
)");
  ASSERT_TRUE(c.ok()) << Message(c.status());
  EXPECT_TRUE(c->watch.enabled);
  EXPECT_EQ(c->watch.targets, (std::vector<std::string>{"whatsapp", "instagram", "https://shop.example.com/"}));
  EXPECT_EQ(c->watch.interval, std::chrono::seconds(20));
  EXPECT_EQ(c->watch.intervals.at("instagram"), std::chrono::seconds(60));
  EXPECT_EQ(c->watch.confirm_k, 3);
  EXPECT_EQ(c->watch.confirm_n, 5);
  EXPECT_EQ(c->watch.recover_after, 4);
  EXPECT_EQ(c->watch.flap_changes, 5);
  ASSERT_EQ(c->watch.vantages.size(), 1u);
  EXPECT_EQ(c->watch.vantages[0].token, "0123456789abcdef0123");
  ASSERT_EQ(c->watch.maintenance.size(), 1u);
  EXPECT_EQ(c->watch.maintenance[0].end - c->watch.maintenance[0].start, std::chrono::hours(4));
  EXPECT_EQ(c->watch.crowd_min_reports, 3);
  EXPECT_FALSE(c->watch.tls_resume);
  ASSERT_EQ(c->team.size(), 2u);
  EXPECT_EQ(c->team[0].identities.telegram, "123");
  EXPECT_EQ(c->team[0].channels, (std::vector<std::string>{"telegram", "email"}));
  EXPECT_EQ(c->alerts.escalate.at(0).roles, std::vector<std::string>{"owner"});
  EXPECT_EQ(c->retention.raw, std::chrono::hours(24));
  EXPECT_EQ(c->retention.minute, std::chrono::hours(24 * 7));
  EXPECT_EQ(c->retention.hour, std::chrono::hours(24 * 365));
  auto rules = c->FailoverRules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].platform, "whatsapp");
  EXPECT_EQ(rules[0].scopes, (std::set<std::string>{"global", "regional"}));
}

TEST_F(FaroConfigTest, WatchErrorsSayLineAndKey) {
  const std::string email = "channels: [{ id: email, type: smtp, host: 127.0.0.1, port: 2525, starttls: none, from: a@example.com }]\n";
  struct Case {
    std::string yaml, message;
  } cases[] = {
      {"watch: { confirm: 4/3 }\n", "faro.yaml:1:19: watch.confirm: expected K/N"},
      {"watch: { interval: 10ms }\n", "watch.interval: expected 1s or more"},
      {"watch: { maintenance: [{ start: tomorrow, end: \"2026-01-01T00:00:00Z\" }] }\n", "watch.maintenance[0].start: expected a time"},
      {"watch: { maintenance: [{ start: \"2026-01-02T00:00:00Z\", end: \"2026-01-01T00:00:00Z\" }] }\n", "must end after it starts"},
      {"watch: { vantages: [{ name: here, token_file: tg.token }] }\n", "watch.vantages[0].name: \"here\" is taken"},
      {"watch: { vantages: [{ name: sp, token_file: tg.token }] }\n", "at least 16 characters"},
      {"watch: { colour: red }\n", "watch.colour: unknown key"},
      {email + "team:\n  - { name: Ana, role: owner, reach: [{ channel: fax, phone: \"1\" }] }\n", "faro.yaml:3:50: team[0].reach[0].channel: no channel with id \"fax\""},
      {email + "team:\n  - { name: Ana, role: owner, reach: [{ channel: email, address: nope }] }\n", "team[0].reach[0].address:"},
      {email + "team:\n  - { name: Ana, role: owner, reach: [{ channel: email }] }\n", "add chat_id, phone, address"},
      {"alerts: { escalate: [{ after: 10m, to: [owner] }, { after: 5m, to: [owner] }] }\n", "alerts.escalate[1].after: each step must come after"},
      {"alerts: { on: [sunrise] }\n", "\"sunrise\" is not an event kind"},
      {"storage: { retention: { raw: 10m } }\n", "storage.retention.raw: expected 1h or more"},
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
  std::ofstream(dir / "secrets" / "agent-sp.token") << "0123456789abcdef0123456789abcdef\n";
  std::filesystem::copy_file(std::string(FARO_SOURCE_DIR) + "/examples/faro.yaml", dir / "faro.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  auto config = LoadFaroConfig((dir / "faro.yaml").string());
  ASSERT_TRUE(config.ok()) << Message(config.status());
  EXPECT_EQ(config->channels.size(), 5u);
  EXPECT_EQ(config->Routing().channels().size(), 4u) << "the team chat is not a customer channel";
  EXPECT_EQ(config->failover["whatsapp"].broadcast_template, "reachable-elsewhere");
  EXPECT_TRUE(config->watch.enabled);
  EXPECT_EQ(config->team.size(), 2u);
  EXPECT_EQ(config->FailoverRules().size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faro::setup
