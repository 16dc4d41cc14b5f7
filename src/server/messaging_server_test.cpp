#include "server/messaging_server.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"
#include "inbox/signatures.hpp"
#include "inbox/test_fixtures.hpp"

namespace faro::server {
namespace {

using nlohmann::json;

const std::string kAdmin = "admin-token-7f3a9c1e5b2d4f60";
const std::string kManager = "manager-token-0c8e2a4b6d1f3e57";
const std::string kViewer = "viewer-token-9b1d3f5a7c2e4a68";
const std::string kTwilioToken = "test_auth_token";
const std::string kTelegramSecret = "abc_DEF-123";
const std::string kPublicUrl = "https://faro.example.com";

struct Answer {
  long status = 0;
  std::string body;
  std::string content_type;
  json Json() const { return json::parse(body, nullptr, false); }
};

struct TestOptions {
  bool run_dispatcher = false;
  bool tokens = true;
  std::string telegram_base_url = "http://127.0.0.1:9";  // nothing listens: sends would fail
  size_t max_body = 1 << 20;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("faro_server_test_", ::getpid(), "_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Write("wa.secret", "test_app_secret\n");
    Write("wa.verify", "meatyhamhock\n");
    Write("tg.secret", kTelegramSecret + "\n");
    Write("tw.token", kTwilioToken + "\n");
    Write("unsub.key", "unsubscribe-key-for-tests\n");
    Write("wa.token", "EAAB-test\n");
    Write("tg.token", "123456:TEST-token_abc\n");
    Write("tokens", StrCat("# role sha256 name\n", Line(Role::kAdmin, kAdmin, "ops"), "\n",
                           Line(Role::kManager, kManager, "shop"), "\n", Line(Role::kViewer, kViewer, "dashboard"),
                           "\n"));
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (serve_thread_.joinable()) serve_thread_.join();
    server_.reset();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string Line(Role role, const std::string& token, const std::string& name) {
    auto line = TokenFileLine(role, token, name);
    return line.ok() ? *line : "";
  }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  void Start(const TestOptions& setup = {}) {
    const std::string config = StrCat(R"(
business: { name: "Tienda Sol", lang: es, timezone: UTC, region: US }
storage: { sqlite: faro.db, durability: process-crash }
server: { listen: "127.0.0.1:0", public_url: ")", kPublicUrl, "\"", setup.tokens ? ", api_tokens_file: tokens" : "", R"( }
webhooks:
  whatsapp_app_secret_file: wa.secret
  whatsapp_verify_token_file: wa.verify
  telegram_secret_token_file: tg.secret
  twilio_auth_token_file: tw.token
  unsubscribe_key_file: unsub.key
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "106540352242922", token_file: wa.token, base_url: "http://127.0.0.1:9" }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, base_url: ")", setup.telegram_base_url, R"(" }
  - { id: sms, type: twilio_sms, account_sid: AC0123456789abcdef0123456789abcdef, token_file: tw.token, from: "+15005550006", base_url: "http://127.0.0.1:9" }
  - { id: email, type: smtp, host: 127.0.0.1, port: 9, starttls: none, from: "Tienda Sol <hola@example.com>" }
)");
    auto loaded = setup::LoadFaroConfigFromString(config, "faro.yaml", dir_.string());
    ASSERT_TRUE(loaded.ok()) << Message(loaded.status());
    auto app = setup::App::Open(std::move(*loaded));
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
    ServerOptions options;
    options.run_dispatcher = setup.run_dispatcher;
    options.log = &log_;
    options.max_body = setup.max_body;
    server_ = std::make_unique<MessagingServer>(*app_, options);
    const absl::Status bound = server_->Bind();
    ASSERT_TRUE(bound.ok()) << Message(bound);
    ASSERT_GT(server_->port(), 0);
    serve_thread_ = std::thread([this] { server_->Serve(); });
    ASSERT_TRUE(server_->WaitUntilServing(std::chrono::seconds(5)));
  }

  Answer Call(const std::string& method, const std::string& path, const std::string& body = "",
              std::vector<std::string> headers = {}) {
    channels::HttpRequest request;
    request.method = method;
    request.url = StrCat("http://127.0.0.1:", server_->port(), path);
    request.body = body;
    // No keep-alive: the server's shutdown does not wait for idle connections to time out.
    headers.push_back("Connection: close");
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(5);
    auto response = channels::PerformHttp(request);
    EXPECT_TRUE(response.ok()) << Message(response.status());
    if (!response.ok()) return {};
    return {response->status, response->body, response->Header("content-type")};
  }
  Answer Api(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "", std::vector<std::string> headers = {}) {
    headers.push_back("Authorization: Bearer " + token);
    if (!body.empty() && method == "POST") headers.push_back("Content-Type: application/json");
    return Call(method, path, body, std::move(headers));
  }

