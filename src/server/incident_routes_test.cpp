// The incidents API on a real server on loopback: roles and tokens, approvals (by the API and
// by a Telegram reply through the signed webhook), notes, roles, the restoration check on
// demand, closing over a red item, reports and metrics. The plan service's queue is run by the
// test (Drain), so every step is deterministic.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "server/messaging_server.hpp"
#include "service/plan_service.hpp"
#include "service/plan_test_world.hpp"

namespace faro::server {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

const std::string kAna = "ana-manager-token-5d1c7e3b9a";      // manager, named Ana (the approver)
const std::string kShop = "shop-manager-token-8e2f4a6c0b";    // manager, named shop
const std::string kViewer = "viewer-token-3b5d7f9a1c2e";      // viewer
const std::string kTelegramSecret = "tg_secret-42";

struct Answer {
  long status = 0;
  std::string body, content_type;
  json Json() const { return json::parse(body, nullptr, false); }
};

class IncidentRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(FromUnixMillis(1633359600000));  // 2021-10-04 15:00 UTC
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("faro_incident_routes_", ::getpid(), "_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    service::testing::WriteWorld(dir_);
    std::ofstream(dir_ / "tg.secret") << kTelegramSecret << "\n";
    std::ofstream(dir_ / "tokens") << Line(Role::kManager, kAna, "Ana") << "\n"
                                   << Line(Role::kManager, kShop, "shop") << "\n"
                                   << Line(Role::kViewer, kViewer, "wall") << "\n";
    auto config = setup::LoadFaroConfigFromString(
        service::testing::WorldConfig(
            "server: { listen: \"127.0.0.1:0\", api_tokens_file: tokens }\nwebhooks: { telegram_secret_token_file: tg.secret }\n"),
        "faro.yaml", dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = setup::App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    service::testing::FillAccount(meta_);
    std::tie(carla_, diego_) = service::testing::AddCustomers(*app_);
    service::PlanServiceOptions po;
    po.ad_accounts = {&meta_};
    auto plans = service::PlanService::Open(*app_, po);
    ASSERT_TRUE(plans.ok()) << Message(plans.status());
    plans_ = std::move(*plans);
    ServerOptions options;
    options.run_dispatcher = false;
    options.log = &log_;
    options.plans = plans_.get();
    server_ = std::make_unique<MessagingServer>(*app_, options);
    ASSERT_TRUE(server_->Bind().ok());
    serve_ = std::thread([this] { server_->Serve(); });
    ASSERT_TRUE(server_->WaitUntilServing(std::chrono::seconds(5)));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (serve_.joinable()) serve_.join();
    server_.reset();
    plans_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string Line(Role role, const std::string& token, const std::string& name) {
    auto line = TokenFileLine(role, token, name);
    return line.ok() ? *line : "";
  }

  Answer Call(const std::string& method, const std::string& path, const std::string& body,
              std::vector<std::string> headers) {
    channels::HttpRequest request;
    request.method = method;
    request.url = StrCat("http://127.0.0.1:", server_->port(), path);
    request.body = body;
    headers.push_back("Connection: close");
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(5);
    auto response = channels::PerformHttp(request);
    EXPECT_TRUE(response.ok()) << Message(response.status());
    if (!response.ok()) return {};
    return {response->status, response->body, response->Header("content-type")};
  }
  Answer Api(const std::string& method, const std::string& path, const std::string& token, const std::string& body = "") {
    std::vector<std::string> headers = {"Authorization: Bearer " + token};
    if (method == "POST") headers.push_back("Content-Type: application/json");
    return Call(method, path, body, headers);
  }

  // WhatsApp goes down: incident #1 opens and runs up to the owner's approval.
  int64_t Outage() {
    plans_->OnEvent(service::testing::PlatformEvent("platform-down", clock_.Now(), 1));
    plans_->Drain();
    const json incident = Api("GET", "/api/v1/incidents/1", kViewer).Json();
    EXPECT_EQ(incident["pending_approvals"].size(), 1u) << incident.dump();
    return incident["pending_approvals"].empty() ? 0 : incident["pending_approvals"][0]["action"].get<int64_t>();
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::ostringstream log_;
  std::unique_ptr<setup::App> app_;
  ads::DryRunPlatform meta_{"meta", "meta"};
  std::unique_ptr<service::PlanService> plans_;
  std::unique_ptr<MessagingServer> server_;
  std::thread serve_;
  int64_t carla_ = 0, diego_ = 0;
};

TEST_F(IncidentRoutesTest, TokensAndRolesGuardEveryRoute) {
  const int64_t ask = Outage();
  EXPECT_EQ(Call("GET", "/api/v1/incidents", "", {}).status, 401);
  EXPECT_EQ(Api("GET", "/api/v1/incidents", "not-a-token-at-all-0000").status, 401);
  EXPECT_EQ(Api("GET", "/api/v1/incidents", kViewer).status, 200);
  const std::string approve = StrCat("/api/v1/incidents/1/approvals/", ask);
  EXPECT_EQ(Call("POST", approve, R"({"decision": "approve"})", {"Content-Type: application/json"}).status, 401);
  EXPECT_EQ(Api("POST", approve, kViewer, R"({"decision": "approve"})").status, 403);
  for (const char* path : {"/api/v1/incidents/1/notes", "/api/v1/incidents/1/roles", "/api/v1/incidents/1/close",
                           "/api/v1/incidents/1/restoration-check"})
    EXPECT_EQ(Api("POST", path, kViewer, "{}").status, 403) << path;
  EXPECT_EQ(Call("GET", "/api/v1/incidents/1/report.md", "", {}).status, 401);
  // Nothing changed: the approval still waits.
  EXPECT_EQ(Api("GET", "/api/v1/incidents/1", kViewer).Json()["pending_approvals"].size(), 1u);
}

TEST_F(IncidentRoutesTest, ListAndDetail) {
  Outage();
  const Answer list = Api("GET", "/api/v1/incidents?state=active&kind=outage", kViewer);
  ASSERT_EQ(list.status, 200) << list.body;
  const json l = list.Json();
  EXPECT_EQ(l["total"], 1);
  ASSERT_EQ(l["incidents"].size(), 1u);
  EXPECT_EQ(l["incidents"][0]["title"]["en"], "WhatsApp is down");
  EXPECT_EQ(l["incidents"][0]["approvals_pending"], 1);
  EXPECT_EQ(Api("GET", "/api/v1/incidents?state=closed", kViewer).Json()["total"], 0);
  EXPECT_EQ(Api("GET", "/api/v1/incidents?state=sideways", kViewer).status, 400);
  EXPECT_EQ(Api("GET", "/api/v1/incidents?limit=9999", kViewer).status, 400);
  const json one = Api("GET", "/api/v1/incidents/1", kViewer).Json();
  EXPECT_EQ(one["id"], 1);
  EXPECT_EQ(one["state"], "active");
  EXPECT_FALSE(one["may_close"]["may_close"].get<bool>());
  EXPECT_EQ(one["may_close"]["blocking"][0], "stable");
  EXPECT_EQ(Api("GET", "/api/v1/incidents/2", kViewer).status, 404);
  EXPECT_EQ(Api("GET", "/api/v1/incidents/abc", kViewer).status, 404);
}

TEST_F(IncidentRoutesTest, ApprovalByTheApiChecksWhoAnswersAndIsStoredBeforeTheAnswer) {
  const int64_t ask = Outage();
  const std::string path = StrCat("/api/v1/incidents/1/approvals/", ask);
  // Bad bodies say what is wrong.
  const Answer maybe = Api("POST", path, kAna, R"({"decision": "maybe"})");
  EXPECT_EQ(maybe.status, 400);
  EXPECT_NE(maybe.body.find("approve"), std::string::npos) << maybe.body;
  EXPECT_EQ(Api("POST", path, kAna, R"({"decision": "approve", "mood": "good"})").status, 400);
  EXPECT_EQ(Api("POST", path, kAna, "not json").status, 400);
  EXPECT_EQ(Api("POST", path, kAna, "{}").status, 400);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/approvals/999", kAna, R"({"decision": "approve"})").status, 404);
  // The token "shop" is not a person of the plan, and Leo does not approve.
  const Answer shop = Api("POST", path, kShop, R"({"decision": "approve"})");
  EXPECT_EQ(shop.status, 403);
  EXPECT_NE(shop.body.find("Ana"), std::string::npos) << shop.body;
  EXPECT_EQ(Api("POST", path, kShop, R"({"decision": "approve", "as": "Leo"})").status, 403);
  // Ana's own token answers; the answer comes back with the incident as stored.
  const Answer ok = Api("POST", path, kAna, R"({"decision": "approve", "reason": "dale"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.Json()["pending_approvals"].empty());
  auto stored = plans_->IncidentsJson({{"state", "active"}});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)["incidents"][0]["approvals_pending"], 0) << "stored before the answer";
  // A second answer is too late: 409.
  EXPECT_EQ(Api("POST", path, kShop, R"({"decision": "deny", "as": "Ana"})").status, 409);
  plans_->Drain();
  bool holding = false;
  const json after = Api("GET", "/api/v1/incidents/1", kViewer).Json();
  for (const auto& e : after["timeline"])
    holding |= e["kind"] == "outcome" && e["details"].value("action_kind", "") == "holding-statement";
  EXPECT_TRUE(holding);
}

TEST_F(IncidentRoutesTest, ApprovalByATelegramReplyThroughTheSignedWebhook) {
  const int64_t ask = Outage();
  ASSERT_GT(ask, 0);
  auto update = [](int id, const std::string& chat, const std::string& text) {
    return StrCat(R"({"update_id":)", id, R"(,"message":{"message_id":)", id, R"(,"date":1633359700,"chat":{"id":)", chat,
                  R"(,"type":"private"},"from":{"id":)", chat, R"(,"first_name":"X"},"text":")", text, R"("}})");
  };
  const std::vector<std::string> headers = {"Content-Type: application/json",
                                            "X-Telegram-Bot-Api-Secret-Token: " + kTelegramSecret};
  // Leo (4242) was not asked; Ana (5151) was.
  EXPECT_EQ(Call("POST", "/webhooks/telegram", update(1, "4242", "sí"), headers).status, 200);
  EXPECT_EQ(Api("GET", "/api/v1/incidents/1", kViewer).Json()["pending_approvals"].size(), 1u);
  EXPECT_EQ(Call("POST", "/webhooks/telegram", update(2, "5151", "Sí"), headers).status, 200);
  const json incident = Api("GET", "/api/v1/incidents/1", kViewer).Json();
  EXPECT_TRUE(incident["pending_approvals"].empty()) << incident.dump();
  bool approved = false;
  for (const auto& e : incident["timeline"]) approved |= e["kind"] == "approved" && e["who"] == "Ana";
  EXPECT_TRUE(approved);
  // Ana's reply was for Faro: no customer waits for an answer from her.
  const json inbox = Api("GET", "/api/v1/inbox?filter=unanswered", kViewer).Json();
  for (const auto& c : inbox["conversations"]) EXPECT_NE(c["name"], "Ana") << c.dump();
}

TEST_F(IncidentRoutesTest, NotesRolesRestorationCheckCloseAndReports) {
  service::testing::CustomerWrote(*app_, diego_, "necesito un turno", clock_.Now() - minutes(30));
  const int64_t ask = Outage();
  ASSERT_EQ(Api("POST", StrCat("/api/v1/incidents/1/approvals/", ask), kAna, R"({"decision": "approve"})").status, 200);
  plans_->Drain();

  const Answer note = Api("POST", "/api/v1/incidents/1/notes", kShop, R"({"text": "change: tener el número de Diego a mano"})");
  ASSERT_EQ(note.status, 200) << note.body;
  EXPECT_EQ(note.Json()["lessons"]["change"][0]["es"], "tener el número de Diego a mano");
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/notes", kShop, R"({"text": "  "})").status, 400);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/notes", kShop, R"({"note": "x"})").status, 400);

