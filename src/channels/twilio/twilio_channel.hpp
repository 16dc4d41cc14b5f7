#pragma once
// Twilio Programmable Messaging (SMS) and Programmable Voice (a call that reads the message with
// TwiML <Say>). Both POST form fields to the 2010-04-01 REST API with HTTP Basic (account SID and
// auth token) and share one mapping of Twilio's error codes to SendResult: 21610 (the person
// texted STOP) is kConsent, so the outbox suppresses SMS for them until they text START.
#include <memory>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels::twilio {

// type: twilio_sms. Keys: account_sid, token_file, from | messaging_service_sid (exactly one),
// status_callback, base_url, rate (10/s), burst, concurrency, timeout.
absl::StatusOr<std::unique_ptr<Channel>> CreateSms(const ChannelConfig& config);

// type: twilio_voice. Keys: account_sid, token_file, from, status_callback, voice, language_es
// (es-ES), language_en (en-US), base_url, rate (1/s: Twilio's default calls per second), burst,
// concurrency, timeout.
absl::StatusOr<std::unique_ptr<Channel>> CreateVoice(const ChannelConfig& config);

// The TwiML a call reads: <Response><Say [voice="…"] language="…">text</Say></Response>, with the
// text XML-escaped and characters XML cannot carry replaced by spaces.
std::string SayTwiml(std::string_view text, std::string_view language, std::string_view voice);

}  // namespace faro::channels::twilio
