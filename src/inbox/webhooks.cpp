#include "inbox/webhooks.hpp"

#include <atomic>
#include <nlohmann/json.hpp>

#include "core/strings.hpp"
#include "inbox/payloads.hpp"
#include "inbox/signatures.hpp"

namespace faro::inbox {
namespace {

constexpr std::string_view kWhatsAppPath = "/webhooks/whatsapp";
constexpr std::string_view kTelegramPath = "/webhooks/telegram";
constexpr std::string_view kTwilioPath = "/webhooks/twilio";

// Twilio accepts an empty TwiML document as "no reply".
constexpr std::string_view kEmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

const std::string* Header(const WebhookRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers)
    if (key.size() == name.size() && ToLower(key) == name) return &value;
  return nullptr;
}

const std::string* QueryParam(const WebhookRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.query)
    if (key == name) return &value;
  return nullptr;
}

HandleResult Answer(int status, std::string body, std::string_view content_type = "text/plain") {
  HandleResult r;
  r.response.status = status;
  r.response.content_type = std::string(content_type);
  r.response.body = std::move(body);
  return r;
}

// A refused request, counted under the reason it was refused for.
HandleResult Refuse(std::atomic<uint64_t>& counter, int status, std::string body) {
  ++counter;
  return Answer(status, std::move(body));
}

// The end of every signed notification: 400 when the body is not the provider's format, else 200
// (an empty body) with its events and warnings. `Counts` is Webhooks' private per-type counters.
template <typename Counts>
HandleResult Understood(Counts& counts, absl::StatusOr<ParsedPayload> parsed) {
  if (!parsed.ok()) return Refuse(counts.malformed, 400, StrCat(Message(parsed.status()), "\n"));
  ++counts.accepted;
  HandleResult r = Answer(200, "");
  r.events = std::move(parsed->events);
  r.warnings = std::move(parsed->warnings);
  return r;
}

// Twilio's JSON variant carries its parameters as a flat object; they are read like form fields.
absl::StatusOr<FormParams> JsonParams(std::string_view body) {
  const nlohmann::json root = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
  FormParams params;
  for (const auto& [key, value] : root.items()) {
    if (value.is_string()) params.emplace_back(key, value.get<std::string>());
    if (value.is_number_integer()) params.emplace_back(key, std::to_string(value.get<int64_t>()));
  }
  return params;
}