  const Answer role = Api("POST", "/api/v1/incidents/1/roles", kShop,
                          R"({"role": "community-manager", "person": "Mara", "change": "join"})");
  ASSERT_EQ(role.status, 200) << role.body;
  int holders = 0;
  const json with_role = role.Json();
  for (const auto& r : with_role["roles"])
    if (r["role"] == "community-manager" && r["until"].is_null()) ++holders;
  EXPECT_EQ(holders, 2);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/roles", kShop, R"({"role": "community-manager", "person": "Mara", "change": "sideways"})").status,
            400);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/roles", kShop, R"({"role": "chef", "person": "Mara"})").status, 404);

  // Closing while WhatsApp is still down is refused with what blocks it.
  const Answer early = Api("POST", "/api/v1/incidents/1/close", kShop, "");
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.Json()["blocking"][0], "stable");

  clock_.Advance(hours(1));
  plans_->OnEvent(service::testing::PlatformEvent("platform-restored", clock_.Now(), 2));
  plans_->Drain();
  const Answer checked = Api("POST", "/api/v1/incidents/1/restoration-check", kShop);
  ASSERT_EQ(checked.status, 200) << checked.body;
  std::map<std::string, std::string> states;
  const json checklist = checked.Json()["checklist"];
  for (const auto& item : checklist) states[item["item"]] = item["state"];
  EXPECT_EQ(states["unanswered"], "red");

  const Answer refused = Api("POST", "/api/v1/incidents/1/close", kShop, "{}");
  ASSERT_EQ(refused.status, 409) << refused.body;
  bool unanswered = false;
  const json blocking = refused.Json()["blocking"];
  for (const auto& b : blocking) unanswered |= b == "unanswered";
  EXPECT_TRUE(unanswered) << refused.body;
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/close", kShop, R"({"reason": 5})").status, 400);
  const Answer closed = Api("POST", "/api/v1/incidents/1/close", kShop, R"({"reason": "Diego ya tiene turno"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json()["state"], "closed");
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/close", kShop, R"({"reason": "otra vez"})").status, 409);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/1/restoration-check", kShop).status, 409);

  const Answer md = Api("GET", "/api/v1/incidents/1/report.md?lang=en", kViewer);
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_EQ(md.content_type.rfind("text/markdown", 0), 0u);
  EXPECT_NE(md.body.find("WhatsApp is down"), std::string::npos);
  const Answer html = Api("GET", "/api/v1/incidents/1/report.html?lang=es", kViewer);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(html.body.find("WhatsApp no funciona"), std::string::npos);
  EXPECT_EQ(Api("GET", "/api/v1/incidents/1/report.md?lang=fr", kViewer).status, 400);
  EXPECT_EQ(Api("GET", "/api/v1/incidents/9/report.md", kViewer).status, 404);

  const Answer metrics = Call("GET", "/metrics", "", {});
  for (const char* line : {"faro_incidents{state=\"closed\"} 1", "faro_incidents{state=\"active\"} 0",
                           "faro_approvals_pending 0", "faro_plan_actions_total{kind=\"pause-ads\",result=\"ok\"} 1",
                           "faro_plan_actions_total{kind=\"resume-ads\",result=\"ok\"} 1"})
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
}

