// The service end to end without sockets: vantage readings in, events, alerts, failover and
// the API's answers out, on a simulated clock (the patrol is off; readings come as agents
// would push them).
#include "service/watch_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/strings.hpp"

namespace faro::service {
namespace {

using std::chrono::seconds;

class WatchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("faro_watch_service_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "tg.token") << "123:abc\n";
    std::ofstream(dir_ / "wa.token") << "EAAB\n";
    std::ofstream(dir_ / "sp.token") << "sp-token-0123456789\n";
    std::ofstream(dir_ / "mx.token") << "mx-token-0123456789\n";
    auto config = setup::LoadFaroConfigFromString(R"(
business: { name: "Nutrición Ana", lang: es, timezone: UTC, region: AR }
storage: { durability: process-crash }
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "1065", token_file: wa.token, base_url: "http://127.0.0.1:9" }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, base_url: "http://127.0.0.1:9", public_address: t.me/ana }
failover: { whatsapp: { broadcast: reachable-elsewhere } }
watch:
  platforms: [whatsapp, telegram]
  interval: 10s
  confirm: 2/3
  recover_after: 2
  vantages: [{ name: sp, token_file: sp.token }, { name: mx, token_file: mx.token }]
team:
  - { name: Leo, role: community-manager, lang: es, reach: [{ channel: telegram, chat_id: "4242" }] }
)",
                                                  "faro.yaml", dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = setup::App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    ServiceOptions options;
    options.patrol = false;
    auto service = WatchService::Open(*app_, options);
    ASSERT_TRUE(service.ok()) << Message(service.status());
    service_ = std::move(*service);
    // What the contingency plans would get: every event, after it is stored.
    service_->OnEvent([this](const Event& e) {
      std::lock_guard lock(sunk_mutex_);
      sunk_.push_back(StrCat(e.kind, ":", e.subject, ":", e.id > 0 ? "stored" : "not-stored"));
    });
    service_->Start();
  }
  void TearDown() override {
    service_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  // One round from both agents: every platform's health as given.
  void Round(watch::Health whatsapp) {
    clock_.Advance(seconds(10));
    for (const char* vantage : {"sp", "mx"}) {
      patrol::ReadingsBatch batch;
      batch.vantage = vantage;
      for (const char* platform : {"whatsapp", "telegram"}) {
        patrol::Round r;
        r.reading.platform = platform;
        r.reading.vantage = vantage;
        r.reading.at = clock_.Now();
        r.reading.endpoints = 4;
        const bool wa = std::string(platform) == "whatsapp";
        r.reading.health = wa ? whatsapp : watch::Health::kUp;
        r.reading.failed = wa && whatsapp == watch::Health::kDown ? 4 : 0;
        r.reading.cause = wa && whatsapp == watch::Health::kDown ? Cause::kDnsServfail : Cause::kNone;
        batch.accepted.push_back(r);
        batch.indexes.push_back(batch.indexes.size());
      }
      EXPECT_EQ(service_->AcceptReadings(vantage, std::move(batch)).accepted, 2u);
    }
  }

  // The worker thread handles readings asynchronously: wait (real time) for its effect.
  template <typename F>
  bool Eventually(F f) {
    for (int i = 0; i < 300; ++i) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::vector<std::string> Kinds() {
    auto events = service_->EventsJson({});
    std::vector<std::string> out;
    for (const auto& e : (*events)["events"]) out.push_back(e["kind"].get<std::string>() + ":" + e["subject"].get<std::string>());
    return out;
  }

  std::vector<std::string> Sunk() {
    std::lock_guard lock(sunk_mutex_);
    return sunk_;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<setup::App> app_;
  std::unique_ptr<WatchService> service_;
  std::mutex sunk_mutex_;
  std::vector<std::string> sunk_;
};

TEST_F(WatchServiceTest, GlobalOutageAlertsFailsOverAndRecoveryUndoesIt) {
  EXPECT_EQ(service_->VantageFor("sp-token-0123456789"), "sp");
  EXPECT_EQ(service_->VantageFor("sp-token-012345678"), "");
  Round(watch::Health::kUp);
  Round(watch::Health::kDown);
  ASSERT_TRUE(Eventually([&] { return service_->Stats().agent_readings == 8; }));
  EXPECT_FALSE(app_->outbox().DownSet().contains("whatsapp")) << "one bad round is not confirmation";
  EXPECT_TRUE(Kinds().empty());
  Round(watch::Health::kDown);
  ASSERT_TRUE(Eventually([&] { return app_->outbox().DownSet().contains("whatsapp"); }));
  auto kinds = Kinds();
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), "platform-down:whatsapp");
  // Handed over after the watch acted on it, on the worker thread.
  ASSERT_TRUE(Eventually([&] { return !Sunk().empty(); }));
  EXPECT_EQ(Sunk().front(), "platform-down:whatsapp:stored");

  auto alerts = service_->AlertsJson({{"state", "open"}});
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ((*alerts)["alerts"].size(), 1u);
  const auto& alert = (*alerts)["alerts"][0];
  EXPECT_EQ(alert["notified"][0]["person"], "Leo");
  EXPECT_EQ(alert["notified"][0]["channel"], "telegram");
  const int64_t id = alert["id"].get<int64_t>();

  auto failovers = service_->FailoversJson();
  ASSERT_TRUE(failovers.ok());
  EXPECT_EQ((*failovers)["failovers"][0]["state"], "active");
  EXPECT_EQ((*failovers)["failovers"][0]["broadcast"]["template"], "reachable-elsewhere");

  const nlohmann::json status = service_->StatusJson();
  EXPECT_FALSE(status["channels"][0]["working"].get<bool>());
  EXPECT_TRUE(status["channels"][1]["working"].get<bool>());
  EXPECT_NE(status["notice"]["es"].get<std::string>().find("t.me/ana"), std::string::npos);

  auto board = service_->WatchJson({{"health", "down"}});
  ASSERT_TRUE(board.ok());
  EXPECT_EQ((*board)["total"], 2);
  EXPECT_EQ((*board)["counts"]["down"], 1);
  ASSERT_EQ((*board)["platforms"].size(), 1u);
  EXPECT_EQ((*board)["platforms"][0]["scope"], "global");
  EXPECT_FALSE(service_->WatchJson({{"health", "sideways"}}).ok());

  // Acknowledged once; the second says who did it.
  ASSERT_TRUE(service_->Acknowledge(id, "Ana").ok());
  auto again = service_->Acknowledge(id, "Leo");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(Message(again.status()).find("Ana"), std::string::npos);

  // Recovery needs two good rounds, then undoes the failover.
  Round(watch::Health::kUp);
  Round(watch::Health::kUp);
  ASSERT_TRUE(Eventually([&] { return !app_->outbox().DownSet().contains("whatsapp"); }));
  failovers = service_->FailoversJson();
  EXPECT_EQ((*failovers)["failovers"][0]["state"], "undone");
  EXPECT_EQ(Kinds().front(), "platform-restored:whatsapp");
  ASSERT_TRUE(Eventually([&] { return Sunk().back() == "platform-restored:whatsapp:stored"; })) << Sunk().back();
}