  // Imports contacts through the API; fails the test when the import does not succeed.
  void Import(const std::string& csv) {
    const Answer a = Call("POST", "/api/v1/contacts/import", csv,
                          {"Authorization: Bearer " + kManager, "Content-Type: text/csv"});
    ASSERT_EQ(a.status, 200) << a.body;
  }

  json FirstContact(const std::string& search) {
    const json list = Api("GET", "/api/v1/contacts?search=" + search, kViewer).Json();
    if (!list.contains("contacts") || list["contacts"].empty()) return json();
    return list["contacts"][0];
  }

  Answer PostTwilio(const std::vector<std::pair<std::string, std::string>>& params, bool sign = true) {
    std::vector<std::string> headers = {"Content-Type: application/x-www-form-urlencoded"};
    if (sign) {
      const std::string signature =
          inbox::HmacSha1Base64(kTwilioToken, inbox::TwilioSignedData(kPublicUrl + "/webhooks/twilio", params));
      headers.push_back("X-Twilio-Signature: " + signature);
    }
    return Call("POST", "/webhooks/twilio", channels::FormEncode(params), headers);
  }

  std::string LogText() {
    return log_.str();  // read after the server stopped, or while it is idle
  }

  std::filesystem::path dir_;
  std::ostringstream log_;
  std::unique_ptr<setup::App> app_;
  std::unique_ptr<MessagingServer> server_;
  std::thread serve_thread_;
};

TEST(ParseListenTest, AcceptsHostPortAndBracketedIpv6) {
  auto v4 = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = ParseListen("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad : {"8080", ":8080", "127.0.0.1:", "::1:8080", "host:http", "host:70000", "[::1:80"})
    EXPECT_FALSE(ParseListen(bad).ok()) << bad;
}

TEST_F(ServerTest, HealthAnswersWithoutAToken) {
  Start();
  const Answer a = Call("GET", "/health");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.Json()["status"], "ok");
  EXPECT_EQ(a.Json()["version"], FARO_VERSION);
}

TEST_F(ServerTest, ApiNeedsAKnownTokenWithTheRightRole) {
  Start();
  Answer a = Call("GET", "/api/v1/contacts");
  EXPECT_EQ(a.status, 401);
  EXPECT_NE(a.Json()["error"].get<std::string>().find("bearer token"), std::string::npos);
  EXPECT_EQ(Api("GET", "/api/v1/contacts", "not-a-token-0000000000").status, 401);
  EXPECT_EQ(Api("GET", "/api/v1/contacts", kViewer).status, 200);
  a = Api("POST", "/api/v1/messages", kViewer, R"({"contact_id":1,"text":"hola"})");
  EXPECT_EQ(a.status, 403);
  EXPECT_NE(a.Json()["error"].get<std::string>().find("manager"), std::string::npos);
  EXPECT_EQ(Api("POST", "/api/v1/channels/telegram/down", kViewer, R"({"reason":"x"})").status, 403);
  // A manager gets past the role check (and is told what is wrong with the request).
  EXPECT_EQ(Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"text":"hola"})").status, 422);
  const Answer unknown = Api("GET", "/api/v1/nothing-here", kAdmin);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(unknown.Json().contains("error"));
}

TEST_F(ServerTest, WithoutATokensFileTheApiIsOff) {
  Start({.tokens = false});
  const Answer a = Api("GET", "/api/v1/contacts", kAdmin);
  EXPECT_EQ(a.status, 401);
  EXPECT_NE(a.Json()["error"].get<std::string>().find("API is off"), std::string::npos);
  EXPECT_FALSE(server_->api_enabled());
  EXPECT_EQ(Call("GET", "/health").status, 200);
}

TEST_F(ServerTest, ImportedContactsAreListed) {
  Start();
  Import("name,phone,email,telegram,consent:sms\n"
         "Ana,+14155552671,ana@example.com,4242,opt-in 2024-01-01 web-form\n"
         "Bruno,,bruno@example.com,,\n");
  const json list = Api("GET", "/api/v1/contacts", kViewer).Json();
  EXPECT_EQ(list["total"], 2);
  ASSERT_EQ(list["contacts"].size(), 2u);
  EXPECT_EQ(list["contacts"][0]["name"], "Ana");
  EXPECT_EQ(list["contacts"][0]["phone"], "+14155552671");
  EXPECT_EQ(list["contacts"][0]["consent"]["sms"]["state"], "opt-in");
  EXPECT_EQ(FirstContact("bruno")["email"], "bruno@example.com");
  const json page = Api("GET", "/api/v1/contacts?limit=1&offset=1", kViewer).Json();
  ASSERT_EQ(page["contacts"].size(), 1u);
  EXPECT_EQ(page["contacts"][0]["name"], "Bruno");
  EXPECT_EQ(Api("GET", "/api/v1/contacts?limit=abc", kViewer).status, 400);
}

TEST_F(ServerTest, AnImportWithProblemsWritesNothingAndSaysWhy) {
  Start();
  const Answer a = Call("POST", "/api/v1/contacts/import", "name,email\nAna,ana@example.com\nBea,not-an-email\n",
                        {"Authorization: Bearer " + kManager, "Content-Type: text/csv"});
  EXPECT_EQ(a.status, 422);
  const json report = a.Json();
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["imported"], false);
  ASSERT_EQ(report["problems"].size(), 1u);
  EXPECT_EQ(report["problems"][0]["row"], 3);
  EXPECT_EQ(report["problems"][0]["column"], "email");
  EXPECT_EQ(Api("GET", "/api/v1/contacts", kViewer).Json()["total"], 0);

