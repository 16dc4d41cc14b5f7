#pragma once
// Shared by the outbox tests: a business with WhatsApp, Telegram, email and SMS, and people.
#include "outbox/directory.hpp"
#include "outbox/routing.hpp"

namespace faro::outbox::testing {

inline RoutingTable BusinessChannels() {
  using channels::AddressKind;
  return RoutingTable({
      {"whatsapp", "whatsapp_cloud", "whatsapp", AddressKind::kPhone, ConsentRule::kOptIn, "+54 9 11 5555-0000"},
      {"telegram", "telegram_bot", "telegram", AddressKind::kTelegram, ConsentRule::kNotOptedOut, "t.me/nutricion_ana"},
      {"email", "smtp", "", AddressKind::kEmail, ConsentRule::kNotOptedOut, "hola@example.com"},
      {"sms", "twilio_sms", "", AddressKind::kPhone, ConsentRule::kOptIn, "+54 9 11 5555-0000"},
      {"alerts", "webhook", "", AddressKind::kNone, ConsentRule::kNotOptedOut, ""},
  });
}

inline contacts::Contact Person(int64_t id, bool whatsapp_opt_in = true) {
  contacts::Contact c;
  c.id = id;
  c.name = "Cliente " + std::to_string(id);
  c.phone = "+54911555" + std::to_string(10000 + id);
  c.email = "cliente" + std::to_string(id) + "@example.com";
  if (whatsapp_opt_in) c.consent["whatsapp"] = {contacts::ConsentState::kOptedIn, {}, "test"};
  return c;
}

}  // namespace faro::outbox::testing
