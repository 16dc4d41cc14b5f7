// The email channel against a real SMTP server (tests/fakes/smtp.py, aiosmtpd) on loopback:
// what arrives, byte for byte and as a mail reader decodes it, and how every refusal is read.
#include "channels/smtp/smtp_channel.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <list>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "channels/registry.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"

namespace faro::channels::smtp {
namespace {

namespace fs = std::filesystem;
using faro::testing::FakeServer;
using nlohmann::json;

// Decodes a stored message the way a mail reader does (Python's email package), so the test
// checks that what we wrote is decodable, not just that it contains certain bytes.
constexpr const char* kDecodeScript = R"PY(
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
parts, defects = [], [str(d) for d in m.defects]
for p in m.walk():
    defects += [str(d) for d in p.defects]
    if not p.is_multipart():
        parts.append({"type": p.get_content_type(), "charset": p.get_content_charset(),
                      "encoding": p.get("Content-Transfer-Encoding", ""), "content": p.get_content()})
def box(h):
    a = m[h].addresses[0]
    return {"name": a.display_name, "address": a.addr_spec}
print(json.dumps({"subject": str(m["subject"]), "from": box("from"), "to": box("to"),
                  "message_id": str(m["message-id"]), "types": [p.get_content_type() for p in m.walk()],
                  "parts": parts, "defects": defects}))
)PY";

std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A loopback port nothing listens on (bound, then released).
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class SmtpChannelTest : public ::testing::Test {
 protected:
  // One private CA and a server certificate for 127.0.0.1 and localhost, made with the openssl
  // command line, shared by the suite.
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/faro-smtp-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = new fs::path(tmpl);
    WriteFile(*dir_ / "server.ext",
              "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    const std::string command = StrCat(
        "cd '", dir_->string(), "' && ",
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem",
        " -days 2 -subj '/CN=Faro Test CA' -addext basicConstraints=critical,CA:TRUE",
        " -addext keyUsage=critical,keyCertSign,cRLSign && ",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr",
        " -subj /CN=localhost && ",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2",
        " -extfile server.ext");
    ASSERT_EQ(std::system(StrCat("(", command, ") >/dev/null 2>&1").c_str()), 0) << command;
    WriteFile(*dir_ / "decode.py", kDecodeScript);
    WriteFile(*dir_ / "password", "s3cret\n");
    WriteFile(*dir_ / "wrong_password", "guess\n");
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete dir_;
  }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    maildir_ = *dir_ / StrCat("mail-", info->name());
    fs::create_directories(maildir_);
  }

  static std::string Path(const char* name) { return (*dir_ / name).string(); }

  // The fake with a maildir, plus STARTTLS with the suite's certificate when `tls`.
  std::unique_ptr<FakeServer> StartServer(std::vector<std::string> args, bool tls = false) {
    return StartServerWritingTo(maildir_, std::move(args), tls);
  }
  std::unique_ptr<FakeServer> StartServerWritingTo(const fs::path& maildir, std::vector<std::string> args,
                                                   bool tls = false) {
    fs::create_directories(maildir);
    args.insert(args.end(), {"--maildir", maildir.string()});
    if (tls) args.insert(args.end(), {"--tls-cert", Path("server.pem"), "--tls-key", Path("server.key")});
    return std::make_unique<FakeServer>("smtp.py", args);
  }

  absl::StatusOr<std::unique_ptr<Channel>> Make(const std::string& yaml) {
    nodes_.push_back(YAML::Load(yaml));
    ChannelConfig config;
    config.id = "email";
    config.type = "smtp";
    config.node = &nodes_.back();
    config.path = "channels[0]";
    config.reader = &reader_;
    return CreateChannel(config);  // through the registry, as the configuration loader does
  }

  std::unique_ptr<Channel> MakeOk(const std::string& yaml) {
    auto channel = Make(yaml);
    EXPECT_TRUE(channel.ok()) << Message(channel.status());
    return channel.ok() ? *std::move(channel) : nullptr;
  }

  static std::string Basic(int port, const std::string& extra = "") {
    return StrCat("id: email\ntype: smtp\nhost: 127.0.0.1\nport: ", port,
                  "\nfrom: \"Tienda Ñandú <hola@example.com>\"\ntimeout: 5s\n", extra);
  }

  static Delivery To(const std::string& address) {
    Delivery d;
    d.message_id = "m-1";
    d.idempotency_key = StrCat("m-1:email:", address);
    d.address = address;
    d.display_name = "Ana Pérez";
    d.content.subject = "We are open";
    d.content.text = "Hello Ana,\nwe are open again.\n";
    d.now = FromUnixMillis(1633356000000);
    return d;
  }

  std::vector<fs::path> Mail() const { return MailIn(maildir_); }
  static std::vector<fs::path> MailIn(const fs::path& maildir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(maildir))
      if (entry.path().extension() == ".eml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
  }

  static json Decode(const fs::path& eml) {
    const std::string out = Capture(StrCat("/usr/bin/python3 '", Path("decode.py"), "' '", eml.string(), "'"));
    return json::parse(out, nullptr, false);
  }

  static inline fs::path* dir_ = nullptr;
  fs::path maildir_;
  YamlReader reader_{"channels.yaml", *dir_};
  std::list<YAML::Node> nodes_;
};

