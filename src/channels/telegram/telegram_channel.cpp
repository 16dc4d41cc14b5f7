#include "channels/telegram/telegram_channel.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "channels/adapter_config.hpp"
#include "channels/http_client.hpp"
#include "core/strings.hpp"

namespace faro::channels::telegram {
namespace {

using nlohmann::json;

constexpr size_t kMaxText = 4096;  // sendMessage: 1-4096 characters (UTF-16 code units)

struct Settings {
  std::string base_url;
  std::string token;
  std::string public_channel;  // "@name" or "-100…"; where posts without an address go
  CommonSettings common;       // limits (per recipient: per chat) and timeout
};

bool IsNumericChatId(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "@channelusername": public usernames are letters, digits and underscores.
bool IsChannelName(std::string_view s) {
  if (s.size() < 2 || s.size() > 65 || s.front() != '@') return false;
  for (char c : s.substr(1))
    if (!IsWordChar(c)) return false;
  return true;
}

// Bot tokens look like "123456:AA…"; anything outside this set would change the URL's meaning.
bool IsTokenShaped(std::string_view s) {
  for (char c : s)
    if (!IsWordChar(c) && c != ':' && c != '-') return false;
  return !s.empty();
}

// The token is part of every URL; no message may carry it.
std::string Redact(std::string text, const std::string& token) {
  if (token.empty()) return text;
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at))
    text.replace(at, token.size(), "<token>");
  return text;
}

// Maps a sendMessage answer. Logic keys on error_code and parameters, never on description.
SendResult Classify(const HttpResponse& response) {
  const json body = json::parse(response.body, nullptr, false);
  const bool is_object = body.is_object();
  if (is_object && body.value("ok", false) == true) {
    std::string id;
    if (body.contains("result") && body["result"].is_object()) {
      const json& message_id = body["result"].value("message_id", json());
      if (message_id.is_number_integer()) id = std::to_string(message_id.get<int64_t>());
    }
    return SendResult::Accepted(id);
  }
  if (!is_object || !body.contains("ok")) {
    // Not the Bot API speaking: a proxy, a gateway or a wrong base_url. Its 403 says nothing
    // about the person, so it is never taken as their refusal.
    const std::string status = std::to_string(response.status);
    const std::string detail = StrCat("Telegram sendMessage: HTTP ", response.status, " without a Bot API answer");
    if (response.status == 429) return RateLimited(status, detail, RetryAfter(response, std::chrono::seconds(1)));
    if (response.status == 401 || response.status == 403 || response.status == 404)
      return NotSent(ResultKind::kAuth, status, StrCat(detail, " (check base_url and the token)"));
    if (response.status >= 400 && response.status < 500) return NotSent(ResultKind::kPermanent, status, detail);
    return ProviderFault(status, detail);
  }
  long code = response.status;
  std::string description = StrCat("HTTP ", response.status);
  json parameters = json::object();
  if (body.contains("error_code") && body["error_code"].is_number_integer()) code = body["error_code"].get<long>();
  if (body.contains("description") && body["description"].is_string())
    description = body["description"].get<std::string>();
  if (body.contains("parameters") && body["parameters"].is_object()) parameters = body["parameters"];
  const std::string code_text = std::to_string(code);
  const std::string detail = StrCat("Telegram sendMessage: ", description);

  if (parameters.contains("retry_after") || code == 429) {
    const json& after = parameters.value("retry_after", json());
    constexpr int64_t kDay = 86400;  // a bound, so a wild value cannot overflow
    return RateLimited("429", detail,
                       after.is_number_integer() && after.get<int64_t>() >= 0
                           ? std::chrono::seconds(std::min(after.get<int64_t>(), kDay))
                           : RetryAfter(response, std::chrono::seconds(1)));
  }
  if (parameters.contains("migrate_to_chat_id") && parameters["migrate_to_chat_id"].is_number_integer()) {
    const std::string moved = std::to_string(parameters["migrate_to_chat_id"].get<int64_t>());
    SendResult r = NotSent(ResultKind::kTransient, code_text, StrCat(detail, " (the group moved to chat ", moved, ")"));
    r.new_address = moved;
    return r;
  }
  if (code == 403)
    return NotSent(ResultKind::kConsent, "403",
                   StrCat(detail, " (the person must start or unblock the bot before it can write)"));
  if (code == 401 || code == 404)
    return NotSent(ResultKind::kAuth, code_text, StrCat(detail, " (the bot token was refused)"));
  if (code >= 500 || response.status >= 500 || (response.status >= 200 && response.status < 300)) {
    // A 2xx with "ok":false is a broken answer: the provider's fault, worth another try.
    return ProviderFault(code_text, detail);
  }
  return NotSent(ResultKind::kPermanent, code_text, detail);
}

class TelegramChannel final : public Channel {
 public:
  explicit TelegramChannel(Settings settings) : s_(std::move(settings)) {}

