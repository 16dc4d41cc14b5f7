// Listening inside `faro serve`, without sockets: batches of JSON Lines in, the listening board,
// crisis events in the event log, and outage chatter reaching the watch as a signal.
#include "service/listen_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "service/watch_service.hpp"

namespace faro::service {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kRules = R"(brands:
  - id: panaderia-sol
    name: "Panadería Sol"
    keywords: ["panadería sol", "@panaderiasol", "#panaderiasol"]
topics:
  - id: whatsapp-caido
    name: "WhatsApp caído"
    platform: whatsapp
    keywords: ["whatsapp caído", "whatsapp down", "#whatsappdown"]
)";

std::string Line(TimePoint at, const std::string& author, const std::string& text) {
  return StrCat(R"({"id":")", author, ToUnixMillis(at), R"(","at":")", Rfc3339(at), R"(","source":"x","author":{"id":")",
                author, R"(","handle":")", author, R"("},"followers":10,"text":")", text, "\"}\n");
}

class ListenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(FromUnixMillis(1633356000000));  // 2021-10-04 14:00 UTC
    dir_ = std::filesystem::temp_directory_path() / ("faro_listen_service_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "rules.yaml") << kRules;
    std::ofstream(dir_ / "sp.token") << "sp-token-0123456789\n";
    auto config = setup::LoadFaroConfigFromString(R"(
business: { name: "Panadería Sol", lang: es, timezone: UTC, region: AR }
storage: { durability: process-crash }
watch:
  platforms: [whatsapp]
  interval: 10s
  confirm: 2/3
  vantages: [{ name: sp, token_file: sp.token }]
listen: { rules: rules.yaml }
)",
                                                  "faro.yaml", dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = setup::App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    ServiceOptions options;
    options.patrol = false;
    auto watch = WatchService::Open(*app_, options);
    ASSERT_TRUE(watch.ok()) << Message(watch.status());
    watch_ = std::move(*watch);
    watch_->Start();
    auto listen = ListenService::Open(*app_, watch_.get());
    ASSERT_TRUE(listen.ok()) << Message(listen.status());
    listen_ = std::move(*listen);
  }
  void TearDown() override {
    listen_.reset();
    watch_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The agent says WhatsApp answers, at the clock's time.
  void AgentSaysUp() {
    patrol::ReadingsBatch batch;
    batch.vantage = "sp";
    patrol::Round r;
    r.reading.platform = "whatsapp";
    r.reading.vantage = "sp";
    r.reading.at = clock_.Now();
    r.reading.endpoints = 4;
    r.reading.health = watch::Health::kUp;
    batch.accepted.push_back(r);
    batch.indexes.push_back(0);
    ASSERT_EQ(watch_->AcceptReadings("sp", std::move(batch)).accepted, 1u);
  }

  template <typename F>
  bool Eventually(F f) {
    for (int i = 0; i < 300; ++i) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<setup::App> app_;
  std::unique_ptr<WatchService> watch_;
  std::unique_ptr<ListenService> listen_;
};

TEST_F(ListenServiceTest, BadLinesAreRefusedOneByOneAndTheRestCounted) {
  const TimePoint t = clock_.Now();
  std::string batch = Line(t, "ana", "Me encanta @panaderiasol, el mejor pan 😍");
  batch += "{\"at\": \"2021-10-04T14:00:01Z\"}\n";                        // no text
  batch += "not json at all\n";
  batch += std::string("{\"at\":\"2021-10-04T14:00:02Z\",\"text\":\"caf\xC3\x28\"}\n");  // invalid UTF-8
  batch += Line(t + seconds(3), "leo", "Pésimo el pedido de Panadería Sol, llegó frío");
  const nlohmann::json answer = listen_->AcceptBatch(batch, Lang::kEs);
  EXPECT_EQ(answer["accepted"], 2);
  EXPECT_EQ(answer["rejected_total"], 3);
  ASSERT_EQ(answer["rejected"].size(), 3u);
  EXPECT_EQ(answer["rejected"][0]["line"], 2);
  EXPECT_EQ(answer["rejected"][0]["reason"], "missing-text");
  EXPECT_EQ(answer["rejected"][1]["line"], 3);
  EXPECT_EQ(answer["rejected"][2]["line"], 4);
  EXPECT_EQ(answer["rejected"][2]["reason"], "invalid-utf8");
  const ListenStats stats = listen_->Stats();
  EXPECT_EQ(stats.mentions, 2);
  EXPECT_EQ(stats.batches, 1);

  auto board = listen_->ListeningJson({}, Lang::kEs);
  ASSERT_TRUE(board.ok());
  const auto& brand = (*board)["rules"][0];
  EXPECT_EQ(brand["id"], "panaderia-sol");
  EXPECT_EQ(brand["totals"]["mentions"], 2);
  EXPECT_EQ(brand["totals"]["negative"], 1);
  EXPECT_EQ(brand["totals"]["positive"], 1);
  EXPECT_FALSE(listen_->ListeningJson({{"minutes", "0"}}, Lang::kEn).ok());
  EXPECT_FALSE(listen_->ListeningJson({{"minutes", "abc"}}, Lang::kEn).ok());
}

TEST_F(ListenServiceTest, MinutesAreChartedOnceTheyClose) {
  // The contingency plans get each closed minute under the subject crisis events use.
  std::vector<std::pair<std::string, int64_t>> handed;
  listen_->OnSubjectMinute([&](const std::string& subject, const RuleMinute& m) { handed.emplace_back(subject, m.mentions); });
  const TimePoint t0 = clock_.Now();
  std::string batch;
  for (int m = 0; m < 20; ++m)
    for (int i = 0; i < 3; ++i) batch += Line(t0 + minutes(m) + seconds(i), "p" + std::to_string(i), "hola @panaderiasol");
  ASSERT_EQ(listen_->AcceptBatch(batch, Lang::kEn)["accepted"], 60);
  auto board = listen_->ListeningJson({{"minutes", "60"}}, Lang::kEn);
  ASSERT_TRUE(board.ok());
  const auto& minutes_json = (*board)["rules"][0]["minutes"];
  // Minutes close once the newest mention is 5 minutes past them.
  ASSERT_GE(minutes_json.size(), 14u);
  EXPECT_EQ(minutes_json[0]["at"], Rfc3339(t0));
  EXPECT_EQ(minutes_json[0]["mentions"], 3);
  ASSERT_GE(handed.size(), 14u);
  EXPECT_EQ(handed[0], std::make_pair(std::string("brand:panaderia-sol"), int64_t{3}));
}

TEST_F(ListenServiceTest, OutageChatterMakesTheWatchSeeTrouble) {
  // Quiet hours with the odd complaint, the platform answering, then people flood in.
  std::string quiet;
  const TimePoint start = clock_.Now();
  for (int m = 0; m < 180; m += 20) quiet += Line(start + minutes(m), "q" + std::to_string(m), "whatsapp down?");
  ASSERT_EQ(listen_->AcceptBatch(quiet, Lang::kEn)["accepted"], 9);
  for (int r = 0; r < 3; ++r) {  // the platform answers: up
    clock_.Set(start + minutes(170) + seconds(10 * r));
    AgentSaysUp();
  }
  ASSERT_TRUE(Eventually([&] { return watch_->Stats().agent_readings == 3; }));
  std::string flood;
  for (int m = 0; m < 8; ++m)
    for (int i = 0; i < 40; ++i)
      flood += Line(start + minutes(180 + m) + seconds(i), "u" + std::to_string(m * 100 + i), "whatsapp caído otra vez #whatsappdown");
  listen_->AcceptBatch(flood, Lang::kEn);
  EXPECT_GT(listen_->Stats().chatter_surges, 0);
  // The probes still pass, but people say it is down: partial, with the chatter as the reason.
  for (int r = 0; r < 3; ++r) {
    clock_.Set(start + minutes(188) + seconds(10 * r));
    AgentSaysUp();
  }
  ASSERT_TRUE(Eventually([&] {
    auto board = watch_->WatchJson({});
    return board.ok() && (*board)["platforms"][0]["health"] == "partial";
  })) << watch_->WatchJson({})->dump(1);
  auto board = watch_->WatchJson({});
  EXPECT_TRUE((*board)["platforms"][0]["signals"]["chatter_surge"].get<bool>());
  EXPECT_NE((*board)["platforms"][0]["summary"]["en"].get<std::string>().find("public mentions of trouble"), std::string::npos);
}

}  // namespace
}  // namespace faro::service
