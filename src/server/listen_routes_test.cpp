// The listening routes over real HTTP: tokens and roles, JSON Lines batches, provider payloads
// through their connectors, and Meta's signed webhook with its handshake.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "inbox/signatures.hpp"
#include "server/messaging_server.hpp"
#include "service/listen_service.hpp"

namespace faro::server {
namespace {

using nlohmann::json;

const std::string kManager = "manager-token-0c8e2a4b6d1f3e57";
const std::string kViewer = "viewer-token-9b1d3f5a7c2e4a68";
const std::string kMetaSecret = "meta-app-secret-for-tests";

class ListenRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / StrCat("faro_listen_routes_", ::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Write("rules.yaml", R"(brands:
  - id: sol
    name: "Tienda Sol"
    keywords: ["tienda sol", "@tiendasol"]
)");
    Write("meta.secret", kMetaSecret + "\n");
    Write("meta.verify", "verify-me-please\n");
    Write("tokens", StrCat(*TokenFileLine(Role::kManager, kManager, "collector"), "\n",
                           *TokenFileLine(Role::kViewer, kViewer, "dashboard"), "\n"));
    auto loaded = setup::LoadFaroConfigFromString(R"(
storage: { sqlite: faro.db, durability: process-crash }
server: { listen: "127.0.0.1:0", api_tokens_file: tokens }
listen: { rules: rules.yaml, meta_app_secret_file: meta.secret, meta_verify_token_file: meta.verify }
)",
                                                  "faro.yaml", dir_.string());
    ASSERT_TRUE(loaded.ok()) << Message(loaded.status());
    auto app = setup::App::Open(std::move(*loaded));
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    auto listen = service::ListenService::Open(*app_, nullptr);
    ASSERT_TRUE(listen.ok()) << Message(listen.status());
    listen_ = std::move(*listen);
    ServerOptions options;
    options.run_dispatcher = false;
    options.listening = listen_.get();
    server_ = std::make_unique<MessagingServer>(*app_, options);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
    ASSERT_TRUE(server_->WaitUntilServing(std::chrono::seconds(5)));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    listen_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  std::pair<long, std::string> Call(const std::string& method, const std::string& path, const std::string& body,
                                    std::vector<std::string> headers) {
    channels::HttpRequest request;
    request.method = method;
    request.url = StrCat("http://127.0.0.1:", server_->port(), path);
    request.body = body;
    headers.push_back("Connection: close");
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(5);
    auto response = channels::PerformHttp(request);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {0, ""};
    return {response->status, response->body};
  }

  std::filesystem::path dir_;
  std::unique_ptr<setup::App> app_;
  std::unique_ptr<service::ListenService> listen_;
  std::unique_ptr<MessagingServer> server_;
  std::thread thread_;
};

TEST_F(ListenRoutesTest, BatchesNeedAManagerTokenAndBadLinesAreNamed) {
  const std::string batch = "{\"at\":\"2026-11-22T10:00:00Z\",\"text\":\"Gracias @tiendasol, todo perfecto\"}\n{\"at\":1}\n";
  EXPECT_EQ(Call("POST", "/api/v1/mentions", batch, {}).first, 401);
  EXPECT_EQ(Call("POST", "/api/v1/mentions", batch, {"Authorization: Bearer " + kViewer}).first, 403);
  const auto [status, body] = Call("POST", "/api/v1/mentions", batch, {"Authorization: Bearer " + kManager, "Accept-Language: es"});
  ASSERT_EQ(status, 200) << body;
  const json answer = json::parse(body);
  EXPECT_EQ(answer["accepted"], 1);
  EXPECT_EQ(answer["rejected"][0]["line"], 2);
  EXPECT_EQ(answer["rejected"][0]["reason"], "missing-text");
  const auto [s2, board] = Call("GET", "/api/v1/listening?minutes=60", "", {"Authorization: Bearer " + kViewer});
  ASSERT_EQ(s2, 200) << board;
  EXPECT_EQ(json::parse(board)["rules"][0]["totals"]["mentions"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/listening?minutes=99999", "", {"Authorization: Bearer " + kViewer}).first, 400);
}

TEST_F(ListenRoutesTest, ProviderPayloadsGoThroughTheirConnector) {
  const std::string update = R"({"ok":true,"result":[{"update_id":1,"message":{"message_id":7,"date":1763805600,
    "chat":{"id":-100,"type":"supergroup","title":"Clientes"},"from":{"id":5,"username":"ana"},
    "text":"la tienda sol no me contesta"}},{"update_id":2,"message":{"message_id":8,"date":1763805601,
    "chat":{"id":5,"type":"private"},"from":{"id":5,"username":"ana"},"text":"hola"}}]})";
  const auto [status, body] = Call("POST", "/api/v1/mentions/telegram-updates", update, {"Authorization: Bearer " + kManager});
  ASSERT_EQ(status, 200) << body;
  const json answer = json::parse(body);
  EXPECT_EQ(answer["accepted"], 1);
  EXPECT_EQ(answer["connector"]["mentions"], 1);
  EXPECT_EQ(answer["connector"]["skipped"]["private-chat"], 1) << body;
  EXPECT_EQ(Call("POST", "/api/v1/mentions/myspace", "{}", {"Authorization: Bearer " + kManager}).first, 404);
}

TEST_F(ListenRoutesTest, MetaWebhookIsSignedAndItsHandshakeAnswered) {
  const auto [hs, challenge] =
      Call("GET", "/listen/meta-webhook?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=42", "", {});
  EXPECT_EQ(hs, 200);
  EXPECT_EQ(challenge, "42");
  EXPECT_EQ(Call("GET", "/listen/meta-webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42", "", {}).first, 403);
  const std::string body = R"({"object":"instagram","entry":[{"id":"17841","time":1763805600,"changes":[{"field":"comments",
    "value":{"id":"1790","text":"Tienda Sol nunca responde","from":{"id":"99","username":"juanp"},"media":{"id":"555"}}}]}]})";
  EXPECT_EQ(Call("POST", "/listen/meta-webhook", body, {}).first, 401) << "unsigned";
  EXPECT_EQ(Call("POST", "/listen/meta-webhook", body, {"X-Hub-Signature-256: sha256=00"}).first, 401);
  const std::string signature = "sha256=" + inbox::HmacSha256Hex(kMetaSecret, body);
  const auto [status, answer] = Call("POST", "/listen/meta-webhook", body, {"X-Hub-Signature-256: " + signature});
  ASSERT_EQ(status, 200) << answer;
  EXPECT_EQ(json::parse(answer)["accepted"], 1) << answer;
}

}  // namespace
}  // namespace faro::server