  const Answer dry = Call("POST", "/api/v1/contacts/import?dry_run=1", "name,email\nAna,ana@example.com\n",
                          {"Authorization: Bearer " + kManager, "Content-Type: text/csv"});
  EXPECT_EQ(dry.status, 200);
  EXPECT_EQ(dry.Json()["dry_run"], true);
  EXPECT_EQ(dry.Json()["created"], 1);
  EXPECT_EQ(Api("GET", "/api/v1/contacts", kViewer).Json()["total"], 0);
  EXPECT_EQ(Call("POST", "/api/v1/contacts/import", "", {"Authorization: Bearer " + kManager}).status, 400);
}

TEST_F(ServerTest, ALargeCsvSentAsAFormIsReadWhole) {
  Start();
  // curl --data-binary sends application/x-www-form-urlencoded unless told otherwise.
  std::string csv = "name,email\n";
  for (int i = 0; i < 400; ++i) csv += StrCat("Person ", i, ",person", i, "@example.com\n");
  ASSERT_GT(csv.size(), 8192u);
  const Answer a = Call("POST", "/api/v1/contacts/import", csv,
                        {"Authorization: Bearer " + kManager, "Content-Type: application/x-www-form-urlencoded"});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Json()["created"], 400);
}

TEST_F(ServerTest, AMessageIsStoredOnceAndReadBackWithItsHops) {
  Start();
  Import("name,email,telegram\nAna,ana@example.com,4242\n");
  const Answer a = Api("POST", "/api/v1/messages", kManager, R"({"email":"ANA@example.com","text":"Hola Ana"})",
                       {"Idempotency-Key: order-77-delay"});
  ASSERT_EQ(a.status, 202) << a.body;
  const json accepted = a.Json();
  EXPECT_EQ(accepted["state"], "queued");
  EXPECT_EQ(accepted["channel"], "telegram");  // the first channel Ana can be reached on
  EXPECT_EQ(accepted["duplicate"], false);
  const int64_t id = accepted["id"];

  const Answer again = Api("POST", "/api/v1/messages", kManager, R"({"email":"ana@example.com","text":"Hola Ana"})",
                           {"Idempotency-Key: order-77-delay"});
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.Json()["id"], id);
  EXPECT_EQ(again.Json()["duplicate"], true);

  const json stored = Api("GET", StrCat("/api/v1/outbox/messages/", id), kViewer).Json();
  EXPECT_EQ(stored["text"], "Hola Ana");
  EXPECT_EQ(stored["key"], "order-77-delay");
  EXPECT_EQ(stored["state"], "queued");
  EXPECT_TRUE(stored["hops"].is_array());
  EXPECT_EQ(Api("GET", "/api/v1/outbox/messages/999999", kViewer).status, 404);
  EXPECT_EQ(Api("GET", "/api/v1/outbox/messages/abc", kViewer).status, 400);

  // Without a key the server makes one: two posts are two messages.
  const json first = Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"template":"service-restored"})").Json();
  const json second = Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"template":"service-restored"})").Json();
  EXPECT_NE(first["id"], second["id"]);
  // The body's key works when no header is sent.
  const json keyed = Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"text":"x","key":"k-1"})").Json();
  EXPECT_EQ(Api("GET", StrCat("/api/v1/outbox/messages/", keyed["id"].get<int64_t>()), kViewer).Json()["key"], "k-1");
}

