#include "inbox/inbound_event.hpp"

#include "core/strings.hpp"

namespace faro::inbox {

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kQueued: return "queued";
    case DeliveryStatus::kSent: return "sent";
    case DeliveryStatus::kFailed: return "failed";
    case DeliveryStatus::kDelivered: return "delivered";
    case DeliveryStatus::kRead: return "read";
  }
  return "queued";
}

std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view word) {
  const std::string w = ToLower(Trim(word));
  if (w == "queued" || w == "accepted" || w == "scheduled" || w == "sending") return DeliveryStatus::kQueued;
  if (w == "sent") return DeliveryStatus::kSent;
  if (w == "failed" || w == "undelivered" || w == "canceled") return DeliveryStatus::kFailed;
  if (w == "delivered") return DeliveryStatus::kDelivered;
  if (w == "read") return DeliveryStatus::kRead;
  return std::nullopt;
}

int Rank(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kQueued: return 0;
    case DeliveryStatus::kSent: return 1;
    case DeliveryStatus::kFailed: return 2;
    case DeliveryStatus::kDelivered: return 3;
    case DeliveryStatus::kRead: return 4;
  }
  return 0;
}

}  // namespace faro::inbox
