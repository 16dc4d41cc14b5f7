#include "channels/whatsapp/whatsapp_channel.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "channels/adapter_config.hpp"
#include "channels/http_client.hpp"
#include "core/lang.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::channels::whatsapp {
namespace {

using nlohmann::json;

constexpr size_t kMaxText = 4096;  // text.body, in characters
constexpr auto kServiceWindow = std::chrono::hours(24);

struct Settings {
  std::string messages_url;  // {base_url}/{api_version}/{phone_number_id}/messages
  std::string token;
  CommonSettings common;  // limits (per recipient: the pair rate) and timeout
};

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

std::string Dump(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string TextBody(const std::string& to, const std::string& text) {
  return Dump({{"messaging_product", "whatsapp"},
               {"recipient_type", "individual"},
               {"to", to},
               {"type", "text"},
               {"text", {{"body", text}}}});
}

std::string TemplateBody(const std::string& to, const WhatsAppTemplate& t, Lang lang) {
  // Without a language of its own the template goes in the person's ("es", "en").
  const std::string language = t.language.empty() ? std::string(LangCode(lang)) : t.language;
  json tmpl = {{"name", t.name}, {"language", {{"code", language}}}};
  if (!t.body_params.empty()) {
    json params = json::array();
    for (const std::string& p : t.body_params) params.push_back({{"type", "text"}, {"text", p}});
    tmpl["components"] = json::array({{{"type", "body"}, {"parameters", params}}});
  }
  return Dump({{"messaging_product", "whatsapp"}, {"to", to}, {"type", "template"}, {"template", tmpl}});
}

// Maps an answer of POST /messages. Decisions key on error.code (error_subcode is deprecated);
// when the body carries no code, on the HTTP status.
SendResult Classify(const HttpResponse& response) {
  const json body = json::parse(response.body, nullptr, false);
  const bool ok_status = response.status >= 200 && response.status < 300;
  if (ok_status && body.is_object() && body.contains("messages") && body["messages"].is_array() &&
      !body["messages"].empty() && body["messages"][0].is_object()) {
    const json& id = body["messages"][0].value("id", json());
    if (id.is_string()) return SendResult::Accepted(id.get<std::string>());
  }
  const json error = body.is_object() && body.contains("error") && body["error"].is_object() ? body["error"] : json();
  if (ok_status || !error.contains("code") || !error["code"].is_number_integer()) {
    const std::string status = std::to_string(response.status);
    const std::string detail = ok_status ? "WhatsApp accepted the request but returned no message id"
                                         : StrCat("WhatsApp answered HTTP ", response.status);
    if (response.status == 429) return RateLimited(status, detail, RetryAfter(response, std::chrono::seconds(60)));
    if (response.status == 401 || response.status == 403)
      return NotSent(ResultKind::kAuth, status, StrCat(detail, " (the access token was refused)"));
    if (ok_status || response.status >= 500) return ProviderFault(status, detail);
    return NotSent(ResultKind::kPermanent, status, detail);
  }

  const int64_t code = error["code"].get<int64_t>();
  std::string detail = StrCat("WhatsApp error ", code);
  if (error.contains("message") && error["message"].is_string())
    StrAppend(detail, ": ", error["message"].get<std::string>());
  if (error.contains("error_data") && error["error_data"].is_object() && error["error_data"].contains("details") &&
      error["error_data"]["details"].is_string())
    StrAppend(detail, " — ", error["error_data"]["details"].get<std::string>());
  const std::string code_text = std::to_string(code);
  using std::chrono::seconds;

  switch (code) {
    case 130429:  // throughput of our number (80 messages/s by default)
      return RateLimited(code_text, detail, RetryAfter(response, seconds(1)));
    case 131056:  // pair limit: too many messages to this one person; only they must wait
      return RateLimited(code_text, detail, RetryAfter(response, seconds(6)));
    case 4:       // application request limit
    case 17:      // user request limit
    case 613:     // calls to this API exceeded the rate limit
    case 80007:   // WhatsApp Business Account rate limit
      return RateLimited(code_text, detail, RetryAfter(response, seconds(60)));
    case 1:       // unknown error, "check the status page"
    case 2:       // service temporarily unavailable: an outage signal
    case 131000:  // something went wrong
    case 131016:  // service unavailable
    case 131057:  // throughput upgrade in progress (about a minute)
      return ProviderFault(code_text, detail);
    case 0:       // authentication exception
    case 190:     // access token expired or invalid
    case 10:      // permission denied
    case 131005:  // access denied
    case 131031:  // business account locked
      return NotSent(ResultKind::kAuth, code_text, detail);
    default:
      break;
  }
  if (code >= 200 && code <= 299) return NotSent(ResultKind::kAuth, code_text, detail);  // permission errors
  if (code >= 80000 && code <= 80014) return RateLimited(code_text, detail, RetryAfter(response, seconds(60)));
  // 131026 (not on WhatsApp), 131047 (window closed), 131048/131049/368 (policy), 100 (bad
  // parameter) and whatever else Meta refuses: this message cannot go this way.
  if (response.status >= 500) return ProviderFault(code_text, detail);
  return NotSent(ResultKind::kPermanent, code_text, detail);
}

class WhatsAppChannel final : public Channel {
 public:
  explicit WhatsAppChannel(Settings settings) : s_(std::move(settings)) {}

  SendResult Send(const Delivery& delivery) override {
    const std::string& address = delivery.address;
    if (address.size() < 8 || address.size() > 16 || address.front() != '+' || !AllDigits(address.substr(1)))
      return NotSent(ResultKind::kPermanent, "bad-address",
                     StrCat("\"", address, "\" is not a phone number in E.164 form (+ and 7 to 15 digits)"));
    const std::string to = address.substr(1);  // the API takes digits without '+'
    const Content& content = delivery.content;
    const auto& tmpl = content.whatsapp_template;

    if (InsideServiceWindow(delivery) && !content.text.empty() && CountCodePoints(content.text) <= kMaxText) {
      SendResult r = Post(TextBody(to, content.text), delivery);
      if (r.code != "131047") return r;
      // Meta says the window is closed (its clock or records differ from ours). Free-form will
      // not work on retry; the template is the only way, so send it now.
      if (!tmpl) {
        r.kind = ResultKind::kPermanent;
        StrAppend(r.detail, "; no approved template to send instead");
        return r;
      }
      return Post(TemplateBody(to, *tmpl, delivery.lang), delivery);
    }
    if (tmpl) return Post(TemplateBody(to, *tmpl, delivery.lang), delivery);
    if (!InsideServiceWindow(delivery))
      return NotSent(ResultKind::kPermanent, "131047-no-template",
                     "the person has not written in the last 24 hours and there is no approved WhatsApp "
                     "template for this message");
    if (content.text.empty())
      return NotSent(ResultKind::kPermanent, "empty-text", "WhatsApp messages cannot be empty");
    return NotSent(ResultKind::kPermanent, "too-long",
                   StrCat("the text has ", CountCodePoints(content.text), " characters; WhatsApp takes at most ",
                          kMaxText));
  }

  AddressKind address_kind() const override { return AddressKind::kPhone; }

  Limits limits() const override {
    Limits l = s_.common.limits;
    l.max_text = kMaxText;
    return l;
  }

 private:
  SendResult Post(std::string body, const Delivery& delivery) const {
    HttpRequest request;
    request.url = s_.messages_url;
    request.headers = {"Content-Type: application/json", StrCat("Authorization: Bearer ", s_.token)};
    AddIdempotencyKey(request, delivery.idempotency_key);
    request.body = std::move(body);
    request.timeout = s_.common.timeout;
    const absl::StatusOr<HttpResponse> response = PerformHttp(request);
    if (!response.ok()) return TransportFailure(response.status());
    return Classify(*response);
  }

  Settings s_;
};

bool IsApiVersion(std::string_view v) {
  if (v.size() < 2 || v.front() != 'v') return false;
  for (char c : v.substr(1))
    if ((c < '0' || c > '9') && c != '.') return false;
  return v[1] != '.';
}

// A bearer token travels in a header: it must be one line of visible characters.
bool IsTokenShaped(std::string_view s) {
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7F) return false;
  return !s.empty();
}

}  // namespace