TEST_F(ServerTest, BadMessageRequestsAreRefusedWithTheReason) {
  Start();
  Import("name,email\nAna,ana@example.com\n");
  auto error = [&](const std::string& body, long status) {
    const Answer a = Api("POST", "/api/v1/messages", kManager, body);
    EXPECT_EQ(a.status, status) << body << " → " << a.body;
    const json j = a.Json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : std::string("(no error)");
  };
  EXPECT_NE(error(R"({"contact_id":1, "text": )", 400).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error("[1,2]", 400).find("JSON object"), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1})", 400).find("template"), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1,"text":"a","template":"service-restored"})", 400).find("either"), std::string::npos);
  EXPECT_NE(error(R"({"text":"a"})", 400).find("exactly one of contact_id, phone and email"), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":"1","text":"a"})", 400).find("\"contact_id\" must be an integer"), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1,"txt":"a"})", 400).find("unknown field \"txt\""), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1,"text":"a","vars":{"n":1}})", 400).find("vars.n"), std::string::npos);
  EXPECT_NE(error(R"({"email":"nobody@example.com","text":"a"})", 422).find("no contact has"), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1,"template":"nope"})", 422).find("no template \"nope\""), std::string::npos);
  EXPECT_NE(error(R"({"contact_id":1,"text":"a","channel":"fax"})", 422).find("fax"), std::string::npos);
  // Ana has no phone: SMS cannot reach her.
  EXPECT_NE(error(R"({"contact_id":1,"text":"a","channel":"sms"})", 422).find("no-address"), std::string::npos);
  EXPECT_EQ(error(R"({"contact_id":1,"text":"a"})", 202), "(no error)");
}

TEST_F(ServerTest, BodiesOverTheLimitAreRefused) {
  Start({.max_body = 64});
  const std::string big = StrCat(R"({"contact_id":1,"text":")", std::string(100, 'a'), "\"}");
  const Answer a = Api("POST", "/api/v1/messages", kManager, big);
  EXPECT_EQ(a.status, 413);
  EXPECT_TRUE(a.Json().contains("error"));
}

TEST_F(ServerTest, ABroadcastReportsItsProgress) {
  Start();
  Import("name,email,telegram,channels\n"
         "Ana,ana@example.com,4242,telegram|email\n"
         "Bruno,bruno@example.com,,email\n"
         "Carla,,4343,telegram\n");
  ASSERT_EQ(Api("POST", "/api/v1/channels/telegram/down", kManager, R"({"reason":"Telegram outage"})").status, 200);
  const Answer a = Api("POST", "/api/v1/broadcasts", kManager, R"({"channel":"telegram"})");
  ASSERT_EQ(a.status, 202) << a.body;
  const json progress = a.Json();
  EXPECT_EQ(progress["channel"], "telegram");
  EXPECT_EQ(progress["template"], "reachable-elsewhere");
  EXPECT_EQ(progress["total"], 2);  // Ana and Carla use Telegram
  EXPECT_EQ(progress["pending"], 1);  // Ana, by email
  EXPECT_EQ(progress["skipped_no_address"], 1);  // Carla has nothing else
  EXPECT_EQ(progress["by_channel"]["email"], 1);

  // While the channel is down, repeating the request starts nothing new.
  const json again = Api("POST", "/api/v1/broadcasts", kManager, R"({"channel":"telegram"})").Json();
  EXPECT_EQ(again["id"], progress["id"]);
  const json list = Api("GET", "/api/v1/broadcasts", kViewer).Json();
  ASSERT_EQ(list["broadcasts"].size(), 1u);
  const json one = Api("GET", StrCat("/api/v1/broadcasts/", progress["id"].get<int64_t>()), kViewer).Json();
  EXPECT_EQ(one["total"], 2);
  EXPECT_EQ(Api("GET", "/api/v1/broadcasts/4040", kViewer).status, 404);
  EXPECT_EQ(Api("POST", "/api/v1/broadcasts", kManager, R"({"template":"x"})").status, 400);
  EXPECT_EQ(Api("POST", "/api/v1/broadcasts", kManager, R"({"channel":"fax"})").status, 422);
}

