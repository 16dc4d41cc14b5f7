#include "channels/channel.hpp"

namespace faro::channels {

std::string_view AddressKindName(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPhone: return "phone";
    case AddressKind::kEmail: return "email";
    case AddressKind::kTelegram: return "telegram";
    case AddressKind::kInstagram: return "instagram";
    case AddressKind::kMessenger: return "messenger";
    case AddressKind::kX: return "x";
    case AddressKind::kNone: return "none";
  }
  return "none";
}

std::string_view ResultKindName(ResultKind kind) {
  switch (kind) {
    case ResultKind::kAccepted: return "accepted";
    case ResultKind::kTransient: return "transient";
    case ResultKind::kRateLimited: return "rate-limited";
    case ResultKind::kPermanent: return "permanent";
    case ResultKind::kConsent: return "consent";
    case ResultKind::kAuth: return "auth";
  }
  return "transient";
}

}  // namespace faro::channels