std::string_view PathWithoutTrailingSlash(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

Webhooks::Webhooks(WebhookSecrets secrets) : secrets_(std::move(secrets)) {}

int Webhooks::CountsIndex(std::string_view channel_type) {
  if (channel_type == kWhatsAppCloud) return 0;
  if (channel_type == kTelegramBot) return 1;
  if (channel_type == kTwilioSms) return 2;
  return -1;
}

WebhookCounters Webhooks::Counters(std::string_view channel_type) const {
  WebhookCounters out;
  const int i = CountsIndex(channel_type);
  if (i < 0) return out;
  const Counts& c = counts_[i];
  out.accepted = c.accepted.load();
  out.refused_unsigned = c.refused_unsigned.load();
  out.refused_bad_signature = c.refused_bad_signature.load();
  out.malformed = c.malformed.load();
  out.duplicates = c.duplicates.load();
  return out;
}

void Webhooks::CountDuplicate(std::string_view channel_type) {
  if (const int i = CountsIndex(channel_type); i >= 0) ++counts_[i].duplicates;
}

HandleResult Webhooks::Handle(const WebhookRequest& request) {
  const std::string_view path = PathWithoutTrailingSlash(request.path);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  if (path == kWhatsAppPath) {
    if (get) return WhatsAppHandshake(request);
    if (post) return WhatsAppNotification(request);
    return Answer(405, "use GET or POST\n");
  }
  if (path == kTelegramPath || path == kTwilioPath) {
    if (!post) return Answer(405, "use POST\n");
    return path == kTelegramPath ? TelegramUpdate(request) : TwilioCallback(request);
  }
  return Answer(404, "no such webhook\n");
}

HandleResult Webhooks::WhatsAppHandshake(const WebhookRequest& request) {
  Counts& counts = counts_[0];
  if (secrets_.whatsapp_verify_token.empty()) return Answer(404, "the WhatsApp webhook is not configured\n");
  const std::string* mode = QueryParam(request, "hub.mode");
  const std::string* token = QueryParam(request, "hub.verify_token");
  const std::string* challenge = QueryParam(request, "hub.challenge");
  if (token == nullptr) return Refuse(counts.refused_unsigned, 403, "hub.verify_token is missing\n");
  if (!ConstantTimeEquals(*token, secrets_.whatsapp_verify_token))
    return Refuse(counts.refused_bad_signature, 403, "hub.verify_token does not match\n");
  if (mode == nullptr || *mode != "subscribe" || challenge == nullptr)
    return Refuse(counts.malformed, 403, "expected hub.mode=subscribe and a hub.challenge\n");
  ++counts.accepted;
  return Answer(200, *challenge);
}

HandleResult Webhooks::WhatsAppNotification(const WebhookRequest& request) {
  Counts& counts = counts_[0];
  if (secrets_.whatsapp_app_secret.empty()) return Answer(404, "the WhatsApp webhook is not configured\n");
  const std::string* signature = Header(request, "x-hub-signature-256");
  if (signature == nullptr || signature->empty())
    return Refuse(counts.refused_unsigned, 401, "X-Hub-Signature-256 is missing\n");
  if (!VerifyMetaSignature(secrets_.whatsapp_app_secret, request.body, *signature))
    return Refuse(counts.refused_bad_signature, 403, "X-Hub-Signature-256 does not match the body\n");
  return Understood(counts, ParseWhatsAppNotification(request.body, request.received_at));
}

HandleResult Webhooks::TelegramUpdate(const WebhookRequest& request) {
  Counts& counts = counts_[1];
  if (secrets_.telegram_secret_token.empty()) return Answer(404, "the Telegram webhook is not configured\n");
  const std::string* secret = Header(request, "x-telegram-bot-api-secret-token");
  if (secret == nullptr || secret->empty())
    return Refuse(counts.refused_unsigned, 401, "X-Telegram-Bot-Api-Secret-Token is missing\n");
  if (!VerifyTelegramSecret(secrets_.telegram_secret_token, *secret))
    return Refuse(counts.refused_bad_signature, 403, "X-Telegram-Bot-Api-Secret-Token does not match\n");
  return Understood(counts, ParseTelegramUpdate(request.body, request.received_at));
}

std::string Webhooks::TwilioSignedUrl(const WebhookRequest& request) const {
  if (secrets_.public_base_url.empty()) return request.url;
  std::string_view base = secrets_.public_base_url;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  const size_t q = request.url.find('?');
  const std::string_view query = q == std::string::npos ? std::string_view() : std::string_view(request.url).substr(q);
  return StrCat(base, request.path, query);
}

HandleResult Webhooks::TwilioCallback(const WebhookRequest& request) {
  Counts& counts = counts_[2];
  if (secrets_.twilio_auth_token.empty()) return Answer(404, "the Twilio webhook is not configured\n");
  const std::string* signature = Header(request, "x-twilio-signature");
  if (signature == nullptr || signature->empty())
    return Refuse(counts.refused_unsigned, 401, "X-Twilio-Signature is missing\n");
  const std::string url = TwilioSignedUrl(request);
  const bool json_body = Contains(url, "bodySHA256=");
  absl::StatusOr<FormParams> params = FormParams();
  bool valid = false;
  if (json_body) {
    valid = VerifyTwilioJsonSignature(secrets_.twilio_auth_token, url, request.body, *signature);
    if (valid) params = JsonParams(request.body);
  } else {
    params = ParseFormUrlEncoded(request.body);
    valid = VerifyTwilioSignature(secrets_.twilio_auth_token, url, *params, *signature);
  }
  if (!valid)
    return Refuse(counts.refused_bad_signature, 403,
                  "X-Twilio-Signature does not match this URL and body (is public_url the URL set at Twilio?)\n");
  HandleResult r = Understood(counts, params.ok() ? ParseTwilioCallback(*params, request.received_at)
                                                  : absl::StatusOr<ParsedPayload>(params.status()));
  // An inbound message is answered with TwiML that sends no reply; a status callback with nothing.
  if (r.response.status == 200 && !r.events.empty() && r.events[0].kind == InboundEvent::Kind::kMessage) {
    r.response.content_type = "text/xml";
    r.response.body = std::string(kEmptyTwiml);
  }
  return r;
}

}  // namespace faro::inbox