TEST_F(ServerTest, ChannelsGoDownAndUpMovingTheirMessages) {
  Start();
  Import("name,email,telegram\nAna,ana@example.com,4242\nBruno,bruno@example.com,4343\n");
  for (int id : {1, 2})
    ASSERT_EQ(Api("POST", "/api/v1/messages", kManager, StrCat(R"({"contact_id":)", id, R"(,"text":"hola"})")).status, 202);

  Answer a = Api("POST", "/api/v1/channels/telegram/down", kManager, R"({"reason":"bot token revoked"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Json()["moved"], 2);
  json outbox = Api("GET", "/api/v1/outbox", kViewer).Json();
  EXPECT_EQ(outbox["channels"]["telegram"]["down"], true);
  EXPECT_EQ(outbox["channels"]["email"]["queued"], 2);
  ASSERT_EQ(outbox["down"].size(), 1u);
  EXPECT_EQ(outbox["down"][0]["source"], "operator");
  EXPECT_EQ(outbox["down"][0]["reason"], "bot token revoked");
  EXPECT_EQ(outbox["dispatcher"]["running"], false);

  a = Api("POST", "/api/v1/channels/telegram/up", kManager);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Json()["moved"], 2);
  EXPECT_EQ(a.Json()["down"], false);
  outbox = Api("GET", "/api/v1/outbox", kViewer).Json();
  EXPECT_EQ(outbox["channels"]["telegram"]["queued"], 2);
  EXPECT_TRUE(outbox["down"].empty());

  EXPECT_EQ(Api("POST", "/api/v1/channels/telegram/down", kManager, "{}").status, 400);
  EXPECT_EQ(Api("POST", "/api/v1/channels/fax/down", kManager, R"({"reason":"x"})").status, 404);
}

TEST_F(ServerTest, ASignedWhatsAppMessageOpensAWaitingConversation) {
  Start();
  const std::string body(inbox::fixtures::kWhatsAppInbound);
  const std::vector<std::string> signed_headers = {
      "Content-Type: application/json",
      StrCat("X-Hub-Signature-256: ", inbox::fixtures::kWhatsAppInboundSignature)};

  // Unsigned or wrongly signed: refused, nothing recorded.
  EXPECT_EQ(Call("POST", "/webhooks/whatsapp", body, {"Content-Type: application/json"}).status, 401);
  EXPECT_EQ(Call("POST", "/webhooks/whatsapp", body + " ", signed_headers).status, 403);
  EXPECT_TRUE(Api("GET", "/api/v1/inbox", kViewer).Json()["conversations"].empty());
  EXPECT_EQ(Api("GET", "/api/v1/contacts", kViewer).Json()["total"], 0);

  EXPECT_EQ(Call("POST", "/webhooks/whatsapp", body, signed_headers).status, 200);
  EXPECT_EQ(Call("POST", "/webhooks/whatsapp", body, signed_headers).status, 200);  // delivered again
  const json waiting = Api("GET", "/api/v1/inbox?filter=waiting", kViewer).Json();
  ASSERT_EQ(waiting["conversations"].size(), 1u);
  EXPECT_EQ(waiting["conversations"][0]["name"], "Sheena Nelson");
  EXPECT_EQ(waiting["conversations"][0]["last_inbound_channel"], "whatsapp");
  EXPECT_EQ(waiting["conversations"][0]["unanswered"], true);
  EXPECT_TRUE(waiting["conversations"][0]["first_response_seconds"].is_null());
  EXPECT_EQ(Api("GET", "/api/v1/inbox?filter=unanswered", kViewer).Json()["conversations"].size(), 1u);
  EXPECT_EQ(Api("GET", "/api/v1/inbox?filter=bogus", kViewer).status, 400);
  // The sender became a contact.
  const json sheena = FirstContact("Sheena");
  EXPECT_EQ(sheena["phone"], "+16505551234");
  EXPECT_EQ(server_->webhooks().Counters(inbox::kWhatsAppCloud).duplicates, 1u);

  // Meta's subscription handshake.
  const Answer handshake =
      Call("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock");
  EXPECT_EQ(handshake.status, 200);
  EXPECT_EQ(handshake.body, "1158201444");
  EXPECT_EQ(Call("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong").status, 403);
}

