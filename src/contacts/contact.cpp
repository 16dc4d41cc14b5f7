#include "contacts/contact.hpp"

namespace faro::contacts {

const std::string& Contact::Address(channels::AddressKind kind) const {
  static const std::string kEmpty;
  switch (kind) {
    case channels::AddressKind::kPhone: return phone;
    case channels::AddressKind::kEmail: return email;
    case channels::AddressKind::kTelegram: return telegram;
    case channels::AddressKind::kInstagram: return instagram;
    case channels::AddressKind::kMessenger: return messenger;
    case channels::AddressKind::kX: return x_handle;
    case channels::AddressKind::kNone: return kEmpty;
  }
  return kEmpty;
}

ConsentState Contact::ConsentFor(const std::string& channel_id) const {
  const auto it = consent.find(channel_id);
  return it == consent.end() ? ConsentState::kUnknown : it->second.state;
}

std::string_view ConsentStateName(ConsentState state) {
  switch (state) {
    case ConsentState::kUnknown: return "unknown";
    case ConsentState::kOptedIn: return "opt-in";
    case ConsentState::kOptedOut: return "opt-out";
  }
  return "unknown";
}

std::optional<ConsentState> ConsentStateFromName(std::string_view name) {
  if (name == "unknown") return ConsentState::kUnknown;
  if (name == "opt-in") return ConsentState::kOptedIn;
  if (name == "opt-out") return ConsentState::kOptedOut;
  return std::nullopt;
}

}  // namespace faro::contacts
