#pragma once
// Turns a provider's webhook body into InboundEvents. Called only after the body's signature
// was verified. A body that is not the provider's format at all is an error (the webhook
// answers 400); a single unusable item inside a good body is skipped with a warning, so one odd
// entry does not make the provider redeliver the whole batch forever.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "inbox/inbound_event.hpp"

namespace faro::inbox {

using FormParams = std::vector<std::pair<std::string, std::string>>;

struct ParsedPayload {
  std::vector<InboundEvent> events;
  std::vector<std::string> warnings;  // items skipped and why; never contains message text
};

// WhatsApp Cloud notification: entry[].changes[].value with messages[], contacts[] and
// statuses[]. Changes of other fields (account_update, template quality, …) yield no events.
absl::StatusOr<ParsedPayload> ParseWhatsAppNotification(std::string_view body, TimePoint received_at);

// Telegram Update: message, edited_message, channel_post or edited_channel_post. Other update
// types (callback_query, my_chat_member, …) yield no events.
absl::StatusOr<ParsedPayload> ParseTelegramUpdate(std::string_view body, TimePoint received_at);

// Twilio form fields: an inbound SMS (From, To, Body, MessageSid) or a status callback
// (MessageSid, MessageStatus, ErrorCode). Twilio sends no time, so events carry `received_at`.
absl::StatusOr<ParsedPayload> ParseTwilioCallback(const FormParams& params, TimePoint received_at);

// application/x-www-form-urlencoded: '+' is a space, %XX a byte; a malformed escape is kept
// as written. Order and repeated keys are preserved.
FormParams ParseFormUrlEncoded(std::string_view body);

}  // namespace faro::inbox