TEST_F(ServerTest, TwilioStopOptsTheSenderOutOfSms) {
  Start();
  Import("name,phone,consent:sms\nAna,+14155552671,opt-in 2024-01-01 web-form\n");
  const std::vector<std::pair<std::string, std::string>> stop = {
      {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
      {"MessageSid", "SM11111111111111111111111111111111"},
      {"From", "+14155552671"},
      {"To", "+15005550006"},
      {"Body", " Stop. "}};
  // Unsigned: refused, consent untouched.
  EXPECT_EQ(PostTwilio(stop, /*sign=*/false).status, 401);
  EXPECT_EQ(FirstContact("Ana")["consent"]["sms"]["state"], "opt-in");

  const Answer a = PostTwilio(stop);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("<Response/>"), std::string::npos);
  const json ana = FirstContact("Ana");
  EXPECT_EQ(ana["consent"]["sms"]["state"], "opt-out");
  EXPECT_EQ(ana["consent"]["sms"]["source"], "STOP by SMS");
  // Routing sees it at once: SMS is no longer a way to reach her.
  EXPECT_EQ(Api("POST", "/api/v1/messages", kManager, R"({"phone":"+14155552671","text":"hola","channel":"sms"})").status,
            422);

  // START undoes it.
  auto start = stop;
  start[1].second = "SM22222222222222222222222222222222";
  start[4].second = "START";
  ASSERT_EQ(PostTwilio(start).status, 200);
  EXPECT_EQ(FirstContact("Ana")["consent"]["sms"]["state"], "opt-in");
  EXPECT_EQ(FirstContact("Ana")["consent"]["sms"]["source"], "START by SMS");
}

TEST_F(ServerTest, TelegramUpdatesNeedTheSecretHeader) {
  Start();
  const std::string update =
      R"({"update_id":10001,"message":{"message_id":5,"date":1749416383,"chat":{"id":777001,"type":"private"},)"
      R"("from":{"id":777001,"first_name":"Lucía"},"text":"¿Están abiertos?"}})";
  EXPECT_EQ(Call("POST", "/webhooks/telegram", update, {"Content-Type: application/json"}).status, 401);
  EXPECT_EQ(Call("POST", "/webhooks/telegram", update,
                 {"Content-Type: application/json", "X-Telegram-Bot-Api-Secret-Token: wrong"})
                .status,
            403);
  EXPECT_TRUE(Api("GET", "/api/v1/inbox", kViewer).Json()["conversations"].empty());
  EXPECT_EQ(Call("POST", "/webhooks/telegram", update,
                 {"Content-Type: application/json", "X-Telegram-Bot-Api-Secret-Token: " + kTelegramSecret})
                .status,
            200);
  const json all = Api("GET", "/api/v1/inbox?filter=all", kViewer).Json();
  ASSERT_EQ(all["conversations"].size(), 1u);
  EXPECT_EQ(all["conversations"][0]["last_inbound_channel"], "telegram");
  EXPECT_EQ(FirstContact("777001")["name"], "Lucía");
}

TEST_F(ServerTest, OneClickUnsubscribeActsOnPostOnly) {
  Start();
  Import("name,email\nAna,ana@example.com\n");
  const std::string url = app_->UnsubscribeUrl(1);
  ASSERT_EQ(url.rfind(kPublicUrl + "/unsubscribe/", 0), 0u) << url;
  const std::string path = url.substr(kPublicUrl.size());

  // A mail scanner following the link changes nothing.
  const Answer page = Call("GET", path);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\">"), std::string::npos);
  EXPECT_NE(page.body.find("Tienda Sol"), std::string::npos);
  EXPECT_FALSE(FirstContact("Ana")["consent"].contains("email"));

  const Answer done = Call("POST", path, "List-Unsubscribe=One-Click",
                           {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("ya no recibirás correos de Tienda Sol"), std::string::npos);
  EXPECT_NE(done.body.find("you will not receive emails"), std::string::npos);
  const json ana = FirstContact("Ana");
  EXPECT_EQ(ana["consent"]["email"]["state"], "opt-out");
  EXPECT_EQ(ana["consent"]["email"]["source"], "one-click unsubscribe");

  std::string forged = path;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(Call("POST", forged, "List-Unsubscribe=One-Click").status, 404);
  EXPECT_EQ(Call("GET", forged).status, 404);
  EXPECT_EQ(Call("POST", "/unsubscribe/1", "List-Unsubscribe=One-Click").status, 404);
}