bool InsideServiceWindow(const Delivery& delivery) {
  return delivery.last_inbound.has_value() && delivery.now - *delivery.last_inbound < kServiceWindow;
}

absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) {
  const YamlReader& reader = *config.reader;
  const YAML::Node& node = *config.node;
  const std::string& path = config.path;
  FARO_RETURN_IF_ERROR(reader.OnlyKeys(node, path,
                                       {"id", "type", "platform", "consent", "public_address", "base_url", "api_version", "phone_number_id",
                                        "token_file", "app_secret_file", "rate", "pair_rate", "burst", "concurrency",
                                        "timeout"}));
  Settings s;
  FARO_ASSIGN_OR_RETURN(const std::string base_url, ReadBaseUrl(config, "https://graph.facebook.com"));
  FARO_ASSIGN_OR_RETURN(const std::string version, reader.String(node, "api_version", path, false, "v23.0"));
  if (!IsApiVersion(version))
    return reader.Error(node["api_version"], StrCat(path, ".api_version"),
                        StrCat("expected a Graph API version such as v23.0, got \"", version, "\""));
  FARO_ASSIGN_OR_RETURN(const std::string phone_number_id, reader.String(node, "phone_number_id", path, true));
  if (!AllDigits(phone_number_id))
    return reader.Error(node["phone_number_id"], StrCat(path, ".phone_number_id"),
                        StrCat("expected the numeric phone number id from WhatsApp Manager (not the phone "
                               "number itself), got \"",
                               phone_number_id, "\""));
  s.messages_url = StrCat(base_url, "/", version, "/", phone_number_id, "/messages");
  FARO_ASSIGN_OR_RETURN(s.token, reader.SecretFile(node, "token_file", path, true));
  if (!IsTokenShaped(s.token))
    return reader.Error(node["token_file"], StrCat(path, ".token_file"),
                        "the access token in this file contains spaces or control characters");
  // Read here only so a wrong path is reported at start; the inbox verifies webhooks with it.
  FARO_RETURN_IF_ERROR(reader.SecretFile(node, "app_secret_file", path, false).status());
  // 80/s for the number, 1 per 6 s to one person (Meta's pair limit); burst 1, 4 at once, 15 s.
  FARO_ASSIGN_OR_RETURN(s.common, ReadCommonSettings(config, {.rate = {80, std::chrono::seconds(1)},
                                                                .per_recipient_key = "pair_rate",
                                                                .per_recipient = {1, std::chrono::seconds(6)},
                                                                .max_concurrency = 256,
                                                                .max_timeout = std::chrono::minutes(10)}));
  return std::unique_ptr<Channel>(std::make_unique<WhatsAppChannel>(std::move(s)));
}

}  // namespace faro::channels::whatsapp
