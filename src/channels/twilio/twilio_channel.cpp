#include "channels/twilio/twilio_channel.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "channels/adapter_config.hpp"
#include "channels/http_client.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::channels::twilio {
namespace {

constexpr size_t kSmsMaxText = 1600;    // Twilio's limit for Body (error 21617 beyond it)
constexpr size_t kVoiceMaxText = 1000;  // a call that reads more than this loses its listener
constexpr size_t kMaxDetail = 300;      // provider messages are clipped in SendResult.detail

// Settings both Twilio channels share.
struct Account {
  std::string base_url;  // without a trailing slash
  std::string account_sid;
  std::string token;  // the auth token: never put in a message
  std::string status_callback;
  CommonSettings common;  // limits and timeout
};

bool IsHex(std::string_view text) {
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "AC" + 32 hex digits, "MG" + 32 hex digits.
bool IsSid(std::string_view text, std::string_view prefix) {
  return text.size() == 34 && text.starts_with(prefix) && IsHex(text.substr(2));
}

// "+" and 2 to 15 digits, the first not 0 (ITU-T E.164).
bool IsE164(std::string_view text) {
  if (text.size() < 3 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  for (char c : text.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

std::string Clip(std::string_view text) { return ClipUtf8(text, kMaxDetail); }

absl::StatusOr<Account> ReadAccount(const ChannelConfig& config, Rate default_rate, int default_burst,
                                    int default_concurrency) {
  const YAML::Node& node = *config.node;
  const YamlReader& reader = *config.reader;
  const std::string& path = config.path;
  Account account;

  FARO_ASSIGN_OR_RETURN(account.base_url, reader.String(node, "base_url", path, false, "https://api.twilio.com"));
  if (!IsHttpUrl(account.base_url))
    return reader.Error(node["base_url"], StrCat(path, ".base_url"),
                        StrCat("expected an http:// or https:// URL, got \"", account.base_url, "\""));
  while (account.base_url.ends_with('/')) account.base_url.pop_back();

  FARO_ASSIGN_OR_RETURN(account.account_sid, reader.String(node, "account_sid", path, true));
  if (!IsSid(account.account_sid, "AC"))
    return reader.Error(node["account_sid"], StrCat(path, ".account_sid"),
                        StrCat("expected a Twilio account SID (AC followed by 32 hexadecimal digits), got \"",
                               account.account_sid, "\""));

  FARO_ASSIGN_OR_RETURN(account.token, reader.SecretFile(node, "token_file", path, true));

  FARO_ASSIGN_OR_RETURN(account.status_callback, reader.String(node, "status_callback", path, false));
  if (!account.status_callback.empty() && !IsHttpUrl(account.status_callback))
    return reader.Error(node["status_callback"], StrCat(path, ".status_callback"),
                        StrCat("expected an http:// or https:// URL where Twilio reports delivery, got \"",
                               account.status_callback, "\""));

  FARO_ASSIGN_OR_RETURN(account.common,
                        ReadCommonSettings(config, {.rate = default_rate, .burst = default_burst,
                                                    .concurrency = default_concurrency}));  // timeout 15 s
  return account;
}

absl::StatusOr<std::string> ReadFrom(const ChannelConfig& config, bool required) {
  FARO_ASSIGN_OR_RETURN(std::string from, config.reader->String(*config.node, "from", config.path, required));
  if (!from.empty() && !IsE164(from))
    return config.reader->Error((*config.node)["from"], StrCat(config.path, ".from"),
                                StrCat("expected a phone number in E.164 form such as +34911234567, got \"",
                                       from, "\""));
  return from;
}

// Twilio's answer to a create request, normalised. Errors carry {code, message, more_info, status}.
SendResult Judge(const HttpResponse& response, std::string_view sid_prefix) {
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) {
    std::string sid;
    if (body.is_object() && body.contains("sid") && body["sid"].is_string()) sid = body["sid"].get<std::string>();
    SendResult r = SendResult::Accepted(sid);
    if (!sid.starts_with(sid_prefix)) r.detail = StrCat("Twilio accepted the request but its answer carried no ", sid_prefix, " sid");
    return r;
  }

  int64_t code = 0;
  std::string message;
  if (body.is_object()) {
    if (body.contains("code") && body["code"].is_number_integer()) code = body["code"].get<int64_t>();
    if (body.contains("message") && body["message"].is_string()) message = body["message"].get<std::string>();
  }
  SendResult r;
  r.code = code != 0 ? StrCat(code) : StrCat(response.status);
  r.detail = StrCat("Twilio answered HTTP ", response.status);
  if (code != 0) StrAppend(r.detail, ", error ", code);
  if (!message.empty()) StrAppend(r.detail, ": ", Clip(message));

  switch (code) {
    case 21610:  // the person texted STOP; resubscribes by texting START
      r.kind = ResultKind::kConsent;
      return r;
    case 20429:
      r.kind = ResultKind::kRateLimited;
      r.wait = RetryAfter(response, std::chrono::seconds(1));
      return r;
    case 20003:
      r.kind = ResultKind::kAuth;
      return r;
    case 21211:  // invalid To number
    case 21614:  // To is not a mobile number
    case 30005:  // unknown or inactive handset
    case 30006:  // landline or unreachable carrier
    case 30007:  // filtered by the carrier
      r.kind = ResultKind::kPermanent;
      return r;
    case 30003:  // the handset is unreachable now (switched off, no signal): not Twilio's fault
      r.kind = ResultKind::kTransient;
      return r;
    default:
      break;
  }
  if (response.status == 429) {
    r.kind = ResultKind::kRateLimited;
    r.wait = RetryAfter(response, std::chrono::seconds(1));
  } else if (response.status == 401) {
    r.kind = ResultKind::kAuth;
  } else if (response.status >= 400 && response.status < 500) {
    r.kind = ResultKind::kPermanent;
  } else {  // 5xx, or an answer no API call should get (1xx, 3xx)
    r.kind = ResultKind::kTransient;
    r.provider_fault = true;
  }
  return r;
}

SendResult Create(const Account& account, std::string_view resource, std::string_view sid_prefix,
                  const std::vector<std::pair<std::string, std::string>>& fields,
                  std::string_view idempotency_key) {
  HttpRequest request;
  request.url = StrCat(account.base_url, "/2010-04-01/Accounts/", account.account_sid, "/", resource);
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  // Twilio ignores it; the fake and private gateways answer a repeated key with the first answer.
  AddIdempotencyKey(request, idempotency_key);
  request.body = FormEncode(fields);
  request.basic_user = account.account_sid;
  request.basic_password = account.token;
  request.timeout = account.common.timeout;
  const absl::StatusOr<HttpResponse> response = PerformHttp(request);
  if (!response.ok()) return TransportFailure(response.status());
  return Judge(*response, sid_prefix);
}

// Why this delivery cannot go out at all (checked before spending a request), if it cannot.
std::optional<SendResult> Unsendable(const Delivery& delivery, size_t max_text, std::string_view what) {
  if (!IsE164(delivery.address))
    return NotSent(ResultKind::kPermanent, "bad-address",
                   StrCat("\"", Clip(delivery.address), "\" is not a phone number in E.164 form (+34911234567)"));
  if (Trim(delivery.content.text).empty()) return NotSent(ResultKind::kPermanent, "empty", "the message has no text");
  const size_t length = CountCodePoints(delivery.content.text);
  if (length > max_text)
    return NotSent(ResultKind::kPermanent, "too-long",
                   StrCat("the text has ", length, " characters; ", what, " at most ", max_text));
  return std::nullopt;
}

class SmsChannel final : public Channel {
 public:
  SmsChannel(Account account, std::string from, std::string messaging_service_sid)
      : account_(std::move(account)), from_(std::move(from)), service_(std::move(messaging_service_sid)) {
    account_.common.limits.max_text = kSmsMaxText;
  }

  SendResult Send(const Delivery& delivery) override {
    if (auto refused = Unsendable(delivery, kSmsMaxText, "an SMS carries")) return *refused;
    std::vector<std::pair<std::string, std::string>> fields = {{"To", delivery.address}};
    if (!service_.empty()) fields.emplace_back("MessagingServiceSid", service_);
    else fields.emplace_back("From", from_);
    fields.emplace_back("Body", delivery.content.text);
    if (!account_.status_callback.empty()) fields.emplace_back("StatusCallback", account_.status_callback);
    return Create(account_, "Messages.json", "SM", fields, delivery.idempotency_key);
  }

  AddressKind address_kind() const override { return AddressKind::kPhone; }
  Limits limits() const override { return account_.common.limits; }

 private:
  Account account_;
  std::string from_;
  std::string service_;
};

class VoiceChannel final : public Channel {
 public:
  VoiceChannel(Account account, std::string from, std::string voice, std::string language_es,
               std::string language_en)
      : account_(std::move(account)),
        from_(std::move(from)),
        voice_(std::move(voice)),
        language_es_(std::move(language_es)),
        language_en_(std::move(language_en)) {
    account_.common.limits.max_text = kVoiceMaxText;
  }

  SendResult Send(const Delivery& delivery) override {
    if (auto refused = Unsendable(delivery, kVoiceMaxText, "a call reads")) return *refused;
    const std::string& language = delivery.lang == Lang::kEs ? language_es_ : language_en_;
    std::vector<std::pair<std::string, std::string>> fields = {
        {"To", delivery.address}, {"From", from_}, {"Twiml", SayTwiml(delivery.content.text, language, voice_)}};
    if (!account_.status_callback.empty()) fields.emplace_back("StatusCallback", account_.status_callback);
    return Create(account_, "Calls.json", "CA", fields, delivery.idempotency_key);
  }

  AddressKind address_kind() const override { return AddressKind::kPhone; }
  Limits limits() const override { return account_.common.limits; }

 private:
  Account account_;
  std::string from_;
  std::string voice_;
  std::string language_es_;
  std::string language_en_;
};

// A <Say> attribute value such as "es-ES" or "Polly.Lupe-Neural": letters, digits, ".", "-", "_".
absl::StatusOr<std::string> ReadSayAttribute(const ChannelConfig& config, std::string_view key,
                                             std::string fallback, std::string_view example) {
  FARO_ASSIGN_OR_RETURN(std::string value, config.reader->String(*config.node, key, config.path, false, fallback));
  bool ok = !value.empty() || fallback.empty();
  for (char c : value)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') ok = false;
  if (!ok || value.size() > 64)
    return config.reader->Error((*config.node)[std::string(key)], StrCat(config.path, ".", key),
                                StrCat("expected a value such as ", example, ", got \"", value, "\""));
  return value;
}

}  // namespace

std::string SayTwiml(std::string_view text, std::string_view language, std::string_view voice) {
  std::string out = "<Response><Say";
  if (!voice.empty()) StrAppend(out, " voice=\"", voice, "\"");
  if (!language.empty()) StrAppend(out, " language=\"", language, "\"");
  out.push_back('>');
  out += EscapeXml(text);
  out += "</Say></Response>";
  return out;
}

absl::StatusOr<std::unique_ptr<Channel>> CreateSms(const ChannelConfig& config) {
  FARO_RETURN_IF_ERROR(config.reader->OnlyKeys(
      *config.node, config.path,
      {"id", "type", "platform", "consent", "public_address", "base_url", "account_sid", "token_file", "from", "messaging_service_sid",
       "status_callback", "rate", "burst", "concurrency", "timeout"}));
  FARO_ASSIGN_OR_RETURN(Account account, ReadAccount(config, Rate{10, std::chrono::seconds(1)}, 1, 4));
  FARO_ASSIGN_OR_RETURN(std::string from, ReadFrom(config, false));
  FARO_ASSIGN_OR_RETURN(std::string service,
                        config.reader->String(*config.node, "messaging_service_sid", config.path, false));
  const YAML::Node& node = *config.node;
  if (!from.empty() && !service.empty())
    return config.reader->Error(node["messaging_service_sid"], StrCat(config.path, ".messaging_service_sid"),
                                "set either from or messaging_service_sid, not both");
  if (from.empty() && service.empty())
    return config.reader->Error(node, config.path,
                                "set the sender: from (a phone number such as +34911234567) or messaging_service_sid");
  if (!service.empty() && !IsSid(service, "MG"))
    return config.reader->Error(node["messaging_service_sid"], StrCat(config.path, ".messaging_service_sid"),
                                StrCat("expected a Messaging Service SID (MG followed by 32 hexadecimal digits), got \"",
                                       service, "\""));
  return std::make_unique<SmsChannel>(std::move(account), std::move(from), std::move(service));
}

absl::StatusOr<std::unique_ptr<Channel>> CreateVoice(const ChannelConfig& config) {
  FARO_RETURN_IF_ERROR(config.reader->OnlyKeys(
      *config.node, config.path,
      {"id", "type", "platform", "consent", "public_address", "base_url", "account_sid", "token_file", "from", "status_callback", "voice",
       "language_es", "language_en", "rate", "burst", "concurrency", "timeout"}));
  FARO_ASSIGN_OR_RETURN(Account account, ReadAccount(config, Rate{1, std::chrono::seconds(1)}, 1, 2));
  FARO_ASSIGN_OR_RETURN(std::string from, ReadFrom(config, true));
  FARO_ASSIGN_OR_RETURN(std::string voice, ReadSayAttribute(config, "voice", "", "Polly.Lupe or alice"));
  FARO_ASSIGN_OR_RETURN(std::string es, ReadSayAttribute(config, "language_es", "es-ES", "es-ES or es-MX"));
  FARO_ASSIGN_OR_RETURN(std::string en, ReadSayAttribute(config, "language_en", "en-US", "en-US or en-GB"));
  return std::make_unique<VoiceChannel>(std::move(account), std::move(from), std::move(voice), std::move(es),
                                        std::move(en));
}

}  // namespace faro::channels::twilio
