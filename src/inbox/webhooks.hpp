#pragma once
// The inbound webhooks of `faro serve`, independent of any HTTP library: the server turns its
// request into a WebhookRequest, calls Handle, writes the WebhookResponse back, and records the
// events (Inbox::RecordInbound / RecordStatus) — after answering if it wants, since every
// handler is fast and does no I/O.
//
//   GET  /webhooks/whatsapp   Meta's subscription handshake (hub.verify_token)
//   POST /webhooks/whatsapp   WhatsApp Cloud notifications (X-Hub-Signature-256)
//   POST /webhooks/telegram   Telegram updates (X-Telegram-Bot-Api-Secret-Token)
//   POST /webhooks/twilio     Twilio inbound SMS and status callbacks (X-Twilio-Signature)
//
// A body is parsed only after its signature checked out. Missing signature → 401, wrong
// signature → 403, a signed body that is not the provider's format → 400, a webhook whose
// secret is not configured → 404. Thread-safe: handlers share only atomic counters.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "inbox/inbound_event.hpp"

namespace faro::inbox {

struct WebhookRequest {
  std::string method;  // "GET", "POST"
  // The URL as the provider called it, with the query string ("https://faro.example.com/webhooks/twilio?x=1").
  std::string url;
  std::string path;  // "/webhooks/twilio"
  std::vector<std::pair<std::string, std::string>> query;    // decoded; "hub.mode" keeps its dot
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // the raw bytes, unchanged
  TimePoint received_at;  // events without a provider time (Twilio) carry this
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

// Secrets come from the channel configuration's secret files; an empty one turns its webhook
// off (404), so a webhook never runs unauthenticated.
struct WebhookSecrets {
  std::string whatsapp_app_secret;    // Meta app secret: key of X-Hub-Signature-256
  std::string whatsapp_verify_token;  // our choice, typed into Meta's webhook setup
  std::string telegram_secret_token;  // the secret_token given to setWebhook
  std::string twilio_auth_token;      // key of X-Twilio-Signature
  // Twilio signs the URL it called. Behind a proxy Faro sees another one, so the signed URL is
  // rebuilt as public_base_url + path + query ("https://faro.example.com"). Empty: request.url.
  std::string public_base_url;
};

struct HandleResult {
  WebhookResponse response;
  std::vector<InboundEvent> events;
  std::vector<std::string> warnings;  // items skipped inside an accepted body, for the log
};

// Per channel type, since the start of the process.
struct WebhookCounters {
  uint64_t accepted = 0;               // signature valid, body understood (handshakes included)
  uint64_t refused_unsigned = 0;       // no signature header (or no verify token)
  uint64_t refused_bad_signature = 0;  // a signature that does not match (or a wrong verify token)
  uint64_t malformed = 0;              // signed, but not the provider's format
  uint64_t duplicates = 0;             // events already recorded (reported by the caller)
};

class Webhooks {
 public:
  explicit Webhooks(WebhookSecrets secrets);

  // Routes by method and path (the table above); 404 for another path, 405 for another method.
  HandleResult Handle(const WebhookRequest& request);

  HandleResult WhatsAppHandshake(const WebhookRequest& request);
  HandleResult WhatsAppNotification(const WebhookRequest& request);
  HandleResult TelegramUpdate(const WebhookRequest& request);
  HandleResult TwilioCallback(const WebhookRequest& request);

  // The caller found an event already recorded (Inbox::RecordInbound said duplicate): providers
  // deliver at least once, and a rising count is worth seeing but not an error.
  void CountDuplicate(std::string_view channel_type);

  // kWhatsAppCloud, kTelegramBot or kTwilioSms; zeros for another name.
  WebhookCounters Counters(std::string_view channel_type) const;

  // The URL Twilio signed for this request (see WebhookSecrets::public_base_url).
  std::string TwilioSignedUrl(const WebhookRequest& request) const;

 private:
  struct Counts {
    std::atomic<uint64_t> accepted{0}, refused_unsigned{0}, refused_bad_signature{0}, malformed{0}, duplicates{0};
  };
  static int CountsIndex(std::string_view channel_type);  // -1 for an unknown type

  WebhookSecrets secrets_;
  std::array<Counts, 3> counts_;  // whatsapp_cloud, telegram_bot, twilio_sms
};

}  // namespace faro::inbox