TEST_F(IncidentRoutesTest, StatusUpdatesArePostedByManagersAndShownWithTheirPlan) {
  Outage();
  const std::string path = "/api/v1/incidents/1/status-updates";
  EXPECT_EQ(Api("POST", path, kViewer, R"({"text": "hola"})").status, 403);
  EXPECT_EQ(Api("POST", path, kShop, R"({"text": "  "})").status, 400);
  EXPECT_EQ(Api("POST", path, kShop, R"({"words": "hola"})").status, 400);
  EXPECT_EQ(Api("POST", "/api/v1/incidents/9/status-updates", kShop, R"({"text": "hola"})").status, 404);
  const Answer posted = Api("POST", path, kShop, R"({"text": "Telegram anda; respondimos a 12 pacientes"})");
  ASSERT_EQ(posted.status, 200) << posted.body;
  const json entry = posted.Json()["timeline"].back();
  EXPECT_EQ(entry["who"], "shop");
  EXPECT_EQ(entry["details"]["action_kind"], "status-update");
  EXPECT_EQ(entry["details"]["to"], json::array({"Leo", "Ana"}));
  plans_->Drain();
  // The detail says who status updates go to, and links to the reports that need no token.
  const json incident = Api("GET", "/api/v1/incidents/1", kViewer).Json();
  EXPECT_EQ(incident["status_updates"]["to"], json::array({"Leo", "Ana"}));
  EXPECT_EQ(incident["status_updates"]["running"], false);
  bool told = false;
  for (const auto& e : incident["timeline"])
    told |= e["kind"] == "outcome" && e["details"].value("action_kind", "") == "status-update" && e["details"]["told"].size() == 2;
  EXPECT_TRUE(told) << incident["timeline"].dump(1);
  const std::string link = incident["report_links"]["en"]["html"].get<std::string>();
  EXPECT_EQ(link.rfind("/api/v1/incidents/1/report.html?lang=en&expires=", 0), 0u) << link;
  const Answer report = Call("GET", link, "", {});
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_NE(report.body.find("Telegram anda; respondimos a 12 pacientes"), std::string::npos);
  ASSERT_EQ(Api("POST", "/api/v1/incidents/1/close", kShop, R"({"reason": "prueba"})").status, 200);
  EXPECT_EQ(Api("POST", path, kShop, R"({"text": "hola"})").status, 409);
}

