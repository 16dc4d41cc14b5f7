#include "channels/webhook/webhook_channel.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

#include "channels/adapter_config.hpp"
#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::channels::webhook {
namespace {

constexpr size_t kMaxDetail = 200;       // receiver answers are clipped in SendResult.detail
constexpr size_t kSlackMaxText = 40000;  // Slack truncates longer messages

std::string Clip(std::string_view text) { return ClipUtf8(Trim(text), kMaxDetail); }

int64_t UnixSeconds(TimePoint t) {
  const int64_t ms = ToUnixMillis(t);
  return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

// "2021-10-04T15:40:00Z".
std::string Rfc3339(TimePoint t) {
  const std::time_t seconds = static_cast<std::time_t>(UnixSeconds(t));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, n);
}

// The receiver's answer as a result: its HTTP status is the code; a rate limit waits Retry-After
// (1 s without one), and a transient failure is the receiver's fault.
SendResult Result(ResultKind kind, const HttpResponse& response, std::string detail) {
  std::string code = StrCat(response.status);
  if (kind == ResultKind::kRateLimited)
    return RateLimited(std::move(code), std::move(detail), RetryAfter(response, std::chrono::seconds(1)));
  if (kind == ResultKind::kTransient) return ProviderFault(std::move(code), std::move(detail));
  return NotSent(kind, std::move(code), std::move(detail));
}

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(CommonSettings common, std::string url, std::string secret)
      : common_(std::move(common)), url_(std::move(url)), secret_(std::move(secret)) {}

  SendResult Send(const Delivery& delivery) override {
    nlohmann::ordered_json doc;
    doc["id"] = delivery.message_id;
    doc["idempotency_key"] = delivery.idempotency_key;
    doc["to"] = delivery.address;
    doc["name"] = delivery.display_name;
    doc["lang"] = std::string(LangCode(delivery.lang));
    doc["subject"] = delivery.content.subject;
    doc["text"] = delivery.content.text;
    doc["sent_at"] = Rfc3339(delivery.now);
    HttpRequest request;
    request.url = url_;
    // Invalid UTF-8 in a text becomes U+FFFD instead of failing the whole message.
    request.body = doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    const std::string timestamp = StrCat(UnixSeconds(delivery.now));
    request.headers = {"Content-Type: application/json", StrCat("X-Faro-Timestamp: ", timestamp),
                       StrCat("X-Faro-Signature: ", FaroSignature(secret_, timestamp, request.body))};
    AddIdempotencyKey(request, delivery.idempotency_key);
    request.timeout = common_.timeout;
    const absl::StatusOr<HttpResponse> response = PerformHttp(request);
    if (!response.ok()) return TransportFailure(response.status());
    const long status = response->status;
    const std::string said = StrCat("the webhook answered HTTP ", status,
                                    response->body.empty() ? std::string() : StrCat(": ", Clip(response->body)));
    if (status >= 200 && status < 300) return SendResult::Accepted({});
    if (status == 429) return Result(ResultKind::kRateLimited, *response, said);
    if (status == 401 || status == 403)
      return Result(ResultKind::kAuth, *response, StrCat(said, " (does the receiver have the same secret?)"));
    if (status == 408 || status >= 500) return Result(ResultKind::kTransient, *response, said);
    if (status >= 300 && status < 400)
      return Result(ResultKind::kPermanent, *response,
                    StrCat(said, "; redirects are not followed: configure the final URL ",
                           Clip(response->Header("location"))));
    return Result(ResultKind::kPermanent, *response, said);  // 410 Gone and every other 4xx
  }

  AddressKind address_kind() const override { return AddressKind::kNone; }
  Limits limits() const override { return common_.limits; }

 private:
  CommonSettings common_;
  std::string url_;
  std::string secret_;
};

class SlackChannel final : public Channel {
 public:
  SlackChannel(CommonSettings common, std::string url) : common_(std::move(common)), url_(std::move(url)) {
    common_.limits.max_text = kSlackMaxText;
  }

