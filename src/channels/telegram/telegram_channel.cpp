#include "channels/telegram/telegram_channel.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

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
  Rate rate{30, std::chrono::milliseconds(1000)};
  Rate per_chat_rate{1, std::chrono::milliseconds(1000)};
  int burst = 1;
  int concurrency = 4;
  std::chrono::milliseconds timeout{15000};
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

// A header value must stay on one line whatever the caller put in the key.
std::string HeaderSafe(std::string_view value) {
  std::string out;
  for (char c : value)
    if (c != '\r' && c != '\n') out.push_back(c);
  return out;
}

SendResult Result(ResultKind kind, std::string code, std::string detail) {
  SendResult r;
  r.kind = kind;
  r.code = std::move(code);
  r.detail = std::move(detail);
  return r;
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
    if (response.status == 429) {
      SendResult r = Result(ResultKind::kRateLimited, status, detail);
      r.wait = RetryAfter(response, std::chrono::seconds(1));
      return r;
    }
    if (response.status == 401 || response.status == 403 || response.status == 404)
      return Result(ResultKind::kAuth, status, StrCat(detail, " (check base_url and the token)"));
    if (response.status >= 400 && response.status < 500) return Result(ResultKind::kPermanent, status, detail);
    SendResult r = Result(ResultKind::kTransient, status, detail);
    r.provider_fault = true;
    return r;
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
    SendResult r = Result(ResultKind::kRateLimited, "429", detail);
    const json& after = parameters.value("retry_after", json());
    constexpr int64_t kDay = 86400;  // a bound, so a wild value cannot overflow
    r.wait = after.is_number_integer() && after.get<int64_t>() >= 0
                 ? std::chrono::seconds(std::min(after.get<int64_t>(), kDay))
                 : RetryAfter(response, std::chrono::seconds(1));
    return r;
  }
  if (parameters.contains("migrate_to_chat_id") && parameters["migrate_to_chat_id"].is_number_integer()) {
    const std::string moved = std::to_string(parameters["migrate_to_chat_id"].get<int64_t>());
    SendResult r = Result(ResultKind::kTransient, code_text,
                          StrCat(detail, " (the group moved to chat ", moved, ")"));
    r.new_address = moved;
    return r;
  }
  if (code == 403)
    return Result(ResultKind::kConsent, "403",
                  StrCat(detail, " (the person must start or unblock the bot before it can write)"));
  if (code == 401 || code == 404)
    return Result(ResultKind::kAuth, code_text, StrCat(detail, " (the bot token was refused)"));
  if (code >= 500 || response.status >= 500 || (response.status >= 200 && response.status < 300)) {
    // A 2xx with "ok":false is a broken answer: the provider's fault, worth another try.
    SendResult r = Result(ResultKind::kTransient, code_text, detail);
    r.provider_fault = true;
    return r;
  }
  return Result(ResultKind::kPermanent, code_text, detail);
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
    Limits l;
    l.overall = s_.rate;
    l.per_recipient = s_.per_chat_rate;
    l.burst = s_.burst;
    l.concurrency = s_.concurrency;
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
      if (ec != std::errc()) return Result(ResultKind::kPermanent, "bad-address", "Telegram chat id out of range");
      chat_id = id;
    } else if (IsChannelName(address)) {
      chat_id = address;
    } else if (address.empty()) {
      return Result(ResultKind::kPermanent, "no-address",
                    "no Telegram chat id given and no channel configured for this bot");
    } else {
      return Result(ResultKind::kPermanent, "bad-address",
                    StrCat("\"", address, "\" is not a Telegram chat id or @channel name"));
    }
    const std::string& text = delivery.content.text;
    if (text.empty()) return Result(ResultKind::kPermanent, "empty-text", "Telegram messages cannot be empty");
    const size_t length = Utf16Length(text);
    if (length > kMaxText)
      return Result(ResultKind::kPermanent, "too-long",
                    StrCat("the text has ", length, " characters; Telegram takes at most ", kMaxText));

    HttpRequest request;
    request.url = StrCat(s_.base_url, "/bot", s_.token, "/sendMessage");
    request.headers = {"Content-Type: application/json"};
    if (!delivery.idempotency_key.empty())
      request.headers.push_back(StrCat("Idempotency-Key: ", HeaderSafe(delivery.idempotency_key)));
    request.body = json{{"chat_id", chat_id}, {"text", text}}.dump(-1, ' ', false, json::error_handler_t::replace);
    request.timeout = s_.timeout;
    const absl::StatusOr<HttpResponse> response = PerformHttp(request);
    if (!response.ok()) return TransportFailure(response.status());
    return Classify(*response);
  }

  Settings s_;
};

absl::StatusOr<std::string> BaseUrl(const YamlReader& reader, const YAML::Node& node, const std::string& path) {
  FARO_ASSIGN_OR_RETURN(std::string url, reader.String(node, "base_url", path, false, "https://api.telegram.org"));
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return reader.Error(node["base_url"], StrCat(path, ".base_url"),
                        StrCat("expected an http:// or https:// address, got \"", url, "\""));
  while (url.ends_with('/')) url.pop_back();
  return url;
}

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
  FARO_ASSIGN_OR_RETURN(s.base_url, BaseUrl(reader, node, path));
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
  FARO_ASSIGN_OR_RETURN(s.rate, reader.RateValue(node, "rate", path, s.rate));
  FARO_ASSIGN_OR_RETURN(s.per_chat_rate, reader.RateValue(node, "per_chat_rate", path, s.per_chat_rate));
  FARO_ASSIGN_OR_RETURN(const int64_t burst, reader.Int(node, "burst", path, 1, 1, 10000));
  FARO_ASSIGN_OR_RETURN(const int64_t concurrency, reader.Int(node, "concurrency", path, 4, 1, 256));
  s.burst = static_cast<int>(burst);
  s.concurrency = static_cast<int>(concurrency);
  FARO_ASSIGN_OR_RETURN(s.timeout, reader.Duration(node, "timeout", path, s.timeout));
  if (s.timeout.count() <= 0 || s.timeout > std::chrono::minutes(10))
    return reader.Error(node["timeout"], StrCat(path, ".timeout"), "expected a duration above 0 and at most 10m");
  return std::unique_ptr<Channel>(std::make_unique<TelegramChannel>(std::move(s)));
}

}  // namespace faro::channels::telegram
