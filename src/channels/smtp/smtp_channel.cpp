#include "channels/smtp/smtp_channel.hpp"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "channels/smtp/email_format.hpp"
#include "channels/smtp/smtp_reply.hpp"
#include "core/strings.hpp"

namespace faro::channels::smtp {
namespace {

enum class StartTls { kRequired, kOptional, kNone };

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using Certificate = std::unique_ptr<X509, X509Free>;

struct Settings {
  std::string url;     // smtp://host:port or smtps://host:port
  std::string server;  // host:port, for messages
  bool implicit_tls = false;
  StartTls starttls = StartTls::kRequired;
  std::string username;
  std::string password;
  Mailbox from;
  std::optional<Mailbox> reply_to;
  std::vector<Certificate> extra_anchors;  // from ca_file, trusted besides the system's
  std::chrono::milliseconds timeout{30000};
  Limits limits;
};

// Idle libcurl handles of one channel. A handle keeps its SMTP connection open between
// messages, so a busy outbox does not pay a TLS handshake and login per message.
class EasyPool {
 public:
  ~EasyPool() {
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
  }
  CURL* Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* easy = idle_.back();
        idle_.pop_back();
        return easy;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* easy) {
    std::lock_guard lock(mutex_);
    idle_.push_back(easy);
  }

 private:
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

// libcurl calls this for every new TLS context, after loading the system's trust anchors.
CURLcode AddTrustAnchors(CURL*, void* ssl_ctx, void* user) {
  const auto* anchors = static_cast<const std::vector<Certificate>*>(user);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  for (const Certificate& cert : *anchors) X509_STORE_add_cert(store, cert.get());  // a repeat is harmless
  ERR_clear_error();
  return CURLE_OK;
}

size_t OnReplyLine(char* data, size_t size, size_t count, void* user) {
  static_cast<ReplyLog*>(user)->AddLine(std::string_view(data, size * count));
  return size * count;
}

struct Upload {
  std::string_view data;
  size_t sent = 0;
};

size_t OnUploadRead(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->sent);
  std::copy_n(upload->data.data() + upload->sent, n, buffer);
  upload->sent += n;
  return n;
}

SendResult Refused(std::string detail) {
  SendResult r;
  r.kind = ResultKind::kPermanent;
  r.detail = std::move(detail);
  return r;
}

// "https://…" (or "mailto:…") usable inside <…> of List-Unsubscribe, or a reason it is not.
absl::StatusOr<std::string> UnsubscribeUri(std::string_view value, std::string_view scheme) {
  std::string uri(Trim(value));
  if (scheme == "mailto:" && !ToLower(uri).starts_with("mailto:")) uri = StrCat("mailto:", uri);
  bool ok = ToLower(uri).starts_with(scheme) && uri.size() > scheme.size() && uri.size() <= 900;
  for (const char c : uri) ok = ok && c > 0x20 && c < 0x7f && c != '<' && c != '>';
  if (!ok)
    return absl::InvalidArgumentError(StrCat("the unsubscribe link \"", OneLine(value).substr(0, 100), "\" is not a ",
                                             scheme == "https://" ? "https" : "mailto",
                                             " URI of printable characters without spaces or <>"));
  return uri;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

// Every attempt of one message gets the same Message-ID (derived from the idempotency key), so
// a message sent twice after an ambiguous timeout shows once in mail clients that de-duplicate;
// without a key the id is random.
std::string MessageId(const Settings& s, const Delivery& delivery) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!delivery.idempotency_key.empty()) {
    const std::string seed = StrCat("faro-smtp\n", s.from.address, "\n", delivery.idempotency_key);
    SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest);
  } else if (RAND_bytes(digest, 16) != 1) {
    const std::string seed = StrCat(delivery.message_id, "\n", ToUnixMillis(std::chrono::system_clock::now()));
    SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest);
  }
  return StrCat("<", Hex(digest, 16), "@", DomainOf(s.from.address), ">");
}

