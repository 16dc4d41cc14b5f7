#pragma once
// What a provider told us through a webhook, normalised across WhatsApp Cloud, Telegram and
// Twilio: a person wrote to us (kMessage), or a message we sent changed state (kStatus).
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace faro::inbox {

// The `type:` of the channel an event came through, as in the channels configuration.
inline constexpr std::string_view kWhatsAppCloud = "whatsapp_cloud";
inline constexpr std::string_view kTelegramBot = "telegram_bot";
inline constexpr std::string_view kTwilioSms = "twilio_sms";

// Delivery state of a message we sent. Providers repeat and reorder status webhooks, so each
// state has a rank and a message only moves up (see Rank).
enum class DeliveryStatus {
  kQueued,  // queued, accepted, scheduled, sending
  kSent,
  kFailed,  // failed, undelivered, canceled
  kDelivered,
  kRead,
};
std::string_view DeliveryStatusName(DeliveryStatus status);
// The provider's word ("delivered", "undelivered", "read", …); nullopt for words that are not
// about delivery (Twilio's "receiving"/"received" describe inbound messages).
std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view word);
// sent < failed < delivered < read. "failed" outranks "sent" and "queued" (a late "sent" does not
// revive a failed message), but a "delivered" after "failed" wins: WhatsApp reports both when one
// of the person's devices got it and another did not, and delivered means at least one did.
int Rank(DeliveryStatus status);

struct InboundEvent {
  enum class Kind { kMessage, kStatus };
  Kind kind = Kind::kMessage;
  std::string channel_type;  // kWhatsAppCloud, kTelegramBot, kTwilioSms
  // The provider's id of this event, the deduplication key: wamid for WhatsApp messages,
  // update_id for Telegram, MessageSid for Twilio; "<message id>:<status word>" for statuses.
  std::string event_id;
  // Who wrote: "+16505551234" (WhatsApp wa_id and Twilio From, E.164), or a Telegram chat id.
  // For a status: the person the message went to.
  std::string from;
  // Which of our numbers or bots it reached: WhatsApp phone_number_id, Twilio To; empty for
  // Telegram (the bot is the webhook). Lets the caller pick the channel when several exist.
  std::string to;
  std::string display_name;  // WhatsApp profile name, Telegram first/last name or @username
  std::string text;          // the text, or a placeholder such as "[image]" for other types
  std::string message_type;  // "text", "image", "button", … ("text" for SMS)
  bool edited = false;       // Telegram edited_message / edited_channel_post
  TimePoint time;            // when the provider says it happened (else when we received it)

  // kStatus only.
  std::string provider_message_id;  // the id our send got back (wamid…, SM…)
  DeliveryStatus status = DeliveryStatus::kQueued;
  std::string provider_status;  // the provider's own word, kept for people reading the record
  std::string error_code;       // "131047", "30003"; empty when none
};

}  // namespace faro::inbox