TEST_F(IncidentRoutesTest, SignedReportLinksExpireAndCannotBeBent) {
  Outage();
  const json links = Api("GET", "/api/v1/incidents/1", kViewer).Json()["report_links"];
  const std::string md = links["es"]["md"].get<std::string>();
  EXPECT_EQ(Call("GET", md, "", {}).status, 200);
  // Another incident's path with this signature, a changed expiry, or no signature at all.
  std::string other = md;
  other.replace(other.find("/1/"), 3, "/2/");
  EXPECT_EQ(Call("GET", other, "", {}).status, 403);
  std::string later = md;
  const size_t at = later.find("expires=") + 8;
  later.replace(at, 10, "9999999999");
  EXPECT_EQ(Call("GET", later, "", {}).status, 403);
  EXPECT_EQ(Call("GET", md.substr(0, md.find("&expires")), "", {}).status, 401);
  // Two hours on, the link has expired; a fresh one comes with the next reading.
  clock_.Advance(hours(2));
  const Answer expired = Call("GET", md, "", {});
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("expired"), std::string::npos) << expired.body;
  const std::string fresh = Api("GET", "/api/v1/incidents/1", kViewer).Json()["report_links"]["es"]["md"];
  EXPECT_NE(fresh, md);
  EXPECT_EQ(Call("GET", fresh, "", {}).status, 200);
}