// "<32 hex digits@example.com>"
bool IsMessageId(const std::string& id) {
  const std::string_view suffix = "@example.com>";
  if (id.size() != 1 + 32 + suffix.size() || id.front() != '<' || !id.ends_with(suffix)) return false;
  return std::all_of(id.begin() + 1, id.begin() + 33, [](char c) { return std::isxdigit(c) && !std::isupper(c); });
}

// The text as written, ignoring CR before LF and trailing line breaks.
std::string Normal(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

TEST_F(SmtpChannelTest, DeliversTextAndHtmlWithEncodedHeadersAndOneClickUnsubscribe) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\nreply_to: soporte@example.com\n"));
  ASSERT_NE(channel, nullptr);
  Delivery d = To("ana@example.net");
  d.content.subject = "Cerramos hoy por una avería — volvemos mañana a las 9:00 ✓";  // two encoded-words
  d.content.text = "Hola Ana,\nhoy cerramos por una avería.\n.\nUna línea con un punto solo, arriba.\n";
  d.content.html = "<p>Hola <b>Ana</b>,</p><p>hoy cerramos por una avería.</p>";
  d.content.unsubscribe_url = "https://example.com/u?t=abc123";
  d.content.unsubscribe_mailto = "unsub@example.com?subject=unsubscribe";

  const SendResult r = channel->Send(d);
  ASSERT_EQ(r.kind, ResultKind::kAccepted) << r.detail;
  EXPECT_TRUE(IsMessageId(r.provider_id)) << r.provider_id;

  const auto mail = Mail();
  ASSERT_EQ(mail.size(), 1u);
  const std::string raw = ReadFile(mail[0]);
  const std::string head = raw.substr(0, raw.find("\r\n\r\n") + 2);
  EXPECT_TRUE(raw.starts_with("Return-Path: <hola@example.com>\r\nDelivered-To: ana@example.net\r\n")) << raw;
  EXPECT_TRUE(Contains(head, "\r\nList-Unsubscribe: <https://example.com/u?t=abc123>, "
                             "<mailto:unsub@example.com?subject=unsubscribe>\r\n")) << head;
  EXPECT_TRUE(Contains(head, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")) << head;
  EXPECT_TRUE(Contains(head, StrCat("\r\nMessage-ID: ", r.provider_id, "\r\n"))) << head;
  EXPECT_TRUE(Contains(head, "\r\nSubject: =?UTF-8?B?")) << head;
  EXPECT_TRUE(Contains(head, "\r\nFrom: =?UTF-8?B?")) << head;
  EXPECT_TRUE(Contains(head, "\r\nDate: Mon, 04 Oct 2021 14:00:00 +0000\r\n")) << head;
  EXPECT_TRUE(Contains(head, "\r\nReply-To: soporte@example.com\r\n")) << head;
  EXPECT_TRUE(std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
      << "every byte on the wire is ASCII (encoded-words and quoted-printable)";

  const json m = Decode(mail[0]);
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(m["defects"], json::array()) << m.dump();
  EXPECT_EQ(m["subject"], d.content.subject);
  EXPECT_EQ(m["from"]["name"], "Tienda Ñandú");
  EXPECT_EQ(m["from"]["address"], "hola@example.com");
  EXPECT_EQ(m["to"]["name"], "Ana Pérez");
  EXPECT_EQ(m["to"]["address"], "ana@example.net");
  EXPECT_EQ(m["message_id"], r.provider_id);
  const auto& types = m["types"];
  EXPECT_NE(std::find(types.begin(), types.end(), "multipart/alternative"), types.end()) << types.dump();
  ASSERT_EQ(m["parts"].size(), 2u) << m.dump();
  EXPECT_EQ(m["parts"][0]["type"], "text/plain");
  EXPECT_EQ(m["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(Normal(m["parts"][0]["content"]), Normal(d.content.text));
  EXPECT_EQ(m["parts"][1]["type"], "text/html");
  EXPECT_EQ(Normal(m["parts"][1]["content"]), d.content.html);
}

TEST_F(SmtpChannelTest, TextOnlyMessageIsASinglePlainPart) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  Delivery ascii = To("ana@example.net");
  Delivery utf8 = To("bea@example.net");
  utf8.content.text = "Volvemos mañana a las 9:00.\n";
  ASSERT_EQ(channel->Send(ascii).kind, ResultKind::kAccepted);
  ASSERT_EQ(channel->Send(utf8).kind, ResultKind::kAccepted);  // the same connection, reused

  const auto mail = Mail();
  ASSERT_EQ(mail.size(), 2u);
  const std::string raw = ReadFile(mail[0]);
  EXPECT_TRUE(Contains(raw, "\r\nContent-Transfer-Encoding: 7bit\r\n")) << raw;
  EXPECT_FALSE(Contains(raw, "List-Unsubscribe")) << raw;
  EXPECT_TRUE(Contains(raw, "\r\nSubject: We are open\r\n")) << raw;
  for (size_t i = 0; i < 2; ++i) {
    const json m = Decode(mail[i]);
    ASSERT_TRUE(m.is_object());
    EXPECT_EQ(m["defects"], json::array()) << m.dump();
    EXPECT_EQ(m["types"], json::array({"text/plain"}));
    EXPECT_EQ(Normal(m["parts"][0]["content"]), Normal(i == 0 ? ascii.content.text : utf8.content.text));
  }
  EXPECT_EQ(Decode(mail[1])["parts"][0]["encoding"], "base64");
}

TEST_F(SmtpChannelTest, MessageIdIsStableAcrossAttemptsOfOneMessage) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  const SendResult first = channel->Send(To("ana@example.net"));
  const SendResult again = channel->Send(To("ana@example.net"));  // same idempotency key: a retry
  const SendResult other = channel->Send(To("bea@example.net"));
  Delivery keyless = To("ana@example.net");
  keyless.idempotency_key.clear();
  const SendResult random1 = channel->Send(keyless);
  const SendResult random2 = channel->Send(keyless);
  EXPECT_EQ(first.provider_id, again.provider_id);
  EXPECT_NE(first.provider_id, other.provider_id);
  EXPECT_NE(random1.provider_id, random2.provider_id);
  EXPECT_TRUE(IsMessageId(random1.provider_id)) << random1.provider_id;
  EXPECT_EQ(Mail().size(), 5u);
}

TEST_F(SmtpChannelTest, SendsFromSeveralThreadsAtOnce) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  std::atomic<int> accepted{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i)
        if (channel->Send(To(StrCat("p", t, "-", i, "@example.net"))).kind == ResultKind::kAccepted) ++accepted;
    });
  for (std::thread& w : workers) w.join();
  EXPECT_EQ(accepted.load(), 12);
  EXPECT_EQ(Mail().size(), 12u);
}

