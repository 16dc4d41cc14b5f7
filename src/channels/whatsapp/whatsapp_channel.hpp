#pragma once
// WhatsApp Business Cloud API adapter (type: whatsapp_cloud). WhatsApp allows free-form text
// only within 24 hours of the person's last message to us; outside that window only an
// approved template may be sent. Send() picks the form, switches to the template when Meta
// says the window is closed (131047), and maps Meta's error codes to SendResult.
#include <memory>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels::whatsapp {

// Keys: base_url, api_version, phone_number_id (required), token_file (required),
// app_secret_file, rate, pair_rate, burst, concurrency, timeout, plus id, type and platform.
// Errors name file:line:column and the key.
absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config);

// Free-form text is allowed when the person wrote to us less than 24 hours before `now`.
bool InsideServiceWindow(const Delivery& delivery);

}  // namespace faro::channels::whatsapp