TEST_F(IncidentRoutesTest, TheCrisisLogListsSearchesAndServesTheClosedIncidents) {
  EXPECT_EQ(Call("GET", "/api/v1/crisis-log", "", {}).status, 401);
  const Answer empty = Api("GET", "/api/v1/crisis-log", kViewer);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json()["total"], 0) << "no folder yet: nothing closed";
  Outage();
  ASSERT_EQ(Api("POST", "/api/v1/incidents/1/notes", kShop, R"({"text": "La atención por Telegram funcionó muy rápido"})").status,
            200);
  ASSERT_EQ(Api("POST", "/api/v1/incidents/1/close", kShop, R"({"reason": "Falsa alarma"})").status, 200);

  const json all = Api("GET", "/api/v1/crisis-log", kViewer).Json();
  ASSERT_EQ(all["total"], 1) << all.dump();
  const json entry = all["incidents"][0];
  EXPECT_EQ(entry["folder"], "2021-10-04-150000-messaging-outage-1");
  EXPECT_EQ(entry["title"]["es"], "WhatsApp no funciona");
  EXPECT_EQ(entry["state"], "closed");
  EXPECT_EQ(entry["drill"], false);
  EXPECT_TRUE(all["unwritten"].empty());
  // Search: accents and case do not matter; the hit is split around the word for highlighting.
  const json found = Api("GET", "/api/v1/crisis-log?q=ATENCION%20telegram&lang=es", kViewer).Json();
  ASSERT_EQ(found["total"], 1) << found.dump();
  const json hit = found["incidents"][0]["hit"];
  EXPECT_EQ(hit["match"], "atención");
  EXPECT_EQ(StrCat(hit["before"].get<std::string>(), hit["match"].get<std::string>(), hit["after"].get<std::string>()),
            hit["snippet"].get<std::string>());
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log?q=granizo", kViewer).Json()["total"], 0);
  // Filters.
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log?kind=outage&drills=none&since=2021-10-04&until=2021-10-04", kViewer).Json()["total"], 1);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log?kind=crisis", kViewer).Json()["total"], 0);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log?drills=only", kViewer).Json()["total"], 0);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log?until=2021-10-03", kViewer).Json()["total"], 0);
  for (const char* bad : {"kind=meltdown", "drills=maybe", "since=ayer", "limit=0", "lang=fr"}) {
    const Answer refused = Api("GET", StrCat("/api/v1/crisis-log?", bad), kViewer);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_FALSE(refused.Json().value("error", "").empty()) << bad;
  }

  // The stored report files: with the token, or by the signed links of the list.
  const std::string base = "/api/v1/crisis-log/2021-10-04-150000-messaging-outage-1/report";
  const Answer html = Api("GET", StrCat(base, ".html?lang=en"), kViewer);
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(html.body.find("WhatsApp is down"), std::string::npos);
  const Answer md = Call("GET", entry["reports"]["es"]["md"].get<std::string>(), "", {});
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_EQ(md.content_type.rfind("text/markdown", 0), 0u);
  EXPECT_NE(md.body.find("funcionó muy rápido"), std::string::npos);
  EXPECT_EQ(Call("GET", StrCat(base, ".html"), "", {}).status, 401);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log/2021-10-04-150000-messaging-outage-9/report.html", kViewer).status, 404);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log/../report.html", kViewer).status, 404);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log/..%2Ffaro.db/report.html", kViewer).status, 404);
  EXPECT_EQ(Api("GET", "/api/v1/crisis-log/.hidden/report.md", kViewer).status, 404);
  EXPECT_EQ(Api("GET", StrCat(base, ".pdf"), kViewer).status, 404);

  const Answer metrics = Call("GET", "/metrics", "", {});
  EXPECT_NE(metrics.body.find("faro_crisis_log_errors_total 0"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("faro_crisis_log_unwritten 0"), std::string::npos) << metrics.body;
}

}  // namespace
}  // namespace faro::server