TEST_F(SmtpChannelTest, StartTlsThenAuthDeliversAndReusesTheSession) {
  auto server = StartServer({"--require-starttls", "--auth", "tienda:s3cret"}, true);
  auto channel = MakeOk(Basic(server->port(), StrCat("username: tienda\npassword_file: password\nca_file: ",
                                                     Path("ca.pem"), "\n")));
  ASSERT_NE(channel, nullptr);
  for (const char* who : {"ana@example.net", "bea@example.net"}) {
    const SendResult r = channel->Send(To(who));
    EXPECT_EQ(r.kind, ResultKind::kAccepted) << r.code << " " << r.detail;
  }
  EXPECT_EQ(Mail().size(), 2u);
}

TEST_F(SmtpChannelTest, WrongPasswordIsAnAuthProblem) {
  auto server = StartServer({"--require-starttls", "--auth", "tienda:s3cret"}, true);
  auto channel = MakeOk(Basic(server->port(), StrCat("username: tienda\npassword_file: wrong_password\nca_file: ",
                                                     Path("ca.pem"), "\n")));
  ASSERT_NE(channel, nullptr);
  const SendResult r = channel->Send(To("ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kAuth) << r.detail;
  EXPECT_EQ(r.code, "535 5.7.8");
  EXPECT_FALSE(Contains(r.detail, "guess"));
  EXPECT_TRUE(Mail().empty());
}

TEST_F(SmtpChannelTest, RequiredStartTlsRefusesAServerWithoutIt) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port()));  // starttls: required is the default
  ASSERT_NE(channel, nullptr);
  const SendResult r = channel->Send(To("ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kAuth);
  EXPECT_TRUE(Contains(r.detail, "does not offer STARTTLS")) << r.detail;
  EXPECT_TRUE(Mail().empty());
}

TEST_F(SmtpChannelTest, OptionalStartTlsUsesTlsWhenOfferedAndPlainOtherwise) {
  auto tls_server = StartServer({"--require-starttls"}, true);
  auto plain_server = StartServerWritingTo(maildir_ / "plain", {});
  auto with_tls = MakeOk(Basic(tls_server->port(), StrCat("starttls: optional\nca_file: ", Path("ca.pem"), "\n")));
  auto without = MakeOk(Basic(plain_server->port(), "starttls: optional\n"));
  ASSERT_TRUE(with_tls && without);
  EXPECT_EQ(with_tls->Send(To("ana@example.net")).kind, ResultKind::kAccepted);
  EXPECT_EQ(without->Send(To("ana@example.net")).kind, ResultKind::kAccepted);
  EXPECT_EQ(Mail().size(), 1u);
  EXPECT_EQ(MailIn(maildir_ / "plain").size(), 1u);
}

TEST_F(SmtpChannelTest, UntrustedCertificateIsNeverAcceptedEvenWhenTlsIsOptional) {
  auto server = StartServer({}, true);
  auto channel = MakeOk(Basic(server->port(), "starttls: optional\n"));  // no ca_file: the private CA is unknown
  ASSERT_NE(channel, nullptr);
  const SendResult r = channel->Send(To("ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "transport");
  EXPECT_TRUE(Mail().empty());
}

TEST_F(SmtpChannelTest, ImplicitTlsDelivers) {
  auto server = StartServer({"--implicit-tls", "--auth", "tienda:s3cret"}, true);
  auto channel = MakeOk(Basic(server->port(), StrCat("tls: true\nusername: tienda\npassword_file: password\n",
                                                     "ca_file: ", Path("ca.pem"), "\n")));
  ASSERT_NE(channel, nullptr);
  const SendResult r = channel->Send(To("ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kAccepted) << r.code << " " << r.detail;
  EXPECT_EQ(Mail().size(), 1u);
}

TEST_F(SmtpChannelTest, RecipientRefusalsAreClassifiedByReplyCode) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);

  SendResult r = channel->Send(To("tempfail.ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_FALSE(r.provider_fault);
  EXPECT_EQ(r.code, "450 4.2.1");

  r = channel->Send(To("full@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_FALSE(r.provider_fault);
  EXPECT_EQ(r.code, "452 4.2.2");
  EXPECT_TRUE(Contains(r.detail, "Mailbox full")) << r.detail;

  r = channel->Send(To("nouser@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_EQ(r.code, "550 5.1.1");
  EXPECT_TRUE(Contains(r.detail, "No such user")) << r.detail;

  r = channel->Send(To("policy@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kPermanent);
  EXPECT_TRUE(Contains(r.code, "5.7.26")) << r.code;

  // A refused recipient does not spoil the next message.
  EXPECT_EQ(channel->Send(To("ana@example.net")).kind, ResultKind::kAccepted);
  EXPECT_EQ(Mail().size(), 1u);
}

TEST_F(SmtpChannelTest, ServerClosingWith421IsTheProvidersFault) {
  auto server = StartServer({"--drop-after", "2"});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->Send(To("ana@example.net")).kind, ResultKind::kAccepted);
  const SendResult r = channel->Send(To("bea@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "421 4.3.2");
  EXPECT_EQ(channel->Send(To("bea@example.net")).kind, ResultKind::kAccepted);  // a new connection
  EXPECT_EQ(Mail().size(), 2u);
}

TEST_F(SmtpChannelTest, ClosedPortIsATransientProviderFault) {
  auto channel = MakeOk(Basic(ClosedPort(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  const SendResult r = channel->Send(To("ana@example.net"));
  EXPECT_EQ(r.kind, ResultKind::kTransient);
  EXPECT_TRUE(r.provider_fault);
  EXPECT_EQ(r.code, "transport");
  EXPECT_TRUE(Contains(r.detail, "127.0.0.1")) << r.detail;
}

TEST_F(SmtpChannelTest, HeaderInjectionIsRefusedOrNeutralised) {
  auto server = StartServer({});
  auto channel = MakeOk(Basic(server->port(), "starttls: none\n"));
  ASSERT_NE(channel, nullptr);

  // In the address: refused before any connection, nothing sent.
  for (const char* address : {"ana@example.net\r\nBcc: victim@example.org", "ana@example.net>\r\nRCPT TO:<x@y.z",
                              "ana@example.net\nSubject: x"}) {
    const SendResult r = channel->Send(To(address));
    EXPECT_EQ(r.kind, ResultKind::kPermanent) << address;
    EXPECT_FALSE(Contains(r.detail, "\n")) << r.detail;
  }
  Delivery bad_link = To("ana@example.net");
  bad_link.content.unsubscribe_url = "https://example.com/u\r\nBcc: victim@example.org";
  EXPECT_EQ(channel->Send(bad_link).kind, ResultKind::kPermanent);
  EXPECT_TRUE(Mail().empty());

  // In the name and subject: flattened to one line, so it stays inside its own header.
  Delivery d = To("ana@example.net");
  d.display_name = "Ana\r\nBcc: victim@example.org";
  d.content.subject = "Hola\r\nBcc: victim@example.org";
  ASSERT_EQ(channel->Send(d).kind, ResultKind::kAccepted);
  const auto mail = Mail();
  ASSERT_EQ(mail.size(), 1u);
  const std::string raw = ReadFile(mail[0]);
  EXPECT_FALSE(Contains(raw, "\r\nBcc:")) << raw;
  EXPECT_FALSE(Contains(raw, "\nBcc:")) << raw;
  EXPECT_EQ(Decode(mail[0])["to"]["address"], "ana@example.net");
}

TEST_F(SmtpChannelTest, LimitsAndAddressKind) {
  auto channel = MakeOk(Basic(25, "starttls: none\n"));
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->address_kind(), AddressKind::kEmail);
  EXPECT_DOUBLE_EQ(channel->limits().overall.PerSecond(), 10.0);
  EXPECT_EQ(channel->limits().concurrency, 2);
  EXPECT_EQ(channel->limits().burst, 1);
  auto tuned = MakeOk(Basic(25, "starttls: none\nrate: 2/s\nburst: 5\nconcurrency: 4\nplatform: email\n"));
  ASSERT_NE(tuned, nullptr);
  EXPECT_DOUBLE_EQ(tuned->limits().overall.PerSecond(), 2.0);
  EXPECT_EQ(tuned->limits().burst, 5);
  EXPECT_EQ(tuned->limits().concurrency, 4);
}

// Every configuration error names the file, line and key, and says what was expected.
TEST_F(SmtpChannelTest, ConfigurationErrorsSayWhereAndWhat) {
  struct Case {
    std::string yaml;
    std::string where;  // "channels.yaml:LINE:COLUMN: channels[0].KEY"
    std::string what;
  };
  const Case cases[] = {
      {"id: email\ntype: smtp\nfrom: hola@example.com\n", "channels.yaml:1:1: channels[0].host", "missing"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\nstarttls: maybe\n",
       "channels.yaml:5:11: channels[0].starttls", "expected required, optional or none"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\nhots: x\n",
       "channels.yaml:5:1: channels[0].hots", "unknown key"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\nusername: u\npassword_file: nope\n",
       "channels.yaml:6:16: channels[0].password_file", "cannot read"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: \"Ana <hola@example.com>\\r\\nBcc: x@y.z\"\n",
       "channels.yaml:4:7: channels[0].from", "expected \"Name <name@example.com>\""},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\nstarttls: none\nusername: u\n"
       "password_file: password\n",
       "channels.yaml:5:11: channels[0].starttls", "only sent over TLS"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\ntls: true\nstarttls: required\n",
       "channels.yaml:6:11: channels[0].starttls", "does not apply with tls: true"},
      {"id: email\ntype: smtp\nhost: mail.example.com\nfrom: hola@example.com\nca_file: password\n",
       "channels.yaml:5:10: channels[0].ca_file", "no PEM certificate"},
      {"id: email\ntype: smtp\nhost: \"mail.example.com/x\"\nfrom: hola@example.com\n",
       "channels.yaml:3:7: channels[0].host", "expected a host name"},
  };
  for (const Case& c : cases) {
    const auto channel = Make(c.yaml);
    ASSERT_FALSE(channel.ok()) << c.yaml;
    const std::string message = Message(channel.status());
    EXPECT_TRUE(message.starts_with(c.where + ": ")) << message;
    EXPECT_TRUE(Contains(message, c.what)) << message;
    EXPECT_FALSE(Contains(message, "s3cret")) << message;
  }
}

TEST_F(SmtpChannelTest, DefaultPortsFollowTheTlsMode) {
  // Nothing listens on 587/465 on loopback in tests; the failure message names the port tried.
  auto submission = MakeOk("id: email\ntype: smtp\nhost: 127.0.0.1\nfrom: hola@example.com\ntimeout: 2s\n");
  auto smtps = MakeOk("id: email\ntype: smtp\nhost: 127.0.0.1\nfrom: hola@example.com\ntls: true\ntimeout: 2s\n");
  ASSERT_TRUE(submission && smtps);
  EXPECT_TRUE(Contains(submission->Send(To("ana@example.net")).detail, "127.0.0.1:587"));
  EXPECT_TRUE(Contains(smtps->Send(To("ana@example.net")).detail, "127.0.0.1:465"));
}

}  // namespace
}  // namespace faro::channels::smtp