TEST_F(ServerTest, MetricsCountOutboxAndWebhooks) {
  Start();
  Import("name,email\nAna,ana@example.com\n");
  ASSERT_EQ(Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"text":"hola"})").status, 202);
  ASSERT_EQ(Api("POST", "/api/v1/channels/whatsapp/down", kManager, R"({"reason":"Meta outage"})").status, 200);
  const std::string body(inbox::fixtures::kWhatsAppInbound);
  const std::vector<std::string> headers = {StrCat("X-Hub-Signature-256: ", inbox::fixtures::kWhatsAppInboundSignature)};
  Call("POST", "/webhooks/whatsapp", body, headers);
  Call("POST", "/webhooks/whatsapp", body, headers);
  Call("POST", "/webhooks/whatsapp", body);
  Call("POST", "/webhooks/telegram", "{}", {"X-Telegram-Bot-Api-Secret-Token: " + kTelegramSecret});

  const Answer m = Call("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain", 0), 0u);
  for (const char* line : {
           "faro_outbox_messages{channel=\"email\",state=\"queued\"} 1",
           "faro_channel_down{channel=\"whatsapp\"} 1",
           "faro_channel_down{channel=\"telegram\"} 0",
           "faro_dispatcher_sent_total 0",
           "faro_webhook_requests_total{provider=\"whatsapp\",result=\"accepted\"} 2",
           "faro_webhook_requests_total{provider=\"whatsapp\",result=\"refused_unsigned\"} 1",
           "faro_webhook_requests_total{provider=\"telegram\",result=\"malformed\"} 1",
           "faro_webhook_requests_total{provider=\"twilio\",result=\"refused_bad_signature\"} 0",
           "faro_webhook_duplicate_events_total{provider=\"whatsapp\"} 1",
           "# TYPE faro_webhook_requests_total counter",
       })
    EXPECT_NE(m.body.find(line), std::string::npos) << line << "\n" << m.body;
}

TEST_F(ServerTest, TheLogNamesEventsButNeverSecrets) {
  Start();
  Import("name,email\nAna,ana@example.com\n");
  Api("GET", "/api/v1/contacts", "wrong-token-123456789");
  Call("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhock");
  Call("GET", app_->UnsubscribeUrl(1).substr(kPublicUrl.size()));
  server_->Stop();
  serve_thread_.join();
  server_.reset();
  const std::string log = LogText();
  EXPECT_NE(log.find("event=contacts_import"), std::string::npos) << log;
  EXPECT_NE(log.find("event=api_refused"), std::string::npos) << log;
  EXPECT_NE(log.find("caller=shop"), std::string::npos) << log;
  EXPECT_NE(log.find("event=stopped"), std::string::npos) << log;
  for (const std::string& secret : {kManager, std::string("wrong-token-123456789"), std::string("meatyhamhock"),
                                    app_->UnsubscribeUrl(1).substr(app_->UnsubscribeUrl(1).rfind('/') + 1)})
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
}

TEST_F(ServerTest, TheRunningDispatcherSendsAcceptedMessages) {
  testing::FakeServer telegram("telegram.py");
  Start({.run_dispatcher = true, .telegram_base_url = telegram.base_url()});
  Import("name,telegram\nAna,4242\n");
  const Answer a = Api("POST", "/api/v1/messages", kManager, R"({"contact_id":1,"text":"Hola Ana"})");
  ASSERT_EQ(a.status, 202) << a.body;
  const int64_t id = a.Json()["id"];
  json message;
  for (int i = 0; i < 250; ++i) {
    message = Api("GET", StrCat("/api/v1/outbox/messages/", id), kViewer).Json();
    if (message["state"] == "sent") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(message["state"], "sent") << message.dump();
  EXPECT_NE(telegram.Get("/_fake/sent").find("Hola Ana"), std::string::npos);
  const json outbox = Api("GET", "/api/v1/outbox", kViewer).Json();
  EXPECT_EQ(outbox["dispatcher"]["running"], true);
  EXPECT_EQ(outbox["dispatcher"]["stats"]["sent"], 1);
  EXPECT_EQ(outbox["channels"]["telegram"]["breaker"], "closed");
}

}  // namespace
}  // namespace faro::server