  SendResult Send(const Delivery& delivery) override {
    SendResult r = SendOnce(delivery);
    r.detail = Redact(std::move(r.detail), s_.token);
    return r;
  }

  AddressKind address_kind() const override { return AddressKind::kTelegram; }

  Limits limits() const override {
    Limits l = s_.common.limits;
    l.max_text = kMaxText;
    return l;
  }

 private:
  SendResult SendOnce(const Delivery& delivery) const {
    // A delivery without an address is a post to the configured public channel.
    const std::string& address = delivery.address.empty() ? s_.public_channel : delivery.address;
    json chat_id;
    if (IsNumericChatId(address)) {
      int64_t id = 0;
      const auto [end, ec] = std::from_chars(address.data(), address.data() + address.size(), id);
      if (ec != std::errc()) return NotSent(ResultKind::kPermanent, "bad-address", "Telegram chat id out of range");
      chat_id = id;
    } else if (IsChannelName(address)) {
      chat_id = address;
    } else if (address.empty()) {
      return NotSent(ResultKind::kPermanent, "no-address",
                     "no Telegram chat id given and no channel configured for this bot");
    } else {
      return NotSent(ResultKind::kPermanent, "bad-address",
                     StrCat("\"", address, "\" is not a Telegram chat id or @channel name"));
    }
    const std::string& text = delivery.content.text;
    if (text.empty()) return NotSent(ResultKind::kPermanent, "empty-text", "Telegram messages cannot be empty");
    const size_t length = Utf16Length(text);
    if (length > kMaxText)
      return NotSent(ResultKind::kPermanent, "too-long",
                     StrCat("the text has ", length, " characters; Telegram takes at most ", kMaxText));

    HttpRequest request;
    request.url = StrCat(s_.base_url, "/bot", s_.token, "/sendMessage");
    request.headers = {"Content-Type: application/json"};
    AddIdempotencyKey(request, delivery.idempotency_key);
    request.body = json{{"chat_id", chat_id}, {"text", text}}.dump(-1, ' ', false, json::error_handler_t::replace);
    request.timeout = s_.common.timeout;
    const absl::StatusOr<HttpResponse> response = PerformHttp(request);
    if (!response.ok()) return TransportFailure(response.status());
    return Classify(*response);
  }

  Settings s_;
};

}  // namespace

size_t Utf16Length(std::string_view utf8) {
  size_t units = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += c >= 0xF0 ? 2 : 1;        // four-byte sequences are surrogate pairs in UTF-16
  }
  return units;
}

absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) {
  const YamlReader& reader = *config.reader;
  const YAML::Node& node = *config.node;
  const std::string& path = config.path;
  FARO_RETURN_IF_ERROR(reader.OnlyKeys(node, path,
                                       {"id", "type", "platform", "consent", "public_address", "base_url", "token_file", "channel", "rate",
                                        "per_chat_rate", "burst", "concurrency", "timeout"}));
  Settings s;
  FARO_ASSIGN_OR_RETURN(s.base_url, ReadBaseUrl(config, "https://api.telegram.org"));
  FARO_ASSIGN_OR_RETURN(s.token, reader.SecretFile(node, "token_file", path, true));
  if (!IsTokenShaped(s.token))
    return reader.Error(node["token_file"], StrCat(path, ".token_file"),
                        "the bot token in this file has characters a Telegram token never has "
                        "(expected digits, ':', letters, '_' or '-')");
  FARO_ASSIGN_OR_RETURN(s.public_channel, reader.String(node, "channel", path, false));
  if (!s.public_channel.empty() && !IsChannelName(s.public_channel) &&
      !(s.public_channel.starts_with("-100") && IsNumericChatId(s.public_channel)))
    return reader.Error(node["channel"], StrCat(path, ".channel"),
                        StrCat("expected a public channel as \"@name\" or a numeric id starting with -100, got \"",
                               s.public_channel, "\""));
  // 30/s overall, 1/s per chat (Telegram's own limits), burst 1, 4 at once, 15 s: the defaults.
  FARO_ASSIGN_OR_RETURN(s.common, ReadCommonSettings(config, {.per_recipient_key = "per_chat_rate",
                                                                .max_concurrency = 256,
                                                                .max_timeout = std::chrono::minutes(10)}));
  return std::unique_ptr<Channel>(std::make_unique<TelegramChannel>(std::move(s)));
}

}  // namespace faro::channels::telegram
