#pragma once
// A customer as Faro knows them: one person, several identities, a language, an order of
// preferred channels, and consent per channel.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.hpp"
#include "core/clock.hpp"
#include "core/lang.hpp"

namespace faro::contacts {

enum class ConsentState { kUnknown, kOptedIn, kOptedOut };

struct Consent {
  ConsentState state = ConsentState::kUnknown;
  TimePoint at{};      // when it was given or withdrawn
  std::string source;  // "web-form", "csv:clients.csv:12", "STOP by SMS", "twilio 21610", "one-click unsubscribe"
};

struct Contact {
  int64_t id = 0;
  std::string name;
  Lang lang = Lang::kEs;
  std::string phone;      // E.164 ("+5491155550000"): WhatsApp, SMS, voice
  std::string email;      // as given, domain lower-cased
  std::string telegram;   // chat id of a person who wrote to the bot first
  std::string instagram;  // Instagram-scoped id
  std::string messenger;  // page-scoped id
  std::string x_handle;   // without '@'
  std::string timezone;   // IANA name; empty: the business's
  // Channel ids, most preferred first. Empty: the business's channel order.
  std::vector<std::string> channel_order;
  std::map<std::string, Consent> consent;  // by channel id

  // The identity a channel of this kind writes to; empty when the contact has none.
  const std::string& Address(channels::AddressKind kind) const;
  ConsentState ConsentFor(const std::string& channel_id) const;
};

// Every identity kind a contact can have, in the order reports list them.
inline constexpr channels::AddressKind kIdentityKinds[] = {
    channels::AddressKind::kPhone,     channels::AddressKind::kEmail,     channels::AddressKind::kTelegram,
    channels::AddressKind::kInstagram, channels::AddressKind::kMessenger, channels::AddressKind::kX};

// "unknown", "opt-in", "opt-out": the words the store and the CSV import use.
std::string_view ConsentStateName(ConsentState state);
std::optional<ConsentState> ConsentStateFromName(std::string_view name);

}  // namespace faro::contacts
