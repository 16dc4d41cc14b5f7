#pragma once
// One interface for every way Faro reaches a person: WhatsApp, Telegram, email, SMS, voice,
// webhooks. Adapters live in one folder each, are created by a factory that validates their
// configuration, and are listed in registry.cpp. Every provider answer is normalised to a
// SendResult, so the outbox retries, waits, fails over or suppresses the same way for all.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_reader.hpp"
#include "core/clock.hpp"
#include "core/lang.hpp"

namespace faro::channels {

// Which of a contact's identities a channel writes to.
enum class AddressKind { kPhone, kEmail, kTelegram, kInstagram, kMessenger, kX, kNone };
std::string_view AddressKindName(AddressKind kind);

enum class ResultKind {
  kAccepted,     // the provider took the message
  kTransient,    // try again later (network, 4xx SMTP, 5xx HTTP, provider outage codes)
  kRateLimited,  // try again after `wait`
  kPermanent,    // this message cannot go this way (bad address, too long, policy)
  kConsent,      // the person opted out (STOP, 21610, unsubscribe): suppress this channel for them
  kAuth,         // our credentials were refused: page a human, stop this channel
};
std::string_view ResultKindName(ResultKind kind);

struct SendResult {
  ResultKind kind = ResultKind::kTransient;
  std::chrono::milliseconds wait{0};  // kRateLimited: how long the provider asked us to wait
  bool provider_fault = false;        // the provider itself failed (counts towards its circuit breaker)
  bool recipient_only = false;        // kRateLimited: the limit is this recipient's (WhatsApp 131056), not the channel's
  std::string provider_id;            // kAccepted: the provider's id (wamid…, SM…, message_id, Message-ID)
  std::string code;                   // the provider's own code: "131047", "21610", "550 5.1.1", "429"
  std::string detail;                 // what happened, for people (never contains secrets)
  std::string new_address;            // the provider moved the recipient (Telegram migrate_to_chat_id)

  static SendResult Accepted(std::string id) {
    SendResult r;
    r.kind = ResultKind::kAccepted;
    r.provider_id = std::move(id);
    return r;
  }
};

// A WhatsApp-approved template and its parameters, rendered in order.
struct WhatsAppTemplate {
  std::string name;
  std::string language;  // "es", "en_US"
  std::vector<std::string> body_params;
};

// A message already rendered for one person in their language.
struct Content {
  std::string subject;  // email; voice and chat ignore it
  std::string text;     // plain text; SMS, Telegram, WhatsApp free-form, voice <Say>
  std::string html;     // email alternative part (optional)
  std::optional<WhatsAppTemplate> whatsapp_template;  // used outside the 24-hour window
  std::string unsubscribe_url;                        // email: one-click List-Unsubscribe (https)
  std::string unsubscribe_mailto;                     // email: mailto: alternative (optional)
};

struct Delivery {
  std::string message_id;       // the outbox's id, for logs and correlation
  std::string idempotency_key;  // the same on every attempt of this message to this channel
  std::string address;          // phone (E.164), email, Telegram chat id or @channel, …
  std::string display_name;
  Lang lang = Lang::kEn;
  Content content;
  // The person's last message to us on this channel: WhatsApp allows free-form replies only
  // within 24 hours of it.
  std::optional<TimePoint> last_inbound;
  TimePoint now;
};

// What a channel's provider allows; the outbox enforces it with token buckets.
struct Limits {
  Rate overall{30, std::chrono::milliseconds(1000)};
  std::optional<Rate> per_recipient;  // Telegram 1/s per chat, WhatsApp 1/6s per user
  int burst = 1;                      // tokens the overall bucket can hold
  int concurrency = 4;                // requests in flight at once
  size_t max_text = 0;                // 0: no limit known (Telegram 4096, WhatsApp 4096)
};

class Channel {
 public:
  virtual ~Channel() = default;
  // Blocking; called from the outbox's worker threads, several at once.
  virtual SendResult Send(const Delivery& delivery) = 0;
  virtual AddressKind address_kind() const = 0;
  virtual Limits limits() const = 0;
};

// What a factory gets: its YAML node (every adapter also accepts the keys the outbox reads:
// id, type, platform, consent, public_address) (already known to be a mapping with `id` and `type`) and a
// reader for errors with file:line:key and for secret files.
struct ChannelConfig {
  std::string id;
  std::string type;
  std::string platform;  // the platform whose health decides this channel's ("whatsapp")
  const YAML::Node* node = nullptr;
  std::string path;  // "channels[2]"
  const YamlReader* reader = nullptr;
};

}  // namespace faro::channels