  SendResult Send(const Delivery& delivery) override {
    const std::string text = SlackText(delivery.content.subject, delivery.content.text);
    if (text.empty()) return NotSent(ResultKind::kPermanent, "empty", "the message has no subject and no text");
    if (text.size() > kSlackMaxText)
      return NotSent(ResultKind::kPermanent, "too-long",
                     StrCat("the message has ", text.size(), " bytes; team chat takes at most ", kSlackMaxText));
    nlohmann::json doc;
    doc["text"] = text;
    HttpRequest request;
    request.url = url_;
    request.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    request.headers = {"Content-Type: application/json"};
    request.timeout = common_.timeout;
    const absl::StatusOr<HttpResponse> response = PerformHttp(request);
    if (!response.ok()) {
      // The URL is the secret: the transport message names it, so it is replaced.
      std::string detail = Message(response.status());
      for (size_t at = detail.find(url_); !url_.empty() && at != std::string::npos; at = detail.find(url_))
        detail.replace(at, url_.size(), "the team chat webhook");
      return TransportFailure(absl::UnavailableError(detail));
    }
    const long status = response->status;
    const std::string answer = Clip(response->body);
    const std::string said =
        StrCat("the team chat webhook answered HTTP ", status, answer.empty() ? std::string() : StrCat(": ", answer));
    if (status >= 200 && status < 300) return SendResult::Accepted({});
    if (status == 429) return Result(ResultKind::kRateLimited, *response, said);
    // Slack: 410 channel_is_archived (this channel will not take messages; nothing to re-key);
    // 403 invalid_token / action_prohibited and 404 no_service / channel_not_found (the webhook was
    // revoked or removed: a person must configure a new URL).
    if (status == 410 || Contains(response->body, "channel_is_archived"))
      return Result(ResultKind::kPermanent, *response, said);
    if (status == 401 || status == 403 || status == 404)
      return Result(ResultKind::kAuth, *response, StrCat(said, " (was the webhook revoked? configure a new URL)"));
    if (status >= 500) return Result(ResultKind::kTransient, *response, said);
    return Result(ResultKind::kPermanent, *response, said);  // 400 invalid_payload, no_text, 3xx, …
  }

  AddressKind address_kind() const override { return AddressKind::kNone; }
  Limits limits() const override { return common_.limits; }

 private:
  CommonSettings common_;
  std::string url_;  // a secret
};

void AppendSlackEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace

std::string FaroSignature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  const std::string signed_text = StrCat(timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xF]);
  }
  return out;
}

std::string SlackText(std::string_view subject, std::string_view text) {
  // Bold does not span lines in mrkdwn, so the subject stays on one.
  std::string one_line;
  for (char c : Trim(subject)) one_line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  std::string out;
  if (!one_line.empty()) {
    out.push_back('*');
    AppendSlackEscaped(out, one_line);
    out.push_back('*');
    if (!Trim(text).empty()) out.push_back('\n');
  }
  if (!Trim(text).empty()) AppendSlackEscaped(out, text);
  return out;
}

absl::StatusOr<std::unique_ptr<Channel>> CreateWebhook(const ChannelConfig& config) {
  const YAML::Node& node = *config.node;
  const YamlReader& reader = *config.reader;
  FARO_RETURN_IF_ERROR(reader.OnlyKeys(node, config.path,
                                       {"id", "type", "platform", "consent", "public_address", "url", "secret_file", "rate", "burst",
                                        "concurrency", "timeout"}));
  FARO_ASSIGN_OR_RETURN(std::string url, reader.String(node, "url", config.path, true));
  if (!IsHttpUrl(url))
    return reader.Error(node["url"], StrCat(config.path, ".url"),
                        StrCat("expected an http:// or https:// URL, got \"", url, "\""));
  FARO_ASSIGN_OR_RETURN(std::string secret, reader.SecretFile(node, "secret_file", config.path, true));
  FARO_ASSIGN_OR_RETURN(CommonSettings common,
                        ReadCommonSettings(config, {.rate = {10, std::chrono::seconds(1)}, .burst = 10}));
  return std::make_unique<WebhookChannel>(std::move(common), std::move(url), std::move(secret));
}

absl::StatusOr<std::unique_ptr<Channel>> CreateSlack(const ChannelConfig& config) {
  const YAML::Node& node = *config.node;
  const YamlReader& reader = *config.reader;
  FARO_RETURN_IF_ERROR(reader.OnlyKeys(node, config.path,
                                       {"id", "type", "platform", "consent", "public_address", "url_file", "rate", "burst", "concurrency",
                                        "timeout"}));
  FARO_ASSIGN_OR_RETURN(std::string url, reader.SecretFile(node, "url_file", config.path, true));
  if (!IsHttpUrl(url) || url.find_first_of(" \t\r\n") != std::string::npos)
    return reader.Error(node["url_file"], StrCat(config.path, ".url_file"),
                        "the file must hold one http:// or https:// URL (the incoming webhook's address)");
  FARO_ASSIGN_OR_RETURN(CommonSettings common,
                        ReadCommonSettings(config, {.rate = {1, std::chrono::seconds(1)}, .concurrency = 1}));
  return std::make_unique<SlackChannel>(std::move(common), std::move(url));
}

}  // namespace faro::channels::webhook