// The header lines every message carries (no Content-Type: that depends on the body).
absl::StatusOr<std::vector<std::string>> MessageHeaders(const Settings& s, const Delivery& delivery,
                                                        const std::string& message_id) {
  const Content& content = delivery.content;
  std::vector<std::string> headers = {
      StrCat("From: ", FormatMailbox(s.from)),
      StrCat("To: ", FormatMailbox(Mailbox{delivery.display_name, delivery.address})),
  };
  if (s.reply_to) headers.push_back(StrCat("Reply-To: ", FormatMailbox(*s.reply_to)));
  if (!OneLine(content.subject).empty()) headers.push_back(StrCat("Subject: ", EncodeUnstructured(content.subject)));
  const TimePoint now = delivery.now == TimePoint{} ? std::chrono::system_clock::now() : delivery.now;
  headers.push_back(StrCat("Date: ", RfcDate(now)));
  headers.push_back(StrCat("Message-ID: ", message_id));
  headers.push_back("MIME-Version: 1.0");
  std::vector<std::string> unsubscribe;
  if (!content.unsubscribe_url.empty()) {
    FARO_ASSIGN_OR_RETURN(std::string uri, UnsubscribeUri(content.unsubscribe_url, "https://"));
    unsubscribe.push_back(StrCat("<", uri, ">"));
  }
  if (!content.unsubscribe_mailto.empty()) {
    FARO_ASSIGN_OR_RETURN(std::string uri, UnsubscribeUri(content.unsubscribe_mailto, "mailto:"));
    unsubscribe.push_back(StrCat("<", uri, ">"));
  }
  if (!unsubscribe.empty()) headers.push_back(StrCat("List-Unsubscribe: ", Join(unsubscribe, ", ")));
  // RFC 8058 one-click applies only to the https link.
  if (!content.unsubscribe_url.empty()) headers.push_back("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  return headers;
}

// A text/plain message written out in full: 7bit when it is short-lined ASCII, else base64.
std::string PlainTextMessage(const std::vector<std::string>& headers, std::string_view text) {
  std::string body = CrlfLines(text);
  if (!body.ends_with("\r\n")) body.append("\r\n");
  bool seven_bit = true;
  size_t line = 0;
  for (const char c : body) {
    line = c == '\n' ? 0 : line + 1;
    seven_bit = seven_bit && static_cast<unsigned char>(c) < 0x80 && c != 0 && line <= 998;
  }
  std::string message;
  for (const std::string& h : headers) StrAppend(message, h, "\r\n");
  StrAppend(message, "Content-Type: text/plain; charset=UTF-8\r\n",
            "Content-Transfer-Encoding: ", seven_bit ? "7bit" : "base64", "\r\n\r\n",
            seven_bit ? body : Base64Lines(body));
  return message;
}

class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(Settings settings) : s_(std::move(settings)) {}

  AddressKind address_kind() const override { return AddressKind::kEmail; }
  Limits limits() const override { return s_.limits; }

  SendResult Send(const Delivery& delivery) override {
    if (const absl::Status st = CheckAddress(delivery.address); !st.ok())
      return Refused(StrCat("not sent: ", Message(st)));
    const std::string message_id = MessageId(s_, delivery);
    auto headers = MessageHeaders(s_, delivery, message_id);
    if (!headers.ok()) return Refused(StrCat("not sent: ", Message(headers.status())));

    CURL* easy = pool_.Acquire();
    if (easy == nullptr) return Failure("cannot create an SMTP client (out of memory)");
    curl_easy_reset(easy);
    char error[CURL_ERROR_SIZE] = {0};
    ReplyLog replies;
    const std::string mail_from = StrCat("<", s_.from.address, ">");
    curl_slist* recipients = curl_slist_append(nullptr, StrCat("<", delivery.address, ">").c_str());
    curl_easy_setopt(easy, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (!s_.implicit_tls) {
      curl_easy_setopt(easy, CURLOPT_USE_SSL, s_.starttls == StartTls::kRequired   ? CURLUSESSL_ALL
                                              : s_.starttls == StartTls::kOptional ? CURLUSESSL_TRY
                                                                                   : CURLUSESSL_NONE);
    }
    if (!s_.extra_anchors.empty()) {
      curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, AddTrustAnchors);
      curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, &s_.extra_anchors);
    }
    if (!s_.username.empty()) {
      curl_easy_setopt(easy, CURLOPT_USERNAME, s_.username.c_str());
      curl_easy_setopt(easy, CURLOPT_PASSWORD, s_.password.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(s_.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnReplyLine);  // libcurl passes SMTP replies here
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &replies);

    const Content& content = delivery.content;
    curl_slist* header_list = nullptr;
    curl_mime* mime = nullptr;
    std::string plain;
    Upload upload;
    if (content.html.empty()) {
      plain = PlainTextMessage(*headers, content.text);
      upload.data = plain;
      curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(easy, CURLOPT_READFUNCTION, OnUploadRead);
      curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
      curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(plain.size()));
    } else {
      for (const std::string& h : *headers) header_list = curl_slist_append(header_list, h.c_str());
      mime = AlternativeBody(easy, content);
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list);
      curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime);
    }

    const CURLcode code = curl_easy_perform(easy);
    long reply_code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply_code);
    curl_easy_reset(easy);  // drops the references to the lists and body freed below
    curl_mime_free(mime);
    curl_slist_free_all(header_list);
    curl_slist_free_all(recipients);
    pool_.Release(easy);
    return Outcome(code, static_cast<int>(reply_code), replies, error, message_id);
  }

 private:
  // multipart/alternative (text, then HTML: clients show the last part they can) inside the
  // multipart/mixed libcurl makes of every MIME message; both parts quoted-printable UTF-8.
  static curl_mime* AlternativeBody(CURL* easy, const Content& content) {
    const std::string text = CrlfLines(content.text);
    const std::string html = CrlfLines(content.html);
    curl_mime* mime = curl_mime_init(easy);
    curl_mime* alternative = curl_mime_init(easy);
    curl_mimepart* part = curl_mime_addpart(alternative);
    curl_mime_data(part, text.data(), text.size());
    curl_mime_type(part, "text/plain; charset=UTF-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(alternative);
    curl_mime_data(part, html.data(), html.size());
    curl_mime_type(part, "text/html; charset=UTF-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(mime);
    curl_mime_subparts(part, alternative);
    curl_mime_type(part, "multipart/alternative");
    curl_mime_headers(part, curl_slist_append(nullptr, "Content-Disposition: inline"), 1);
    return mime;
  }

  SendResult Failure(std::string detail) const {
    SendResult r;
    r.kind = ResultKind::kTransient;
    r.provider_fault = true;
    r.code = "transport";
    r.detail = std::move(detail);
    return r;
  }

  SendResult Outcome(CURLcode code, int reply_code, const ReplyLog& replies, const char* error,
                     const std::string& message_id) const {
    if (code == CURLE_OK) return SendResult::Accepted(message_id);
    if (code == CURLE_USE_SSL_FAILED && reply_code < 400) {
      SendResult r;
      r.kind = ResultKind::kAuth;
      r.code = "starttls";
      r.detail = StrCat("the mail server ", s_.server,
                        " does not offer STARTTLS; Faro refuses to send without TLS (starttls: required)");
      return r;
    }
    if (reply_code >= 400) {
      const SmtpReply* reply = replies.Last(reply_code);
      SmtpReply bare;
      bare.code = reply_code;
      return ResultFromReply(reply != nullptr ? *reply : bare, s_.server);
    }
    const std::string why = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    if (code == CURLE_LOGIN_DENIED) {
      SendResult r;
      r.kind = ResultKind::kAuth;
      r.code = "auth";
      r.detail = StrCat("the mail server ", s_.server, " refused our login: ", why);
      return r;
    }
    return Failure(StrCat("cannot deliver to the mail server ", s_.server, ": ", why));
  }

  const Settings s_;
  EasyPool pool_;
};

// ---- configuration ----

absl::StatusOr<std::vector<Certificate>> ReadAnchors(const YamlReader& reader, const YAML::Node& node,
                                                     const std::string& path) {
  FARO_ASSIGN_OR_RETURN(const std::string pem, reader.SecretFile(node, "ca_file", path, false));
  std::vector<Certificate> certs;
  if (pem.empty()) return certs;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) certs.emplace_back(cert);
  BIO_free(bio);
  ERR_clear_error();  // the loop ends on a "no start line" error
  if (certs.empty())
    return reader.Error(node["ca_file"], StrCat(path, ".ca_file"), "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
  return certs;
}

absl::StatusOr<std::optional<Mailbox>> ReadMailbox(const YamlReader& reader, const YAML::Node& node,
                                                   const std::string& path, std::string_view key, bool required) {
  FARO_ASSIGN_OR_RETURN(const std::string text, reader.String(node, key, path, required));
  if (text.empty()) return std::optional<Mailbox>();
  auto mailbox = ParseMailbox(text);
  if (!mailbox.ok())
    return reader.Error(node[std::string(key)], StrCat(path, ".", key),
                        StrCat(Message(mailbox.status()), "; expected \"Name <name@example.com>\" or name@example.com"));
  return std::optional<Mailbox>(*std::move(mailbox));
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']')
      return false;
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) {
  const YamlReader& reader = *config.reader;
  const YAML::Node& node = *config.node;
  const std::string& path = config.path;
  FARO_RETURN_IF_ERROR(reader.OnlyKeys(node, path,
                                       {"id", "type", "platform", "consent", "public_address", "rate", "burst", "concurrency", "host", "port",
                                        "starttls", "tls", "username", "password_file", "from", "reply_to", "ca_file",
                                        "timeout"}));
  Settings s;
  FARO_ASSIGN_OR_RETURN(const std::string host, reader.String(node, "host", path, true));
  if (!IsHostName(host))
    return reader.Error(node["host"], StrCat(path, ".host"),
                        StrCat("expected a host name or IP address such as smtp.example.com, got \"", OneLine(host), "\""));
  FARO_ASSIGN_OR_RETURN(s.implicit_tls, reader.Bool(node, "tls", path, false));
  FARO_ASSIGN_OR_RETURN(const std::string starttls, reader.String(node, "starttls", path, false, "required"));
  if (starttls == "required") s.starttls = StartTls::kRequired;
  else if (starttls == "optional") s.starttls = StartTls::kOptional;
  else if (starttls == "none") s.starttls = StartTls::kNone;
  else
    return reader.Error(node["starttls"], StrCat(path, ".starttls"),
                        StrCat("expected required, optional or none, got \"", OneLine(starttls), "\""));
  if (s.implicit_tls && node["starttls"])
    return reader.Error(node["starttls"], StrCat(path, ".starttls"),
                        "does not apply with tls: true (the connection is TLS from the start); remove one of them");
  FARO_ASSIGN_OR_RETURN(const int64_t port, reader.Int(node, "port", path, s.implicit_tls ? 465 : 587, 1, 65535));

  FARO_ASSIGN_OR_RETURN(s.username, reader.String(node, "username", path, false));
  FARO_ASSIGN_OR_RETURN(s.password, reader.SecretFile(node, "password_file", path, false));
  if (!s.username.empty() && s.password.empty())
    return reader.Error(node["username"], StrCat(path, ".password_file"), "missing; username needs a password_file");
  if (s.username.empty() && !s.password.empty())
    return reader.Error(node["password_file"], StrCat(path, ".username"), "missing; password_file needs a username");
  if (!s.username.empty() && !s.implicit_tls && s.starttls != StartTls::kRequired)
    return reader.Error(node["starttls"], StrCat(path, ".starttls"),
                        "a password is only sent over TLS; use starttls: required or tls: true with username");

  FARO_ASSIGN_OR_RETURN(std::optional<Mailbox> from, ReadMailbox(reader, node, path, "from", true));
  s.from = *std::move(from);
  FARO_ASSIGN_OR_RETURN(s.reply_to, ReadMailbox(reader, node, path, "reply_to", false));
  FARO_ASSIGN_OR_RETURN(s.extra_anchors, ReadAnchors(reader, node, path));
  FARO_ASSIGN_OR_RETURN(s.timeout, reader.Duration(node, "timeout", path, std::chrono::seconds(30)));
  if (s.timeout.count() <= 0)
    return reader.Error(node["timeout"], StrCat(path, ".timeout"), "must be longer than zero");
  FARO_ASSIGN_OR_RETURN(s.limits.overall, reader.RateValue(node, "rate", path, Rate{10, std::chrono::seconds(1)}));
  FARO_ASSIGN_OR_RETURN(const int64_t burst, reader.Int(node, "burst", path, 1, 1, 10000));
  FARO_ASSIGN_OR_RETURN(const int64_t concurrency, reader.Int(node, "concurrency", path, 2, 1, 64));
  s.limits.burst = static_cast<int>(burst);
  s.limits.concurrency = static_cast<int>(concurrency);

  const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  s.server = StrCat(ipv6 ? "[" : "", host, ipv6 ? "]" : "", ":", port);
  s.url = StrCat(s.implicit_tls ? "smtps://" : "smtp://", s.server);
  return std::unique_ptr<Channel>(std::make_unique<SmtpChannel>(std::move(s)));
}

}  // namespace faro::channels::smtp