TEST_F(WatchServiceTest, CrowdReportsAreDeduplicatedPerReporterAndPlatform) {
  auto first = service_->CrowdReport("whatsapp", "reporter-a", "no me llegan");
  ASSERT_TRUE(first.ok()) << Message(first.status());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*service_->CrowdReport("whatsapp", "reporter-a", ""));
  EXPECT_TRUE(*service_->CrowdReport("telegram", "reporter-a", ""));
  EXPECT_TRUE(*service_->CrowdReport("whatsapp", "reporter-b", ""));
  EXPECT_FALSE(service_->CrowdReport("myspace", "reporter-a", "").ok());
}

TEST_F(WatchServiceTest, ReadingsForUnwatchedPlatformsAreRejectedOneByOne) {
  patrol::ReadingsBatch batch;
  batch.vantage = "sp";
  patrol::Round r;
  r.reading.platform = "myspace";
  r.reading.at = clock_.Now();
  batch.accepted.push_back(r);
  batch.indexes.push_back(7);
  const patrol::ReadingsAnswer answer = service_->AcceptReadings("sp", std::move(batch));
  EXPECT_EQ(answer.accepted, 0u);
  ASSERT_EQ(answer.rejected.size(), 1u);
  EXPECT_EQ(answer.rejected[0].index, 7u);
  EXPECT_NE(answer.rejected[0].error.find("not watched"), std::string::npos);
}

}  // namespace
}  // namespace faro::service
